# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""mrp: a manufacturing order reserves the lots/serials the module made.

A confirmed manufacturing order consumes 2 units of the component for each
product made; it is unreserved by hand, the component gets lots/serials, then
"Check availability" reserves the new lots/serials, as it reserves the
documented procedure's. Or it stays reserved, and the module unreserves and
reserves it again in the same step (``unreserve=True``).
"""

from compat_common import FROZEN_NOW, CompatCase
from freezegun import freeze_time

from odoo.tests import tagged


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_NOW)
class TestManufacturingReservation(CompatCase):
    def _confirmed_order(self, component, quantity):
        """A confirmed order of ``quantity`` products, each made of 2 units of
        ``component``; unreserved."""
        finished = self._product(f"{component.name} kit")
        bom = self.env["mrp.bom"].create(
            {
                "product_tmpl_id": finished.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    (0, 0, {"product_id": component.id, "product_qty": 2})
                ],
            }
        )
        order = self.env["mrp.production"].create(
            {
                "product_id": finished.id,
                "bom_id": bom.id,
                "product_qty": quantity,
                "picking_type_id": self.warehouse.manu_type_id.id,
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "confirmed")
        self.assertEqual(order.move_raw_ids.product_uom_qty, 2 * quantity)
        order.do_unreserve()
        self.assertEqual(order.move_raw_ids.quantity, 0)
        return order

    def _reserved(self, order):
        """``[(location, lot, quantity)]`` reserved by the order's components"""
        return sorted(
            (line.location_id.name, line.lot_id.name or "", line.quantity)
            for line in order.move_raw_ids.move_line_ids
        )

    def _reassign_and_assign(self, tracking, lines, quantity):
        """Twins with 3 units in Stock and 2 on the shelf, each consumed by a
        confirmed order of ``quantity`` products; lots/serials given, then
        the orders' availability checked.

        :return: ``{path: (order, lots of the product)}``
        """
        twins = self._twins(
            f"Compat component {tracking}",
            [(self.stock, 3, 5.0), (self.shelf, 2, 5.0)],
        )
        result = {}
        for path, product in zip(("module", "native"), twins, strict=True):
            order = self._confirmed_order(product, quantity)
            self._reassign(path, product, tracking, lines)
            self.assertEqual(product.tracking, tracking)
            order.action_assign()
            result[path] = (order, self._lots(product))
        return result

    def test_order_reserves_the_new_lots(self):
        """An order of 2 (4 units of component) reserves 4 of the 5 units of
        lots L1 (1 in Stock) and L2 (2 in Stock, 2 on the shelf), all made by
        the module, as it reserves the procedure's."""
        result = self._reassign_and_assign(
            "lot",
            [(self.stock, "L1", 1), (self.stock, "L2", 2), (self.shelf, "L2", 2)],
            quantity=2,
        )
        order, lots = result["module"]
        self.assertEqual(order.reservation_state, "assigned")
        self.assertEqual(order.move_raw_ids.state, "assigned")
        self.assertEqual(order.move_raw_ids.quantity, 4)
        self.assertEqual(sorted(lots.mapped("name")), ["L1", "L2"])
        self.assertLessEqual(
            order.move_raw_ids.move_line_ids.lot_id, lots, "the module's lots"
        )
        # first in, first out: the units put back first (Stock), then the shelf
        expected = [
            ("Compat Shelf", "L2", 1.0),
            ("Stock", "L1", 1.0),
            ("Stock", "L2", 2.0),
        ]
        self.assertEqual(self._reserved(result["native"][0]), expected)
        self.assertEqual(self._reserved(order), expected)

    def test_order_reserves_the_new_serials(self):
        """An order of 2 reserves 4 of the 5 serials the module made, one
        unit per line, as it reserves the procedure's."""
        result = self._reassign_and_assign(
            "serial",
            [
                (self.stock if index < 3 else self.shelf, f"SN-{index}", 1)
                for index in range(5)
            ],
            quantity=2,
        )
        order, serials = result["module"]
        self.assertEqual(order.reservation_state, "assigned")
        self.assertEqual(order.move_raw_ids.state, "assigned")
        self.assertEqual(order.move_raw_ids.quantity, 4)
        self.assertEqual(len(serials), 5)
        lines = order.move_raw_ids.move_line_ids
        self.assertEqual(lines.mapped("quantity"), [1.0] * 4)
        self.assertEqual(len(lines.lot_id), 4, "four different serials")
        self.assertLessEqual(lines.lot_id, serials, "the module's serials")
        expected = [("Compat Shelf", "SN-3", 1.0)] + [
            ("Stock", f"SN-{index}", 1.0) for index in range(3)
        ]
        self.assertEqual(self._reserved(result["native"][0]), expected)
        self.assertEqual(self._reserved(order), expected)

    def test_reserved_components_reserved_again_on_serials_then_produced(self):
        """An order reserving 4 of the 5 units of its component, left
        reserved: the module unreserves it, gives serials and reserves it again
        in one step (``unreserve=True``); the order then produces with them."""
        component = self._product("Compat reserved component")
        for location, quantity in ((self.stock, 3), (self.shelf, 2)):
            self._receive(component, location, quantity, 5.0)
        order = self._confirmed_order(component, 2)
        order.action_assign()
        self.assertEqual(
            self._reserved(order), [("Compat Shelf", "", 1.0), ("Stock", "", 3.0)]
        )
        assignments = self._assignments(
            component,
            [
                (self.stock if index < 3 else self.shelf, f"MO-SN-{index}", 1)
                for index in range(5)
            ],
        )

        component.product_tmpl_id.with_env(self.admin_env).reassign_lots(
            "serial", assignments, unreserve=True
        )

        self.env.invalidate_all()
        self.assertEqual(order.reservation_state, "assigned")
        self.assertEqual(
            self._reserved(order),
            [("Compat Shelf", "MO-SN-3", 1.0)]
            + [("Stock", f"MO-SN-{index}", 1.0) for index in range(3)],
        )
        record = self.env["stock.lot.reassignment"].search(
            [("product_tmpl_ids", "in", component.product_tmpl_id.ids)]
        )
        self.assertEqual(
            [
                (t.reference, t.quantity_before, t.quantity_after)
                for t in record.transfer_ids
            ],
            [(order.name, 4.0, 4.0)],
        )
        order.move_raw_ids.picked = True
        order.qty_producing = 2
        order.with_context(skip_consumption=True).button_mark_done()
        self.assertEqual(order.state, "done")
        left = self.env["stock.quant"].search(
            [
                ("product_id", "=", component.id),
                ("location_id.usage", "=", "internal"),
                ("quantity", ">", 0),
            ]
        )
        self.assertEqual(left.lot_id.mapped("name"), ["MO-SN-4"])
