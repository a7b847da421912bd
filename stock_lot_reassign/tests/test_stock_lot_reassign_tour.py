# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestStockLotReassignTour(HttpCase):
    """The whole user path, in a browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.group_user").implied_ids |= cls.env.ref(
            "stock.group_stock_multi_locations"
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.stock = warehouse.lot_stock_id
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Tour Shelf", "location_id": cls.stock.id}
        )

    def _product_with_stock(self, name, stock_qty, shelf_qty):
        product = self.env["product.product"].create({"name": name, "type": "product"})
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(product, self.stock, stock_qty)
        Quant._update_available_quantity(product, self.shelf, shelf_qty)
        return product

    def _start(self, product, tour):
        template = product.product_tmpl_id
        url = f"/web#id={template.id}&model=product.template&view_type=form"
        self.start_tour(url, tour, login="admin")
        self.env.invalidate_all()

    def _stock(self, product):
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id.usage", "=", "internal"),
                ("quantity", "!=", 0),
            ]
        )
        return sorted(
            (quant.location_id.name, quant.lot_id.name or "", quant.quantity)
            for quant in quants
        )

    def test_serials_generated_in_the_browser(self):
        product = self._product_with_stock("Tour Chair", 3, 2)

        self._start(product, "stock_lot_reassign_serial_tour")

        self.assertEqual(product.tracking, "serial")
        self.assertEqual(
            self._stock(product),
            [
                ("Stock", "TSN-0001", 1.0),
                ("Stock", "TSN-0002", 1.0),
                ("Stock", "TSN-0003", 1.0),
                ("Tour Shelf", "TSN-0004", 1.0),
                ("Tour Shelf", "TSN-0005", 1.0),
            ],
        )

    def test_lots_pasted_in_the_browser(self):
        product = self._product_with_stock("Tour Cable", 7, 4)

        self._start(product, "stock_lot_reassign_lot_tour")

        self.assertEqual(product.tracking, "lot")
        self.assertEqual(
            self._stock(product),
            [("Stock", "TLOT-A", 7.0), ("Tour Shelf", "TLOT-B", 4.0)],
        )
