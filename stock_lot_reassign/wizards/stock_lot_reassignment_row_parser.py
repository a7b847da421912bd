# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import math
from collections import defaultdict, namedtuple

from xlsxwriter.utility import xl_rowcol_to_cell

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

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
    "from_lot": (
        "from lot/serial",
        "from lot/serial number",
        "from lot",
        "from_lot_id",
        "old lot",
        "current lot",
    ),
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


# A row of lot/serial numbers, from a sheet or pasted: its number (as the
# spreadsheet shows it, or the pasted line's), its cells by column key, the
# sheet's columns (None for a pasted line: no cell to point at), the wizard
# line it was given to (a pasted line, by order) or None, and an error found
# before any cell was read.
SheetRow = namedtuple("SheetRow", "number cells columns line error")


class StockLotReassignmentRowParser(models.AbstractModel):
    """The rows of lot/serial numbers a user gives the wizard, read and
    checked in one place: the rows of a count sheet (``_get_sheet_rows``)
    and pasted ``name;quantity;date;location;from lot`` lines
    (``_get_pasted_rows``)
    go through the same ``_parse_rows``.

    Inherited by the count sheet, and so by ``stock.lot.reassignment.wizard``:
    ``self`` is the wizard.
    """

    _name = "stock.lot.reassignment.row.parser"
    _description = "Lot/Serial Reassignment: Rows of Lot/Serial Numbers"

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
            ("from_lot", _("From Lot/Serial")),
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
            "from_lot": line.lot_id.name or "",
            "on_hand": line.quantity,
        }

    # ------------------------------------------------------------------
    # Rows to assignments
    # ------------------------------------------------------------------

    def _assign_pasted_rows(self, texts):
        """``name;quantity;date;location;from lot`` lines, read as rows of
        the sheet; each checked, nothing assigned unless all are valid."""
        parsed = self._parse_rows(self._get_pasted_rows(texts))
        errors = []
        for result in parsed:
            if result["errors"]:
                errors.append(
                    _(
                        "line %(row)s: %(errors)s",
                        row=result["row"],
                        errors="; ".join(result["errors"]),
                    )
                )
        self.env["stock.lot.reassignment.check"]._raise_errors(
            _("Nothing was assigned:"), errors
        )
        self._create_assignments(
            [self._prepare_assignment_vals_from_row(result) for result in parsed]
        )

    def _prepare_assignment_vals_from_row(self, result):
        return self._prepare_assignment_vals(
            result["line"],
            result["lot_name"],
            result["quantity"],
            result["vals"].get("expiration_date", False),
        )

    # ------------------------------------------------------------------
    # Rows in: from a sheet, or pasted
    # ------------------------------------------------------------------

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
    def _get_sheet_rows(self, rows):
        """The rows of a sheet (the header first) as ``SheetRow``, numbered
        as the spreadsheet shows them (the header is row 1)."""
        if not rows:
            raise UserError(_("The sheet is empty."))
        columns = self._map_header(rows[0])
        return [
            SheetRow(
                number,
                {
                    key: (str(row[index]).strip() if index < len(row) else "")
                    for key, index in columns.items()
                },
                columns,
                None,
                None,
            )
            for number, row in enumerate(rows[1:], 2)
        ]

    def _get_pasted_rows(self, texts):
        """Pasted ``name;quantity;date;location;from lot`` lines (tabs work
        too) as ``SheetRow``, numbered from 1. A line without location takes
        the next unassigned units, in the order of the lines; one with a
        location (and a lot/serial it replaces), the first line there with
        units left. No quantity: 1 for a serial, the line's unassigned units
        for a lot."""
        takes_dates = "expiration_date" in dict(self._get_columns())
        remaining = {line: line.quantity_remaining for line in self.line_ids}
        rows = []
        for number, text in enumerate(texts, 1):
            parts = [part.strip() for part in text.replace(";", "\t").split("\t")]
            name, quantity, date, location, from_lot = (parts + [""] * 5)[:5]
            if date and not takes_dates:
                raise UserError(
                    _(
                        "Line %(line)s: an expiration date is taken only when the "
                        "Product Expiry app is installed.",
                        line=number,
                    )
                )
            line = self._get_pasted_line(remaining, location, from_lot)
            error = None
            if not line:
                error = (
                    _(
                        "no unassigned stock of %(lot)s in %(location)s",
                        lot=from_lot or _("no lot/serial"),
                        location=location or _("any location"),
                    )
                    if location or from_lot
                    else _("every unit is already assigned")
                )
            elif not quantity:
                quantity = "1" if self.tracking == "serial" else str(remaining[line])
            if line:
                remaining[line] -= self._get_pasted_quantity(quantity)
            cells = {"lot_name": name, "quantity": quantity, "expiration_date": date}
            rows.append(SheetRow(number, cells, None, line, error))
        return rows

    @api.model
    def _get_pasted_quantity(self, text):
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return 0.0  # the check of the rows says why

    def _get_pasted_line(self, remaining, location, from_lot=""):
        """The first line (at ``location``, of ``from_lot``, when named)
        with units left."""
        for line, quantity in remaining.items():
            at_location = not location or location in (
                line.location_id.complete_name,
                line.location_id.barcode,
            )
            of_lot = not from_lot or from_lot == line.lot_id.name
            if at_location and of_lot and quantity > 0:
                return line
        return None

    # ------------------------------------------------------------------
    # Rows checked: the one parser of the sheet and the paste
    # ------------------------------------------------------------------

    def _parse_rows(self, rows):
        """Every row with a lot/serial number, checked against the wizard's
        lines; nothing is assigned here.

        :return: list of dicts: ``row`` (its number), ``line`` (the wizard
            line or an empty recordset), ``lot_name``, ``quantity``, ``vals``
            (extra values of the assignment), ``errors`` (texts)
        """
        finder = PlaceFinder(self)
        parsed = [
            self._parse_row(row, finder) for row in rows if row.cells.get("lot_name")
        ]
        self._add_total_errors(parsed)
        return parsed

    @api.model
    def _at(self, row, key, message):
        """``message``, prefixed with the cell it is about (a pasted line has
        no cells)."""
        if row.columns is None or key not in row.columns:
            return message
        return _(
            "cell %(cell)s: %(message)s",
            cell=xl_rowcol_to_cell(row.number - 1, row.columns[key]),
            message=message,
        )

    def _parse_row(self, row, finder):
        cells = row.cells
        result = {
            "row": row.number,
            "sheet_row": row,
            "line": row.line or self.line_ids.browse(),
            "lot_name": cells["lot_name"],
            "quantity": 0.0,
            "vals": {},
            "errors": [row.error] if row.error else [],
        }
        if not row.line and not row.error:
            result["line"], error = self._find_row_line(row, finder)
            if error:
                result["errors"].append(error)
        quantity, error = self._parse_quantity(cells.get("quantity", ""))
        if error:
            result["errors"].append(self._at(row, "quantity", error))
        result["quantity"] = quantity
        result["errors"].extend(self._parse_extra(result, row))
        return result

    def _find_row_line(self, row, finder):
        """``(wizard line or empty, error)`` of the place the row's cells name."""
        cells = row.cells
        product, product_key = finder.find_product(cells)
        if not product:
            return self.line_ids.browse(), self._at(
                row,
                product_key,
                _(
                    "%(value)s is not one of the products being reassigned",
                    value=cells.get(product_key) or _("(empty)"),
                ),
            )
        line = finder.find_line(product, cells)
        if line:
            return line, None
        place = " / ".join(
            value
            for value in (
                cells.get("location"),
                cells.get("package"),
                cells.get("owner"),
            )
            if value
        )
        if cells.get("from_lot"):
            message = _(
                "%(product)s has no stock of %(lot)s to reassign in %(place)s",
                product=product.display_name,
                lot=cells["from_lot"],
                place=place or _("(no location)"),
            )
        else:
            message = _(
                "%(product)s has no stock without lot/serial in %(place)s",
                product=product.display_name,
                place=place or _("(no location)"),
            )
        return self.line_ids.browse(), self._at(row, "location", message)

    def _parse_quantity(self, text):
        """``(quantity, error)``; an empty quantity is 1 for a serial."""
        if not text:
            if self.tracking == "serial":
                return 1.0, False
            return 0.0, _("the quantity is empty")
        try:
            quantity = float(text.replace(",", "."))
        except ValueError:
            return 0.0, _("%(value)s is not a quantity", value=text)
        if not math.isfinite(quantity) or quantity <= 0:
            return 0.0, _("%(value)s is not a quantity above 0", value=text)
        if self.tracking == "serial" and quantity != 1:
            return 0.0, _("a serial number holds 1 unit, not %(value)s", value=text)
        return quantity, False

    @api.model
    def _parse_extra(self, result, row):
        """Other columns of the row into ``result["vals"]``; the errors."""
        text = row.cells.get("expiration_date")
        if not text:
            return []
        date = self._parse_date(text)
        if not date:
            return [
                self._at(
                    row,
                    "expiration_date",
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

    def _add_total_errors(self, parsed):
        """To each row's errors: a place given more than it holds, a serial
        given twice."""
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
                            result["sheet_row"],
                            "quantity",
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
        if self.tracking != "serial":
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
                            result["sheet_row"],
                            "lot_name",
                            _(
                                "serial number %(name)s of %(product)s is "
                                "on rows %(rows)s",
                                name=name,
                                product=product.display_name,
                                rows=", ".join(str(r["row"]) for r in results),
                            ),
                        )
                    )


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
        for line in wizard.line_ids.filtered("to_reassign"):
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
        from_lot = cells.get("from_lot", "")
        for line in self.lines[product]:
            if (
                location in (line.location_id.complete_name, line.location_id.barcode)
                and package == (line.package_id.name or "")
                and owner == (line.owner_id.display_name or "")
                and from_lot == (line.lot_id.name or "")
            ):
                return line
        return None
