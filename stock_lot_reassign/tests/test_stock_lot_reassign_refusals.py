# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import StockLotReassignCommon


@tagged("post_install", "-at_install")
class TestStockLotReassignRefusals(StockLotReassignCommon):
    """Bad input is refused with a clear message and changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock, 5)
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.shelf_1, 2)

    def setUp(self):
        super().setUp()
        self.before = self._snapshot()
        self.api = self.template.with_user(self.manager)

    def assertRefused(self, tracking, assignments, *messages, exception=UserError):
        with self.assertRaisesAtomic(exception) as caught:
            self.api.reassign_lots(tracking, assignments)
        for message in messages:
            self.assertIn(message, str(caught.exception))
        self.assertNothingChanged(self.before)

    def test_quantity_missing(self):
        self.assertRefused(
            "lot",
            [
                self._assignment(self.stock, "L", 3),
                self._assignment(self.shelf_1, "L", 2),
            ],
            "WH/Stock / [RCH] Reassign Chair: "
            "5.0 Units to reassign, 3.0 assigned (2.0 missing)",
        )

    def test_quantity_too_many(self):
        self.assertRefused(
            "lot",
            [
                self._assignment(self.stock, "L", 6),
                self._assignment(self.shelf_1, "L", 2),
            ],
            "6.0 assigned (1.0 too many)",
        )

    def test_location_not_covered(self):
        self.assertRefused(
            "lot",
            [self._assignment(self.stock, "L", 5)],
            "Reassign Shelf 1",
            "(2.0 missing)",
        )

    def test_location_without_stock(self):
        self.assertRefused(
            "lot",
            [
                self._assignment(self.stock, "L", 5),
                self._assignment(self.shelf_1, "L", 2),
                self._assignment(self.shelf_2, "L", 1),
            ],
            "Reassign Shelf 2",
            "no stock without lot/serial number here",
        )

    def test_serial_quantity_other_than_one(self):
        assignments = [self._assignment(self.stock, f"S{n}", 1) for n in range(3)]
        assignments += [
            self._assignment(self.stock, "S3", 2),
            self._assignment(self.shelf_1, "S4", 1),
            self._assignment(self.shelf_1, "S5", 1),
        ]
        self.assertRefused("serial", assignments, "serial number S3 has quantity 2.0")

    def test_serial_repeated(self):
        assignments = [self._assignment(self.stock, f"S{n}", 1) for n in range(5)]
        assignments += [
            self._assignment(self.shelf_1, "S9", 1),
            self._assignment(self.shelf_1, "S1", 1),
        ]
        self.assertRefused("serial", assignments, "serial number S1 is given twice")

    def test_serial_already_in_stock(self):
        other_location = self.env["stock.location"].create(
            {"name": "Reassign Shelf 9", "location_id": self.stock.id}
        )
        self.template.tracking = "serial"
        lot = self.env["stock.lot"].create(
            {"name": "TAKEN", "product_id": self.product.id}
        )
        self._set_stock(self.product, other_location, 1, lot=lot)
        self.before = self._snapshot()
        assignments = [self._assignment(self.stock, f"S{n}", 1) for n in range(4)]
        assignments += [self._assignment(self.stock, "TAKEN", 1)] + [
            self._assignment(self.shelf_1, f"S{n}", 1) for n in (7, 8)
        ]
        self.assertRefused(
            "serial", assignments, "serial number TAKEN is already in stock"
        )

    def test_empty_lot_name(self):
        self.assertRefused(
            "lot",
            [
                self._assignment(self.stock, "  ", 5),
                self._assignment(self.shelf_1, "L", 2),
            ],
            "a lot/serial number name is empty",
        )

    def test_hostile_input_is_refused_naming_assignment_and_field(self):
        """What a caller over RPC can send instead of a list of assignments:
        each refused as a ValidationError naming where, nothing changed."""
        good = self._assignment(self.stock, "L", 5)
        cases = [
            (42, "must be a list of dictionaries, not 42"),
            ({"product_id": 1}, "must be a list of dictionaries"),
            ([good, 7], "Assignment 1 (counted from 0): a dictionary is expected"),
            ([dict(good, quantity=float("nan"))], "quantity must be a number"),
            ([dict(good, quantity=float("inf"))], "not inf"),
            ([dict(good, quantity=1e308)], "not 1e+308"),
            ([dict(good, quantity="5")], "not '5'"),
            ([dict(good, quantity=True)], "not True"),
            ([dict(good, product_id=[self.product.id])], "product_id must be the id"),
            ([dict(good, location_id={"id": 1})], "location_id must be the id"),
            ([dict(good, location_id=2**40)], "location_id must be the id"),
            ([dict(good, package_id="1")], "package_id must be the id"),
            ([dict(good, from_lot_id="L1")], "from_lot_id must be the id"),
            ([dict(good, from_lot_id=-3)], "from_lot_id must be the id"),
            ([dict(good, lot_name=None)], "lot_name must be the lot/serial"),
            ([dict(good, lot_name="A\x00B")], "control character"),
            ([dict(good, lot_name="L" * 1001)], "1001 characters long"),
            ([dict(good, lot=1)], "unknown field 'lot'"),
            ([good] * 200001, "200001 assignments are more than"),
        ]
        for assignments, message in cases:
            with self.subTest(message=message):
                self.assertRefused(
                    "lot", assignments, message, exception=ValidationError
                )

    def test_reserved_stock(self):
        customer = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.stock.id,
                "location_dest_id": customer.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "reserve",
                            "product_id": self.product.id,
                            "product_uom": self.product.uom_id.id,
                            "product_uom_qty": 2,
                            "location_id": self.stock.id,
                            "location_dest_id": customer.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.state, "assigned")
        self.before = self._snapshot()
        self.assertRefused(
            "lot",
            [
                self._assignment(self.stock, "L", 5),
                self._assignment(self.shelf_1, "L", 2),
            ],
            "reserved",
            picking.name,
        )

    def test_consumable_refused(self):
        consumable = self.env["product.product"].create(
            {"name": "Reassign Consumable", "type": "consu"}
        )
        with self.assertRaisesRegex(
            UserError, "consumables or services: Reassign Consumable"
        ):
            consumable.product_tmpl_id.with_user(self.manager).reassign_lots("lot", [])
        self.assertEqual(consumable.tracking, "none")

    def test_non_integer_quantity_for_serials(self):
        kg_product = self.env["product.product"].create(
            {
                "name": "Reassign Cable",
                "type": "product",
                "uom_id": self.env.ref("uom.product_uom_kgm").id,
                "uom_po_id": self.env.ref("uom.product_uom_kgm").id,
            }
        )
        self._set_stock(kg_product, self.stock, 2.5)
        before = self._snapshot(kg_product.product_tmpl_id)
        with self.assertRaisesRegex(
            UserError, "2.5 kg cannot be split into serial numbers"
        ):
            kg_product.product_tmpl_id.with_user(self.manager).reassign_lots(
                "serial", [self._assignment(self.stock, "K1", 1, product=kg_product)]
            )
        self.assertNothingChanged(before, kg_product.product_tmpl_id)

    def test_unknown_tracking(self):
        self.assertRefused("quantity", [], "'lot' (By Lots)")

    def test_negative_stock(self):
        self._set_stock(self.product, self.shelf_2, -1)
        self.before = self._snapshot()
        self.assertRefused(
            "lot",
            [
                self._assignment(self.stock, "L", 5),
                self._assignment(self.shelf_1, "L", 2),
            ],
            "Reassign Shelf 2",
            "negative",
        )

    def test_product_of_another_template(self):
        other = self.env["product.product"].create(
            {"name": "Reassign Other", "type": "product"}
        )
        self.assertRefused(
            "lot",
            [self._assignment(self.stock, "L", 5, product=other)],
            "give a variant of the products being reassigned",
        )

    def test_nothing_to_reassign(self):
        empty = self.env["product.product"].create(
            {"name": "Reassign Empty", "type": "product"}
        )
        with self.assertRaisesRegex(
            UserError, "no stock without lot/serial number to reassign"
        ):
            empty.product_tmpl_id.with_user(self.manager).reassign_lots("lot", [])
        wizard = self._open_wizard(empty.product_tmpl_id)
        with self.assertRaisesRegex(UserError, "nothing to reassign"):
            wizard.action_next()
        self.assertEqual(empty.tracking, "none")

    def test_stock_and_portal_users_refused(self):
        """Only Inventory administrators reassign: the API, the wizard's
        opening and the wizard itself refuse the others."""
        portal = new_test_user(
            self.env, login="lot_reassign_portal", groups="base.group_portal"
        )
        for user in (self.stock_user, portal):
            with self.subTest(user=user.login):
                with self.assertRaisesAtomic(AccessError):
                    self.template.with_user(user).reassign_lots(
                        "lot",
                        [
                            self._assignment(self.stock, "L", 5),
                            self._assignment(self.shelf_1, "L", 2),
                        ],
                    )
                with self.assertRaisesAtomic(AccessError):
                    self.template.with_user(user).action_open_lot_reassignment_wizard()
                with self.assertRaisesAtomic(AccessError):
                    self.env["stock.lot.reassignment.wizard"].with_user(user).create(
                        {"product_tmpl_ids": [(6, 0, self.template.ids)]}
                    )
        with self.assertRaises(AccessError):
            self.env["stock.lot.reassignment"].with_user(portal).search([])
        self.assertNothingChanged(self.before)

    def test_failure_half_way_changes_nothing(self):
        """The removal is done when the restore fails: all of it is undone."""
        with patch.object(
            type(self.env["stock.lot.reassignment.adjustment"]),
            "_restore_with_lots",
            side_effect=UserError("restore failed"),
        ):
            self.assertRefused(
                "lot",
                [
                    self._assignment(self.stock, "L", 5),
                    self._assignment(self.shelf_1, "L", 2),
                ],
                "restore failed",
            )
        self.assertEqual(self.template.tracking, "none")

    def test_refusal_in_the_user_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.manager.lang = "es_ES"
        self.assertRefused(
            "lot",
            [
                self._assignment(self.stock, "L", 4),
                self._assignment(self.shelf_1, "L", 2),
            ],
            "Las cantidades asignadas no coinciden con las existencias:",
            "5.0 Units por reasignar, 4.0 asignadas (1.0 faltan)",
        )
