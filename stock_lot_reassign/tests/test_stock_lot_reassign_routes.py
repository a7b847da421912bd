# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import StockLotReassignCommon


@tagged("post_install", "-at_install")
class TestStockLotReassignRoutes(StockLotReassignCommon):
    """Stock between the steps of Odoo's multi-step routes: the first step is
    done, the next one waits for what it brought without lot/serial. With the
    option, the reassignment leaves that next step reserved on the new
    lots/serials, in the place where the first step left the stock, and it
    validates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].create(
            {"name": "Route Warehouse", "code": "RWH"}
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.customer = cls.env.ref("stock.stock_location_customers")
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.partner = cls.env["res.partner"].create({"name": "Route Customer"})
        cls.no_package = cls.env["stock.quant.package"]
        cls.no_owner = cls.env["res.partner"]

    # ------------------------------------------------------------------
    # Arrange: the routes, through Odoo's procurement and its pickings
    # ------------------------------------------------------------------

    def _procure(self, quantity, location, name):
        """A need of ``quantity`` at ``location``, run through Odoo's
        procurement from the warehouse: the moves it made."""
        group = self.env["procurement.group"].create({"name": name})
        self.env["procurement.group"].run(
            [
                self.env["procurement.group"].Procurement(
                    self.product,
                    quantity,
                    self.product.uom_id,
                    location,
                    group.name,
                    group.name,
                    self.warehouse.company_id,
                    {"warehouse_id": self.warehouse, "group_id": group},
                )
            ]
        )
        return self.env["stock.move"].search([("group_id", "=", group.id)])

    def _procure_delivery(self, quantity, steps):
        """A customer need of ``quantity`` run through the warehouse's
        delivery route of ``steps``: its chain of moves, first step first."""
        self.warehouse.delivery_steps = steps
        moves = self._procure(quantity, self.customer, f"SO-{steps}")
        return self._in_route_order(moves, self.stock)

    def _receive(self, quantity, steps):
        """A vendor receipt of ``quantity`` into the warehouse's receipt route
        of ``steps``, confirmed (Odoo pushes the next steps): the chain,
        first step first."""
        self.warehouse.reception_steps = steps
        destination = self.warehouse.in_type_id.default_location_dest_id
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.supplier.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom": self.product.uom_id.id,
                            "product_uom_qty": quantity,
                            "location_id": self.supplier.id,
                            "location_dest_id": destination.id,
                        },
                    )
                ],
            }
        )
        receipt.action_confirm()
        moves = receipt.move_ids
        while moves[-1:].move_dest_ids:
            moves |= moves[-1].move_dest_ids
        return self._in_route_order(moves, self.supplier)

    def _in_route_order(self, moves, start):
        chain = self.env["stock.move"]
        location = start
        while moves - chain:
            step = (moves - chain).filtered(
                lambda m, loc=location: m.location_id == loc
            )
            self.assertEqual(len(step), 1, "one move per step")
            chain |= step
            location = step.location_dest_id
        return [move.picking_id for move in chain]

    def _validate(self, picking, quantity=None):
        """The user's Validate: the reserved quantity (or ``quantity``) picked;
        a backorder for the rest."""
        if picking.state != "assigned" or quantity is None:
            picking.action_assign()
        if quantity is not None:
            picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model"):
            Form(
                self.env[result["res_model"]].with_context(**result["context"])
            ).save().process()
        self.assertEqual(picking.state, "done")

    def _reserved(self, picking):
        """``[(location, lot, quantity)]`` reserved by the picking's lines."""
        return sorted(
            (ml.location_id.name, ml.lot_id.name or "", ml.quantity)
            for ml in picking.move_ids.move_line_ids
        )

    def _place(self, location, quantity):
        return {(self.product, location, self.no_package, self.no_owner): quantity}

    def _reassign(self, tracking, assignments):
        self.template.with_user(self.manager).reassign_lots(
            tracking, assignments, unreserve=True
        )
        return self.env["stock.lot.reassignment"].search(
            [("product_tmpl_ids", "in", self.template.ids)], order="id desc", limit=1
        )

    def _transfers(self, reassignment, phase="reassign"):
        return sorted(
            (
                t.reference,
                t.quantity_before,
                t.quantity_after,
                t.lot_names,
                t.is_chained,
                t.is_short,
            )
            for t in reassignment.transfer_ids
            if t.phase == phase
        )

    # ------------------------------------------------------------------
    # Deliveries
    # ------------------------------------------------------------------

    def test_two_step_delivery_ship_reserved_on_lots_in_output(self):
        self._set_stock(self.product, self.stock, 4)
        pick, ship = self._procure_delivery(4, "pick_ship")
        self._validate(pick)
        output = self.warehouse.wh_output_stock_loc_id
        self.assertEqual(self._reserved(ship), [("Output", "", 4.0)])

        wizard = self._open_wizard()
        self.assertEqual(
            [(t.reference, t.quantity, t.is_chained) for t in wizard.transfer_ids],
            [(ship.name, 4.0, True)],
        )
        wizard.unreserve = True
        wizard.action_next()
        wizard.first_lot_name = "SHIP-1"
        wizard.action_generate()
        action = wizard.action_apply()
        reassignment = self.env["stock.lot.reassignment"].browse(action["res_id"])

        self.assertReassigned(self._place(output, 4.0), "lot")
        self.assertEqual(ship.state, "assigned")
        self.assertEqual(self._reserved(ship), [("Output", "SHIP-1", 4.0)])
        self.assertEqual(
            self._transfers(reassignment),
            [(ship.name, 4.0, 4.0, "SHIP-1", True, False)],
        )
        self.assertFalse(reassignment.reservation_warning)
        self._validate(ship)
        self.assertEqual(self._stock(), {})
        shipped = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.customer.id),
            ]
        )
        self.assertEqual(
            [(q.lot_id.name, q.quantity) for q in shipped], [("SHIP-1", 4.0)]
        )

    def test_three_step_delivery_pack_reserved_on_serials_then_ship(self):
        self._set_stock(self.product, self.stock, 3)
        pick, pack, ship = self._procure_delivery(3, "pick_pack_ship")
        self._validate(pick)
        packing_zone = self.warehouse.wh_pack_stock_loc_id
        self.assertEqual(self._reserved(pack), [(packing_zone.name, "", 3.0)])

        self._reassign(
            "serial",
            [self._assignment(packing_zone, f"PK-{n}", 1) for n in (1, 2, 3)],
        )

        self.assertReassigned(self._place(packing_zone, 3.0), "serial")
        self.assertEqual(pack.state, "assigned")
        self.assertEqual(
            self._reserved(pack),
            [(packing_zone.name, f"PK-{n}", 1.0) for n in (1, 2, 3)],
        )
        self._validate(pack)
        self.assertEqual(ship.state, "assigned")
        self.assertEqual(
            self._reserved(ship), [("Output", f"PK-{n}", 1.0) for n in (1, 2, 3)]
        )
        self._validate(ship)
        self.assertEqual(self._stock(), {})

    def test_partial_pick_backorder_ship_partly_reserved_on_lots(self):
        self._set_stock(self.product, self.stock, 5)
        pick, ship = self._procure_delivery(5, "pick_ship")
        self._validate(pick, quantity=3)
        backorder = pick.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 2)
        self.assertEqual((ship.state, ship.move_ids.quantity), ("assigned", 3.0))
        self.assertEqual(ship.move_ids.state, "partially_available")
        output = self.warehouse.wh_output_stock_loc_id

        reassignment = self._reassign(
            "lot",
            [
                self._assignment(output, "BO-1", 3),
                self._assignment(self.stock, "BO-2", 2),
            ],
        )

        self.assertReassigned(
            {**self._place(output, 3.0), **self._place(self.stock, 2.0)}, "lot"
        )
        self.assertEqual(ship.move_ids.state, "partially_available")
        self.assertEqual(self._reserved(ship), [("Output", "BO-1", 3.0)])
        self.assertEqual(self._reserved(backorder), [("Stock", "BO-2", 2.0)])
        self.assertEqual(
            self._transfers(reassignment),
            sorted(
                [
                    (ship.name, 3.0, 3.0, "BO-1", True, False),
                    (backorder.name, 2.0, 2.0, "BO-2", False, False),
                ]
            ),
        )
        self._validate(backorder)
        self.assertEqual(
            self._reserved(ship), [("Output", "BO-1", 3.0), ("Output", "BO-2", 2.0)]
        )
        self._validate(ship)
        self.assertEqual(self._stock(), {})

    def test_ship_unreserved_by_hand_refused_then_reserved_with_the_option(self):
        self._set_stock(self.product, self.stock, 4)
        pick, ship = self._procure_delivery(4, "pick_ship")
        self._validate(pick)
        ship.do_unreserve()
        self.assertEqual(ship.move_ids.quantity, 0)
        output = self.warehouse.wh_output_stock_loc_id
        wizard = self._open_wizard()
        self.assertEqual(
            [(t.reference, t.quantity, t.is_chained) for t in wizard.transfer_ids],
            [(ship.name, 0.0, True)],
        )
        before = self._snapshot()

        with self.assertRaisesAtomic(UserError) as refused:
            self.template.with_user(self.manager).reassign_lots(
                "lot", [self._assignment(output, "HAND-1", 4)]
            )
        self.assertIn(ship.name, str(refused.exception))
        self.assertIn("unreserve=True", str(refused.exception))
        self.assertNothingChanged(before)

        reassignment = self._reassign("lot", [self._assignment(output, "HAND-1", 4)])
        self.assertEqual(ship.state, "assigned")
        self.assertEqual(self._reserved(ship), [("Output", "HAND-1", 4.0)])
        self.assertEqual(
            self._transfers(reassignment),
            [(ship.name, 0.0, 4.0, "HAND-1", True, False)],
        )
        self._validate(ship)
        self.assertEqual(self._stock(), {})

    def test_reverse_puts_the_ship_back_on_stock_without_lot(self):
        self._set_stock(self.product, self.stock, 4)
        pick, ship = self._procure_delivery(4, "pick_ship")
        self._validate(pick)
        output = self.warehouse.wh_output_stock_loc_id
        reassignment = self._reassign(
            "lot",
            [
                self._assignment(output, "REV-1", 1),
                self._assignment(output, "REV-2", 3),
            ],
        )
        self.assertEqual(
            self._reserved(ship), [("Output", "REV-1", 1.0), ("Output", "REV-2", 3.0)]
        )

        reassignment.with_user(self.manager).action_reverse()

        self.assertEqual(reassignment.state, "cancelled")
        self.assertEqual(self.template.tracking, "none")
        self.assertEqual(
            self._stock_by_location(with_lot=False), self._place(output, 4.0)
        )
        self.assertEqual(ship.state, "assigned")
        self.assertEqual(self._reserved(ship), [("Output", "", 4.0)])
        self.assertEqual(
            self._transfers(reassignment, "reverse"),
            [(ship.name, 4.0, 4.0, "", True, False)],
        )
        self._validate(ship)
        self.assertEqual(self._stock(), {})

    # ------------------------------------------------------------------
    # Receipts
    # ------------------------------------------------------------------

    def test_two_step_receipt_transfer_to_stock_reserved_on_lots(self):
        receipt, store = self._receive(5, "two_steps")
        self._validate(receipt)
        wh_input = self.warehouse.wh_input_stock_loc_id
        self.assertEqual(self._reserved(store), [("Input", "", 5.0)])

        reassignment = self._reassign(
            "lot",
            [
                self._assignment(wh_input, "IN-1", 2),
                self._assignment(wh_input, "IN-2", 3),
            ],
        )

        self.assertReassigned(self._place(wh_input, 5.0), "lot")
        self.assertEqual(store.state, "assigned")
        self.assertEqual(
            self._reserved(store), [("Input", "IN-1", 2.0), ("Input", "IN-2", 3.0)]
        )
        self.assertEqual(
            self._transfers(reassignment),
            [(store.name, 5.0, 5.0, "IN-1, IN-2", True, False)],
        )
        self._validate(store)
        self.assertEqual(
            self._stock(),
            {
                (self.product, self.stock, "IN-1", self.no_package, self.no_owner): 2.0,
                (self.product, self.stock, "IN-2", self.no_package, self.no_owner): 3.0,
            },
        )

    def test_three_step_receipt_quality_step_reserved_then_stored(self):
        receipt, quality, store = self._receive(2, "three_steps")
        self._validate(receipt)
        wh_input = self.warehouse.wh_input_stock_loc_id

        self._reassign(
            "serial", [self._assignment(wh_input, f"QC-{n}", 1) for n in (1, 2)]
        )

        self.assertEqual(quality.state, "assigned")
        self.assertEqual(
            self._reserved(quality), [("Input", "QC-1", 1.0), ("Input", "QC-2", 1.0)]
        )
        self._validate(quality)
        self._validate(store)
        self.assertEqual(
            self._stock(),
            {
                (
                    self.product,
                    self.stock,
                    f"QC-{n}",
                    self.no_package,
                    self.no_owner,
                ): 1.0
                for n in (1, 2)
            },
        )

    # ------------------------------------------------------------------
    # Resupply between warehouses, through a transit location
    # ------------------------------------------------------------------

    def test_resupply_from_another_warehouse_reserved_in_transit(self):
        central = self.env["stock.warehouse"].create(
            {"name": "Central Warehouse", "code": "CWH"}
        )
        self.warehouse.resupply_wh_ids = [(6, 0, central.ids)]
        route = self.warehouse.resupply_route_ids
        self.assertEqual(len(route), 1)
        self.product.route_ids = [(6, 0, route.ids)]
        self._set_stock(self.product, central.lot_stock_id, 6)
        moves = self._procure(6, self.stock, "RESUPPLY")
        ship, arrival = self._in_route_order(moves, central.lot_stock_id)
        transit = ship.location_dest_id
        self.assertEqual(transit.usage, "transit")
        self._validate(ship)
        self.assertEqual(self._reserved(arrival), [(transit.name, "", 6.0)])

        self._reassign("lot", [self._assignment(transit, "TR-1", 6)])

        self.assertReassigned(self._place(transit, 6.0), "lot")
        self.assertEqual(arrival.state, "assigned")
        self.assertEqual(self._reserved(arrival), [(transit.name, "TR-1", 6.0)])
        self._validate(arrival)
        self.assertEqual(
            self._stock(),
            {(self.product, self.stock, "TR-1", self.no_package, self.no_owner): 6.0},
        )

    # ------------------------------------------------------------------
    # Stock that carries a lot already, between two steps
    # ------------------------------------------------------------------

    def test_lot_picked_to_output_split_into_serials_ship_reserved_on_them(self):
        """The pick brought lot L1 to WH/Output; the ship waits for it there,
        reserved on L1. L1 split into serial numbers in Output: Odoo would
        only look for L1 again; the ship is reserved on the serials, then
        validated."""
        self.template.tracking = "lot"
        lot = self.env["stock.lot"].create(
            {"name": "L1", "product_id": self.product.id}
        )
        self._set_stock(self.product, self.stock, 3, lot=lot)
        pick, ship = self._procure_delivery(3, "pick_ship")
        self._validate(pick)
        output = self.warehouse.wh_output_stock_loc_id
        self.assertEqual(self._reserved(ship), [("Output", "L1", 3.0)])

        reassignment = self._reassign(
            "serial",
            [
                dict(
                    self._assignment(output, f"L1-{index}", 1),
                    from_lot_id=lot.id,
                )
                for index in (1, 2, 3)
            ],
        )

        self.assertEqual(ship.state, "assigned")
        self.assertEqual(
            self._reserved(ship),
            [("Output", "L1-1", 1.0), ("Output", "L1-2", 1.0), ("Output", "L1-3", 1.0)],
        )
        self.assertEqual(
            self._transfers(reassignment),
            [(ship.name, 3.0, 3.0, "L1-1, L1-2, L1-3", True, False)],
        )
        self._validate(ship)
        self.assertEqual(self._stock_by_location(), {})
