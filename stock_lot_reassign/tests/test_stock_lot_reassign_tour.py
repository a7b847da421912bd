# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

REFERENCE = "Lot/Serial Reassignment: %s (%s)"
REMOVED = "stock without lot/serial removed"
RESTORED = "stock restored with lots/serials"


@tagged("post_install", "-at_install")
class TestStockLotReassignTour(HttpCase):
    """The whole user path, in a browser: product form, wizard, History.

    The tours are in static/tests/tours/stock_lot_reassign_tour.js; they know
    the names, codes and quantities created here.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Locations and lots shown in the UI, as in a database that needs this
        cls.env.ref("base.group_user").write(
            {
                "implied_ids": [
                    (4, cls.env.ref("stock.group_stock_multi_locations").id),
                    (4, cls.env.ref("stock.group_production_lot").id),
                ]
            }
        )
        cls.stock = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Tour Shelf", "location_id": cls.stock.id}
        )
        cls.chair = cls._create_product("Tour Chair", "SLR-TOUR-CHAIR", 3, 2)
        cls.cable = cls._create_product("Tour Cable", "SLR-TOUR-CABLE", 7, 4)

    @classmethod
    def _create_product(cls, name, code, stock_qty, shelf_qty):
        product = cls.env["product.product"].create(
            {"name": name, "default_code": code, "type": "product"}
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(product, cls.stock, stock_qty)
        Quant._update_available_quantity(product, cls.shelf, shelf_qty)
        return product

    def setUp(self):
        super().setUp()
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("stock.group_stock_manager"))
        for product, expected in (
            (self.chair, [("WH/Stock", 3.0), ("WH/Stock/Tour Shelf", 2.0)]),
            (self.cable, [("WH/Stock", 7.0), ("WH/Stock/Tour Shelf", 4.0)]),
        ):
            self.assertEqual(
                self.env["product.product"].search_count(
                    [("default_code", "=", product.default_code)]
                ),
                1,
                "the tours find the product by its code: it must be unique",
            )
            self.assertEqual(product.tracking, "none")
            self.assertEqual(self._untracked_stock(product), expected)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _start(self, product, tour):
        template = product.product_tmpl_id
        url = f"/web#id={template.id}&model=product.template&view_type=form"
        self.start_tour(url, tour, login="admin")
        self.env.invalidate_all()

    def _internal_quants(self, product):
        return self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id.usage", "=", "internal"),
                ("quantity", "!=", 0),
            ]
        )

    def _untracked_stock(self, product):
        quants = self._internal_quants(product).filtered(lambda q: not q.lot_id)
        return sorted((q.location_id.display_name, q.quantity) for q in quants)

    def _stock(self, product):
        """(location, lot, quantity) of every internal quant, sorted"""
        return sorted(
            (q.location_id.display_name, q.lot_id.name or "", q.quantity)
            for q in self._internal_quants(product)
        )

    def _assert_quantities_kept(self, product, expected):
        """Each location holds its original quantity, all of it with lots."""
        by_location = {}
        for quant in self._internal_quants(product):
            self.assertTrue(quant.lot_id, f"{quant.location_id.display_name}: no lot")
            location = quant.location_id.display_name
            by_location[location] = by_location.get(location, 0.0) + quant.quantity
        self.assertEqual(by_location, expected)

    def _assert_history(self, product, removed, restored):
        """The two adjustments are done and named after the product."""
        move_lines = self.env["stock.move.line"].search(
            [("product_id", "=", product.id), ("state", "=", "done")]
        )
        by_reference = {}
        for ml in move_lines:
            by_reference.setdefault(ml.reference, []).append(
                (
                    ml.location_id.usage,
                    ml.location_dest_id.display_name,
                    ml.lot_id.name or "",
                    ml.quantity,
                )
                if ml.location_dest_id.usage == "internal"
                else (
                    ml.location_id.display_name,
                    ml.location_dest_id.usage,
                    ml.lot_id.name or "",
                    ml.quantity,
                )
            )
        self.assertEqual(
            {ref: sorted(lines) for ref, lines in by_reference.items()},
            {
                REFERENCE % (product.display_name, REMOVED): sorted(removed),
                REFERENCE % (product.display_name, RESTORED): sorted(restored),
            },
        )

    # ------------------------------------------------------------------
    # Tours
    # ------------------------------------------------------------------

    def test_serials_generated_in_the_browser(self):
        self._start(self.chair, "stock_lot_reassign_serial_tour")

        self.assertEqual(self.chair.tracking, "serial")
        self.assertEqual(self._untracked_stock(self.chair), [])
        self._assert_quantities_kept(
            self.chair, {"WH/Stock": 3.0, "WH/Stock/Tour Shelf": 2.0}
        )
        self.assertEqual(
            self._stock(self.chair),
            [
                ("WH/Stock", "TSN-0001", 1.0),
                ("WH/Stock", "TSN-0002", 1.0),
                ("WH/Stock", "TSN-0003", 1.0),
                ("WH/Stock/Tour Shelf", "TSN-0004", 1.0),
                ("WH/Stock/Tour Shelf", "TSN-0005", 1.0),
            ],
        )
        lots = self.env["stock.lot"].search([("product_id", "=", self.chair.id)])
        self.assertEqual(
            sorted(lots.mapped("name")), [f"TSN-000{i}" for i in range(1, 6)]
        )
        self.assertTrue(all(lot.product_qty == 1 for lot in lots))
        self._assert_history(
            self.chair,
            removed=[("WH/Stock", "inventory", "", 3.0)]
            + [("WH/Stock/Tour Shelf", "inventory", "", 2.0)],
            restored=[("inventory", "WH/Stock", f"TSN-000{i}", 1.0) for i in (1, 2, 3)]
            + [
                ("inventory", "WH/Stock/Tour Shelf", f"TSN-000{i}", 1.0) for i in (4, 5)
            ],
        )
        # the other product is untouched
        self.assertEqual(self.cable.tracking, "none")
        self.assertEqual(
            self._untracked_stock(self.cable),
            [("WH/Stock", 7.0), ("WH/Stock/Tour Shelf", 4.0)],
        )

    def test_lots_pasted_and_edited_in_the_browser(self):
        self._start(self.cable, "stock_lot_reassign_lot_tour")

        self.assertEqual(self.cable.tracking, "lot")
        self.assertEqual(self._untracked_stock(self.cable), [])
        self._assert_quantities_kept(
            self.cable, {"WH/Stock": 7.0, "WH/Stock/Tour Shelf": 4.0}
        )
        self.assertEqual(
            self._stock(self.cable),
            [
                ("WH/Stock", "TLOT-A", 5.0),
                ("WH/Stock", "TLOT-C", 2.0),
                ("WH/Stock/Tour Shelf", "TLOT-B", 4.0),
            ],
        )
        lots = self.env["stock.lot"].search([("product_id", "=", self.cable.id)])
        self.assertEqual(sorted(lots.mapped("name")), ["TLOT-A", "TLOT-B", "TLOT-C"])
        self._assert_history(
            self.cable,
            removed=[
                ("WH/Stock", "inventory", "", 7.0),
                ("WH/Stock/Tour Shelf", "inventory", "", 4.0),
            ],
            restored=[
                ("inventory", "WH/Stock", "TLOT-A", 5.0),
                ("inventory", "WH/Stock", "TLOT-C", 2.0),
                ("inventory", "WH/Stock/Tour Shelf", "TLOT-B", 4.0),
            ],
        )
        self.assertEqual(self.chair.tracking, "none")
        self.assertEqual(
            self._untracked_stock(self.chair),
            [("WH/Stock", 3.0), ("WH/Stock/Tour Shelf", 2.0)],
        )
