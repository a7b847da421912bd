# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import StockLotReassignCommon


@tagged("post_install", "-at_install")
class TestStockLotReassignCompanies(StockLotReassignCommon):
    """A product shared by two companies, 2 units in the first, 3 in the
    second: each user sees and changes only the companies they work in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Reassign Company B"})
        cls.stock_b = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.company_b.id)], limit=1)
            .lot_stock_id
        )
        cls.manager.company_ids |= cls.company_b
        cls.admin_b = new_test_user(
            cls.env,
            login="lot_reassign_admin_b",
            groups="stock.group_stock_manager",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        cls._set_stock(cls, cls.product, cls.stock, 2)
        cls._set_stock(cls, cls.product, cls.stock_b, 3)

    def setUp(self):
        super().setUp()
        self.before = self._snapshot()

    def _both_companies(self):
        return [
            self._assignment(self.stock, "MC-A", 2),
            self._assignment(self.stock_b, "MC-B", 3),
        ]

    def test_admin_of_b_sees_only_b_and_is_refused(self):
        """The wizard and the API: B's stock only shown, the run refused for
        A's, nothing of A's named."""
        template = self.template.with_user(self.admin_b)
        action = template.action_open_lot_reassignment_wizard()
        wizard = self.env["stock.lot.reassignment.wizard"].with_user(self.admin_b)
        wizard = wizard.browse(action["res_id"])

        self.assertEqual(wizard.line_ids.location_id, self.stock_b)
        self.assertEqual(wizard.quantity_total, 3)
        self.assertTrue(wizard.has_hidden_stock)
        self.assertEqual(template.lot_reassign_qty, 3)
        self.assertEqual(self.product.with_user(self.admin_b).lot_reassign_qty, 3)

        wizard.tracking = "lot"
        wizard.action_next()
        wizard.lot_names = "MC-B"
        wizard.action_paste()
        with self.assertRaisesAtomic(UserError) as refused:
            wizard.action_apply()
        message = str(refused.exception)
        self.assertIn("companies you cannot access", message)
        for secret in (self.stock.display_name, self.company_a.name, "2.0"):
            self.assertNotIn(secret, message)
        api = self.template.with_user(self.admin_b)
        with self.assertRaisesAtomic(UserError) as refused:
            api.reassign_lots("lot", [self._assignment(self.stock_b, "MC-B", 3)])
        self.assertIn("companies you cannot access", str(refused.exception))
        with self.assertRaisesAtomic(UserError) as refused:
            api.reassign_lots("lot", self._both_companies())
        self.assertNotIn(self.stock.display_name, str(refused.exception))
        self.assertNothingChanged(self.before)

    def test_company_not_selected_is_named(self):
        api = self.template.with_user(self.manager).with_context(
            allowed_company_ids=self.company_a.ids
        )
        self.assertEqual(api.lot_reassign_qty, 2)
        with self.assertRaisesAtomic(UserError) as refused:
            api.reassign_lots("lot", self._both_companies())
        self.assertIn(
            "in Reassign Company B: select those companies too",
            str(refused.exception),
        )
        self.assertNothingChanged(self.before)

    def test_both_companies_selected(self):
        api = self.template.with_user(self.manager).with_context(
            allowed_company_ids=(self.company_a | self.company_b).ids
        )
        self.assertEqual(api.lot_reassign_qty, 5)
        api.reassign_lots("lot", self._both_companies())
        reassignment = self.env["stock.lot.reassignment"].search(
            [("product_tmpl_ids", "in", self.template.ids)]
        )
        self.assertEqual(reassignment.company_ids, self.company_a | self.company_b)

        # each company's people see the record, and only their own places
        as_b = reassignment.with_user(self.admin_b).with_context(
            allowed_company_ids=self.company_b.ids
        )
        self.assertEqual(as_b.line_ids.location_id, self.stock_b)
        self.env.invalidate_all()
        as_a = reassignment.with_user(self.stock_user)
        self.assertEqual(as_a.line_ids.location_id, self.stock)

    def test_lot_of_an_unselected_company_is_refused_and_nothing_changed(self):
        """A lot of company B named while only A is selected: refused as any
        place of B is (a location the user works in is asked for), not by an
        access error on the lot; nothing changed."""
        spool = self.env["product.product"].create(
            {"name": "Reassign Spool", "type": "product", "tracking": "lot"}
        )
        lot_b = self.env["stock.lot"].create(
            {"name": "SPOOL-B", "product_id": spool.id, "company_id": self.company_b.id}
        )
        self._set_stock(spool, self.stock_b, 2, lot=lot_b)
        before = self._snapshot(spool.product_tmpl_id)
        template = spool.product_tmpl_id.with_user(self.manager).with_context(
            allowed_company_ids=self.company_a.ids
        )
        with self.assertRaisesAtomic(UserError) as refusal:
            template.reassign_lots(
                "serial",
                [
                    {
                        "product_id": spool.id,
                        "location_id": self.stock_b.id,
                        "from_lot_id": lot_b.id,
                        "lot_name": f"SPOOL-B-{index}",
                        "quantity": 1,
                    }
                    for index in (1, 2)
                ],
            )
        self.assertIn(
            "give a variant of the products being reassigned and an internal or "
            "transit location",
            str(refusal.exception),
        )
        self.assertNothingChanged(before, spool.product_tmpl_id)
