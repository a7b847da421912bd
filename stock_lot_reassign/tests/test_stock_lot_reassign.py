# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import tagged

from .common import StockLotReassignCommon


@tagged("post_install", "-at_install")
class TestStockLotReassign(StockLotReassignCommon):
    def test_lots_in_one_location(self):
        self._set_stock(self.product, self.stock, 10)

        lot_ids = self.template.with_user(self.manager).reassign_lots(
            "lot", [self._assignment(self.stock, "LOT-1", 10)]
        )

        lot = self.env["stock.lot"].browse(lot_ids)
        self.assertEqual(lot.name, "LOT-1")
        self.assertEqual(lot.product_id, self.product)
        self.assertEqual(
            self._stock(),
            {
                (
                    self.product,
                    self.stock,
                    "LOT-1",
                    self.env["stock.quant.package"],
                    self.env["res.partner"],
                ): 10.0
            },
        )
        self.assertReassigned(
            {
                (
                    self.product,
                    self.stock,
                    self.package.browse(),
                    self.owner.browse(),
                ): 10.0
            },
            "lot",
        )

    def test_location_split_over_three_lots(self):
        self._set_stock(self.product, self.stock, 9)

        self.template.with_user(self.manager).reassign_lots(
            "lot",
            [
                self._assignment(self.stock, "LOT-A", 2),
                self._assignment(self.stock, "LOT-B", 3),
                self._assignment(self.stock, "LOT-C", 4),
            ],
        )

        no_package, no_owner = self.package.browse(), self.owner.browse()
        self.assertEqual(
            self._stock(),
            {
                (self.product, self.stock, "LOT-A", no_package, no_owner): 2.0,
                (self.product, self.stock, "LOT-B", no_package, no_owner): 3.0,
                (self.product, self.stock, "LOT-C", no_package, no_owner): 4.0,
            },
        )
        self.assertReassigned(
            {(self.product, self.stock, no_package, no_owner): 9.0}, "lot"
        )

    def test_serials_generated_from_first_serial(self):
        self._set_stock(self.product, self.stock, 25)
        wizard = self._open_wizard()
        wizard.tracking = "serial"
        wizard.action_next()
        wizard.first_lot_name = "SN-0001"
        self.assertEqual(wizard.serial_count, 25, "defaults to the unassigned units")

        wizard.action_generate()

        self.assertEqual(wizard.quantity_remaining, 0)
        self.assertEqual(len(wizard.assignment_ids), 25)
        wizard.action_apply()
        stock = self._stock()
        self.assertEqual(len(stock), 25)
        self.assertEqual(
            sorted(lot for __, __, lot, __, __ in stock),
            [f"SN-{n:04d}" for n in range(1, 26)],
        )
        self.assertEqual(set(stock.values()), {1.0}, "every serial quant holds 1")
        self.assertReassigned(
            {
                (
                    self.product,
                    self.stock,
                    self.package.browse(),
                    self.owner.browse(),
                ): 25.0
            },
            "serial",
        )

    def test_serials_pasted_over_two_locations(self):
        self._set_stock(self.product, self.stock, 2)
        self._set_stock(self.product, self.shelf_1, 1)
        before = self._stock_by_location()
        wizard = self._open_wizard()
        wizard.tracking = "serial"
        wizard.action_next()
        wizard.lot_names = "PASTE-1\n  PASTE-2 \n\nPASTE-3\n"

        wizard.action_paste()

        self.assertEqual(wizard.quantity_remaining, 0)
        wizard.action_apply()
        stock = self._stock()
        self.assertEqual(
            {
                (location, lot): qty
                for (__, location, lot, __, __), qty in stock.items()
            },
            {
                (self.stock, "PASTE-1"): 1.0,
                (self.stock, "PASTE-2"): 1.0,
                (self.shelf_1, "PASTE-3"): 1.0,
            },
        )
        self.assertReassigned(before, "serial")

    def test_locations_variants_package_and_owner_preserved(self):
        size = self.env["product.attribute"].create(
            {
                "name": "Reassign Size",
                "value_ids": [
                    Command.create({"name": "S"}),
                    Command.create({"name": "L"}),
                ],
            }
        )
        template = self.env["product.template"].create(
            {
                "name": "Reassign Jacket",
                "type": "product",
                "attribute_line_ids": [
                    Command.create(
                        {
                            "attribute_id": size.id,
                            "value_ids": [Command.set(size.value_ids.ids)],
                        }
                    )
                ],
            }
        )
        small, large = template.product_variant_ids
        self._set_stock(small, self.stock, 5)
        self._set_stock(small, self.shelf_1, 3, package=self.package)
        self._set_stock(large, self.stock, 2, owner=self.owner)
        self._set_stock(large, self.shelf_2, 4)
        before = self._stock_by_location(template)

        template.with_user(self.manager).reassign_lots(
            "lot",
            [
                self._assignment(self.stock, "S-1", 5, product=small),
                self._assignment(
                    self.shelf_1, "S-1", 3, product=small, package=self.package
                ),
                self._assignment(
                    self.stock, "L-OWNED", 2, product=large, owner=self.owner
                ),
                self._assignment(self.shelf_2, "L-1", 3, product=large),
                self._assignment(self.shelf_2, "L-2", 1, product=large),
            ],
        )

        no_package, no_owner = self.package.browse(), self.owner.browse()
        self.assertEqual(
            self._stock(template),
            {
                (small, self.stock, "S-1", no_package, no_owner): 5.0,
                (small, self.shelf_1, "S-1", self.package, no_owner): 3.0,
                (large, self.stock, "L-OWNED", no_package, self.owner): 2.0,
                (large, self.shelf_2, "L-1", no_package, no_owner): 3.0,
                (large, self.shelf_2, "L-2", no_package, no_owner): 1.0,
            },
        )
        self.assertEqual(
            len(self.env["stock.lot"].search([("name", "=", "S-1")])),
            1,
            "one lot S-1, in two places",
        )
        self.assertReassigned(before, "lot", template)

    def test_wizard_reviews_every_place_with_its_reservation(self):
        self._set_stock(self.product, self.stock, 6)
        self._set_stock(
            self.product, self.shelf_2, 3, package=self.package, owner=self.owner
        )

        wizard = self._open_wizard()

        self.assertEqual(
            sorted(
                (
                    line.location_id,
                    line.package_id,
                    line.owner_id,
                    line.quantity,
                    line.reserved_quantity,
                )
                for line in wizard.line_ids
            ),
            sorted(
                [
                    (self.stock, self.package.browse(), self.owner.browse(), 6.0, 0.0),
                    (self.shelf_2, self.package, self.owner, 3.0, 0.0),
                ]
            ),
        )
        self.assertEqual(wizard.quantity_total, 9)
        self.assertEqual(wizard.tracking, "lot")
        self.assertFalse(wizard.is_from_history)

    def test_wizard_lot_fills_every_line_then_applies(self):
        self._set_stock(self.product, self.stock, 4)
        self._set_stock(self.product, self.shelf_1, 2)
        before = self._stock_by_location()
        wizard = self._open_wizard()
        wizard.action_next()
        wizard.first_lot_name = "BATCH-7"
        wizard.action_generate()
        self.assertEqual(
            sorted(
                (a.line_id.location_id.id, a.lot_name, a.quantity)
                for a in wizard.assignment_ids
            ),
            sorted(
                [(self.stock.id, "BATCH-7", 4.0), (self.shelf_1.id, "BATCH-7", 2.0)]
            ),
        )
        self.assertEqual(wizard.line_ids.mapped("quantity_remaining"), [0.0, 0.0])

        # with the chatter, as in a real session
        action = wizard.with_context(tracking_disable=False).action_apply()

        self.assertEqual(action["res_model"], "stock.lot.reassignment")
        self.assertReassigned(before, "lot")
        reassignment = self.env["stock.lot.reassignment"].browse(action["res_id"])
        self.assertRecorded(
            reassignment,
            {
                (self.stock, "BATCH-7"): (4.0, 4.0),
                (self.shelf_1, "BATCH-7"): (2.0, 2.0),
            },
        )
        self.assertEqual(reassignment.lot_created_ids.name, "BATCH-7")
        self.assertFalse(reassignment.lot_reused_ids)
        self.assertIn(
            reassignment.name,
            reassignment.lot_created_ids.message_ids[-1:].body,
            "the lot's chatter names the reassignment",
        )
        self.assertEqual(
            [
                (line.product_tmpl_id, line.tracking_before, line.tracking_after)
                for line in reassignment.product_line_ids
            ],
            [(self.template, "none", "lot")],
        )
        history = reassignment.action_open_history()
        self.assertEqual(history["res_model"], "stock.move.line", "its History")
        self.assertEqual(self.env["stock.move.line"].search_count(history["domain"]), 4)

    def test_zeroed_by_hand_is_recovered_from_history(self):
        self._set_stock(self.product, self.stock, 8)
        self._set_stock(self.product, self.shelf_1, 4, package=self.package)
        # The documentation's first step, by hand: count zero everywhere
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id.usage", "=", "internal"),
            ]
        )
        quants.with_context(inventory_mode=True).write({"inventory_quantity": 0})
        quants.with_user(self.manager).action_apply_inventory()
        self.template.tracking = "lot"
        self.assertEqual(self._stock(), {})

        wizard = self._open_wizard()

        self.assertTrue(wizard.is_from_history)
        self.assertEqual(
            sorted(
                (
                    line.location_id.id,
                    line.package_id.id,
                    line.quantity,
                    line.is_from_history,
                )
                for line in wizard.line_ids
            ),
            sorted(
                [
                    (self.stock.id, False, 8.0, True),
                    (self.shelf_1.id, self.package.id, 4.0, True),
                ]
            ),
        )
        line = wizard.line_ids.filtered(lambda line: line.location_id == self.stock)
        history = self.env["stock.move.line"].search(
            line.action_history()["domain"]
            + [("product_id", "=", self.product.id), ("is_inventory", "=", True)]
        )
        self.assertIn(
            (self.stock, self.product.property_stock_inventory, 8.0),
            history.mapped(
                lambda ml: (ml.location_id, ml.location_dest_id, ml.quantity)
            ),
            "the History shows the adjustment that zeroed it",
        )
        wizard.action_next()
        wizard.first_lot_name = "LOT-BACK"
        wizard.action_generate()
        wizard.action_apply()
        self.assertReassigned(
            {
                (
                    self.product,
                    self.stock,
                    self.package.browse(),
                    self.owner.browse(),
                ): 8.0,
                (self.product, self.shelf_1, self.package, self.owner.browse()): 4.0,
            },
            "lot",
        )
        self.assertFalse(
            self._open_wizard().line_ids.filtered("to_reassign"),
            "restored stock is not proposed twice",
        )

    def test_already_tracked_inconsistent_product_repaired(self):
        self._set_stock(self.product, self.stock, 7)
        self.template.tracking = "lot"
        lot = self.env["stock.lot"].create(
            {"name": "OLD-LOT", "product_id": self.product.id}
        )
        self._set_stock(self.product, self.shelf_1, 3, lot=lot)
        self.assertEqual(self.template.with_user(self.manager).lot_reassign_qty, 7)
        self.assertEqual(self.product.with_user(self.manager).lot_reassign_qty, 7)

        self.template.with_user(self.manager).reassign_lots(
            "lot", [self._assignment(self.stock, "OLD-LOT", 7)]
        )

        no_package, no_owner = self.package.browse(), self.owner.browse()
        self.assertEqual(
            self._stock(),
            {
                (self.product, self.stock, "OLD-LOT", no_package, no_owner): 7.0,
                (self.product, self.shelf_1, "OLD-LOT", no_package, no_owner): 3.0,
            },
        )
        self.assertEqual(
            self.env["stock.lot"].search_count([("product_id", "=", self.product.id)]),
            1,
            "the existing lot is reused",
        )
        self.assertEqual(self.template.with_user(self.manager).lot_reassign_qty, 0)

    def test_history_action_lists_both_adjustments(self):
        self._set_stock(self.product, self.stock, 3)
        self.template.with_user(self.manager).reassign_lots(
            "lot", [self._assignment(self.stock, "H-1", 3)]
        )

        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", self.stock.id)]
        )
        action = quant.action_inventory_history()
        lines = self.env["stock.move.line"].search(
            action["domain"]
            + [
                ("product_id", "=", self.product.id),
                ("is_inventory", "=", True),
                ("state", "=", "done"),
            ]
        )
        removal = lines.filtered(lambda ml: ml.location_id == self.stock)
        restore = lines.filtered(lambda ml: ml.location_dest_id == self.stock)
        self.assertEqual(removal.mapped("quantity"), [3.0])
        self.assertFalse(removal.lot_id)
        self.assertEqual(restore.mapped("quantity"), [3.0])
        self.assertEqual(restore.lot_id.name, "H-1")
        self.assertIn("Lot/Serial Reassignment", removal.reference)
        self.assertIn(self.product.display_name, removal.reference)
        self.assertIn("Lot/Serial Reassignment", restore.reference)
        self.assertNotEqual(removal.reference, restore.reference)

    def test_one_inventory_move_per_location_with_a_line_per_serial(self):
        self._set_stock(self.product, self.stock, 3)
        self._set_stock(self.product, self.shelf_1, 2)
        self.template.with_user(self.manager).reassign_lots(
            "serial",
            [self._assignment(self.stock, f"B-{n}", 1) for n in range(3)]
            + [self._assignment(self.shelf_1, f"B-{n}", 1) for n in range(3, 5)],
        )
        restore_moves = self.env["stock.move"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_dest_id", "in", (self.stock | self.shelf_1).ids),
                ("is_inventory", "=", True),
                ("move_line_ids.lot_id", "!=", False),
            ]
        )
        self.assertEqual(len(restore_moves), 2)
        self.assertEqual(
            sorted(len(move.move_line_ids) for move in restore_moves), [2, 3]
        )
        self.assertEqual(sorted(restore_moves.mapped("quantity")), [2.0, 3.0])

    def test_names_shared_with_other_products_allowed(self):
        other = self.env["product.product"].create(
            {"name": "Other", "type": "product", "tracking": "lot"}
        )
        self.env["stock.lot"].create({"name": "SHARED", "product_id": other.id})
        self._set_stock(self.product, self.stock, 2)
        self.template.with_user(self.manager).reassign_lots(
            "lot", [self._assignment(self.stock, "SHARED", 2)]
        )
        self.assertEqual(
            self.env["stock.lot"].search_count([("name", "=", "SHARED")]), 2
        )
        self.assertReassigned(
            {
                (
                    self.product,
                    self.stock,
                    self.package.browse(),
                    self.owner.browse(),
                ): 2.0
            },
            "lot",
        )

    def test_stock_of_every_company_is_reassigned(self):
        company_b = self.env["res.company"].create({"name": "Reassign Company B"})
        self.manager.company_ids |= company_b
        stock_b = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", company_b.id)], limit=1)
            .lot_stock_id
        )
        self._set_stock(self.product, self.stock, 2)
        self._set_stock(self.product, stock_b, 3)

        wizard = self._open_wizard()
        self.assertEqual(wizard.line_ids.location_id, self.stock | stock_b)
        self.template.with_user(self.manager).reassign_lots(
            "lot",
            [self._assignment(self.stock, "MC", 2), self._assignment(stock_b, "MC", 3)],
        )

        lots = self.env["stock.lot"].search([("name", "=", "MC")])
        self.assertEqual(
            lots.company_id, self.env.company | company_b, "one lot per company"
        )
        self.assertReassigned(
            {
                (
                    self.product,
                    self.stock,
                    self.package.browse(),
                    self.owner.browse(),
                ): 2.0,
                (
                    self.product,
                    stock_b,
                    self.package.browse(),
                    self.owner.browse(),
                ): 3.0,
            },
            "lot",
        )

    def test_entry_points(self):
        self._set_stock(self.product, self.stock, 5)
        self._set_stock(self.product, self.shelf_1, 1)
        quants = self.env["stock.quant"].search([("product_id", "=", self.product.id)])
        action = quants.with_user(self.manager).action_open_lot_reassignment_wizard()
        wizard = self.env["stock.lot.reassignment.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.product_tmpl_ids, self.template)
        self.assertEqual(wizard.quantity_total, 6)
        action = self.product.with_user(
            self.manager
        ).action_open_lot_reassignment_wizard()
        self.assertEqual(
            self.env["stock.lot.reassignment.wizard"]
            .browse(action["res_id"])
            .product_tmpl_ids,
            self.template,
        )

    def test_tracking_warning_tells_about_the_wizard(self):
        self._set_stock(self.product, self.stock, 5)
        variant = self.product.with_user(self.manager)
        variant.tracking = "lot"
        warning = variant._onchange_tracking()["warning"]
        self.assertIn("inventory adjustment", warning["message"])
        self.assertIn("Assign Lots/Serials", warning["message"])

    def test_quant_list_action_opens_the_wizard(self):
        self._set_stock(self.product, self.shelf_2, 4)
        quants = self.env["stock.quant"].search([("product_id", "=", self.product.id)])
        server_action = self.env.ref(
            "stock_lot_reassign.action_stock_quant_open_lot_reassignment_wizard"
        )

        action = (
            server_action.with_user(self.manager)
            .with_context(
                active_model="stock.quant", active_ids=quants.ids, active_id=quants.id
            )
            .run()
        )

        wizard = self.env["stock.lot.reassignment.wizard"].browse(action["res_id"])
        self.assertEqual(
            [(line.location_id, line.quantity) for line in wizard.line_ids],
            [(self.shelf_2, 4.0)],
        )

    def test_button_only_for_inventory_administrators(self):
        self._set_stock(self.product, self.stock, 2)
        for user, expected in ((self.manager, True), (self.stock_user, False)):
            arch = (
                self.env["product.template"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            self.assertEqual(
                'name="action_open_lot_reassignment_wizard"' in arch, expected
            )
