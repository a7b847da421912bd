# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import StockLotReassignCommon


@tagged("post_install", "-at_install")
class TestStockLotReassignmentUndo(StockLotReassignCommon):
    """Cancel on a done reassignment: the same two adjustments the other way."""

    def _reassign_serials(self):
        self._set_stock(self.product, self.stock, 2)
        self._set_stock(
            self.product, self.shelf_1, 1, package=self.package, owner=self.owner
        )
        self.before = self._stock()
        self.template.with_user(self.manager).reassign_lots(
            "serial",
            [
                self._assignment(self.stock, "U-1", 1),
                self._assignment(self.stock, "U-2", 1),
                self._assignment(
                    self.shelf_1, "U-3", 1, package=self.package, owner=self.owner
                ),
            ],
        )
        return self.env["stock.lot.reassignment"].search(
            [("product_tmpl_ids", "in", self.template.ids)], limit=1
        )

    def test_reverse_puts_the_stock_back_without_lots(self):
        reassignment = self._reassign_serials()
        self.assertEqual(self.template.tracking, "serial")

        reassignment.with_user(self.manager).action_reverse()

        self.env.invalidate_all()
        self.assertEqual(reassignment.state, "cancelled")
        self.assertEqual(self.template.tracking, "none")
        self.assertEqual(self._stock(), self.before, "every unit back, no lot")
        serials = self.env["stock.lot"].search([("product_id", "=", self.product.id)])
        self.assertEqual(sorted(serials.mapped("name")), ["U-1", "U-2", "U-3"])
        self.assertEqual(set(serials.mapped("product_qty")), {0.0})
        undo_moves = self.env["stock.move"].search(
            [("product_id", "=", self.product.id), ("name", "like", reassignment.name)]
        )
        self.assertEqual(len(undo_moves), 3 + 2, "3 removals, 2 places put back")
        self.assertEqual(set(undo_moves.mapped("state")), {"done"})
        self.assertEqual(reassignment.undo_move_ids, undo_moves)

    def test_history_leads_back_to_the_reassignment(self):
        reassignment = self._reassign_serials()
        reassignment.with_user(self.manager).action_reverse()
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.stock.id),
                ("lot_id", "=", False),
            ]
        )

        action = quant.with_user(self.manager).action_inventory_history()
        history = (
            self.env["stock.move.line"]
            .with_user(self.manager)
            .search(action["domain"] + [("product_id", "=", self.product.id)])
        )

        # 2 units counted at zero and back, 2 serials in and out
        self.assertEqual(len(history), 1 + 2 + 2 + 1)
        self.assertEqual(history.lot_reassignment_id, reassignment)
        other = self.env["stock.move.line"].search(
            [("product_id", "=", self.product.id), ("id", "not in", history.ids)]
        )
        self.assertEqual(other.lot_reassignment_id, reassignment, "the shelf too")
        opened = history[0].with_user(self.manager).action_open_lot_reassignment()
        self.assertEqual(
            (opened["res_model"], opened["res_id"]),
            ("stock.lot.reassignment", reassignment.id),
        )

    def test_reverse_refused_after_a_delivery_of_one_serial(self):
        reassignment = self._reassign_serials()
        customer = self.env.ref("stock.stock_location_customers")
        lot = self.env["stock.lot"].search(
            [("product_id", "=", self.product.id), ("name", "=", "U-2")]
        )
        delivery = self.env["stock.move"].create(
            {
                "name": "Delivery of U-2",
                "product_id": self.product.id,
                "product_uom": self.product.uom_id.id,
                "product_uom_qty": 1,
                "location_id": self.stock.id,
                "location_dest_id": customer.id,
            }
        )
        delivery._action_confirm()
        delivery.move_line_ids = [
            (
                0,
                0,
                {
                    "product_id": self.product.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": self.stock.id,
                    "location_dest_id": customer.id,
                },
            )
        ]
        delivery.picked = True
        delivery._action_done()
        after_delivery = self._snapshot()

        with self.assertRaisesAtomic(UserError) as caught:
            reassignment.with_user(self.manager).action_reverse()

        message = str(caught.exception)
        self.assertIn(reassignment.name, message)
        self.assertIn("U-2 has moved since: Delivery of U-2", message)
        self.assertNothingChanged(after_delivery)
        self.assertEqual(reassignment.state, "done")
