# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The public Python API, end to end, in the Odoo process (pytest-odoo)."""

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase, new_test_user


@tagged("post_install", "-at_install")
class TestPublicApi(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="api_manager", groups="stock.group_stock_manager"
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.stock = warehouse.lot_stock_id
        cls.shelf = cls.env["stock.location"].create(
            {"name": "API Shelf", "location_id": cls.stock.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "API Drill", "type": "product"}
        )
        cls.template = cls.product.product_tmpl_id.with_user(cls.manager)
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.product, cls.stock, 4)
        Quant._update_available_quantity(cls.product, cls.shelf, 3)

    def _quantities(self):
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id.usage", "=", "internal"),
                ("quantity", "!=", 0),
            ]
        )
        return sorted(
            (quant.location_id.name, quant.lot_id.name or "", quant.quantity)
            for quant in quants
        )

    def _assignment(self, location, lot_name, quantity):
        return {
            "product_id": self.product.id,
            "location_id": location.id,
            "lot_name": lot_name,
            "quantity": quantity,
        }

    def test_reassign_lots_keeps_every_quantity(self):
        """Two locations, lots split: same quantities, every unit with a lot."""
        lot_ids = self.template.reassign_lots(
            "lot",
            [
                self._assignment(self.stock, "API-A", 1),
                self._assignment(self.stock, "API-B", 3),
                self._assignment(self.shelf, "API-B", 3),
            ],
        )

        self.assertEqual(
            sorted(self.env["stock.lot"].browse(lot_ids).mapped("name")),
            ["API-A", "API-B"],
        )
        self.assertEqual(
            self._quantities(),
            [
                ("API Shelf", "API-B", 3.0),
                ("Stock", "API-A", 1.0),
                ("Stock", "API-B", 3.0),
            ],
        )
        self.assertEqual(self.product.tracking, "lot")

    def test_mismatch_is_refused_and_changes_nothing(self):
        """One unit short: refused with the line and the difference."""
        before = self._quantities()
        moves_before = self.env["stock.move"].search_count([])
        with self.assertRaises(UserError) as caught:
            self.template.reassign_lots(
                "serial",
                [self._assignment(self.stock, f"API-SN-{n}", 1) for n in range(4)]
                + [self._assignment(self.shelf, f"API-SN-{n}", 1) for n in (4, 5)],
            )
        self.assertIn("API Shelf", str(caught.exception))
        self.assertIn("(1.0 missing)", str(caught.exception))
        self.assertEqual(self._quantities(), before)
        self.assertEqual(self.env["stock.move"].search_count([]), moves_before)
        self.assertEqual(self.product.tracking, "none")

    def test_action_opens_the_wizard_on_the_stock(self):
        """The window action's wizard lists each location with its quantity."""
        action = self.template.action_open_lot_reassignment_wizard()

        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["res_model"], "stock.lot.reassignment.wizard")
        wizard = self.env["stock.lot.reassignment.wizard"].browse(action["res_id"])
        self.assertEqual(
            sorted((line.location_id.name, line.quantity) for line in wizard.line_ids),
            [("API Shelf", 3.0), ("Stock", 4.0)],
        )
