# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import io
import math
from collections import defaultdict

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare
from odoo.tools.mimetypes import guess_mimetype

# Bigger files go through several imports (or reassign_lots in the
# background): a preview of more rows is not read by anyone.
MAX_SHEET_ROWS = 20000

# Header aliases accepted on import, besides the labels of the export in
# English and in the user's language: sheets made elsewhere use these.
HEADER_ALIASES = {
    "default_code": ("internal reference", "reference", "default_code", "sku"),
    "barcode": ("barcode", "product barcode", "ean", "ean13"),
    "product": ("product", "product_id", "product name"),
    "variant": ("variant", "product variant"),
    "location": (
        "location",
        "location_id",
        "location barcode",
        "location name",
        "full location name",
    ),
    "package": ("package", "package_id"),
    "owner": ("owner", "owner_id"),
    "company": ("company", "company_id"),
    "on_hand": ("on hand", "quantity on hand"),
    "lot_name": (
        "lot/serial number",
        "lot",
        "lot number",
        "serial",
        "serial number",
        "lot_name",
    ),
    "quantity": ("quantity", "qty", "counted quantity"),
    "expiration_date": ("expiration date", "expiry date", "expiration_date"),
}


class StockLotReassignCountSheet(models.AbstractModel):
    """The count sheet of a reassignment: exported with one row per place
    holding stock without lot/serial, read back filled in (XLSX, XLS, ODS or
    CSV, through Odoo's own file reading of base_import)."""

    _name = "stock.lot.reassign.count.sheet"
    _description = "Lot/Serial Reassignment: Count Sheet"

    # ------------------------------------------------------------------
    # Columns
    # ------------------------------------------------------------------

    @api.model
    def _get_columns(self):
        """``[(key, header)]``, in the sheet's order (headers translated)."""
        return [
            ("default_code", _("Internal Reference")),
            ("product", _("Product")),
            ("variant", _("Variant")),
            ("location", _("Location")),
            ("package", _("Package")),
            ("owner", _("Owner")),
            ("company", _("Company")),
            ("on_hand", _("On Hand")),
            ("lot_name", _("Lot/Serial Number")),
            ("quantity", _("Quantity")),
        ] + (
            [("expiration_date", _("Expiration Date"))]
            if self.env["stock.lot.reassignment.input"]._uses_expiration_dates()
            else []
        )

    @api.model
    def _get_row_values(self, line):
        return {
            "default_code": line.product_id.default_code or "",
            "product": line.product_id.product_tmpl_id.name,
            "variant": line.product_id.display_name,
            "location": line.location_id.complete_name,
            "package": line.package_id.name or "",
            "owner": line.owner_id.display_name or "",
            "company": line.company_id.name or "",
            "on_hand": line.quantity,
        }

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------

    @api.model
    def _export_sheet(self, lines):
        """The XLSX count sheet of these wizard lines, as bytes."""
        columns = self._get_columns()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Count Sheet"))
        header = workbook.add_format({"bold": True, "bg_color": "#E9ECEF"})
        to_fill = workbook.add_format({"bg_color": "#FFF3CD"})
        fill_keys = {key for key, __ in columns} - set(self._get_row_values(lines[:1]))
        for col, (key, label) in enumerate(columns):
            sheet.write(0, col, label, header)
            sheet.set_column(col, col, 28 if key in fill_keys else 18)
        for row, line in enumerate(lines, 1):
            values = self._get_row_values(line)
            for col, (key, __) in enumerate(columns):
                if key in values:
                    sheet.write(row, col, values[key])
                else:
                    sheet.write_blank(row, col, None, to_fill)
        sheet.freeze_panes(1, 0)
        workbook.close()
        return output.getvalue()

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------

    @api.model
    def _read_sheet(self, content, file_name):
        """The sheet's rows (lists of text), the header first, read by Odoo's
        import (base_import): CSV, XLS, XLSX or ODS."""
        # a transient record, as the Import screen makes (vacuumed by Odoo)
        importer = self.env["base_import.import"].create(
            {
                "res_model": "stock.lot.reassign.assignment",
                "file": content,
                "file_name": file_name or "",
                "file_type": guess_mimetype(content or b""),
            }
        )
        try:
            __, rows = importer._read_file({"quoting": '"', "encoding": ""})
        except Exception as error:  # pylint: disable=broad-except
            # whatever the file holds: say it cannot be read, not a traceback
            raise UserError(
                _(
                    "%(file)s cannot be read as a spreadsheet (XLSX, XLS, ODS or "
                    "CSV): %(error)s",
                    file=file_name or _("The file"),
                    error=error,
                )
            ) from error
        rows = [list(row) for row in rows or []]
        if len(rows) - 1 > MAX_SHEET_ROWS:
            raise UserError(
                _(
                    "%(file)s has %(count)s rows; one import takes at most %(max)s. "
                    "Split it, or give the numbers to reassign_lots, which runs big "
                    "reassignments in the background.",
                    file=file_name or _("The file"),
                    count=len(rows) - 1,
                    max=MAX_SHEET_ROWS,
                )
            )
        return rows

    @api.model
    def _map_header(self, header):
        """``{key: column index}`` from the header row."""
        labels = defaultdict(set)
        known = {key for key, __ in self._get_columns()} | {"barcode"}
        for key, aliases in HEADER_ALIASES.items():
            if key in known:
                labels[key].update(aliases)
        for key, label in self._get_columns():
            labels[key].add(label.strip().lower())
        for key, label in self.with_context(lang="en_US")._get_columns():
            labels[key].add(label.strip().lower())
        by_label = {label: key for key, aliases in labels.items() for label in aliases}
        columns = {}
        for index, title in enumerate(header):
            key = by_label.get(str(title).strip().lower())
            if key and key not in columns:
                columns[key] = index
        missing = [
            label
            for key, label in self._get_columns()
            if key in ("lot_name", "location") and key not in columns
        ]
        if "lot_name" in columns and not (
            {"default_code", "barcode", "product", "variant"} & set(columns)
        ):
            missing.append(_("Product"))
        if missing:
            raise UserError(
                _(
                    "The sheet has no column %(columns)s: keep the header row of "
                    "the exported count sheet.",
                    columns=", ".join(missing),
                )
            )
        return columns

    @api.model
    def _parse_sheet(self, wizard, rows):
        """Every row with a lot/serial number, checked against the wizard's
        lines; nothing is assigned here.

        :return: list of dicts: ``row`` (number in the sheet), ``line`` (the
            wizard line or an empty recordset), ``lot_name``, ``quantity``,
            ``vals`` (extra values of the assignment), ``errors`` (texts)
        """
        if not rows:
            raise UserError(_("The sheet is empty."))
        columns = self._map_header(rows[0])
        finder = self._get_place_finder(wizard)
        parsed = []
        # rows are numbered as the spreadsheet shows them (header: 1), pasted
        # lines from 1
        first = 1 if self.env.context.get("count_sheet_pasted") else 2
        for number, row in enumerate(rows[1:], first):
            cells = {
                key: (str(row[index]).strip() if index < len(row) else "")
                for key, index in columns.items()
            }
            if not cells.get("lot_name"):
                continue  # a place nobody counted
            parsed.append(self._parse_row(wizard, number, cells, columns, finder))
        self._check_totals(wizard, parsed, columns)
        return parsed

    @api.model
    def _at(self, columns, key, number, message):
        """``message``, prefixed with the cell it is about (not for pasted
        lines, which have no cells)."""
        if self.env.context.get("count_sheet_pasted") or key not in columns:
            return message
        return _(
            "cell %(cell)s: %(message)s",
            cell=xl_rowcol_to_cell(number - 1, columns[key]),
            message=message,
        )

    @api.model
    def _parse_row(self, wizard, number, cells, columns, finder):
        result = {
            "row": number,
            "line": wizard.line_ids.browse(),
            "lot_name": cells["lot_name"],
            "quantity": 0.0,
            "vals": {},
            "errors": [],
        }
        errors = result["errors"]
        product, product_key = finder.find_product(cells)
        if not product:
            errors.append(
                self._at(
                    columns,
                    product_key,
                    number,
                    _(
                        "%(value)s is not one of the products being reassigned",
                        value=cells.get(product_key) or _("(empty)"),
                    ),
                )
            )
        else:
            line = finder.find_line(product, cells)
            if not line:
                errors.append(
                    self._at(
                        columns,
                        "location",
                        number,
                        _(
                            "%(product)s has no stock without lot/serial in %(place)s",
                            product=product.display_name,
                            place=" / ".join(
                                v
                                for v in (
                                    cells.get("location"),
                                    cells.get("package"),
                                    cells.get("owner"),
                                )
                                if v
                            )
                            or _("(no location)"),
                        ),
                    )
                )
            result["line"] = line or wizard.line_ids.browse()
        quantity, error = self._parse_quantity(wizard, cells.get("quantity", ""))
        if error:
            errors.append(self._at(columns, "quantity", number, error))
        result["quantity"] = quantity
        extra_errors = self._parse_extra(result, cells, columns, number)
        errors.extend(extra_errors)
        return result

    @api.model
    def _parse_quantity(self, wizard, text):
        """``(quantity, error)``; an empty quantity is 1 for a serial."""
        if not text:
            if wizard.tracking == "serial":
                return 1.0, False
            return 0.0, _("the quantity is empty")
        try:
            quantity = float(text.replace(",", "."))
        except ValueError:
            return 0.0, _("%(value)s is not a quantity", value=text)
        if not math.isfinite(quantity) or quantity <= 0:
            return 0.0, _("%(value)s is not a quantity above 0", value=text)
        if wizard.tracking == "serial" and quantity != 1:
            return 0.0, _("a serial number holds 1 unit, not %(value)s", value=text)
        return quantity, False

    @api.model
    def _parse_extra(self, result, cells, columns, number):
        """Other columns of the row into ``result["vals"]``; the errors."""
        text = cells.get("expiration_date")
        if not text:
            return []
        date = self._parse_date(text)
        if not date:
            return [
                self._at(
                    columns,
                    "expiration_date",
                    number,
                    _(
                        "%(value)s is not a date (YYYY-MM-DD, or as your language "
                        "writes dates)",
                        value=text,
                    ),
                )
            ]
        result["vals"]["expiration_date"] = date
        return []

    @api.model
    def _parse_date(self, text):
        """A date as a spreadsheet or a person writes it: ISO (what Odoo's
        import reads from XLSX/ODS date cells), or the user's language
        format."""
        date = self.env["stock.lot.reassignment.input"]._parse_expiration_date(text)
        if date:
            return date
        lang = self.env["res.lang"]._lang_get(self.env.lang or "en_US")
        for pattern in (lang.date_format, f"{lang.date_format} {lang.time_format}"):
            try:
                return datetime.datetime.strptime(text, pattern)
            except ValueError:
                continue
        return None

    @api.model
    def _check_totals(self, wizard, parsed, columns):
        """No place gets more than it holds; no serial twice."""
        by_line = defaultdict(list)
        for result in parsed:
            if result["line"] and not result["errors"]:
                by_line[result["line"]].append(result)
        for line, results in by_line.items():
            total = sum(result["quantity"] for result in results)
            if (
                float_compare(
                    total, line.quantity, precision_rounding=line.uom_id.rounding
                )
                > 0
            ):
                for result in results:
                    result["errors"].append(
                        self._at(
                            columns,
                            "quantity",
                            result["row"],
                            _(
                                "rows %(rows)s give %(total)s %(uom)s to "
                                "%(place)s, which holds %(quantity)s",
                                rows=", ".join(str(r["row"]) for r in results),
                                total=total,
                                uom=line.uom_id.name,
                                place=line.display_name,
                                quantity=line.quantity,
                            ),
                        )
                    )
        if wizard.tracking != "serial":
            return
        rows_by_serial = defaultdict(list)
        for result in parsed:
            if result["line"]:
                key = (result["line"].product_id, result["lot_name"])
                rows_by_serial[key].append(result)
        for (product, name), results in rows_by_serial.items():
            if len(results) > 1:
                for result in results:
                    result["errors"].append(
                        self._at(
                            columns,
                            "lot_name",
                            result["row"],
                            _(
                                "serial number %(name)s of %(product)s is "
                                "on rows %(rows)s",
                                name=name,
                                product=product.display_name,
                                rows=", ".join(str(r["row"]) for r in results),
                            ),
                        )
                    )

    @api.model
    def _get_place_finder(self, wizard):
        return PlaceFinder(wizard)


class PlaceFinder:
    """The wizard's products and lines, looked up by what a sheet holds:
    internal reference, barcode or name; location by full name or barcode;
    package and owner by name."""

    def __init__(self, wizard):
        self.lines = defaultdict(list)
        products = wizard.line_ids.product_id
        self.by_code = {p.default_code: p for p in products if p.default_code}
        self.by_barcode = {p.barcode: p for p in products if p.barcode}
        self.by_name = {p.display_name: p for p in products}
        templates = defaultdict(list)
        for product in products:
            templates[product.product_tmpl_id.name].append(product)
        self.by_name.update(
            {
                name: variants[0]
                for name, variants in templates.items()
                if len(variants) == 1
            }
        )
        for line in wizard.line_ids:
            self.lines[line.product_id].append(line)

    def find_product(self, cells):
        """``(product or None, the key of the cell that named it)``."""
        for key, index in (
            ("default_code", self.by_code),
            ("barcode", self.by_barcode),
            ("variant", self.by_name),
            ("product", self.by_name),
        ):
            value = cells.get(key)
            if value:
                product = index.get(value) or (
                    key == "product"
                    and (self.by_code.get(value) or self.by_barcode.get(value))
                )
                return product or None, key
        return None, "product"

    def find_line(self, product, cells):
        location = cells.get("location", "")
        package = cells.get("package", "")
        owner = cells.get("owner", "")
        for line in self.lines[product]:
            if (
                location in (line.location_id.complete_name, line.location_id.barcode)
                and package == (line.package_id.name or "")
                and owner == (line.owner_id.display_name or "")
            ):
                return line
        return None
