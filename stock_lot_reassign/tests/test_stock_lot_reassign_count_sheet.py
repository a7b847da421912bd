# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import datetime
import io
from unittest.mock import patch

import xlrd
import xlsxwriter

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import StockLotReassignCommon

COUNT_SHEET = (
    "odoo.addons.stock_lot_reassign.wizards.stock_lot_reassignment_count_sheet"
)


@tagged("post_install", "-at_install")
class TestStockLotReassignCountSheet(StockLotReassignCommon):
    """The count sheet goes out to the shelves and comes back filled in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk = cls.env["product.product"].create(
            {
                "name": "Reassign Desk",
                "type": "product",
                "default_code": "RDK",
                "barcode": "5901234123457",
            }
        )
        cls.product.barcode = "4006381333931"
        cls.shelf_1.barcode = "SHELF-1"
        cls.shelf_2.barcode = "SHELF-2"
        for product in (cls.product, cls.desk):
            cls._set_stock(cls, product, cls.stock, 2)
            cls._set_stock(cls, product, cls.shelf_1, 1)
            cls._set_stock(cls, product, cls.shelf_2, 1, package=cls.package)
        cls.templates = cls.template | cls.desk.product_tmpl_id
        # product_expiry installed: the sheet and the paste take a date
        cls.takes_dates = "expiration_date" in cls.env["stock.lot"]._fields

    def _wizard(self, tracking="serial"):
        action = self.templates.with_user(
            self.manager
        ).action_open_lot_reassignment_wizard()
        wizard = self.env["stock.lot.reassignment.wizard"].with_user(self.manager)
        wizard = wizard.browse(action["res_id"])
        wizard.tracking = tracking
        wizard.action_next()
        return wizard

    def _export_rows(self, wizard):
        action = wizard.action_export_count_sheet()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/{wizard.id}/count_sheet_file/", action["url"])
        book = xlrd.open_workbook(
            file_contents=base64.b64decode(wizard.count_sheet_file)
        )
        sheet = book.sheet_by_index(0)
        return [sheet.row_values(row) for row in range(sheet.nrows)]

    def _xlsx(self, rows):
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet()
        for row, values in enumerate(rows):
            for col, value in enumerate(values):
                sheet.write(row, col, value)
        workbook.close()
        return output.getvalue()

    def _import(self, wizard, content, name):
        wizard.write(
            {"import_file": base64.b64encode(content), "import_file_name": name}
        )
        wizard.action_import_preview()
        return wizard.import_row_ids

    def _all_stock(self):
        return {**self._stock(), **self._stock(self.desk.product_tmpl_id)}

    def test_export_fill_in_import_apply(self):
        """2 products x 3 places out; the serials written in, back, applied."""
        wizard = self._wizard()
        rows = self._export_rows(wizard)

        self.assertEqual(
            rows[0],
            [
                "Internal Reference",
                "Product",
                "Variant",
                "Location",
                "Package",
                "Owner",
                "Company",
                "From Lot/Serial",
                "On Hand",
                "Lot/Serial Number",
                "Quantity",
            ]
            + (["Expiration Date"] if self.takes_dates else []),
        )
        self.assertEqual(
            sorted((row[0], row[3], row[4], row[8]) for row in rows[1:]),
            [
                ("RCH", "WH/Stock", "", 2.0),
                ("RCH", "WH/Stock/Reassign Shelf 1", "", 1.0),
                ("RCH", "WH/Stock/Reassign Shelf 2", "RPACK-1", 1.0),
                ("RDK", "WH/Stock", "", 2.0),
                ("RDK", "WH/Stock/Reassign Shelf 1", "", 1.0),
                ("RDK", "WH/Stock/Reassign Shelf 2", "RPACK-1", 1.0),
            ],
        )
        self.assertFalse(any(any(row[9:]) for row in rows[1:]), "left to fill")

        # the team writes one serial per unit: a row per unit
        filled = [rows[0]]
        for row in rows[1:]:
            for unit in range(int(row[8])):
                code, location = row[0], row[3].rsplit("/", 1)[-1]
                filled.append(row[:9] + [f"{code}-{location}-{unit}", 1])
        before = {
            **self._stock_by_location(),
            **self._stock_by_location(self.desk.product_tmpl_id),
        }

        preview = self._import(wizard, self._xlsx(filled), "counted.xlsx")

        self.assertEqual(len(preview), 8)
        self.assertTrue(all(preview.mapped("is_valid")), preview.mapped("error"))
        self.assertFalse(wizard.assignment_ids, "nothing assigned before Assign")
        wizard.action_import_apply()
        self.assertEqual(len(wizard.assignment_ids), 8)
        self.assertEqual(wizard.quantity_remaining, 0)
        wizard.action_apply()
        self.assertReassigned(
            {k: v for k, v in before.items() if k[0] == self.product}, "serial"
        )
        self.assertReassigned(
            {k: v for k, v in before.items() if k[0] == self.desk},
            "serial",
            self.desk.product_tmpl_id,
        )
        self.assertEqual(
            self._stock()[
                (
                    self.product,
                    self.shelf_2,
                    "RCH-Reassign Shelf 2-0",
                    self.package,
                    self.owner.browse(),
                )
            ],
            1.0,
        )

    def test_csv_by_hand_with_barcodes(self):
        """A sheet made elsewhere: product and location barcodes, lots."""
        wizard = self._wizard("lot")
        csv = (
            "Barcode;Location;Package;Lot;Qty\n"
            "4006381333931;WH/Stock;;L-CHAIR;2\n"
            "4006381333931;SHELF-1;;L-CHAIR;1\n"
            "4006381333931;SHELF-2;RPACK-1;L-CHAIR;1\n"
            "5901234123457;WH/Stock;;L-DESK-1;1\n"
            "5901234123457;WH/Stock;;L-DESK-2;1\n"
            "5901234123457;SHELF-1;;L-DESK-1;1\n"
            "5901234123457;SHELF-2;RPACK-1;L-DESK-2;1\n"
        )

        preview = self._import(wizard, csv.encode(), "by_hand.csv")

        self.assertTrue(all(preview.mapped("is_valid")), preview.mapped("error"))
        wizard.action_import_apply()
        wizard.action_apply()
        stock = self._all_stock()
        self.assertEqual(
            stock[
                (
                    self.desk,
                    self.stock,
                    "L-DESK-1",
                    self.package.browse(),
                    self.owner.browse(),
                )
            ],
            1.0,
        )
        self.assertEqual(sum(q for k, q in stock.items() if k[2] == "L-CHAIR"), 4.0)
        self.assertFalse([k for k in stock if not k[2]], "nothing without lot")

    def test_one_bad_row_per_kind_names_row_and_cell_and_assigns_nothing(self):
        wizard = self._wizard()
        header = [
            "Internal Reference",
            "Location",
            "Package",
            "Lot/Serial Number",
            "Quantity",
        ]
        rows = [
            header,
            ["RCH", "WH/Stock", "", "OK-1", 1],  # row 2: valid
            ["NOPE", "WH/Stock", "", "X-1", 1],  # row 3: unknown product
            ["RCH", "WH/Stock/Reassign Shelf 2", "", "X-2", 1],  # 4: not unpacked
            ["RDK", "WH/Stock/Reassign Shelf 1", "", "X-3", 1],  # 5: over (with 6)
            ["RDK", "WH/Stock/Reassign Shelf 1", "", "X-4", 1],  # 6: over
            ["RCH", "WH/Stock", "", "OK-1", 1],  # row 7: serial twice (with 2)
            ["RDK", "WH/Stock", "", "X-5", "two"],  # row 8: not a quantity
        ]

        preview = self._import(wizard, self._xlsx(rows), "bad.xlsx")

        errors = {row.row: row.error or "" for row in preview}
        self.assertIn("cell A3: NOPE is not one of the products", errors[3])
        self.assertIn(
            "cell B4: [RCH] Reassign Chair has no stock without lot/serial", errors[4]
        )
        self.assertIn("cell E5: rows 5, 6 give 2.0", errors[5])
        self.assertIn("which holds 1.0", errors[6])
        self.assertIn(
            "cell D2: serial number OK-1 of [RCH] Reassign Chair is on rows 2, 7",
            errors[2],
        )
        self.assertIn("cell D7:", errors[7])
        self.assertIn("cell E8: two is not a quantity", errors[8])
        self.assertEqual(wizard.import_error_count, 7)
        with self.assertRaisesRegex(UserError, "7 rows of the sheet have errors"):
            wizard.action_import_apply()
        self.assertFalse(wizard.assignment_ids, "nothing assigned")

    def test_unreadable_and_headless_files_are_refused(self):
        wizard = self._wizard()
        with self.assertRaisesRegex(UserError, "cannot be read as a spreadsheet"):
            self._import(wizard, b"\x00\x01\x02 not a sheet", "sheet.xlsx")
        with self.assertRaisesRegex(
            UserError, "has no column Location, Lot/Serial Number"
        ):
            self._import(wizard, b"a,b\n1,2\n", "sheet.csv")

    def test_paste_name_quantity_date_location(self):
        """Odoo's Import Lots format, and a line that names its place."""
        wizard = self._wizard("lot")
        wizard.lot_names = (
            "P-SHELF;1;;WH/Stock/Reassign Shelf 1\nP-STOCK\t2\t\tWH/Stock"
        )
        wizard.action_paste()
        self.assertEqual(
            sorted(
                (a.line_id.location_id.name, a.product_id, a.lot_name, a.quantity)
                for a in wizard.assignment_ids
            ),
            sorted(
                [
                    ("Reassign Shelf 1", self.product, "P-SHELF", 1.0),
                    ("Stock", self.product, "P-STOCK", 2.0),
                ]
            ),
        )
        wizard.lot_names = "P-X;1;2027-01-31"
        if self.takes_dates:
            wizard.action_paste()
            dated = wizard.assignment_ids.filtered(lambda a: a.lot_name == "P-X")
            self.assertEqual(dated.mapped("quantity"), [1.0])
            self.assertEqual(dated.expiration_date, datetime.datetime(2027, 1, 31))
        else:
            with self.assertRaisesRegex(UserError, "Product Expiry app"):
                wizard.action_paste()
        wizard.lot_names = "P-Y;5;;WH/Stock"
        with self.assertRaisesRegex(UserError, "line 1: .* which holds 2.0"):
            wizard.action_paste()

    def test_sheet_in_the_user_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.manager.lang = "es_ES"
        wizard = self._wizard()
        header = self._export_rows(wizard)[0]
        self.assertIn("Número de lote/serie", header)
        self.assertIn("Ubicación", header)

    def test_product_list_exports_the_sheet_of_many_products(self):
        action = self.templates.with_user(
            self.manager
        ).action_export_lot_reassignment_count_sheet()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(action["url"].endswith("?download=true"))

    def test_expiration_date_only_with_product_expiry(self):
        """Without product_expiry: no column, no date taken. With it: the
        column, the field shown for the products that use expiration dates,
        the date given to the new lot."""
        installed = self.env["ir.module.module"].search_count(
            [("name", "=", "product_expiry"), ("state", "=", "installed")]
        )
        self.assertEqual(self.takes_dates, bool(installed))
        wizard = self._wizard()
        self.assertFalse(wizard.show_expiration_date, "no product uses dates")
        header = self._export_rows(wizard)[0]
        self.assertEqual("Expiration Date" in header, self.takes_dates)
        assignments = [
            dict(assignment, expiration_date="2027-01-31")
            for assignment in (
                self._assignment(self.stock, "DATED", 2),
                self._assignment(self.shelf_1, "DATED", 1),
                self._assignment(self.shelf_2, "DATED", 1, package=self.package),
            )
        ]
        template = self.template.with_user(self.manager)
        if self.takes_dates:
            self.template.use_expiration_date = True
            wizard.invalidate_recordset(["show_expiration_date"])
            self.assertTrue(wizard.show_expiration_date)
            lot = self.env["stock.lot"].browse(
                template.reassign_lots("lot", assignments)
            )
            self.assertEqual(lot.name, "DATED")
            self.assertEqual(lot.expiration_date, datetime.datetime(2027, 1, 31))
        else:
            with self.assertRaisesRegex(UserError, "unknown field 'expiration_date'"):
                template.reassign_lots("lot", assignments)

    def test_sheet_over_the_row_limit_is_refused(self):
        wizard = self._wizard()
        csv = "Internal Reference;Location;Lot/Serial Number\n" + "".join(
            f"RCH;WH/Stock;BIG-{n}\n" for n in range(6)
        )
        with (
            patch(f"{COUNT_SHEET}.MAX_SHEET_ROWS", 5),
            self.assertRaisesRegex(UserError, "has 6 rows; one import takes at most 5"),
        ):
            self._import(wizard, csv.encode(), "big.csv")
        self.assertFalse(wizard.import_row_ids)
