# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import StockLotReassignCommon

NEEDED = [("tracking", "!=", "none"), ("lot_reassign_qty", ">", 0)]


@tagged("post_install", "-at_install")
class TestStockLotReassignSearch(StockLotReassignCommon):
    """After a go-live: find every tracked product whose stock has no
    lot/serial, in the companies one works in; see it on its form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Search Company B"})
        cls.stock_b = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.company_b.id)], limit=1)
            .lot_stock_id
        )
        cls.manager.company_ids |= cls.company_b
        Product = cls.env["product.product"]
        # inconsistent in A: tracked, 4 units without lot
        cls.drum_a = Product.create({"name": "Search Drum A", "type": "product"})
        cls._set_stock(cls, cls.drum_a, cls.stock, 4)
        # inconsistent in B only
        cls.drum_b = Product.create({"name": "Search Drum B", "type": "product"})
        cls._set_stock(cls, cls.drum_b, cls.stock_b, 3)
        # consistent: tracked, all its stock with a lot
        cls.tidy = Product.create(
            {"name": "Search Tidy", "type": "product", "tracking": "lot"}
        )
        lot = cls.env["stock.lot"].create(
            {
                "name": "TIDY-1",
                "product_id": cls.tidy.id,
                "company_id": cls.company_a.id,
            }
        )
        cls._set_stock(cls, cls.tidy, cls.stock, 2, lot=lot)
        # untracked with stock: the wizard's case, not an inconsistency
        cls.plain = Product.create({"name": "Search Plain", "type": "product"})
        cls._set_stock(cls, cls.plain, cls.stock, 6)
        (cls.drum_a | cls.drum_b).write({"tracking": "serial"})
        cls.mine = cls.drum_a | cls.drum_b | cls.tidy | cls.plain

    def _search(self, model, domain, companies):
        records = (
            self.env[model]
            .with_user(self.manager)
            .with_context(allowed_company_ids=companies.ids)
            .search(domain + [("id", "in", self._ids(model))])
        )
        return set(records.mapped("name"))

    def _ids(self, model):
        return (
            self.mine.product_tmpl_id.ids
            if model == "product.template"
            else self.mine.ids
        )

    def test_search_finds_exactly_the_inconsistent_products_in_two_companies(self):
        for model in ("product.template", "product.product"):
            with self.subTest(model=model):
                self.assertEqual(
                    self._search(model, NEEDED, self.company_a), {"Search Drum A"}
                )
                self.assertEqual(
                    self._search(model, NEEDED, self.company_a | self.company_b),
                    {"Search Drum A", "Search Drum B"},
                )
                self.assertEqual(
                    self._search(
                        model, [("lot_reassign_qty", ">=", 4)], self.company_a
                    ),
                    {"Search Drum A", "Search Plain"},
                )
                self.assertEqual(
                    self._search(model, [("lot_reassign_qty", "=", 0)], self.company_a),
                    {"Search Drum B", "Search Tidy"},
                )
                self.assertEqual(
                    self._search(model, [("lot_reassign_qty", "<", 5)], self.company_a),
                    {"Search Drum A", "Search Drum B", "Search Tidy"},
                )
        with self.assertRaises(UserError):
            self.env["product.template"].search([("lot_reassign_qty", "in", [1])])

    def test_filter_and_menu_open_that_list(self):
        arch = (
            self.env["product.template"]
            .with_user(self.manager)
            .get_views([(False, "search")])["views"]["search"]["arch"]
        )
        tree = etree.fromstring(arch)
        [needed] = tree.xpath("//filter[@name='lot_reassign_needed']")
        self.assertEqual(needed.get("string"), "Tracked, with stock without lot/serial")
        self.assertEqual(
            self._search(
                "product.template",
                ast.literal_eval(needed.get("domain")),
                self.company_a,
            ),
            {"Search Drum A"},
        )
        action = self.env.ref(
            "stock_lot_reassign.product_template_lot_reassign_needed_action"
        )
        self.assertEqual(action.res_model, "product.template")
        self.assertIn("search_default_lot_reassign_needed", action.context)
        menu = self.env.ref(
            "stock_lot_reassign.product_template_lot_reassign_needed_menu"
        )
        self.assertEqual(menu.action, action)
        self.assertEqual(
            menu.parent_id, self.env.ref("stock.menu_stock_inventory_control")
        )
        stock_user_arch = (
            self.env["product.template"]
            .with_user(self.stock_user)
            .get_views([(False, "search")])["views"]["search"]["arch"]
        )
        self.assertNotIn("lot_reassign_needed", stock_user_arch)

    def test_banner_and_first_smart_button_on_the_forms(self):
        for model, record in (
            ("product.template", self.drum_a.product_tmpl_id),
            ("product.product", self.drum_a),
        ):
            with self.subTest(model=model):
                arch = (
                    self.env[model]
                    .with_user(self.manager)
                    .get_views([(False, "form")])["views"]["form"]["arch"]
                )
                tree = etree.fromstring(arch)
                [banner] = tree.xpath("//div[@name='lot_reassign_banner']")
                self.assertIn("tracking == 'none'", banner.get("invisible"))
                self.assertIn("lot_reassign_qty <= 0", banner.get("invisible"))
                self.assertTrue(
                    banner.xpath(
                        ".//button[@name='action_open_lot_reassignment_wizard']"
                    )
                )
                self.assertTrue(banner.xpath(".//field[@name='lot_reassign_qty']"))
                first = tree.xpath("//div[@name='button_box']/*[1]")[0]
                self.assertEqual(
                    first.get("name"), "action_open_lot_reassignment_wizard"
                )
                # the quantity the banner shows
                self.assertEqual(
                    record.with_user(self.manager)
                    .with_context(allowed_company_ids=self.company_a.ids)
                    .lot_reassign_qty,
                    4.0,
                )
                stock_user_arch = (
                    self.env[model]
                    .with_user(self.stock_user)
                    .get_views([(False, "form")])["views"]["form"]["arch"]
                )
                self.assertNotIn("lot_reassign_banner", stock_user_arch)
