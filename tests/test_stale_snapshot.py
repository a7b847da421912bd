# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A reassignment whose transaction saw the stock before another transaction
committed a change of it is refused, and changes nothing.

Two real transactions, in this process: cursor A takes its REPEATABLE READ
snapshot (it reads the product's stock), cursor B validates a transfer of the
same product and commits, then A calls ``product.template.reassign_lots`` with
the quantities it sees. The stale-snapshot check
(``_check_stock_unchanged_since_snapshot``) is what refuses it: without B's
change the same call succeeds. Without the check, a delivery from the quant A
sees ends A in PostgreSQL's serialization failure (A's count of the quant
collides with B's update), not in this message; a receipt on a shelf where
the product had no quant is not seen by A at all, and A would commit the
product as tracked with those units left without lot/serial.

What they commit cannot be rolled back by a test case, so they run on a
registry of a throw-away copy of the test database (``CREATE DATABASE ...
TEMPLATE``), dropped with its filestore at the end of the module: nothing is
left in the test database. Every test makes its own product.
"""

import uuid

import pytest
from test_rpc import copied_database

import odoo
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError

REFUSAL = "changed while the reassignment was being prepared"


@pytest.fixture(scope="module")
def registry(request):
    """The registry of a copy of the test database, dropped at the end."""
    with copied_database(request, "stale") as (__, name):
        # pytest-odoo enables the flag for the test modules; loading a
        # registry with it would run every module's at_install tests
        test_enable = odoo.tools.config["test_enable"]
        odoo.tools.config["test_enable"] = False
        try:
            registry = odoo.modules.registry.Registry(name)
        finally:
            odoo.tools.config["test_enable"] = test_enable
        try:
            yield registry
        finally:
            odoo.modules.registry.Registry.delete(name)
            odoo.sql_db.close_db(name)


def _env(cr):
    """The Inventory administrator of the demo data, as a user calls it."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    return env(user=env.ref("base.user_admin").id)


@pytest.fixture
def arranged(registry):
    """A storable product without tracking, 5 units without lot/serial in
    WH/Stock, and an empty WH/Stock/Shelf, committed."""
    with registry.cursor() as cr:
        env = _env(cr)
        stock = env.ref("stock.warehouse0").lot_stock_id
        shelf = env["stock.location"].create({"name": "Shelf", "location_id": stock.id})
        product = env["product.product"].create(
            {"name": f"Stale Snapshot {uuid.uuid4().hex[:8]}", "type": "product"}
        )
        env["stock.quant"]._update_available_quantity(product, stock, 5)
        arranged = {
            "product": product.id,
            "template": product.product_tmpl_id.id,
            "stock": stock.id,
            "shelf": shelf.id,
        }
    assert _state(registry, arranged) == {
        "tracking": "none",
        "stock": [("Stock", "", 5.0)],
        "lots": [],
        "reassignments": [],
    }
    return arranged


def _stock(env, arranged):
    """``(location, lot name, quantity)`` of the product's quants in stock
    locations."""
    quants = env["stock.quant"].search(
        [
            ("product_id", "=", arranged["product"]),
            ("location_id.usage", "in", ("internal", "transit")),
            ("quantity", "!=", 0),
        ]
    )
    return sorted(
        (quant.location_id.name, quant.lot_id.name or "", quant.quantity)
        for quant in quants
    )


def _state(registry, arranged):
    """What is committed for the product, read through a fresh cursor."""
    with registry.cursor() as cr:
        env = _env(cr)
        product = env["product.product"].browse(arranged["product"])
        reassignments = env["stock.lot.reassignment"].search(
            [("product_tmpl_ids", "in", arranged["template"])]
        )
        return {
            "tracking": product.tracking,
            "stock": _stock(env, arranged),
            "lots": sorted(
                env["stock.lot"]
                .search([("product_id", "=", product.id)])
                .mapped("name")
            ),
            "reassignments": reassignments.mapped("state"),
        }


def _deliver(registry, arranged, quantity):
    """A delivery of ``quantity`` from WH/Stock, reserved and validated in a
    transaction of its own (cursor B), committed."""
    with registry.cursor() as cr:
        env = _env(cr)
        _validate(
            env,
            arranged,
            env.ref("stock.warehouse0").out_type_id,
            env["stock.location"].browse(arranged["stock"]),
            env.ref("stock.stock_location_customers"),
            quantity,
        )


def _receive(registry, arranged, quantity):
    """A receipt of ``quantity`` on WH/Stock/Shelf (where the product has no
    quant yet), validated in a transaction of its own (cursor B),
    committed."""
    with registry.cursor() as cr:
        env = _env(cr)
        _validate(
            env,
            arranged,
            env.ref("stock.warehouse0").in_type_id,
            env.ref("stock.stock_location_suppliers"),
            env["stock.location"].browse(arranged["shelf"]),
            quantity,
        )


def _validate(env, arranged, picking_type, source, destination, quantity):
    """A transfer of ``quantity`` of the product, as a user validates it."""
    product = env["product.product"].browse(arranged["product"])
    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                    },
                )
            ],
        }
    )
    picking.action_confirm()
    picking.action_assign()
    picking.move_ids.write({"quantity": quantity, "picked": True})
    picking.button_validate()
    assert picking.state == "done"


def _reassign_all_to_one_lot(env, arranged, quantity):
    return (
        env["product.template"]
        .browse(arranged["template"])
        .reassign_lots(
            "lot",
            [
                {
                    "product_id": arranged["product"],
                    "location_id": arranged["stock"],
                    "lot_name": "STALE-LOT",
                    "quantity": quantity,
                }
            ],
        )
    )


def test_stock_delivered_after_the_snapshot_is_refused(registry, arranged):
    """B delivers 2 of the 5 units A saw and commits: A's reassignment of
    the 5 units is refused, nothing is changed, the 3 units left stay
    without lot/serial."""
    # cursor A, rolled back by the error
    with pytest.raises(UserError) as caught, registry.cursor() as cr:
        env = _env(cr)
        # the snapshot: A's first query
        assert _stock(env, arranged) == [("Stock", "", 5.0)]
        _deliver(registry, arranged, 2)
        assert _state(registry, arranged)["stock"] == [("Stock", "", 3.0)]
        # A's snapshot still shows the 5 units
        env.invalidate_all()
        assert _stock(env, arranged) == [("Stock", "", 5.0)]
        _reassign_all_to_one_lot(env, arranged, 5)

    assert REFUSAL in str(caught.value)
    assert "nothing was changed" in str(caught.value)
    assert _state(registry, arranged) == {
        "tracking": "none",
        "stock": [("Stock", "", 3.0)],
        "lots": [],
        "reassignments": [],
    }


def test_same_reassignment_without_the_change_succeeds(registry, arranged):
    """The control: the same transaction, no delivery in between, the 5
    units reassigned to one lot."""
    with registry.cursor() as cr:  # cursor A, committed
        env = _env(cr)
        assert _stock(env, arranged) == [("Stock", "", 5.0)]
        lot_ids = _reassign_all_to_one_lot(env, arranged, 5)
        assert env["stock.lot"].browse(lot_ids).mapped("name") == ["STALE-LOT"]

    assert _state(registry, arranged) == {
        "tracking": "lot",
        "stock": [("Stock", "STALE-LOT", 5.0)],
        "lots": ["STALE-LOT"],
        "reassignments": ["done"],
    }


def test_stock_received_after_the_snapshot_is_refused(registry, arranged):
    """B receives 2 units on a shelf where the product had no quant and
    commits: a quant A's snapshot does not show at all. A's reassignment of
    the 5 units it sees is refused; the 7 units stay without lot/serial."""
    # cursor A, rolled back by the error
    with pytest.raises(UserError) as caught, registry.cursor() as cr:
        env = _env(cr)
        assert _stock(env, arranged) == [("Stock", "", 5.0)]
        _receive(registry, arranged, 2)
        assert _state(registry, arranged)["stock"] == [
            ("Shelf", "", 2.0),
            ("Stock", "", 5.0),
        ]
        env.invalidate_all()
        assert _stock(env, arranged) == [("Stock", "", 5.0)]
        _reassign_all_to_one_lot(env, arranged, 5)

    assert REFUSAL in str(caught.value)
    assert _state(registry, arranged) == {
        "tracking": "none",
        "stock": [("Shelf", "", 2.0), ("Stock", "", 5.0)],
        "lots": [],
        "reassignments": [],
    }
