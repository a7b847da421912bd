# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

# Bigger files go through several imports (or reassign_lots in the
# background): a preview of more rows is not read by anyone.
MAX_SHEET_ROWS = 20000


class StockLotReassignmentCountSheet(models.AbstractModel):
    """The count sheet of the reassignment wizard: exported with one row per
    place holding stock without lot/serial, read back filled in (XLSX, XLS,
    ODS or CSV, through Odoo's own file reading of base_import), each row
    checked (``stock.lot.reassignment.row.parser``) and previewed before
    anything is assigned.

    Inherited by ``stock.lot.reassignment.wizard``: ``self`` is the wizard.
    """

    _name = "stock.lot.reassignment.count.sheet"
    _inherit = ["stock.lot.reassignment.row.parser"]  # noqa: RUF012
    _description = "Lot/Serial Reassignment: Count Sheet"

    count_sheet_file = fields.Binary("Count Sheet", attachment=False, readonly=True)
    count_sheet_name = fields.Char(readonly=True)
    import_file = fields.Binary(
        "Filled Count Sheet",
        attachment=False,
        help="The exported count sheet filled in, or any sheet (XLSX, XLS, ODS, "
        "CSV) with the columns Product (internal reference, barcode or name), "
        "Location (full name or barcode), Lot/Serial Number and Quantity.",
    )
    import_file_name = fields.Char()
    import_row_ids = fields.One2many(
        "stock.lot.reassignment.wizard.row", "wizard_id", string="Imported Rows"
    )
    import_error_count = fields.Integer(
        "Rows with Errors", compute="_compute_import_error_count"
    )

    @api.depends("import_row_ids.is_valid")
    def _compute_import_error_count(self):
        for wizard in self:
            wizard.import_error_count = len(
                wizard.import_row_ids.filtered(lambda row: not row.is_valid)
            )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_export_count_sheet(self):
        """Download the XLSX count sheet of the stock without lot/serial."""
        self.ensure_one()
        if not self.line_ids:
            raise UserError(_("There is no stock without lot/serial to count."))
        self.write(
            {
                "count_sheet_file": base64.b64encode(self._export_sheet()),
                "count_sheet_name": _(
                    "count_sheet_%(date)s.xlsx", date=fields.Date.today()
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/count_sheet_file/"
            f"{self.count_sheet_name}?download=true",
            "target": "download",
        }

    def action_import_preview(self):
        """Read the uploaded sheet and check every row; nothing is assigned."""
        self.ensure_one()
        if not self.import_file:
            raise UserError(_("Upload the filled count sheet first."))
        rows = self._read_sheet(
            base64.b64decode(self.import_file), self.import_file_name
        )
        parsed = self._parse_rows(self._get_sheet_rows(rows))
        if not parsed:
            raise UserError(_("No row of the sheet has a lot/serial number."))
        self.import_row_ids.unlink()
        self.env["stock.lot.reassignment.wizard.row"].create(
            [
                dict(
                    self._prepare_assignment_vals_from_row(result),
                    row=result["row"],
                    error="\n".join(result["errors"]) or False,
                    is_valid=not result["errors"],
                )
                for result in parsed
            ]
        )
        return self._get_form_action()

    def action_import_apply(self):
        """Replace the assignments with the imported rows, all valid."""
        self.ensure_one()
        if not self.import_row_ids:
            raise UserError(_("Import a sheet first."))
        if self.import_error_count:
            raise UserError(
                _(
                    "%(count)s rows of the sheet have errors; nothing was "
                    "assigned. Correct the sheet and import it again.",
                    count=self.import_error_count,
                )
            )
        self.assignment_ids.unlink()
        self.env["stock.lot.reassignment.wizard.assignment"].create(
            [row._get_assignment_vals() for row in self.import_row_ids]
        )
        return self.action_import_discard()

    def action_import_discard(self):
        self.import_row_ids.unlink()
        self.write({"import_file": False, "import_file_name": False})
        return self._get_form_action()

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------

    def _export_sheet(self):
        """The XLSX count sheet of the wizard's lines to reassign, as bytes."""
        lines = self.line_ids.filtered("to_reassign")
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
    # Rows in: from a sheet, or pasted
    # ------------------------------------------------------------------

    @api.model
    def _read_sheet(self, content, file_name):
        """The sheet's rows (lists of text), the header first, read by Odoo's
        import (base_import): CSV, XLS, XLSX or ODS."""
        # a transient record, as the Import screen makes (vacuumed by Odoo)
        importer = self.env["base_import.import"].create(
            {
                "res_model": "stock.lot.reassignment.wizard.assignment",
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
