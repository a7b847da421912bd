# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The public API over JSON-RPC, against a real Odoo server started here.

What the calls create is committed, so the server serves a throw-away copy of
the test database (``CREATE DATABASE ... TEMPLATE``), dropped at the end of the
module: nothing is left in the test database. Every test makes its own product,
shelf and user, so that the tests run alone and in any order.
"""

import configparser
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import psycopg2
import pytest
from database_drop import drop_database
from psycopg2 import sql

import odoo


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _maintenance(config):
    """An autocommit connection to ``postgres``, as the configuration file says."""
    options = configparser.ConfigParser()
    options.read(config)
    options = options["options"]
    params = {
        key: options.get(f"db_{key}")
        for key in ("host", "port", "user", "password", "sslmode")
        if options.get(f"db_{key}") not in (None, "", "False")
    }
    connection = psycopg2.connect(dbname="postgres", **params)
    connection.autocommit = True
    return connection


def _copy_database(config, template, copy):
    """``copy``, a new database with everything ``template`` has committed."""
    # Odoo's connection pool in this process (pytest-odoo's registry, earlier
    # tests) keeps connections to the test database open: PostgreSQL copies no
    # database another session is connected to.
    odoo.sql_db.close_db(template)
    connection = _maintenance(config)
    try:
        with connection.cursor() as cr:
            try:
                cr.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(copy), sql.Identifier(template)
                    )
                )
            except psycopg2.errors.ObjectInUse as error:
                cr.execute(
                    "SELECT pid, application_name, state FROM pg_stat_activity "
                    "WHERE datname = %s AND pid != pg_backend_pid()",
                    [template],
                )
                pytest.fail(f"cannot copy {template}: {error}; {cr.fetchall()}")
    finally:
        connection.close()


def _drop_database(config, name):
    connection = _maintenance(config)
    try:
        drop_database(connection, name)
    finally:
        connection.close()
    shutil.rmtree(odoo.tools.config.filestore(name), ignore_errors=True)


@contextlib.contextmanager
def copied_database(request, suffix):
    """``(config, name)`` of a copy of the test database, dropped (with its
    filestore) at the end."""
    config = request.config.getoption("--odoo-config")
    template = request.config.getoption("--odoo-database")
    copy = f"{template}_{suffix}_{uuid.uuid4().hex[:8]}"
    _copy_database(config, template, copy)
    try:
        yield config, copy
    finally:
        _drop_database(config, copy)


@contextlib.contextmanager
def odoo_server(config, name, *options, log=None):
    """An Odoo server on a free local port serving only ``name``; yields
    ``(url, process)`` once it answers."""
    port = _free_port()
    odoo_bin = os.path.join(os.path.dirname(sys.executable), "odoo")
    command = [
        odoo_bin,
        "-c",
        config,
        "-d",
        name,
        "--db-filter",
        f"^{name}$",
        "--http-port",
        str(port),
        "--http-interface",
        "127.0.0.1",
        "--max-cron-threads",
        "0",
        *options,
    ]
    if log:
        command += ["--logfile", str(log)]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/web/health", timeout=5)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    details = log.read_text()[-4000:] if log else ""
                    pytest.fail(
                        f"the Odoo server on port {port} did not start {details}"
                    )
                time.sleep(0.5)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def database(request):
    """A copy of the test database, dropped (with its filestore) at the end."""
    with copied_database(request, "rpc") as database:
        yield database


@pytest.fixture(scope="module")
def server(database):
    """An Odoo server on a free local port, serving the copy of the test database."""
    config, name = database
    with odoo_server(config, name, "--log-level", "warn") as (url, __):
        yield url, name


class RpcError(Exception):
    """An error the server answered with."""


class Client:
    """Odoo's external JSON-RPC API (``/jsonrpc``), as one user."""

    def __init__(self, url, database, login, password):
        self.url, self.database, self.password = url, database, password
        self.uid = self._call("common", "authenticate", database, login, password, {})
        assert self.uid, f"{login} cannot log in"

    def _call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": uuid.uuid4().hex,
            "params": {"service": service, "method": method, "args": args},
        }
        request = urllib.request.Request(
            f"{self.url}/jsonrpc",
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            answer = json.load(response)
        if "error" in answer:
            raise RpcError(answer["error"]["data"]["message"])
        return answer.get("result")  # Odoo leaves out a None result

    def __call__(self, model, method, *args, **kwargs):
        return self._call(
            "object",
            "execute_kw",
            self.database,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )


@pytest.fixture(scope="module")
def admin(server):
    return Client(*server, "admin", "admin")


@pytest.fixture
def stock(admin):
    """A product of this test, with stock without lot in two locations."""
    tag = uuid.uuid4().hex[:8]
    warehouse = admin(
        "stock.warehouse", "search_read", [], fields=["lot_stock_id"], limit=1
    )
    stock_id = warehouse[0]["lot_stock_id"][0]
    shelf_id = admin(
        "stock.location", "create", {"name": f"RPC {tag}", "location_id": stock_id}
    )
    product_id = admin(
        "product.product", "create", {"name": f"RPC Saw {tag}", "type": "product"}
    )
    quant_ids = [
        admin(
            "stock.quant",
            "create",
            {
                "product_id": product_id,
                "location_id": location_id,
                "inventory_quantity": qty,
            },
            context={"inventory_mode": True},
        )
        for location_id, qty in ((stock_id, 2), (shelf_id, 1))
    ]
    admin("stock.quant", "action_apply_inventory", quant_ids)
    template_id = admin("product.product", "read", [product_id], ["product_tmpl_id"])[
        0
    ]["product_tmpl_id"][0]
    return {
        "tag": tag,
        "stock": stock_id,
        "shelf": shelf_id,
        "product": product_id,
        "template": template_id,
    }


def _quantities(client, product_id):
    quants = client(
        "stock.quant",
        "search_read",
        [
            ("product_id", "=", product_id),
            ("location_id.usage", "=", "internal"),
            ("quantity", "!=", 0),
        ],
        fields=["location_id", "lot_id", "quantity"],
    )
    return sorted(
        (q["location_id"][0], q["lot_id"] and q["lot_id"][1], q["quantity"])
        for q in quants
    )


def _serials(stock, names):
    locations = [stock["stock"], stock["stock"], stock["shelf"]]
    return [
        {
            "product_id": stock["product"],
            "location_id": location,
            "lot_name": name,
            "quantity": 1,
        }
        for location, name in zip(locations, names, strict=True)
    ]


def _create_user(admin, login, group, **vals):
    """A user of the ``stock`` group ``group``; the password is the login."""
    group_id = admin("ir.model.data", "check_object_reference", "stock", group)[1]
    admin(
        "res.users",
        "create",
        {
            "name": login,
            "login": login,
            "password": login,
            "groups_id": [(6, 0, [group_id])],
            **vals,
        },
    )
    return login


@pytest.fixture
def stock_user(admin, stock):
    """Login (and password) of a new user with Inventory / User rights only."""
    return _create_user(admin, f"rpc-user-{stock['tag']}", "group_stock_user")


def test_stock_user_is_refused(server, admin, stock, stock_user):
    """A plain stock user can neither reassign nor open the wizard."""
    user = Client(*server, stock_user, stock_user)
    before = _quantities(admin, stock["product"])
    with pytest.raises(RpcError, match="Only Inventory administrators"):
        user(
            "product.template",
            "reassign_lots",
            [stock["template"]],
            "serial",
            _serials(stock, ["U-1", "U-2", "U-3"]),
        )
    with pytest.raises(RpcError, match="Only Inventory administrators"):
        user(
            "product.template",
            "action_open_lot_reassignment_wizard",
            [stock["template"]],
        )
    assert _quantities(admin, stock["product"]) == before
    assert before == sorted(
        [(stock["stock"], False, 2.0), (stock["shelf"], False, 1.0)]
    )


def test_admin_reassigns_serials(admin, stock, stock_user):
    """An Inventory administrator gives serials to all 3 units, over RPC."""
    names = [f"{stock['tag']}-SN-{n}" for n in (1, 2, 3)]
    lot_ids = admin(
        "product.template",
        "reassign_lots",
        [stock["template"]],
        "serial",
        _serials(stock, names),
    )

    assert len(lot_ids) == 3
    # the record of this run, found from its lots (README, API)
    records = admin(
        "stock.lot.reassignment",
        "search_read",
        [("lot_created_ids", "in", lot_ids)],
        fields=["name", "state", "user_id", "tracking", "line_ids"],
    )
    assert len(records) == 1
    assert records[0]["name"].startswith("LSR/")
    assert records[0]["state"] == "done"
    assert records[0]["user_id"][0] == admin.uid
    assert records[0]["tracking"] == "serial"
    assert len(records[0]["line_ids"]) == 2, "one line per place: Stock and the shelf"
    assert _quantities(admin, stock["product"]) == sorted(
        [
            (stock["stock"], names[0], 1.0),
            (stock["stock"], names[1], 1.0),
            (stock["shelf"], names[2], 1.0),
        ]
    )
    tracking = admin("product.template", "read", [stock["template"]], ["tracking"])
    assert tracking[0]["tracking"] == "serial"


@pytest.mark.parametrize(
    ("assignments", "message"),
    [
        (42, "The assignments must be a list of dictionaries, not 42."),
        ([7], "Assignment 0 (counted from 0): a dictionary is expected, not 7."),
        ("nan", "quantity must be a number greater than 0 and at most 1e+12, not nan"),
        ("1e308", "not 1e+308"),
        ("list id", "product_id must be the id of a record (a whole number), not ["),
        ("dict id", "location_id must be the id of a record (a whole number), not {"),
        ("null name", "lot_name must be the lot/serial number's name (text), not None"),
    ],
)
def test_hostile_payloads_get_a_message(admin, stock, assignments, message):
    """Over JSON-RPC, what no Python caller would send: a message that says
    what is wrong and where, never a Python error; nothing changed."""
    good = _serials(stock, ["H-1", "H-2", "H-3"])
    payloads = {
        "nan": [dict(good[0], quantity=float("nan"))] + good[1:],
        "1e308": [dict(good[0], quantity=1e308)] + good[1:],
        "list id": [dict(good[0], product_id=[stock["product"]])] + good[1:],
        "dict id": [dict(good[0], location_id={"id": stock["stock"]})] + good[1:],
        "null name": [dict(good[0], lot_name=None)] + good[1:],
    }
    before = _quantities(admin, stock["product"])
    with pytest.raises(RpcError) as refused:
        admin(
            "product.template",
            "reassign_lots",
            [stock["template"]],
            "serial",
            payloads.get(assignments, assignments)
            if isinstance(assignments, str)
            else assignments,
        )
    assert message in str(refused.value)
    assert _quantities(admin, stock["product"]) == before


def test_unreserve_takes_only_true_or_false(admin, stock):
    """``unreserve`` over RPC: a string is refused with a message, before
    anything changes."""
    before = _quantities(admin, stock["product"])
    with pytest.raises(RpcError) as refused:
        admin(
            "product.template",
            "reassign_lots",
            [stock["template"]],
            "serial",
            _serials(stock, ["U-1", "U-2", "U-3"]),
            "yes",
        )
    assert "unreserve must be true or false, not 'yes'." in str(refused.value)
    assert _quantities(admin, stock["product"]) == before


def test_odd_and_long_names_are_stored_verbatim(admin, stock):
    """Names with quotes, markup, SQL, accents, emoji and 1,000 characters
    are lot/serial names like any other."""
    names = [
        "Ñandú ☃ 𝔘 — «serial» 🙂",
        "'); DROP TABLE stock_lot; -- <script>alert(1)</script> %s %(x)s",
        "L" * 999 + "Z",
    ]
    lot_ids = admin(
        "product.template",
        "reassign_lots",
        [stock["template"]],
        "serial",
        _serials(stock, names),
    )
    lots = admin("stock.lot", "read", lot_ids, ["name"])
    assert [lot["name"] for lot in lots] == names
    assert len(_quantities(admin, stock["product"])) == 3


def test_admin_of_another_company_sees_only_its_own(server, admin, stock):
    """An Inventory administrator of company B only, over RPC: the wizard
    shows B's stock and says more lies elsewhere, without where or how much;
    the reassignment is refused; nothing changed."""
    company_b = admin("res.company", "create", {"name": f"RPC B {stock['tag']}"})
    stock_b = admin(
        "stock.warehouse",
        "search_read",
        [("company_id", "=", company_b)],
        fields=["lot_stock_id"],
    )[0]["lot_stock_id"][0]
    quant = admin(
        "stock.quant",
        "create",
        {
            "product_id": stock["product"],
            "location_id": stock_b,
            "inventory_quantity": 4,
        },
        context={"inventory_mode": True, "allowed_company_ids": [company_b]},
    )
    admin(
        "stock.quant",
        "action_apply_inventory",
        [quant],
        context={"allowed_company_ids": [company_b]},
    )
    login = _create_user(
        admin,
        f"rpc-admin-b-{stock['tag']}",
        "group_stock_manager",
        company_id=company_b,
        company_ids=[(6, 0, [company_b])],
    )
    admin_b = Client(*server, login, login)

    action = admin_b(
        "product.template", "action_open_lot_reassignment_wizard", [stock["template"]]
    )
    wizard = admin_b(
        "stock.lot.reassignment.wizard",
        "read",
        [action["res_id"]],
        ["line_ids", "quantity_total", "has_hidden_stock"],
    )[0]
    lines = admin_b(
        "stock.lot.reassignment.wizard.line",
        "read",
        wizard["line_ids"],
        ["location_id"],
    )
    assert [line["location_id"][0] for line in lines] == [stock_b]
    assert (wizard["quantity_total"], wizard["has_hidden_stock"]) == (4, True)
    with pytest.raises(RpcError) as refused:
        admin_b(
            "product.template",
            "reassign_lots",
            [stock["template"]],
            "lot",
            [
                {
                    "product_id": stock["product"],
                    "location_id": stock_b,
                    "lot_name": "B-LOT",
                    "quantity": 4,
                }
            ],
        )
    assert "companies you cannot access" in str(refused.value)
    assert "WH/Stock" not in str(refused.value)
    assert _quantities(admin, stock["product"]) == sorted(
        [
            (stock["stock"], False, 2.0),
            (stock["shelf"], False, 1.0),
            (stock_b, False, 4.0),
        ]
    )


@pytest.fixture(scope="module")
def cron_server(database):
    """A second server on the same copy, with a scheduler thread: it runs
    what ``reassign_lots(..., background=True)`` queues."""
    config, name = database
    with odoo_server(
        config, name, "--log-level", "warn", "--max-cron-threads", "1"
    ) as (url, __):
        yield url, name


def test_background_run_queued_then_followed_to_done(cron_server, admin, stock):
    """``background=True`` checks the plan at once (a refusal is raised,
    nothing is queued), then returns the record's id; the caller follows its
    state and progress until the scheduler has run it."""
    client = Client(*cron_server, "admin", "admin")
    serials = _serials(stock, ["BG-1", "BG-2", "BG-3"])

    def reassign(assignments, background):
        return client(
            "product.template",
            "reassign_lots",
            [stock["template"]],
            "serial",
            assignments,
            background=background,
        )

    records_before = client("stock.lot.reassignment", "search_count", [])
    with pytest.raises(RpcError) as refused:
        reassign(serials[:2], True)
    assert "missing" in str(refused.value)
    assert client("stock.lot.reassignment", "search_count", []) == records_before
    with pytest.raises(RpcError) as refused:
        reassign(serials, "yes")
    assert "background must be true or false" in str(refused.value)

    reassignment_id = reassign(serials, True)

    assert isinstance(reassignment_id, int)
    states = []
    deadline = time.monotonic() + 180
    while True:
        record = client(
            "stock.lot.reassignment",
            "read",
            [reassignment_id],
            ["state", "progress", "error"],
        )[0]
        if not states or states[-1] != record["state"]:
            states.append(record["state"])
        if record["state"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert record["state"] == "done", record
    assert states[0] in ("queued", "running", "done")
    assert set(states) <= {"queued", "running", "done"}
    assert record["progress"] == "1 / 1 products, 3 / 3 lots/serials"
    assert _quantities(admin, stock["product"]) == sorted(
        [
            (stock["stock"], "BG-1", 1.0),
            (stock["stock"], "BG-2", 1.0),
            (stock["shelf"], "BG-3", 1.0),
        ]
    )
