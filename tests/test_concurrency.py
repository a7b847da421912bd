# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Nothing lost when a reassignment and other stock operations of the same
product run at the same time, on a real Odoo server with 2 workers (the
multi-process server of a production deployment), over JSON-RPC.

The server serves a throw-away copy of the test database, dropped at the end.
After each race every quant of the product is checked: units = what was
received - what was delivered, one serial per unit, nothing without serial.
"""

import json
import os
import signal
import threading
import time
import uuid

import psutil
import pytest
import websocket
from test_rpc import Client, RpcError, _free_port, copied_database, odoo_server

SERIALS = 3000


@pytest.fixture(scope="module")
def workers_server(request, tmp_path_factory):
    """``odoo --workers 2`` on a copy of the test database: two HTTP workers
    and the gevent (websocket) process, as a production server runs."""
    gevent_port = _free_port()
    log = tmp_path_factory.mktemp("workers") / "odoo.log"
    with (
        copied_database(request, "workers") as (config, name),
        odoo_server(
            config,
            name,
            "--workers",
            "2",
            "--gevent-port",
            str(gevent_port),
            "--limit-time-real",
            "600",
            "--limit-time-cpu",
            "600",
            "--log-level",
            "info",
            log=log,
        ) as (url, process),
    ):
        yield {
            "url": url,
            "name": name,
            "gevent_port": gevent_port,
            "log": log,
            "pid": process.pid,
        }


@pytest.fixture(scope="module")
def admin(workers_server):
    return Client(workers_server["url"], workers_server["name"], "admin", "admin")


def test_workers_serve_and_websocket_connects(workers_server):
    """The gevent process of ``--workers 2`` starts, stays up, and takes a
    websocket (Odoo's bus); it is not restarted in a loop."""
    time.sleep(5)
    connection = websocket.create_connection(
        f"ws://127.0.0.1:{workers_server['gevent_port']}/websocket",
        header=[f"Origin: {workers_server['url']}"],
        timeout=10,
    )
    try:
        assert connection.connected
        connection.send(
            json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}})
        )
    finally:
        connection.close()
    log = workers_server["log"].read_text()
    assert "Traceback" not in log, log[-4000:]
    assert log.count("Evented Service (longpolling) running") == 1, (
        "the gevent process did not start, or was restarted"
    )


# ----------------------------------------------------------------------
# Arrange and check, over RPC
# ----------------------------------------------------------------------


def _warehouse(admin):
    warehouse = admin(
        "stock.warehouse",
        "search_read",
        [],
        fields=["lot_stock_id", "out_type_id"],
        limit=1,
    )[0]
    customer = admin(
        "ir.model.data", "check_object_reference", "stock", "stock_location_customers"
    )[1]
    return warehouse["lot_stock_id"][0], warehouse["out_type_id"][0], customer


def _product_with_stock(admin, units):
    """A product without tracking, ``units`` received in Stock by an
    inventory adjustment."""
    stock, __, __ = _warehouse(admin)
    tag = uuid.uuid4().hex[:8]
    product = admin(
        "product.product", "create", {"name": f"Race {tag}", "type": "product"}
    )
    quant = admin(
        "stock.quant",
        "create",
        {"product_id": product, "location_id": stock, "inventory_quantity": units},
        context={"inventory_mode": True},
    )
    admin("stock.quant", "action_apply_inventory", [quant])
    template = admin("product.product", "read", [product], ["product_tmpl_id"])[0]
    return {
        "tag": tag,
        "product": product,
        "template": template["product_tmpl_id"][0],
        "stock": stock,
    }


def _reassign(admin, arranged, units, outcome):
    try:
        outcome["lots"] = admin(
            "product.template",
            "reassign_lots",
            [arranged["template"]],
            "serial",
            [
                {
                    "product_id": arranged["product"],
                    "location_id": arranged["stock"],
                    "lot_name": f"{arranged['tag']}-{n:05d}",
                    "quantity": 1,
                }
                for n in range(units)
            ],
        )
    except RpcError as error:
        outcome["error"] = str(error)


def _deliver_one(admin, arranged, outcome):
    """A delivery of 1 unit from Stock, confirmed, set done and validated,
    as a user does it on the picking."""
    try:
        picking = _delivery(admin, arranged)
        moves = admin("stock.picking", "read", [picking], ["move_ids"])[0]["move_ids"]
        admin("stock.move", "write", moves, {"quantity": 1, "picked": True})
        admin("stock.picking", "button_validate", [picking])
        state = admin("stock.picking", "read", [picking], ["state"])[0]["state"]
        outcome["delivered"] = 1 if state == "done" else 0
    except RpcError as error:
        outcome["delivered"] = 0
        outcome["error"] = str(error)


def _delivery(admin, arranged, quantity=1):
    """A delivery of ``quantity`` from Stock, confirmed (not reserved)."""
    stock, out_type, customer = _warehouse(admin)
    picking = admin(
        "stock.picking",
        "create",
        {
            "picking_type_id": out_type,
            "location_id": stock,
            "location_dest_id": customer,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": f"Race delivery {arranged['tag']}",
                        "product_id": arranged["product"],
                        "product_uom_qty": quantity,
                        "location_id": stock,
                        "location_dest_id": customer,
                    },
                )
            ],
        },
    )
    admin("stock.picking", "action_confirm", [picking])
    return picking


def _picking_state(admin, picking):
    """The picking's state and what its lines reserve, by lot."""
    picking_vals = admin("stock.picking", "read", [picking], ["state"])[0]
    lines = admin(
        "stock.move.line",
        "search_read",
        [("picking_id", "=", picking)],
        fields=["lot_id", "quantity"],
    )
    return picking_vals["state"], [(bool(ml["lot_id"]), ml["quantity"]) for ml in lines]


def _call(admin, outcome, model, method, *args, **kwargs):
    try:
        outcome["result"] = admin(model, method, *args, **kwargs)
        outcome["done"] = True
    except RpcError as error:
        outcome["done"] = False
        outcome["error"] = str(error)


def _race(admin, arranged, offset, operation):
    """The reassignment of ``arranged`` to serials, and ``operation()``
    ``offset`` seconds after it started; returns the reassignment's
    outcome."""
    reassignment = {}
    racer = threading.Thread(
        target=_reassign, args=(admin, arranged, SERIALS, reassignment)
    )
    racer.start()
    time.sleep(offset)
    operation()
    racer.join(timeout=600)
    return reassignment


def _stock(admin, arranged):
    quants = admin(
        "stock.quant",
        "search_read",
        [
            ("product_id", "=", arranged["product"]),
            ("location_id.usage", "in", ["internal", "transit"]),
            ("quantity", "!=", 0),
        ],
        fields=["lot_id", "quantity"],
    )
    tracking = admin("product.product", "read", [arranged["product"]], ["tracking"])
    untracked = admin(
        "stock.quant",
        "search_read",
        [
            ("product_id", "=", arranged["product"]),
            ("lot_id", "=", False),
            ("location_id.usage", "in", ["internal", "transit"]),
        ],
        fields=["quantity", "reserved_quantity"],
    )
    return {
        "reserved without serial": sum(q["reserved_quantity"] for q in untracked),
        "tracking": tracking[0]["tracking"],
        "units": sum(q["quantity"] for q in quants),
        "serials": sum(1 for q in quants if q["lot_id"] and q["quantity"] == 1),
        "without serial": sum(q["quantity"] for q in quants if not q["lot_id"]),
        "other": sorted(
            q["quantity"] for q in quants if q["lot_id"] and q["quantity"] != 1
        ),
    }


def _assert_consistent(admin, arranged, received, delivered):
    state = _stock(admin, arranged)
    units = received - delivered
    if state["tracking"] == "serial":
        assert state == {
            "reserved without serial": 0,
            "tracking": "serial",
            "units": units,
            "serials": units,
            "without serial": 0,
            "other": [],
        }
    else:
        assert state == {
            "reserved without serial": state["reserved without serial"],
            "tracking": "none",
            "units": units,
            "serials": 0,
            "without serial": units,
            "other": [],
        }
    return state


# ----------------------------------------------------------------------
# Races
# ----------------------------------------------------------------------


@pytest.mark.parametrize("offset", [0.3, 0.8, 1.5])
def test_delivery_during_reassignment(admin, offset):
    """3,000 units reassigned to 3,000 serials while, ``offset`` seconds
    later, a delivery of 1 unit of the same product is confirmed, set done
    and validated: one of them waits for the other, and the books stay
    right."""
    arranged = _product_with_stock(admin, SERIALS)
    reassignment, delivery = {}, {}
    racer = threading.Thread(
        target=_reassign, args=(admin, arranged, SERIALS, reassignment)
    )
    racer.start()
    time.sleep(offset)
    _deliver_one(admin, arranged, delivery)
    racer.join(timeout=600)

    state = _assert_consistent(admin, arranged, SERIALS, delivery["delivered"])
    if "lots" in reassignment:
        assert state["tracking"] == "serial"
        # the delivery went first (the reassignment saw one unit less), or
        # waited and then reserved and delivered a serial
        assert len(reassignment["lots"]) in (SERIALS - delivery["delivered"], SERIALS)
    if not delivery["delivered"]:
        assert "Lot/Serial" in delivery["error"], delivery["error"]


@pytest.mark.parametrize("offset", [0.3, 1.2])
def test_reservation_during_reassignment(admin, offset):
    """A delivery confirmed (which reserves) and Check Availability clicked
    while its product is reassigned: it waits, then reserves a serial (or
    reserves first and the reassignment is refused); never a reservation
    without serial on the tracked product."""
    arranged = _product_with_stock(admin, SERIALS)
    outcome = {}

    def reserve():
        outcome["picking"] = _delivery(admin, arranged)
        _call(admin, outcome, "stock.picking", "action_assign", [outcome["picking"]])

    reassignment = _race(admin, arranged, offset, reserve)
    state = _assert_consistent(admin, arranged, SERIALS, 0)
    assert outcome["done"], outcome
    assert _picking_state(admin, outcome["picking"]) == (
        "assigned",
        [(state["tracking"] == "serial", 1.0)],
    )
    assert ("lots" in reassignment) == (state["tracking"] == "serial")


@pytest.mark.parametrize("offset", [0.0, 0.6])
def test_unreservation_during_reassignment(admin, offset):
    """A delivery's Unreserve while its product is reassigned: whichever
    goes first, the books stay right and nothing is reserved without
    serial."""
    arranged = _product_with_stock(admin, SERIALS)
    picking = _delivery(admin, arranged)
    admin("stock.picking", "action_assign", [picking])
    outcome = {}
    _race(
        admin,
        arranged,
        offset,
        lambda: _call(admin, outcome, "stock.picking", "do_unreserve", [picking]),
    )
    state = _assert_consistent(admin, arranged, SERIALS, 0)
    assert outcome["done"], outcome
    assert _picking_state(admin, picking) == ("confirmed", [])
    if state["tracking"] == "none":
        assert state["reserved without serial"] == 0


@pytest.mark.parametrize("offset", [0.0, 0.6])
def test_reserved_line_edited_during_reassignment(admin, offset):
    """The quantity of a reserved line raised from 1 to 2 while its product
    is reassigned: the books stay right, nothing reserved without serial on
    the tracked product."""
    arranged = _product_with_stock(admin, SERIALS)
    picking = _delivery(admin, arranged, quantity=2)
    admin("stock.picking", "action_assign", [picking])
    admin("stock.picking", "do_unreserve", [picking])
    moves = admin("stock.picking", "read", [picking], ["move_ids"])[0]["move_ids"]
    admin("stock.move", "write", moves, {"quantity": 1})
    line = admin("stock.move.line", "search", [("picking_id", "=", picking)])
    outcome = {}
    _race(
        admin,
        arranged,
        offset,
        lambda: _call(
            admin, outcome, "stock.move.line", "write", line, {"quantity": 2}
        ),
    )
    state = _assert_consistent(admin, arranged, SERIALS, 0)
    if state["tracking"] == "serial":
        # the reassignment went first: the edit waited, then was refused or
        # applied on the serial-tracked product's rules
        lines = _picking_state(admin, picking)[1]
        assert all(has_lot for has_lot, __ in lines) or not outcome["done"], lines
    else:
        assert outcome["done"], outcome
        assert _picking_state(admin, picking)[1] == [(False, 2.0)]


def test_two_reassignments_of_one_product(admin):
    """Two reassignments of the same product at once: one wins, the other is
    refused; nothing is lost."""
    arranged = _product_with_stock(admin, 500)
    outcomes = [{}, {}]
    racers = [
        threading.Thread(target=_reassign, args=(admin, arranged, 500, outcome))
        for outcome in outcomes
    ]
    for racer in racers:
        racer.start()
        time.sleep(0.2)
    for racer in racers:
        racer.join(timeout=600)

    assert sorted("lots" in outcome for outcome in outcomes) == [False, True]
    _assert_consistent(admin, arranged, 500, 0)


def test_reassignments_of_different_products_at_once(admin):
    """4 products reassigned at once on 2 workers: all done."""
    products = [_product_with_stock(admin, 200) for __ in range(4)]
    outcomes = [{} for __ in products]
    racers = [
        threading.Thread(target=_reassign, args=(admin, arranged, 200, outcome))
        for arranged, outcome in zip(products, outcomes, strict=True)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=600)

    assert [sorted(outcome) for outcome in outcomes] == [["lots"]] * 4, outcomes
    for arranged in products:
        assert _assert_consistent(admin, arranged, 200, 0)["tracking"] == "serial"


def test_worker_killed_mid_reassignment_changes_nothing(admin, workers_server):
    """The HTTP workers are killed (SIGKILL) while one of them runs a
    reassignment of 3,000 serials: PostgreSQL rolls its transaction back,
    the server starts new workers, and the stock is exactly as before."""
    arranged = _product_with_stock(admin, SERIALS)
    before = _stock(admin, arranged)
    outcome = {}

    def reassign():
        try:
            _reassign(admin, arranged, SERIALS, outcome)
        except OSError as error:  # the connection dies with the worker
            outcome["killed"] = str(error)

    racer = threading.Thread(target=reassign)
    racer.start()
    time.sleep(1.0)
    server = psutil.Process(workers_server["pid"])
    workers = [
        child
        for child in server.children()
        if "gevent" not in child.cmdline()  # odoo gevent ...: the websocket one
    ]
    assert len(workers) == 2
    for worker in workers:
        os.kill(worker.pid, signal.SIGKILL)
    racer.join(timeout=600)

    assert "killed" in outcome, f"the reassignment was not running: {outcome}"
    deadline = time.monotonic() + 60
    while True:  # the server replaces its workers
        try:
            after = _stock(admin, arranged)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    assert (
        after
        == before
        == {
            "reserved without serial": 0,
            "tracking": "none",
            "units": SERIALS,
            "serials": 0,
            "without serial": SERIALS,
            "other": [],
        }
    )
