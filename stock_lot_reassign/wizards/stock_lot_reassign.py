# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from ..models.stock_lot_reassignment_procedure import TRACKING_SELECTION


class StockLotReassign(models.TransientModel):
    _name = "stock.lot.reassign"
    _description = "Lot/Serial Number Reassignment"

    product_tmpl_ids = fields.Many2many(
        "product.template", string="Products", required=True, readonly=True
    )
    tracking = fields.Selection(
        TRACKING_SELECTION,
        required=True,
        default="lot",
    )
    state = fields.Selection(
        [("review", "Review"), ("assign", "Assign")], default="review", required=True
    )
    line_ids = fields.One2many("stock.lot.reassign.line", "wizard_id", string="Stock")
    assignment_ids = fields.One2many(
        "stock.lot.reassign.assignment", "wizard_id", string="Lots/Serials"
    )
    has_hidden_stock = fields.Boolean(
        "Stock in Other Companies",
        readonly=True,
        help="These products also have stock without lot/serial in companies "
        "the user cannot access or has not selected: it is not shown, and the "
        "reassignment, which covers every company at once, is refused.",
    )
    is_restore = fields.Boolean(
        "Restore from History",
        compute="_compute_is_restore",
        help="The stock without lot/serial was already set to zero: the "
        "quantities to restore come from the History.",
    )
    quantity_total = fields.Float(
        "To Assign", compute="_compute_quantities", digits="Product Unit of Measure"
    )
    quantity_assigned = fields.Float(
        "Assigned", compute="_compute_quantities", digits="Product Unit of Measure"
    )
    quantity_remaining = fields.Float(
        "Unassigned", compute="_compute_quantities", digits="Product Unit of Measure"
    )
    next_serial = fields.Char(
        "First Lot/Serial Number",
        help="Serial numbers are generated from it with Odoo's rule: its last "
        "number is incremented, keeping its padding.",
    )
    next_serial_count = fields.Integer(
        "Number of Serial Numbers", help="Defaults to the unassigned units."
    )
    lot_prefix = fields.Char(
        default="LOT-",
        help="One Lot per Product names each product's lot from this prefix "
        "and the product's internal reference (or its name).",
    )
    lot_names = fields.Text(
        "Lot/Serial Numbers to Paste",
        help="One per line. Serial numbers take one unit each; lots take the "
        "whole unassigned quantity of a line each, in the order of the lines. "
        "A line can also read name;quantity;date;location, as Odoo's Import "
        "Lots (tabs work too): the quantity, an expiration date (with the "
        "Product Expiry app) and the location (full name or barcode) it goes to.",
    )
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
    import_line_ids = fields.One2many(
        "stock.lot.reassign.import.line", "wizard_id", string="Imported Rows"
    )
    show_expiration_date = fields.Boolean(compute="_compute_show_expiration_date")
    import_error_count = fields.Integer(
        "Rows with Errors", compute="_compute_import_error_count"
    )

    @api.depends("product_tmpl_ids")
    def _compute_show_expiration_date(self):
        """Only with product_expiry, for products that use expiration dates."""
        uses_dates = self.env["stock.lot.reassignment.input"]._uses_expiration_dates()
        for wizard in self:
            wizard.show_expiration_date = uses_dates and any(
                wizard.product_tmpl_ids.mapped("use_expiration_date")
            )

    @api.depends("import_line_ids.is_valid")
    def _compute_import_error_count(self):
        for wizard in self:
            wizard.import_error_count = len(
                wizard.import_line_ids.filtered(lambda row: not row.is_valid)
            )

    @api.depends("line_ids.is_restore")
    def _compute_is_restore(self):
        for wizard in self:
            wizard.is_restore = any(wizard.line_ids.mapped("is_restore"))

    @api.depends("line_ids.quantity", "assignment_ids.quantity")
    def _compute_quantities(self):
        for wizard in self:
            wizard.quantity_total = sum(wizard.line_ids.mapped("quantity"))
            wizard.quantity_assigned = sum(wizard.assignment_ids.mapped("quantity"))
            wizard.quantity_remaining = wizard.quantity_total - wizard.quantity_assigned

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------

    @api.model
    def _get_open_action(self, templates):
        line_vals, hidden = self._prepare_line_vals(templates)
        wizard = self.create(
            {
                "product_tmpl_ids": [fields.Command.set(templates.ids)],
                "has_hidden_stock": hidden,
                "tracking": templates[:1].tracking
                if templates[:1].tracking != "none"
                else "lot",
                "line_ids": [fields.Command.create(vals) for vals in line_vals],
            }
        )
        return wizard._get_reopen_action()

    @api.model
    def _prepare_line_vals(self, templates):
        """The lines of the places the user may see, and whether other
        companies hold more.

        :return: ``(vals_list, hidden)``
        """
        places, hidden = self.env[
            "stock.lot.reassignment.procedure"
        ]._get_places_to_reassign(templates)
        return [
            {
                "product_id": place.product.id,
                "location_id": place.location.id,
                "package_id": place.package.id,
                "owner_id": place.owner.id,
                "quantity": quantity,
                "reserved_quantity": reserved,
                "is_restore": from_history,
            }
            for place, quantity, reserved, from_history in places
        ], hidden

    def _get_reopen_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Assign Lots/Serial Numbers"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": dict(self.env.context, dialog_size="extra-large"),
        }

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def action_next(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(
                _(
                    "These products have no stock without lot/serial number, and no "
                    "inventory adjustment in their History set such stock to zero: "
                    "there is nothing to reassign. Change their tracking directly."
                )
            )
        self.state = "assign"
        if not self.next_serial_count:
            self.next_serial_count = int(self.quantity_remaining)
        return self._get_reopen_action()

    def action_back(self):
        self.state = "review"
        return self._get_reopen_action()

    def action_generate(self):
        """Assign the unassigned units to generated lot/serial numbers."""
        self.ensure_one()
        first = (self.next_serial or "").strip()
        if not first:
            raise UserError(_("Give the first lot/serial number."))
        if self.tracking == "lot":
            self._assign_remaining_to_lot(first)
        else:
            count = self.next_serial_count or int(self.quantity_remaining)
            names = [
                vals["lot_name"]
                for vals in self.env["stock.lot"].generate_lot_names(first, count)
            ]
            self._assign_serials(names)
        return self._get_reopen_action()

    def action_generate_per_product(self):
        """Assign the unassigned units of each product to one lot of its own."""
        self.ensure_one()
        prefix = (self.lot_prefix or "").strip()
        self._create_assignments(
            (line, self._get_product_lot_name(prefix, line.product_id), quantity)
            for line, quantity in self._lines_with_remaining_quantity()
        )
        return self._get_reopen_action()

    @api.model
    def _get_product_lot_name(self, prefix, product):
        return f"{prefix}{product.default_code or product.name}"

    def action_paste(self):
        """Assign the unassigned units to the pasted lot/serial numbers."""
        self.ensure_one()
        names = [name.strip() for name in (self.lot_names or "").splitlines()]
        names = [name for name in names if name]
        if not names:
            raise UserError(_("Paste the lot/serial numbers, one per line."))
        if any(";" in name or "\t" in name for name in names):
            self._assign_pasted_rows(names)
        elif self.tracking == "serial":
            self._assign_serials(names)
        else:
            self._assign_lots(names)
        self.lot_names = False
        return self._get_reopen_action()

    def _assign_pasted_rows(self, texts):
        """``name;quantity;date;location`` lines, as the rows of a sheet: a
        line without location takes the next unassigned units, in the order
        of the lines; each checked, nothing assigned unless all are valid."""
        Sheet = self.env["stock.lot.reassign.count.sheet"].with_context(
            count_sheet_pasted=True
        )
        takes_dates = "expiration_date" in dict(Sheet._get_columns())
        remaining = {line: line.quantity_remaining for line in self.line_ids}
        rows = [
            [
                "lot_name",
                "quantity",
                "expiration_date",
                "location",
                "package",
                "owner",
                "variant",
            ]
        ]
        for number, text in enumerate(texts, 1):
            parts = [part.strip() for part in text.replace(";", "\t").split("\t")]
            name, quantity, date, location = (parts + [""] * 4)[:4]
            if date and not takes_dates:
                raise UserError(
                    _(
                        "Line %(line)s: an expiration date is taken only when the "
                        "Product Expiry app is installed.",
                        line=number,
                    )
                )
            line = self._get_pasted_line(remaining, location)
            if not line and not location:
                raise UserError(
                    _(
                        "Line %(line)s: every unit is already assigned; nothing was "
                        "assigned.",
                        line=number,
                    )
                )
            if not quantity and line:
                quantity = "1" if self.tracking == "serial" else str(remaining[line])
            if line:
                remaining[line] -= self._get_pasted_quantity(quantity)
            rows.append(
                [name, quantity, date, location or line.location_id.complete_name]
                + (
                    [
                        line.package_id.name or "",
                        line.owner_id.display_name or "",
                        line.product_id.display_name,
                    ]
                    if line
                    else ["", "", self.line_ids.product_id[:1].display_name or ""]
                )
            )
        parsed = Sheet._parse_sheet(self, rows)
        self._raise_import_errors(parsed)
        self._create_assignments_from_rows(parsed)

    @api.model
    def _get_pasted_quantity(self, text):
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return 0.0  # the check of the rows says why

    def _get_pasted_line(self, remaining, location):
        """The first line (at ``location``, when named) with units left."""
        for line, quantity in remaining.items():
            at_location = not location or location in (
                line.location_id.complete_name,
                line.location_id.barcode,
            )
            if at_location and quantity > 0:
                return line
        return None

    # ------------------------------------------------------------------
    # Count sheet: out, then back in
    # ------------------------------------------------------------------

    def action_export_count_sheet(self):
        """Download the XLSX count sheet of the stock without lot/serial."""
        self.ensure_one()
        if not self.line_ids:
            raise UserError(_("There is no stock without lot/serial to count."))
        self.write(
            {
                "count_sheet_file": base64.b64encode(
                    self.env["stock.lot.reassign.count.sheet"]._export_sheet(
                        self.line_ids
                    )
                ),
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
        Sheet = self.env["stock.lot.reassign.count.sheet"]
        rows = Sheet._read_sheet(
            base64.b64decode(self.import_file), self.import_file_name
        )
        parsed = Sheet._parse_sheet(self, rows)
        if not parsed:
            raise UserError(_("No row of the sheet has a lot/serial number."))
        self.import_line_ids.unlink()
        self.env["stock.lot.reassign.import.line"].create(
            [self._prepare_import_line_vals(result) for result in parsed]
        )
        return self._get_reopen_action()

    def _prepare_import_line_vals(self, result):
        return dict(
            result["vals"],
            wizard_id=self.id,
            row=result["row"],
            line_id=result["line"].id,
            lot_name=result["lot_name"],
            quantity=result["quantity"],
            error="\n".join(result["errors"]) or False,
            is_valid=not result["errors"],
        )

    def action_import_apply(self):
        """Replace the assignments with the imported rows, all valid."""
        self.ensure_one()
        if not self.import_line_ids:
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
        self.env["stock.lot.reassign.assignment"].create(
            [row._get_assignment_vals() for row in self.import_line_ids]
        )
        return self.action_import_discard()

    def action_import_discard(self):
        self.import_line_ids.unlink()
        self.write({"import_file": False, "import_file_name": False})
        return self._get_reopen_action()

    def _raise_import_errors(self, parsed):
        errors = [
            _(
                "line %(row)s: %(errors)s",
                row=result["row"],
                errors="; ".join(result["errors"]),
            )
            for result in parsed
            if result["errors"]
        ]
        self.env["stock.lot.reassignment.check"]._raise_errors(
            _("Nothing was assigned:"), errors
        )

    def _create_assignments_from_rows(self, parsed):
        self.env["stock.lot.reassign.assignment"].create(
            [
                dict(
                    result["vals"],
                    wizard_id=self.id,
                    line_id=result["line"].id,
                    lot_name=result["lot_name"],
                    quantity=result["quantity"],
                )
                for result in parsed
            ]
        )

    def action_clear(self):
        self.assignment_ids.unlink()
        return self._get_reopen_action()

    def action_apply(self):
        """Run the reassignment and show its record.

        Past the background threshold, the checked plan is queued for the
        scheduled action instead, and its record is shown.
        """
        self.ensure_one()
        assignments = self._get_assignments()
        Runner = self.env["stock.lot.reassignment.runner"]
        if len(assignments) > Runner._get_background_threshold():
            reassignment = Runner._enqueue(
                self.product_tmpl_ids, self.tracking, assignments
            )
        else:
            __, reassignment = self.env["stock.lot.reassignment.procedure"]._run(
                self.product_tmpl_ids, self.tracking, assignments
            )
        return reassignment._get_form_action()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _get_assignments(self):
        return [
            self._get_reassign_lots_vals(assignment)
            for assignment in self.assignment_ids
        ]

    def _get_reassign_lots_vals(self, assignment):
        """The assignment as reassign_lots takes it."""
        vals = {
            "product_id": assignment.line_id.product_id.id,
            "location_id": assignment.line_id.location_id.id,
            "package_id": assignment.line_id.package_id.id,
            "owner_id": assignment.line_id.owner_id.id,
            "lot_name": assignment.lot_name,
            "quantity": assignment.quantity,
        }
        if assignment.expiration_date:
            vals["expiration_date"] = fields.Datetime.to_string(
                assignment.expiration_date
            )
        return vals

    def _lines_with_remaining(self):
        return self.line_ids.filtered(
            lambda line: (
                float_round(
                    line.quantity_remaining,
                    precision_rounding=line.product_id.uom_id.rounding,
                )
                > 0
            )
        )

    def _lines_with_remaining_quantity(self):
        return [
            (line, line.quantity_remaining) for line in self._lines_with_remaining()
        ]

    def _assign_remaining_to_lot(self, lot_name):
        self._assign_lots([lot_name] * len(self._lines_with_remaining()))

    def _assign_lots(self, names):
        """Each name takes the whole unassigned quantity of a line, in order."""
        lines = self._lines_with_remaining()
        if len(names) > len(lines):
            raise UserError(
                _(
                    "%(names)s lot numbers for %(lines)s lines still to assign: "
                    "give one lot per line, then split lines by hand.",
                    names=len(names),
                    lines=len(lines),
                )
            )
        self._create_assignments(
            (line, name, line.quantity_remaining)
            for line, name in zip(lines, names, strict=False)
        )

    def _assign_serials(self, names):
        """Each name takes one unassigned unit, line after line."""
        units = [
            line
            for line in self._lines_with_remaining()
            for __ in range(round(line.quantity_remaining))
        ]
        if len(names) > len(units):
            raise UserError(
                _(
                    "%(names)s serial numbers for %(units)s unassigned units.",
                    names=len(names),
                    units=len(units),
                )
            )
        self._create_assignments(
            (line, name, 1) for line, name in zip(units, names, strict=False)
        )

    def _create_assignments(self, line_name_quantities):
        self.env["stock.lot.reassign.assignment"].create(
            [
                {
                    "wizard_id": self.id,
                    "line_id": line.id,
                    "lot_name": name,
                    "quantity": quantity,
                }
                for line, name, quantity in line_name_quantities
            ]
        )
