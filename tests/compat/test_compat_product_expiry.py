# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""product_expiry: the new lots get their dates from the product.

A lot created for a product that uses expiration dates gets an expiration
date of now + the product's expiration time, and best before, removal and
alert dates that many days before it; its quants show its removal date (the
FEFO removal strategy sorts on it). The lots the module creates must carry the
dates of a lot created by hand and of the documented procedure's lots.
"""

import base64
import datetime

from compat_common import FROZEN_NOW, CompatCase
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

DAY = datetime.timedelta(days=1)
EXPECTED_DATES = {
    "expiration_date": FROZEN_NOW + 30 * DAY,  # expiration_time
    "use_date": FROZEN_NOW + 20 * DAY,  # use_time: 10 days before
    "removal_date": FROZEN_NOW + 25 * DAY,  # removal_time: 5 days before
    "alert_date": FROZEN_NOW + 27 * DAY,  # alert_time: 3 days before
}


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_NOW)
class TestExpirationDates(CompatCase):
    def _reassign_both(self, tracking, lines):
        """Twins using expiration dates (30 days; best before 10, removal 5,
        alert 3 days before), 3 units in Stock and 2 on the shelf."""
        module_product, native_product = self._twins(
            f"Compat perishable {tracking}",
            [(self.stock, 3, 4.0), (self.shelf, 2, 4.0)],
            use_expiration_date=True,
            expiration_time=30,
            use_time=10,
            removal_time=5,
            alert_time=3,
        )
        for path, product in (("module", module_product), ("native", native_product)):
            self._reassign(path, product, tracking, lines(product))
        return module_product, native_product

    def _dates_by_lot(self, product):
        return {lot.name: self._lot_dates(lot) for lot in self._lots(product)}

    def test_new_lots_carry_the_dates_of_a_lot_created_by_hand(self):
        """Lots L1 (Stock) and L2 (Stock and shelf): each has the dates a lot
        created by hand gets at the same time, and the procedure's lots'."""
        module_product, native_product = self._reassign_both(
            "lot",
            lambda product: [
                (self.stock, "L1", 1),
                (self.stock, "L2", 2),
                (self.shelf, "L2", 2),
            ],
        )
        by_hand = self.env["stock.lot"].create(
            {"name": "BY-HAND", "product_id": module_product.id}
        )
        self.assertEqual(self._lot_dates(by_hand), EXPECTED_DATES)
        self.assertEqual(
            self._dates_by_lot(module_product),
            {"BY-HAND": EXPECTED_DATES, "L1": EXPECTED_DATES, "L2": EXPECTED_DATES},
        )
        self.assertEqual(
            self._dates_by_lot(native_product),
            {"L1": EXPECTED_DATES, "L2": EXPECTED_DATES},
        )

    def test_new_serials_carry_the_dates_of_a_serial_created_by_hand(self):
        """Five serials, 3 in Stock and 2 on the shelf: same dates as a serial
        created by hand and as the procedure's serials."""
        module_product, native_product = self._reassign_both(
            "serial",
            lambda product: [
                (self.stock if index < 3 else self.shelf, f"SN-{index}", 1)
                for index in range(5)
            ],
        )
        by_hand = self.env["stock.lot"].create(
            {"name": "SN-BY-HAND", "product_id": module_product.id}
        )
        self.assertEqual(self._lot_dates(by_hand), EXPECTED_DATES)
        serials = {f"SN-{index}": EXPECTED_DATES for index in range(5)}
        self.assertEqual(
            self._dates_by_lot(module_product),
            serials | {"SN-BY-HAND": EXPECTED_DATES},
        )
        self.assertEqual(self._dates_by_lot(native_product), serials)

    def test_new_quants_carry_the_removal_date_of_their_lot(self):
        """The quants holding the new lots show the lot's removal date, as the
        procedure's quants do (FEFO reserves by it)."""
        module_product, native_product = self._reassign_both(
            "lot",
            lambda product: [
                (self.stock, "L1", 1),
                (self.stock, "L2", 2),
                (self.shelf, "L2", 2),
            ],
        )
        removal = EXPECTED_DATES["removal_date"]
        expected = [
            ("Compat Shelf", "L2", 2.0, 0.0, removal, FROZEN_NOW),
            ("Stock", "L1", 1.0, 0.0, removal, FROZEN_NOW),
            ("Stock", "L2", 2.0, 0.0, removal, FROZEN_NOW),
        ]
        self.assertEqual(self._quants(native_product), expected)
        self.assertEqual(self._quants(module_product), expected)


PRINTED = datetime.datetime(2026, 5, 31)  # the date on goods received months ago
PRINTED_DATES = {
    "expiration_date": PRINTED,
    "use_date": PRINTED - 10 * DAY,
    "removal_date": PRINTED - 5 * DAY,
    "alert_date": PRINTED - 3 * DAY,
}


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_NOW)
class TestPrintedExpirationDates(CompatCase):
    """The date printed on goods already on the shelf, given with the
    numbers: the lot gets it, and the dates Odoo computes from it for a lot
    entered by hand with that date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._product(
            "Compat printed date",
            use_expiration_date=True,
            expiration_time=30,
            use_time=10,
            removal_time=5,
            alert_time=3,
        )
        cls._receive(cls.product, cls.stock, 3, 4.0)
        cls._receive(cls.product, cls.shelf, 2, 4.0)
        cls.template = cls.product.product_tmpl_id.with_env(cls.admin_env)

    def _by_hand(self, name):
        return self.env["stock.lot"].create(
            {"name": name, "product_id": self.product.id, "expiration_date": PRINTED}
        )

    def _wizard(self):
        action = self.template.action_open_lot_reassignment_wizard()
        wizard = self.admin_env["stock.lot.reassignment.wizard"].browse(
            action["res_id"]
        )
        wizard.tracking = "lot"
        wizard.action_next()
        return wizard

    def test_api_gives_the_printed_date(self):
        lines = [(self.stock, "PD-1", 3), (self.shelf, "PD-2", 2)]
        assignments = self._assignments(self.product, lines)
        assignments[0]["expiration_date"] = "2026-05-31"
        assignments[1]["expiration_date"] = "2026-05-31 00:00:00"

        self.template.reassign_lots("lot", assignments)

        self.assertEqual(self._lot_dates(self._by_hand("HAND")), PRINTED_DATES)
        lots = self._lots(self.product)
        self.assertEqual(
            {lot.name: self._lot_dates(lot) for lot in lots},
            {"PD-1": PRINTED_DATES, "PD-2": PRINTED_DATES, "HAND": PRINTED_DATES},
        )

    def test_sheet_gives_the_printed_date(self):
        wizard = self._wizard()
        self.assertTrue(wizard.show_expiration_date)
        sheet = self.env["stock.lot.reassignment.count.sheet"]
        self.assertEqual(
            sheet._get_columns()[-1], ("expiration_date", "Expiration Date")
        )
        csv = (
            "Internal Reference;Location;Lot/Serial Number;Quantity;Expiration Date\n"
            "Compat printed date;WH/Stock;SH-1;3;2026-05-31\n"
            "Compat printed date;WH/Stock/Compat Shelf;SH-2;2;not a date\n"
        )
        wizard.write(
            {"import_file": base64.b64encode(csv.encode()), "import_file_name": "s.csv"}
        )
        wizard.action_import_preview()
        self.assertEqual(
            wizard.import_row_ids.mapped("error"),
            [
                False,
                (
                    "cell E3: not a date is not a date (YYYY-MM-DD, or as your "
                    "language writes dates)"
                ),
            ],
        )
        wizard.write(
            {
                "import_file": base64.b64encode(
                    csv.replace("not a date", "2026-05-31").encode()
                )
            }
        )
        wizard.action_import_preview()
        wizard.action_import_apply()
        wizard.action_apply()
        self.assertEqual(
            {lot.name: self._lot_dates(lot) for lot in self._lots(self.product)},
            {"SH-1": PRINTED_DATES, "SH-2": PRINTED_DATES},
        )

    def test_paste_gives_the_printed_date(self):
        wizard = self._wizard()
        wizard.lot_names = "PA-1;3;2026-05-31;WH/Stock\nPA-2;2;2026-05-31"
        wizard.action_paste()
        wizard.action_apply()
        self.assertEqual(
            {lot.name: self._lot_dates(lot) for lot in self._lots(self.product)},
            {"PA-1": PRINTED_DATES, "PA-2": PRINTED_DATES},
        )

    def test_existing_lot_keeps_its_date(self):
        existing = self._by_hand("OLD-LOT")
        assignments = self._assignments(
            self.product, [(self.stock, "OLD-LOT", 3), (self.shelf, "OLD-LOT", 2)]
        )
        for vals in assignments:
            vals["expiration_date"] = "2026-06-30"
        with self.assertRaisesRegex(
            UserError, "OLD-LOT of .* exists and expires on 2026-05-31 00:00:00"
        ):
            self.template.reassign_lots("lot", assignments)
        self.assertEqual(self.product.tracking, "none")

        for vals in assignments:
            vals["expiration_date"] = "2026-05-31"  # the same date: reused
        self.template.reassign_lots("lot", assignments)
        self.assertEqual(self._lot_dates(existing), PRINTED_DATES)
        self.assertEqual(existing.product_qty, 5)
