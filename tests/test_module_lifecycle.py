# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What an administrator does with the module, on a database of its own.

A fresh database with only ``stock``, already holding a product in the
inconsistent state (tracked, stock without lot); then, in order: the Apps
page ("Update Apps List", the module with its icon, "Install"), the repair of
that product, ``-u stock_lot_reassign``, and the uninstallation. Each step runs
in an Odoo process of its own, as Odoo's own buttons do.
"""

import configparser
import json
import os
import subprocess
import sys
import textwrap

import psycopg2
import pytest

DB = "stock_lot_reassign_lifecycle"
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

def stock_of(env):
    quants = env["stock.quant"].search(
        [("product_id.default_code", "=", "SLR-LIFE"),
         ("location_id.usage", "=", "internal"), ("quantity", "!=", 0)])
    return sorted([q.location_id.complete_name, q.lot_id.name or "", q.quantity]
                  for q in quants)
"""


def _connect(config, dbname):
    parser = configparser.ConfigParser()
    parser.read(config)
    options = parser["options"]
    return psycopg2.connect(
        dbname=dbname,
        host=options.get("db_host"),
        port=options.get("db_port"),
        user=options.get("db_user"),
        password=options.get("db_password"),
    )


def _drop(config):
    connection = _connect(config, "postgres")
    connection.autocommit = True
    with connection.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    connection.close()


def _sql(config, query):
    connection = _connect(config, DB)
    with connection.cursor() as cr:
        cr.execute(query)
        rows = cr.fetchall()
    connection.close()
    return rows


def _odoo(config, *args):
    done = subprocess.run(
        [ODOO, "-c", config, "-d", DB, "--stop-after-init", "--max-cron-threads", "0"]
        + ["--http-port", "0", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    return done.returncode, done.stdout + done.stderr


def _script(config, body):
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(body), config, DB],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def config(request):
    config = request.config.getoption("--odoo-config")
    _drop(config)
    rc, log = _odoo(config, "-i", "stock", "--without-demo=all")
    assert rc == 0, log[-4000:]
    yield config
    _drop(config)


@pytest.fixture(scope="module")
def inconsistent(config):
    """A product switched to lots while 7 + 3 units had no lot."""
    return _script(
        config,
        """
        with odoo.registry(DB).cursor() as cr:
            env = env_of(cr)
            stock = env.ref("stock.warehouse0").lot_stock_id
            shelf = env["stock.location"].create(
                {"name": "Life Shelf", "location_id": stock.id})
            product = env["product.product"].create(
                {"name": "Lifecycle Drill", "default_code": "SLR-LIFE",
                 "type": "product"})
            env["stock.quant"]._update_available_quantity(product, stock, 7)
            env["stock.quant"]._update_available_quantity(product, shelf, 3)
            product.tracking = "lot"
            print(json.dumps({"product": product.id, "stock": stock.id,
                              "shelf": shelf.id, "quants": stock_of(env)}))
        """,
    )


def test_update_apps_list_shows_the_module(config, inconsistent):
    assert inconsistent["quants"] == [
        ["WH/Stock", "", 7.0],
        ["WH/Stock/Life Shelf", "", 3.0],
    ]
    listed = _script(
        config,
        """
        with odoo.registry(DB).cursor() as cr:
            env = env_of(cr)
            env["ir.module.module"].update_list()
            module = env["ir.module.module"].search(
                [("name", "=", "stock_lot_reassign")])
            print(json.dumps({
                "state": module.state, "name": module.shortdesc,
                "summary": module.summary, "icon": module.icon,
                "icon_image": bool(module.icon_image),
                "description": module.description_html or "",
                "license": module.license,
                "depends": module.dependencies_id.mapped("name")}))
        """,
    )
    assert listed["state"] == "uninstalled"
    assert listed["name"] == "Stock Lot/Serial Reassignment"
    assert listed["summary"].startswith("Give lot/serial numbers")
    assert listed["icon"] == "/stock_lot_reassign/static/description/icon.png"
    assert listed["icon_image"], "the icon file is read"
    assert "Review" in listed["description"], "index.html is the description"
    assert listed["license"] == "LGPL-3"
    assert listed["depends"] == ["stock"]


def test_install_button(config):
    installed = _script(
        config,
        """
        with odoo.registry(DB).cursor() as cr:
            env_of(cr)["ir.module.module"].search(
                [("name", "=", "stock_lot_reassign")]).button_immediate_install()
        with odoo.registry(DB).cursor() as cr:
            env = env_of(cr)
            print(json.dumps({
                "state": env["ir.module.module"].search(
                    [("name", "=", "stock_lot_reassign")]).state,
                "models": [name for name in ("stock.lot.reassign",
                           "stock.lot.reassign.job") if name in env],
                "cron": bool(env.ref(
                    "stock_lot_reassign.ir_cron_stock_lot_reassign_job",
                    raise_if_not_found=False)),
                "actions": sorted(env["ir.model.data"].search(
                    [("module", "=", "stock_lot_reassign"),
                     ("model", "=", "ir.actions.server")]).mapped("name"))}))
        """,
    )
    assert installed["state"] == "installed"
    assert installed["models"] == ["stock.lot.reassign", "stock.lot.reassign.job"]
    assert installed["cron"]
    assert installed["actions"] == [
        "action_product_product_open_lot_reassign",
        "action_product_template_open_lot_reassign",
        "action_stock_quant_open_lot_reassign",
        "ir_cron_stock_lot_reassign_job_ir_actions_server",
    ]


def test_installed_on_inconsistent_data_repairs_it(config, inconsistent):
    result = _script(
        config,
        f"""
        with odoo.registry(DB).cursor() as cr:
            env = env_of(cr)
            product = env["product.product"].browse({inconsistent["product"]})
            qty = product.product_tmpl_id.lot_reassign_qty
            product.product_tmpl_id.reassign_lots("lot", [
                {{"product_id": product.id, "location_id": {inconsistent["stock"]},
                  "lot_name": "LIFE-A", "quantity": 7}},
                {{"product_id": product.id, "location_id": {inconsistent["shelf"]},
                  "lot_name": "LIFE-B", "quantity": 3}},
            ])
            print(json.dumps({{"qty": qty, "quants": stock_of(env),
                               "left": product.product_tmpl_id.lot_reassign_qty}}))
        """,
    )
    assert result["qty"] == 10.0, "the units without lot, all locations"
    assert result["quants"] == [
        ["WH/Stock", "LIFE-A", 7.0],
        ["WH/Stock/Life Shelf", "LIFE-B", 3.0],
    ]
    assert result["left"] == 0.0


def test_upgrade_is_clean_and_keeps_the_data(config):
    before = _sql(config, "SELECT id, quantity, lot_id FROM stock_quant ORDER BY id")
    rc, log = _odoo(config, "-u", "stock_lot_reassign")
    assert rc == 0, log[-4000:]
    noisy = [line for line in log.splitlines() if any(x in line for x in LOG_LEVELS)]
    assert noisy == [], "\n".join(noisy)
    after = _sql(config, "SELECT id, quantity, lot_id FROM stock_quant ORDER BY id")
    assert after == before


def test_uninstall_keeps_stock_consistent(config, inconsistent):
    result = _script(
        config,
        f"""
        with odoo.registry(DB).cursor() as cr:
            env = env_of(cr)
            before = stock_of(env)
            moves = env["stock.move"].search_count(
                [("product_id", "=", {inconsistent["product"]}),
                 ("state", "=", "done")])
            env["ir.module.module"].search(
                [("name", "=", "stock_lot_reassign")]).button_immediate_uninstall()
        with odoo.registry(DB).cursor() as cr:
            env = env_of(cr)
            product = env["product.product"].browse({inconsistent["product"]})
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
                    [("name", "=", "stock_lot_reassign")]).state,
                "tables": [row[0] for row in cr.fetchall()],
                "field": "lot_reassign_qty" in env["product.template"]._fields,
                "before": before, "moves_before": moves,
                "moves_after": env["stock.move"].search_count(
                    [("product_id", "=", product.id), ("state", "=", "done")]),
                "after": stock_of(env), "tracking": product.tracking,
            }}))
        """,
    )
    assert result["state"] == "uninstalled"
    assert result["tables"] == [], "the wizard and job tables are gone"
    assert not result["field"]
    assert result["before"] == [
        ["WH/Stock", "LIFE-A", 7.0],
        ["WH/Stock/Life Shelf", "LIFE-B", 3.0],
    ]
    assert result["moves_after"] == result["moves_before"] + 1, "History kept"
    assert result["after"] == [
        ["WH/Stock", "LIFE-A", 6.0],
        ["WH/Stock/Life Shelf", "LIFE-B", 3.0],
    ]
    assert result["tracking"] == "lot"
