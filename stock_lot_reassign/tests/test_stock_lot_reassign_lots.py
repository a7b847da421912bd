# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import StockLotReassignCommon


@tagged("post_install", "-at_install")
class TestStockLotReassignLots(StockLotReassignCommon):
    """Stock that carries lots already: lots split into serial numbers, a
    wrong lot corrected, tracking removed; the same two adjustments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template.tracking = "lot"
        cls.lot_1, cls.lot_2 = cls.env["stock.lot"].create(
            [
                {"name": "L1", "product_id": cls.product.id},
                {"name": "L2", "product_id": cls.product.id},
            ]
        )
        cls.customer = cls.env.ref("stock.stock_location_customers")

    def setUp(self):
        super().setUp()
        # lot L1: 3 units in WH/Stock, L2: 2 on a shelf
        self._set_stock(self.product, self.stock, 3, lot=self.lot_1)
        self._set_stock(self.product, self.shelf_1, 2, lot=self.lot_2)

    def _from_lot(self, location, lot, lot_name, quantity, **kwargs):
        return dict(
            self._assignment(location, lot_name, quantity, **kwargs),
            from_lot_id=lot.id,
        )

    def _split(self, location, lot, count):
        return [
            self._from_lot(location, lot, f"{lot.name}-{index:03d}", 1)
            for index in range(1, count + 1)
        ]

    def _reassign(self, tracking, assignments, **kwargs):
        self.template.with_user(self.manager).reassign_lots(
            tracking, assignments, **kwargs
        )
        return self.env["stock.lot.reassignment"].search([], limit=1)

    def _key(self, location, lot_name):
        """A key of ``_stock()``: no package, no owner."""
        return (
            self.product,
            location,
            lot_name,
            self.package.browse(),
            self.owner.browse(),
        )

    def _serials(self, location, names):
        return {self._key(location, name): 1 for name in names}

    def _delivery(self, quantity):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customer.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": quantity,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.stock.id,
                            "location_dest_id": self.customer.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    # ------------------------------------------------------------------
    # Lots to serial numbers
    # ------------------------------------------------------------------

    def test_lots_split_into_serials_over_two_places_through_the_wizard(self):
        """Review lists both lots as to change; Split each lot into serials
        names them after their lot; Apply: 5 serials where the lots were."""
        wizard = self._open_wizard()
        wizard.tracking = "serial"
        self.assertEqual(
            sorted(
                (line.location_id, line.lot_label, line.quantity, line.to_reassign)
                for line in wizard.line_ids
            ),
            sorted([(self.stock, "L1", 3.0, True), (self.shelf_1, "L2", 2.0, True)]),
        )
        wizard.action_next()
        wizard.split_naming = "suffix"
        wizard.action_split_lots()
        self.assertEqual(wizard.quantity_remaining, 0)
        self.assertEqual(
            sorted(
                (a.from_lot_id.name, a.lot_name, a.quantity)
                for a in wizard.assignment_ids
            ),
            [
                ("L1", "L1-001", 1),
                ("L1", "L1-002", 1),
                ("L1", "L1-003", 1),
                ("L2", "L2-001", 1),
                ("L2", "L2-002", 1),
            ],
        )
        action = wizard.action_apply()

        reassignment = self.env["stock.lot.reassignment"].browse(action["res_id"])
        self.assertEqual(
            self._stock(),
            {
                **self._serials(self.stock, ["L1-001", "L1-002", "L1-003"]),
                **self._serials(self.shelf_1, ["L2-001", "L2-002"]),
            },
        )
        self.assertEqual(self.template.tracking, "serial")
        self.assertRecorded(
            reassignment,
            {
                (self.stock, "L1-001, L1-002, L1-003"): (3.0, 3.0),
                (self.shelf_1, "L2-001, L2-002"): (2.0, 2.0),
            },
        )
        self.assertEqual(
            {line.location_id: line.lot_before_id for line in reassignment.line_ids},
            {self.stock: self.lot_1, self.shelf_1: self.lot_2},
        )
        self.assertEqual(
            self.env["stock.quant"].search_count(
                [
                    ("lot_id", "in", (self.lot_1 | self.lot_2).ids),
                    ("location_id.usage", "=", "internal"),
                ]
            ),
            0,
            "the emptied quants of the old lots are gone",
        )
        history = self.env["stock.move.line"].search(
            reassignment.action_open_history()["domain"]
        )
        self.assertEqual(
            sorted(
                (ml.lot_id.name, ml.location_dest_id.usage, ml.quantity)
                for ml in history
                if ml.location_dest_id.usage == "inventory"
            ),
            [("L1", "inventory", 3.0), ("L2", "inventory", 2.0)],
            "the History shows the old lots removed",
        )

    def test_lot_of_two_left_uncovered_is_refused_and_nothing_changed(self):
        before = self._snapshot()
        with self.assertRaisesAtomic(UserError) as refusal:
            self._reassign("serial", self._split(self.stock, self.lot_1, 3))
        self.assertIn("L2 holds 2.0", str(refusal.exception))
        self.assertIn("a serial number is a single unit", str(refusal.exception))
        self.assertNothingChanged(before)

    def test_lot_left_uncovered_refused_in_the_user_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.manager.lang = "es_ES"
        with self.assertRaisesAtomic(UserError) as refusal:
            self._reassign("serial", self._split(self.stock, self.lot_1, 3))
        self.assertIn(
            "Estos lotes quedarían como números de serie de más de una unidad:",
            str(refusal.exception),
        )
        self.assertIn(
            "L2 contiene 2.0 Units; un número de serie es una sola unidad",
            str(refusal.exception),
        )

    def test_stock_without_lot_and_lots_made_serials_in_one_run(self):
        self._set_stock(self.product, self.shelf_2, 2)
        self._reassign(
            "serial",
            self._split(self.stock, self.lot_1, 3)
            + self._split(self.shelf_1, self.lot_2, 2)
            + [
                self._assignment(self.shelf_2, "NEW-1", 1),
                self._assignment(self.shelf_2, "NEW-2", 1),
            ],
        )
        self.assertEqual(
            self._stock(),
            {
                **self._serials(self.stock, ["L1-001", "L1-002", "L1-003"]),
                **self._serials(self.shelf_1, ["L2-001", "L2-002"]),
                **self._serials(self.shelf_2, ["NEW-1", "NEW-2"]),
            },
        )
        self.assertEqual(self.template.tracking, "serial")

    def test_reverse_of_lots_to_serials_puts_the_lots_back(self):
        reassignment = self._reassign(
            "serial",
            self._split(self.stock, self.lot_1, 3)
            + self._split(self.shelf_1, self.lot_2, 2),
        )
        reassignment.with_user(self.manager).action_reverse()

        self.env.invalidate_all()
        self.assertEqual(reassignment.state, "cancelled")
        self.assertEqual(self.template.tracking, "lot")
        self.assertEqual(
            self._stock(),
            {
                self._key(self.stock, "L1"): 3,
                self._key(self.shelf_1, "L2"): 2,
            },
        )

    def test_reserved_lot_unreserved_and_reserved_again_on_serials(self):
        delivery = self._delivery(2)
        self.assertEqual(delivery.move_ids.move_line_ids.lot_id, self.lot_1)
        assignments = self._split(self.stock, self.lot_1, 3) + self._split(
            self.shelf_1, self.lot_2, 2
        )
        with self.assertRaisesRegex(UserError, "reserved without lot/serial|reserved"):
            self._reassign("serial", assignments)

        reassignment = self._reassign("serial", assignments, unreserve=True)

        self.assertEqual(delivery.state, "assigned")
        lines = delivery.move_ids.move_line_ids
        self.assertEqual(sum(lines.mapped("quantity")), 2)
        self.assertTrue(
            all(name.startswith("L1-") for name in lines.lot_id.mapped("name"))
        )
        self.assertEqual(
            [(t.quantity_before, t.quantity_after) for t in reassignment.transfer_ids],
            [(2.0, 2.0)],
        )
        lines.picked = True
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertEqual(sum(self._stock().values()), 3)

    def test_background_run_splits_the_lots_and_prints_their_labels(self):
        before = self._stock()
        run_id = self.template.with_user(self.manager).reassign_lots(
            "serial",
            self._split(self.stock, self.lot_1, 3)
            + self._split(self.shelf_1, self.lot_2, 2),
            background=True,
        )
        job = self.env["stock.lot.reassignment"].browse(run_id)
        self.assertEqual(job.state, "queued")
        self.assertEqual(self._stock(), before, "nothing changes before it runs")

        self.env["stock.lot.reassignment"]._cron_run_queued()

        self.assertEqual(job.state, "done")
        self.assertEqual(
            self._stock(),
            {
                **self._serials(self.stock, ["L1-001", "L1-002", "L1-003"]),
                **self._serials(self.shelf_1, ["L2-001", "L2-002"]),
            },
        )
        labels = self.env["lot.label.layout"].browse(
            job.with_user(self.manager).action_print_labels()["res_id"]
        )
        self.assertEqual(
            sorted(labels.move_line_ids.lot_id.mapped("name")),
            ["L1-001", "L1-002", "L1-003", "L2-001", "L2-002"],
        )

    # ------------------------------------------------------------------
    # A wrong lot corrected; the tracking kept
    # ------------------------------------------------------------------

    def test_wrong_lot_corrected_in_one_place_same_lot_elsewhere_stays(self):
        self._set_stock(self.product, self.shelf_2, 4, lot=self.lot_1)
        reassignment = self._reassign(
            "lot", [self._from_lot(self.shelf_2, self.lot_1, "RIGHT", 4)]
        )
        self.assertEqual(
            self._stock(),
            {
                self._key(self.stock, "L1"): 3,
                self._key(self.shelf_1, "L2"): 2,
                self._key(self.shelf_2, "RIGHT"): 4,
            },
        )
        self.assertEqual(self.template.tracking, "lot")
        self.assertRecorded(reassignment, {(self.shelf_2, "RIGHT"): (4.0, 4.0)})
        self.assertEqual(reassignment.line_ids.lot_before_id, self.lot_1)

    def test_from_lot_without_stock_here_is_refused_by_name(self):
        before = self._snapshot()
        with self.assertRaisesAtomic(UserError) as refusal:
            self._reassign("lot", [self._from_lot(self.shelf_2, self.lot_2, "X", 2)])
        self.assertIn(
            "Reassign Shelf 2 / [RCH] Reassign Chair: lot/serial number L2 has no "
            "stock here",
            str(refusal.exception),
        )
        other = self.env["stock.lot"].create(
            {
                "name": "OTHER",
                "product_id": self.env["product.product"]
                .create({"name": "Other", "type": "product", "tracking": "lot"})
                .id,
            }
        )
        with self.assertRaisesAtomic(UserError) as refusal:
            self._reassign("lot", [self._from_lot(self.stock, other, "X", 3)])
        self.assertIn("is not a lot/serial number of", str(refusal.exception))
        with self.assertRaisesAtomic(UserError) as refusal:
            self._reassign("lot", [self._from_lot(self.stock, self.lot_1, "X", 2)])
        self.assertIn("3.0 Units to reassign, 2.0 assigned", str(refusal.exception))
        self.assertNothingChanged(before)

    # ------------------------------------------------------------------
    # Tracking removed
    # ------------------------------------------------------------------

    def test_serials_put_back_without_tracking_then_delivered_without(self):
        self.template.tracking = "serial"
        serials = self.env["stock.lot"].create(
            [{"name": f"S{i}", "product_id": self.product.id} for i in (1, 2, 3)]
        )
        # the lots of the fixture first become... their own stock, gone
        self._reassign(
            "serial",
            self._split(self.stock, self.lot_1, 3)
            + self._split(self.shelf_1, self.lot_2, 2),
        )
        for serial in serials:
            self._set_stock(self.product, self.shelf_2, 1, lot=serial)
        assignments = [
            self._from_lot(location, lot, False, 1)
            for location in (self.stock, self.shelf_1, self.shelf_2)
            for lot in self.env["stock.quant"]
            .search(
                [
                    ("product_id", "=", self.product.id),
                    ("location_id", "=", location.id),
                    ("quantity", ">", 0),
                ]
            )
            .lot_id
        ]
        reassignment = self._reassign("none", assignments)

        self.assertEqual(
            self._stock(),
            {
                self._key(self.stock, False): 3,
                self._key(self.shelf_1, False): 2,
                self._key(self.shelf_2, False): 3,
            },
        )
        self.assertEqual(self.template.tracking, "none")
        self.assertEqual(len(reassignment.line_ids), 8)
        self.assertFalse(reassignment.line_ids.restore_move_line_ids.lot_id)

        delivery = self._delivery(2)
        self.assertFalse(delivery.move_ids.move_line_ids.lot_id)
        delivery.move_ids.move_line_ids.picked = True
        delivery.button_validate()
        customer_quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.customer.id),
            ]
        )
        self.assertEqual(sum(customer_quants.mapped("quantity")), 2)
        self.assertFalse(customer_quants.lot_id)

    def test_tracking_removed_then_reversed_gives_the_lots_back(self):
        reassignment = self._reassign(
            "none",
            [
                self._from_lot(self.stock, self.lot_1, False, 3),
                self._from_lot(self.shelf_1, self.lot_2, False, 2),
            ],
        )
        self.assertEqual(
            self._stock(),
            {self._key(self.stock, False): 3, self._key(self.shelf_1, False): 2},
        )
        reassignment.with_user(self.manager).action_reverse()

        self.env.invalidate_all()
        self.assertEqual(self.template.tracking, "lot")
        self.assertEqual(
            self._stock(),
            {self._key(self.stock, "L1"): 3, self._key(self.shelf_1, "L2"): 2},
            "the lots back, nothing left without lot/serial",
        )

    def test_tracking_removed_then_delivered_cannot_be_reversed(self):
        reassignment = self._reassign(
            "none",
            [
                self._from_lot(self.stock, self.lot_1, False, 3),
                self._from_lot(self.shelf_1, self.lot_2, False, 2),
            ],
        )
        delivery = self._delivery(1)
        delivery.move_ids.move_line_ids.picked = True
        delivery.button_validate()
        before = self._snapshot()
        with self.assertRaisesAtomic(UserError) as refusal:
            reassignment.with_user(self.manager).action_reverse()
        self.assertIn("has moved since, without lot/serial", str(refusal.exception))
        self.assertNothingChanged(before)

    def test_tracking_removed_with_a_lot_uncovered_is_refused(self):
        before = self._snapshot()
        with self.assertRaisesAtomic(UserError) as refusal:
            self._reassign("none", [self._from_lot(self.stock, self.lot_1, False, 3)])
        self.assertIn("L2 holds 2.0", str(refusal.exception))
        with self.assertRaisesAtomic(UserError) as refusal:
            self._reassign("none", [self._from_lot(self.stock, self.lot_1, "L9", 3)])
        self.assertIn("lot_name must be empty", str(refusal.exception))
        self.assertNothingChanged(before)

    def test_tracking_removed_from_an_untracked_product_is_refused(self):
        plain = self.env["product.product"].create(
            {"name": "Reassign Plain", "type": "product"}
        )
        self._set_stock(plain, self.stock, 2)
        before = self._snapshot(plain.product_tmpl_id)
        with self.assertRaisesAtomic(UserError) as refusal:
            plain.product_tmpl_id.with_user(self.manager).reassign_lots(
                "none", [self._assignment(self.stock, False, 2, product=plain)]
            )
        self.assertIn(
            "removing the tracking would change nothing", str(refusal.exception)
        )
        self.assertNothingChanged(before, plain.product_tmpl_id)

    def test_tracking_removed_through_the_wizard(self):
        wizard = self._open_wizard()
        wizard.tracking = "none"
        self.assertTrue(all(wizard.line_ids.mapped("to_reassign")))
        wizard.action_next()
        self.assertEqual(
            sorted(
                (a.from_lot_id.name, a.lot_name, a.quantity)
                for a in wizard.assignment_ids
            ),
            [("L1", False, 3.0), ("L2", False, 2.0)],
        )
        wizard.action_apply()
        self.assertEqual(self.template.tracking, "none")
        self.assertEqual(sum(self._stock().values()), 5)
        self.assertFalse(any(lot for __, __, lot, __, __ in self._stock()))

    # ------------------------------------------------------------------
    # The wizard and its entry points
    # ------------------------------------------------------------------

    def test_review_offers_the_lots_that_must_change_and_any_other(self):
        self._set_stock(self.product, self.shelf_2, 1)
        serial = self.env["stock.lot"].create(
            {"name": "ONE", "product_id": self.product.id}
        )
        self._set_stock(self.product, self.shelf_2, 1, lot=serial)
        wizard = self._open_wizard()
        rows = lambda: sorted(
            (line.lot_label, line.is_required, line.to_reassign)
            for line in wizard.line_ids
        )
        self.assertEqual(wizard.tracking, "lot")
        self.assertEqual(
            rows(),
            [
                ("L1", False, False),
                ("L2", False, False),
                ("ONE", False, False),
                ("—", True, True),
            ],
        )
        wizard.tracking = "serial"
        self.assertEqual(
            rows(),
            [
                ("L1", True, True),
                ("L2", True, True),
                ("ONE", False, False),
                ("—", True, True),
            ],
            "a lot of one unit may stay a serial number",
        )
        one = wizard.line_ids.filtered(lambda line: line.lot_id == serial)
        one.to_reassign = True
        self.assertEqual(wizard.quantity_total, 7)
        wizard.action_next()
        wizard.action_keep_names()
        self.assertEqual(
            [(a.lot_name, a.quantity) for a in wizard.assignment_ids], [("ONE", 1.0)]
        )
        wizard.split_naming = "first"
        wizard.first_lot_name = "SN-0001"
        wizard.action_split_lots()
        wizard.first_lot_name = "SN-0100"
        wizard.serial_count = 1
        wizard.action_generate()
        self.assertEqual(wizard.quantity_remaining, 0)
        wizard.action_apply()
        self.assertEqual(self.template.tracking, "serial")
        self.assertEqual(
            sorted(name for __, __, name, __, __ in self._stock()),
            ["ONE", "SN-0001", "SN-0002", "SN-0003", "SN-0004", "SN-0005", "SN-0100"],
        )

    def test_keep_the_names_makes_serials_lots_of_their_own(self):
        self.template.tracking = "serial"
        serials = self.env["stock.lot"].create(
            [{"name": f"K{i}", "product_id": self.product.id} for i in (1, 2)]
        )
        self.env["stock.quant"].search(
            [("product_id", "=", self.product.id)]
        ).sudo().unlink()
        for serial in serials:
            self._set_stock(self.product, self.shelf_2, 1, lot=serial)
        wizard = self._open_wizard()
        wizard.tracking = "lot"
        wizard.line_ids.to_reassign = True
        wizard.action_next()
        wizard.action_keep_names()
        wizard.action_apply()
        self.assertEqual(self.template.tracking, "lot")
        self.assertEqual(
            self._stock(),
            {
                self._key(self.shelf_2, "K1"): 1,
                self._key(self.shelf_2, "K2"): 1,
            },
        )

    def test_quant_list_action_opens_the_wizard_on_the_selected_lots(self):
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("lot_id", "=", self.lot_2.id)]
        )
        action = self.env.ref(
            "stock_lot_reassign.action_stock_quant_open_lot_reassignment_wizard"
        )
        self.assertEqual(action.name, "Reassign Lots/Serials")
        result = (
            action.with_user(self.manager)
            .with_context(active_model="stock.quant", active_ids=quants.ids)
            .run()
        )
        wizard = self.env["stock.lot.reassignment.wizard"].browse(result["res_id"])
        self.assertEqual(
            sorted((line.lot_label, line.to_reassign) for line in wizard.line_ids),
            [("L1", False), ("L2", True)],
        )
        wizard.action_next()
        wizard.action_keep_names()
        wizard.assignment_ids.lot_name = "L2-RENAMED"
        wizard.action_apply()
        self.assertEqual(
            self._stock(),
            {
                self._key(self.stock, "L1"): 3,
                self._key(self.shelf_1, "L2-RENAMED"): 2,
            },
        )

    def test_lot_form_opens_the_wizard_with_the_lot_ticked(self):
        action = self.lot_1.with_user(
            self.manager
        ).action_open_lot_reassignment_wizard()
        wizard = self.env["stock.lot.reassignment.wizard"].browse(action["res_id"])
        self.assertEqual(
            sorted((line.lot_label, line.to_reassign) for line in wizard.line_ids),
            [("L1", True), ("L2", False)],
        )
        with self.assertRaisesRegex(AccessError, "Only Inventory administrators"):
            self.lot_1.with_user(self.stock_user).action_open_lot_reassignment_wizard()

    def test_paste_and_count_sheet_name_the_lot_replaced(self):
        wizard = self._open_wizard()
        wizard.tracking = "serial"
        wizard.action_next()
        wizard.lot_names = (
            "B1;1;;WH/Stock/Reassign Shelf 1;L2\n"
            "B2;1;;;L2\n"
            "A1;;;WH/Stock;L1\n"
            "A2;;;;L1\n"
            "A3;;;;L1"
        )
        wizard.action_paste()
        self.assertEqual(
            sorted((a.from_lot_id.name, a.lot_name) for a in wizard.assignment_ids),
            [("L1", "A1"), ("L1", "A2"), ("L1", "A3"), ("L2", "B1"), ("L2", "B2")],
        )
        wizard.action_clear()
        wizard.lot_names = "Z1;;;;L3"
        with self.assertRaisesRegex(UserError, "no unassigned stock of L3"):
            wizard.action_paste()
        rows = wizard._get_sheet_rows(
            [
                [
                    "Product",
                    "Location",
                    "From Lot/Serial",
                    "Lot/Serial Number",
                    "Quantity",
                ],
                ["[RCH] Reassign Chair", "WH/Stock/Reassign Shelf 1", "L2", "C1", "1"],
                ["[RCH] Reassign Chair", "WH/Stock/Reassign Shelf 1", "", "C2", "1"],
            ]
        )
        parsed = wizard._parse_rows(rows)
        self.assertEqual(parsed[0]["line"].lot_id, self.lot_2)
        self.assertEqual(parsed[0]["errors"], [])
        self.assertIn("has no stock without lot/serial", parsed[1]["errors"][0])

    def test_tracking_warning_says_what_the_case_is(self):
        """Odoo's form warns "no lot/serial number" for any stock; the words
        here say what the switch makes of these lots, and where the wizard is."""
        product = self.product.with_user(self.manager)
        switched = product.new({"tracking": "serial"}, origin=product)
        message = switched._onchange_tracking()["warning"]["message"]
        self.assertIn("lots of more than one unit", message)
        self.assertNotIn("have no lot/serial number", message)
        self.assertIn("Reassign Lots/Serials", message)
        switched = product.new({"tracking": "none"}, origin=product)
        message = switched._onchange_tracking()["warning"]["message"]
        self.assertIn("Without tracking it keeps them", message)
        self._set_stock(self.product, self.shelf_2, 1)
        switched = product.new({"tracking": "serial"}, origin=product)
        message = switched._onchange_tracking()["warning"]["message"]
        self.assertIn("have no lot/serial number", message)

    def test_search_finds_serial_product_with_lots_of_several_units(self):
        Template = self.env["product.template"].with_user(self.manager)
        self.assertNotIn(self.template, Template.search([("lot_reassign_qty", ">", 0)]))
        # switched by hand: L1 and L2 are now "serial numbers" of 3 and 2
        self.template.tracking = "serial"
        self.env.invalidate_all()
        self.assertIn(self.template, Template.search([("lot_reassign_qty", ">", 0)]))
        self.assertEqual(self.template.with_user(self.manager).lot_reassign_qty, 5)
