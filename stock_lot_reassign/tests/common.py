# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import unittest
from collections import defaultdict

from odoo.tests.common import TransactionCase, new_test_user


class StockLotReassignCommon(TransactionCase):
    """Stock without lot/serial in several places, and the people who fix it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.manager = new_test_user(
            cls.env,
            login="lot_reassign_manager",
            groups="stock.group_stock_manager,base.group_multi_company",
        )
        cls.stock_user = new_test_user(
            cls.env, login="lot_reassign_user", groups="stock.group_stock_user"
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.shelf_1, cls.shelf_2 = cls.env["stock.location"].create(
            [
                {"name": "Reassign Shelf 1", "location_id": cls.stock.id},
                {"name": "Reassign Shelf 2", "location_id": cls.stock.id},
            ]
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Reassign Chair", "type": "product", "default_code": "RCH"}
        )
        cls.template = cls.product.product_tmpl_id
        cls.package = cls.env["stock.quant.package"].create({"name": "RPACK-1"})
        cls.owner = cls.env["res.partner"].create({"name": "Reassign Owner"})

    # ------------------------------------------------------------------
    # Arrange
    # ------------------------------------------------------------------

    def _set_stock(
        self, product, location, quantity, lot=None, package=None, owner=None
    ):
        self.env["stock.quant"]._update_available_quantity(
            product, location, quantity, lot_id=lot, package_id=package, owner_id=owner
        )

    def _assignment(
        self, location, lot_name, quantity, product=None, package=None, owner=None
    ):
        return {
            "product_id": (product or self.product).id,
            "location_id": location.id,
            "package_id": package.id if package else False,
            "owner_id": owner.id if owner else False,
            "lot_name": lot_name,
            "quantity": quantity,
        }

    def _open_wizard(self, template=None):
        action = (
            (template or self.template)
            .with_user(self.manager)
            .action_open_lot_reassignment_wizard()
        )
        self.assertEqual(action["res_model"], "stock.lot.reassignment.wizard")
        return (
            self.env["stock.lot.reassignment.wizard"]
            .with_user(self.manager)
            .browse(action["res_id"])
        )

    # ------------------------------------------------------------------
    # Assert
    # ------------------------------------------------------------------

    def _stock(self, template=None):
        """Non-zero quants of internal locations, by product, location, lot,
        package and owner."""
        quants = self.env["stock.quant"].search(
            [
                ("product_id.product_tmpl_id", "=", (template or self.template).id),
                ("location_id.usage", "in", ("internal", "transit")),
            ]
        )
        stock = defaultdict(float)
        for quant in quants.filtered("quantity"):
            key = (
                quant.product_id,
                quant.location_id,
                quant.lot_id.name or False,
                quant.package_id,
                quant.owner_id,
            )
            stock[key] += quant.quantity
        return dict(stock)

    def _stock_by_location(self, template=None, with_lot=None):
        """Quantity per product, location, package and owner, whatever the lot."""
        totals = defaultdict(float)
        for (product, location, lot, package, owner), qty in self._stock(
            template
        ).items():
            if with_lot is None or bool(lot) == with_lot:
                totals[(product, location, package, owner)] += qty
        return dict(totals)

    def _snapshot(self, template=None):
        template = template or self.template
        return (
            self._stock(template),
            template.tracking,
            self.env["stock.move"].search_count(
                [("product_id.product_tmpl_id", "=", template.id)]
            ),
            self.env["stock.lot"].search_count(
                [("product_id.product_tmpl_id", "=", template.id)]
            ),
        )

    def assertRaisesAtomic(self, exception):
        """assertRaises without the savepoint Odoo's adds around the call.

        What a refused call changed before raising stays visible, so that
        assertNothingChanged checks the reassignment's own rollback.
        """
        return unittest.TestCase.assertRaises(self, exception)

    def assertNothingChanged(self, before, template=None):
        self.env.invalidate_all()
        self.assertEqual(self._snapshot(template), before)

    def assertReassigned(self, before_by_location, tracking, template=None):
        """Same quantity per location/package/owner, all of it with lots."""
        template = template or self.template
        self.env.invalidate_all()
        self.assertEqual(
            self._stock_by_location(template, with_lot=True), before_by_location
        )
        self.assertEqual(self._stock_by_location(template, with_lot=False), {})
        self.assertEqual(template.tracking, tracking)
        self.assertEqual(
            self.env["stock.quant"].search_count(
                [
                    ("product_id.product_tmpl_id", "=", template.id),
                    ("lot_id", "=", False),
                    ("location_id.usage", "in", ("internal", "transit")),
                ]
            ),
            0,
            "no quant without lot/serial remains",
        )

    def assertRecorded(self, reassignment, places, state="done", user=None):
        """The record of a reassignment: its state, who asked, and per place
        ``{(location, lot names): (removed, restored)}``."""
        self.assertEqual(reassignment.state, state)
        self.assertEqual(reassignment.user_id, user or self.manager)
        self.assertRegex(reassignment.name, r"^LSR/\d{5}$")
        self.assertTrue(reassignment.date_done)
        self.assertEqual(
            {
                (line.location_id, line.lot_names): (
                    line.quantity_removed,
                    line.quantity_restored,
                )
                for line in reassignment.line_ids
            },
            places,
        )
        for line in reassignment.line_ids:
            self.assertEqual(
                sum(line.restore_move_line_ids.mapped("quantity")),
                line.quantity_restored,
            )
            self.assertEqual(
                sum(line.removal_move_ids.mapped("quantity")), line.quantity_removed
            )
