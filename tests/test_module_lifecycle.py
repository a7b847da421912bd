# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What an administrator does with the module, on a database of its own.

A fresh database with only ``stock``, already holding products in the
inconsistent state (tracked, stock without lot), made before the module is
there; then the Apps page ("Update Apps List", the module with its icon,
"Install"), the repair of such a product, ``-u stock_lot_reassign``, and the
uninstallation. Each step runs in an Odoo process of its own, as Odoo's own
buttons do.

The database is made once for the module, named after the test database, and
dropped (with its filestore) at the end. Each test asks for the state it needs
(``uninstalled``, ``installed``, ``repaired``) and the fixture brings the
database there only if it is not there yet, so that every test runs alone and
in any order. Each product has one test that changes its stock.
"""

import configparser
import json
import os
import shutil
import subprocess
import sys
import textwrap

import psycopg2
import pytest
from database_drop import drop_database

import odoo

MODULE = "stock_lot_reassign"
ODOO = os.path.join(os.path.dirname(sys.executable), "odoo")
LOG_LEVELS = (" WARNING ", " ERROR ", " CRITICAL ")

# Shared by the scripts: an environment on DB as superuser, printing JSON.
PRELUDE = """
import json, sys
import odoo
from odoo import api, SUPERUSER_ID
odoo.tools.config.parse_config(["-c", sys.argv[1], "--log-level", "warn"])
DB = sys.argv[2]

def env_of(cr):
    return api.Environment(cr, SUPERUSER_ID, {})

def stock_of(env, product_id):
    quants = env["stock.quant"].search(
        [("product_id", "=", product_id),
         ("location_id.usage", "=", "internal"), ("quantity", "!=", 0)])
    return sorted([q.location_id.complete_name, q.lot_id.name or "", q.quantity]
                  for q in quants)
"""

# "Install" and "Uninstall" on the Apps page.
INSTALL = f"""
with odoo.registry(DB).cursor() as cr:
    env_of(cr)["ir.module.module"].search(
        [("name", "=", "{MODULE}")]).button_immediate_install()
"""
UNINSTALL = f"""
with odoo.registry(DB).cursor() as cr:
    env_of(cr)["ir.module.module"].search(
        [("name", "=", "{MODULE}")]).button_immediate_uninstall()
"""

# Two products switched to lots while 7 + 3 units had no lot: "repair" for the
# repair test, "uninstall" for the uninstallation (repaired by its fixture).
INCONSISTENT = """
with odoo.registry(DB).cursor() as cr:
    env = env_of(cr)
    stock = env.ref("stock.warehouse0").lot_stock_id
    shelf = env["stock.location"].create(
        {"name": "Life Shelf", "location_id": stock.id})
    products = {}
    for role, name, code in (("repair", "Lifecycle Drill", "SLR-LIFE"),
                             ("uninstall", "Lifecycle Saw", "SLR-LIFE-U")):
        product = env["product.product"].create(
            {"name": name, "default_code": code, "type": "product"})
        env["stock.quant"]._update_available_quantity(product, stock, 7)
        env["stock.quant"]._update_available_quantity(product, shelf, 3)
        product.tracking = "lot"
        products[role] = {"product": product.id,
                         "quants": stock_of(env, product.id)}
    print(json.dumps({"stock": stock.id, "shelf": shelf.id, **products}))
"""

# The repair: lot LIFE-A for the 7 units in WH/Stock, LIFE-B for the 3 on the
# shelf, through the module's public API; prints what it did.
REPAIR = """
with odoo.registry(DB).cursor() as cr:
    env = env_of(cr)
    product = env["product.product"].browse({product})
    qty = product.product_tmpl_id.lot_reassign_qty
    product.product_tmpl_id.reassign_lots("lot", [
        {{"product_id": product.id, "location_id": {stock},
          "lot_name": "LIFE-A", "quantity": 7}},
        {{"product_id": product.id, "location_id": {shelf},
          "lot_name": "LIFE-B", "quantity": 3}},
    ])
    print(json.dumps({{"qty": qty, "quants": stock_of(env, product.id),
                       "left": product.product_tmpl_id.lot_reassign_qty}}))
"""

UNTRACKED = [["WH/Stock", "", 7.0], ["WH/Stock/Life Shelf", "", 3.0]]
REPAIRED = [["WH/Stock", "LIFE-A", 7.0], ["WH/Stock/Life Shelf", "LIFE-B", 3.0]]


class Database:
    """The database of these tests, and the Odoo processes run on it."""

    def __init__(self, config, name):
        self.config, self.name = config, name
        self.data = None  # what INCONSISTENT made

    def _connect(self, dbname):
        parser = configparser.ConfigParser()
        parser.read(self.config)
        options = parser["options"]
        params = {
            key: options.get(f"db_{key}")
            for key in ("host", "port", "user", "password", "sslmode")
            if options.get(f"db_{key}") not in (None, "", "False")
        }
        return psycopg2.connect(dbname=dbname, **params)

    def drop(self):
        connection = self._connect("postgres")
        connection.autocommit = True
        try:
            drop_database(connection, self.name)
        finally:
            connection.close()
        shutil.rmtree(odoo.tools.config.filestore(self.name), ignore_errors=True)

    def sql(self, query):
        connection = self._connect(self.name)
        try:
            with connection.cursor() as cr:
                cr.execute(query)
                return cr.fetchall()
        finally:
            connection.close()

    def module_state(self):
        rows = self.sql(f"SELECT state FROM ir_module_module WHERE name = '{MODULE}'")
        return rows[0][0] if rows else None

    def odoo(self, *args):
        done = subprocess.run(
            [ODOO, "-c", self.config, "-d", self.name, "--stop-after-init"]
            + ["--max-cron-threads", "0", "--http-port", "0", *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
        return done.returncode, done.stdout + done.stderr

    def script(self, body):
        """Run ``body`` after PRELUDE; the JSON of its last line, if it prints."""
        done = subprocess.run(
            [sys.executable, "-c", PRELUDE + textwrap.dedent(body)]
            + [self.config, self.name],
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        lines = done.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else None


@pytest.fixture(scope="module")
def database(request):
    """A fresh database with only ``stock`` and the inconsistent products."""
    test_database = request.config.getoption("--odoo-database")
    database = Database(
        request.config.getoption("--odoo-config"), f"{test_database}_lifecycle"
    )
    database.drop()
    try:
        rc, log = database.odoo("-i", "stock", "--without-demo=all")
        assert rc == 0, log[-4000:]
        database.data = database.script(INCONSISTENT)
        yield database
    finally:
        database.drop()


@pytest.fixture
def inconsistent(database):
    """The products and locations made before the module was installed."""
    return database.data


@pytest.fixture
def uninstalled(database):
    """The database with the module not installed (uninstalled if it was)."""
    if database.module_state() == "installed":
        database.script(UNINSTALL)
    assert database.module_state() == "uninstalled"
    return database


@pytest.fixture
def installed(database):
    """The database with the module installed (installed if it was not)."""
    if database.module_state() != "installed":
        database.script(INSTALL)
    assert database.module_state() == "installed"
    return database


@pytest.fixture
def repaired(installed, inconsistent):
    """The "uninstall" product, repaired with the module if it is not yet."""
    product = inconsistent["uninstall"]["product"]
    quants = installed.script(
        f"""
        with odoo.registry(DB).cursor() as cr:
            print(json.dumps(stock_of(env_of(cr), {product})))
        """
    )
    if quants == UNTRACKED:
        quants = installed.script(
            REPAIR.format(
                product=product,
                stock=inconsistent["stock"],
                shelf=inconsistent["shelf"],
            )
        )["quants"]
    assert quants == REPAIRED
    return product


def test_update_apps_list_shows_the_module(uninstalled, inconsistent):
    assert inconsistent["repair"]["quants"] == UNTRACKED
    assert inconsistent["uninstall"]["quants"] == UNTRACKED
    listed = uninstalled.script(
        f"""
        with odoo.registry(DB).cursor() as cr:
            env = env_of(cr)
            env["ir.module.module"].update_list()
            module = env["ir.module.module"].search([("name", "=", "{MODULE}")])
            print(json.dumps({{
                "state": module.state, "name": module.shortdesc,
                "summary": module.summary, "icon": module.icon,
                "icon_image": bool(module.icon_image),
                "description": module.description_html or "",
                "license": module.license,
                "depends": module.dependencies_id.mapped("name")}}))
        """,
    )
    assert listed["state"] == "uninstalled"
    assert listed["name"] == "Stock Lot/Serial Reassignment"
    assert listed["summary"].startswith("Give lot/serial numbers")
    assert listed["icon"] == "/stock_lot_reassign/static/description/icon.png"
    assert listed["icon_image"], "the icon file is read"
    assert "Review" in listed["description"], "index.html is the description"
    assert listed["license"] == "LGPL-3"
    assert sorted(listed["depends"]) == ["base_import", "stock"]


def test_install_button(uninstalled):
    installed = uninstalled.script(
        INSTALL
        + f"""
with odoo.registry(DB).cursor() as cr:
    env = env_of(cr)
    print(json.dumps({{
        "state": env["ir.module.module"].search([("name", "=", "{MODULE}")]).state,
        "models": [name for name in ("stock.lot.reassignment.wizard",
                   "stock.lot.reassignment") if name in env],
        "cron": bool(env.ref(
            "stock_lot_reassign.ir_cron_stock_lot_reassignment",
            raise_if_not_found=False)),
        "actions": sorted(env["ir.model.data"].search(
            [("module", "=", "{MODULE}"),
             ("model", "=", "ir.actions.server")]).mapped("name"))}}))
""",
    )
    assert installed["state"] == "installed"
    assert installed["models"] == [
        "stock.lot.reassignment.wizard",
        "stock.lot.reassignment",
    ]
    assert installed["cron"]
    assert installed["actions"] == [
        "action_product_product_open_lot_reassignment_wizard",
        "action_product_template_export_count_sheet",
        "action_product_template_open_lot_reassignment_wizard",
        "action_stock_quant_open_lot_reassignment_wizard",
        "ir_cron_stock_lot_reassignment_ir_actions_server",
    ]


def test_installed_on_inconsistent_data_repairs_it(installed, inconsistent):
    result = installed.script(
        REPAIR.format(
            product=inconsistent["repair"]["product"],
            stock=inconsistent["stock"],
            shelf=inconsistent["shelf"],
        )
    )
    assert result["qty"] == 10.0, "the units without lot, all locations"
    assert result["quants"] == REPAIRED
    assert result["left"] == 0.0


def test_upgrade_is_clean_and_keeps_the_data(installed):
    query = "SELECT id, quantity, lot_id FROM stock_quant ORDER BY id"
    before = installed.sql(query)
    rc, log = installed.odoo("-u", MODULE)
    assert rc == 0, log[-4000:]
    noisy = [line for line in log.splitlines() if any(x in line for x in LOG_LEVELS)]
    assert noisy == [], "\n".join(noisy)
    after = installed.sql(query)
    assert after == before


def test_uninstall_keeps_stock_consistent(installed, inconsistent, repaired):
    result = installed.script(
        f"""
        with odoo.registry(DB).cursor() as cr:
            env = env_of(cr)
            before = stock_of(env, {repaired})
            moves = env["stock.move"].search_count(
                [("product_id", "=", {repaired}), ("state", "=", "done")])
            env["ir.module.module"].search(
                [("name", "=", "{MODULE}")]).button_immediate_uninstall()
        with odoo.registry(DB).cursor() as cr:
            env = env_of(cr)
            product = env["product.product"].browse({repaired})
            lot = env["stock.lot"].search(
                [("product_id", "=", product.id), ("name", "=", "LIFE-A")])
            # stock still works on the product: count 6 of LIFE-A in WH/Stock
            quant = env["stock.quant"].with_context(inventory_mode=True).search(
                [("product_id", "=", product.id), ("lot_id", "=", lot.id),
                 ("location_id", "=", {inconsistent["stock"]})])
            quant.inventory_quantity = 6
            quant.action_apply_inventory()
            cr.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_name LIKE 'stock_lot_reassign%%'")
            print(json.dumps({{
                "state": env["ir.module.module"].search(
                    [("name", "=", "{MODULE}")]).state,
                "tables": [row[0] for row in cr.fetchall()],
                "field": "lot_reassign_qty" in env["product.template"]._fields,
                "before": before, "moves_before": moves,
                "moves_after": env["stock.move"].search_count(
                    [("product_id", "=", product.id), ("state", "=", "done")]),
                "after": stock_of(env, product.id), "tracking": product.tracking,
            }}))
        """,
    )
    assert result["state"] == "uninstalled"
    assert result["tables"] == [], "the wizard and reassignment tables are gone"
    assert not result["field"]
    assert result["before"] == REPAIRED
    assert result["moves_after"] == result["moves_before"] + 1, "History kept"
    assert result["after"] == [
        ["WH/Stock", "LIFE-A", 6.0],
        ["WH/Stock/Life Shelf", "LIFE-B", 3.0],
    ]
    assert result["tracking"] == "lot"
