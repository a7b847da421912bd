# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""mrp and mrp_subcontracting: the next step of a manufacturing route waits
for stock its first step brought without lot/serial.

- two- and three-step manufacturing (``pbm``, ``pbm_sam``): the components
  picked into Pre-Production, reserved by the manufacturing order;
- three-step manufacturing: the finished products in Post-Production,
  reserved by the transfer that stores them;
- subcontracting: the components sent to the subcontractor, reserved by the
  subcontracted manufacturing order.

With ``unreserve=True`` each of them ends reserved on the new lots/serials
where the first step left the stock, and is produced or validated.
"""

from odoo.tests import Form, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestManufacturingRoutes(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.warehouse = cls.env["stock.warehouse"].create(
            {"name": "Manufacturing Route Warehouse", "code": "MRW"}
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.component = cls._product("Route Component")
        cls.finished = cls._product("Route Table")
        cls.bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.finished.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    (0, 0, {"product_id": cls.component.id, "product_qty": 2})
                ],
            }
        )

    @classmethod
    def _product(cls, name):
        return cls.env["product.product"].create(
            {"name": name, "default_code": name, "type": "product"}
        )

    def _set_stock(self, product, location, quantity):
        self.env["stock.quant"]._update_available_quantity(product, location, quantity)

    def _order(self, quantity, steps):
        """A confirmed manufacturing order of ``quantity`` tables, 2
        components each, in a warehouse manufacturing in ``steps``."""
        self.warehouse.manufacture_steps = steps
        order = self.env["mrp.production"].create(
            {
                "product_id": self.finished.id,
                "bom_id": self.bom.id,
                "product_qty": quantity,
                "picking_type_id": self.warehouse.manu_type_id.id,
            }
        )
        order.action_confirm()
        return order

    def _validate(self, picking):
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def _produce(self, order):
        form = Form(order)
        form.qty_producing = order.product_qty
        order = form.save()
        order.move_raw_ids.picked = True
        order.button_mark_done()
        self.assertEqual(order.state, "done")

    def _reserved(self, moves):
        return sorted(
            (ml.location_id.name, ml.lot_id.name or "", ml.quantity)
            for ml in moves.move_line_ids
        )

    def _reassign(self, product, tracking, location, lines):
        product.product_tmpl_id.reassign_lots(
            tracking,
            [
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "lot_name": lot_name,
                    "quantity": quantity,
                }
                for lot_name, quantity in lines
            ],
            unreserve=True,
        )

    def _untracked(self, product):
        return self.env["stock.quant"].search_count(
            [
                ("product_id", "=", product.id),
                ("lot_id", "=", False),
                ("location_id.usage", "=", "internal"),
                ("quantity", "!=", 0),
            ]
        )

    def _components_in_pre_production(self, steps):
        self._set_stock(self.component, self.stock, 4)
        order = self._order(2, steps)
        pick_components = order.picking_ids.filtered(
            lambda p: p.location_id == self.stock
        )
        self._validate(pick_components)
        pre_production = self.warehouse.pbm_loc_id
        self.assertEqual(
            self._reserved(order.move_raw_ids), [(pre_production.name, "", 4.0)]
        )
        return order, pre_production

    def test_two_step_manufacturing_components_reserved_on_lots(self):
        order, pre_production = self._components_in_pre_production("pbm")

        self._reassign(
            self.component, "lot", pre_production, [("PBM-1", 1), ("PBM-2", 3)]
        )

        self.assertEqual(self._untracked(self.component), 0)
        self.assertEqual(order.reservation_state, "assigned")
        self.assertEqual(
            self._reserved(order.move_raw_ids),
            [(pre_production.name, "PBM-1", 1.0), (pre_production.name, "PBM-2", 3.0)],
        )
        self._produce(order)
        consumed = order.move_raw_ids.move_line_ids
        self.assertEqual(
            sorted((ml.lot_id.name, ml.quantity) for ml in consumed),
            [("PBM-1", 1.0), ("PBM-2", 3.0)],
        )

    def test_three_step_manufacturing_components_reserved_on_serials(self):
        order, pre_production = self._components_in_pre_production("pbm_sam")

        self._reassign(
            self.component,
            "serial",
            pre_production,
            [(f"SAM-C{n}", 1) for n in range(1, 5)],
        )

        self.assertEqual(order.reservation_state, "assigned")
        self.assertEqual(
            self._reserved(order.move_raw_ids),
            [(pre_production.name, f"SAM-C{n}", 1.0) for n in range(1, 5)],
        )
        self._produce(order)

    def test_three_step_manufacturing_finished_products_stored_on_lots(self):
        self._set_stock(self.component, self.stock, 4)
        order = self._order(2, "pbm_sam")
        self._validate(
            order.picking_ids.filtered(lambda p: p.location_id == self.stock)
        )
        self._produce(order)
        post_production = self.warehouse.sam_loc_id
        store = order.picking_ids.filtered(lambda p: p.location_id == post_production)
        self.assertEqual(
            self._reserved(store.move_ids), [(post_production.name, "", 2.0)]
        )

        self._reassign(self.finished, "lot", post_production, [("TABLE-1", 2)])

        self.assertEqual(self._untracked(self.finished), 0)
        self.assertEqual(store.state, "assigned")
        self.assertEqual(
            self._reserved(store.move_ids), [(post_production.name, "TABLE-1", 2.0)]
        )
        self._validate(store)
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(
                self.finished, self.stock, lot_id=store.move_line_ids.lot_id
            ),
            2.0,
        )


@tagged("post_install", "-at_install")
class TestSubcontractingResupply(TransactionCase):
    """The components sent to the subcontractor, reserved by the subcontracted
    order, reassigned: the order reserves the new lots at the
    subcontractor's, and the receipt of the finished products validates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.subcontractor = cls.env["res.partner"].create(
            {"name": "Route Subcontractor", "company_id": cls.env.company.id}
        )
        cls.component = cls.env["product.product"].create(
            {
                "name": "Subcontracted Component",
                "type": "product",
                "route_ids": [
                    (
                        6,
                        0,
                        cls.env.ref(
                            "mrp_subcontracting.route_resupply_subcontractor_mto"
                        ).ids,
                    )
                ],
            }
        )
        cls.finished = cls.env["product.product"].create(
            {"name": "Subcontracted Lamp", "type": "product"}
        )
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.finished.product_tmpl_id.id,
                "type": "subcontract",
                "subcontractor_ids": [(6, 0, cls.subcontractor.ids)],
                "bom_line_ids": [
                    (0, 0, {"product_id": cls.component.id, "product_qty": 1})
                ],
            }
        )

    def test_components_at_the_subcontractor_reserved_on_lots(self):
        self.env["stock.quant"]._update_available_quantity(
            self.component, self.warehouse.lot_stock_id, 3
        )
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "partner_id": self.subcontractor.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": self.finished.name,
                            "product_id": self.finished.id,
                            "product_uom": self.finished.uom_id.id,
                            "product_uom_qty": 3,
                            "location_id": self.env.ref(
                                "stock.stock_location_suppliers"
                            ).id,
                            "location_dest_id": self.warehouse.lot_stock_id.id,
                        },
                    )
                ],
            }
        )
        receipt.action_confirm()
        order = receipt._get_subcontract_production()
        resupply = order.picking_ids
        self.assertEqual(
            resupply.picking_type_id, self.warehouse.subcontracting_resupply_type_id
        )
        resupply.action_assign()
        resupply.move_ids.picked = True
        resupply.button_validate()
        self.assertEqual(resupply.state, "done")
        subcontracting = resupply.location_dest_id
        self.assertEqual(
            [
                (ml.location_id, ml.lot_id.name, ml.quantity)
                for ml in order.move_raw_ids.move_line_ids
            ],
            [(subcontracting, False, 3.0)],
        )

        self.component.product_tmpl_id.reassign_lots(
            "lot",
            [
                {
                    "product_id": self.component.id,
                    "location_id": subcontracting.id,
                    "lot_name": "SUB-1",
                    "quantity": 3,
                }
            ],
            unreserve=True,
        )

        self.assertEqual(order.reservation_state, "assigned")
        self.assertEqual(
            [
                (ml.location_id, ml.lot_id.name, ml.quantity)
                for ml in order.move_raw_ids.move_line_ids
            ],
            [(subcontracting, "SUB-1", 3.0)],
        )
        receipt.move_ids.quantity = 3
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual((receipt.state, order.state), ("done", "done"))
        self.assertEqual(
            [(ml.lot_id.name, ml.quantity) for ml in order.move_raw_ids.move_line_ids],
            [("SUB-1", 3.0)],
        )
