# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The advisory locks one transaction takes are bounded, however many products
it moves: counted in PostgreSQL's ``pg_locks`` during the validation of a
receipt of 10,000 products."""

import logging

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.stock_lot_reassign.models.stock_lot_reassignment_lock import (
    MAX_SHARED_LOCKS,
)

_logger = logging.getLogger(__name__)

PRODUCTS = 10000


@tagged("post_install", "-at_install")
class TestLockBound(TransactionCase):
    def _locks_held(self):
        """This transaction's locks in PostgreSQL's lock table, by kind."""
        self.env.cr.execute(
            "SELECT locktype, fastpath, count(*) FROM pg_locks "
            "WHERE pid = pg_backend_pid() GROUP BY locktype, fastpath"
        )
        return {
            (locktype, fastpath): count
            for locktype, fastpath, count in self.env.cr.fetchall()
        }

    def test_receipt_of_10000_products_takes_at_most_32_advisory_locks(self):
        warehouse = self.env.ref("stock.warehouse0")
        supplier = self.env.ref("stock.stock_location_suppliers")
        products = self.env["product.product"].create(
            [
                {"name": f"Lock bound {i:05d}", "type": "product"}
                for i in range(PRODUCTS)
            ]
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": warehouse.lot_stock_id.id,
            }
        )
        self.env["stock.move"].create(
            [
                {
                    "name": product.name,
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": 1,
                    "quantity": 1,
                    "picked": True,
                    "location_id": supplier.id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                }
                for product in products
            ]
        )
        picking.action_confirm()
        # Odoo's own search for the moves to reserve after a receipt (one OR
        # term per product) is too large for PostgreSQL's parser at 10,000
        # products; its setting skips it
        self.env["ir.config_parameter"].set_param("stock.picking_no_auto_reserve", True)
        picking.button_validate()

        held = self._locks_held()
        advisory = sum(n for (kind, __), n in held.items() if kind == "advisory")
        _logger.info(
            "locks held after validating %s products: %s",
            PRODUCTS,
            sorted(held.items()),
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            sorted(set(products.mapped("qty_available"))), [1.0], "every unit received"
        )
        # the confirmation (which reserves) and the validation, in one
        # transaction: their keys together stay within the bound
        self.assertGreater(advisory, 0, "the validation waits for reassignments")
        self.assertLessEqual(advisory, MAX_SHARED_LOCKS)
        self.assertEqual(MAX_SHARED_LOCKS, 32)
