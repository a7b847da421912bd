# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from ..models.stock_lot_reassignment_procedure import TRACKING_SELECTION


class StockLotReassignmentWizard(models.TransientModel):
    """The reassignment wizard: review the stock (without lot/serial, and in
    lots/serials), choose what to reassign, give it new lots/serials
    (generated, split from its lots, kept, pasted, typed, or from the count
    sheet of
    ``stock.lot.reassignment.count.sheet``), apply. It only holds what the
    user gives; the procedure (``stock.lot.reassignment.procedure``) checks
    and runs it, in the foreground or through the background runner."""

    _name = "stock.lot.reassignment.wizard"
    _inherit = ["stock.lot.reassignment.count.sheet"]  # noqa: RUF012
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
    line_ids = fields.One2many(
        "stock.lot.reassignment.wizard.line", "wizard_id", string="Stock"
    )
    transfer_ids = fields.One2many(
        "stock.lot.reassignment.wizard.transfer",
        "wizard_id",
        string="Reserved by",
    )
    unreserve = fields.Boolean(
        "Unreserve these transfers and reserve them again",
        help="On Apply, in one transaction: these transfers' reservations of "
        "this stock are released as their Unreserve button does, the stock is "
        "reassigned, and Odoo reserves the same moves again, on the new "
        "lots/serials by the product's removal strategy. Started transfers are "
        "never unreserved.",
    )
    assignment_ids = fields.One2many(
        "stock.lot.reassignment.wizard.assignment", "wizard_id", string="Lots/Serials"
    )
    has_hidden_stock = fields.Boolean(
        "Stock in Other Companies",
        readonly=True,
        help="These products also have stock without lot/serial in companies "
        "the user cannot access or has not selected: it is not shown, and the "
        "reassignment, which covers every company at once, is refused.",
    )
    is_from_history = fields.Boolean(
        "Restore from History",
        compute="_compute_is_from_history",
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
    first_lot_name = fields.Char(
        "First Lot/Serial Number",
        help="Serial numbers are generated from it with Odoo's rule: its last "
        "number is incremented, keeping its padding.",
    )
    serial_count = fields.Integer(
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
    show_expiration_date = fields.Boolean(compute="_compute_show_expiration_date")
    has_lots = fields.Boolean(compute="_compute_has_lots")
    split_naming = fields.Selection(
        [
            ("suffix", "Lot Name and a Suffix"),
            ("first", "From a First Serial Number"),
        ],
        "Serial Names",
        default="suffix",
        required=True,
        help="Lot Name and a Suffix: lot L1 of 3 units becomes L1-001, L1-002, "
        "L1-003. From a First Serial Number: the serial numbers follow the "
        "First Lot/Serial Number above, lot after lot.",
    )
    split_separator = fields.Char("Separator", default="-")

    @api.depends("product_tmpl_ids")
    def _compute_show_expiration_date(self):
        """Only with product_expiry, for products that use expiration dates."""
        uses_dates = self.env["stock.lot.reassignment.input"]._uses_expiration_dates()
        for wizard in self:
            wizard.show_expiration_date = uses_dates and any(
                wizard.product_tmpl_ids.mapped("use_expiration_date")
            )

    @api.depends("line_ids.is_from_history")
    def _compute_is_from_history(self):
        for wizard in self:
            wizard.is_from_history = any(wizard.line_ids.mapped("is_from_history"))

    @api.depends("line_ids.lot_id")
    def _compute_has_lots(self):
        for wizard in self:
            wizard.has_lots = bool(wizard.line_ids.lot_id)

    @api.depends("line_ids.quantity", "line_ids.to_reassign", "assignment_ids.quantity")
    def _compute_quantities(self):
        for wizard in self:
            wizard.quantity_total = sum(
                wizard.line_ids.filtered("to_reassign").mapped("quantity")
            )
            wizard.quantity_assigned = sum(wizard.assignment_ids.mapped("quantity"))
            wizard.quantity_remaining = wizard.quantity_total - wizard.quantity_assigned

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------

    @api.model
    def _create_for_products(self, templates, lots=None, tracking=None):
        """The wizard on these products' stock; ``lots``: lots/serials the
        user picked, ticked to reassign; ``tracking``: the one to switch to
        (default: the products' own, lots for untracked products)."""
        sources, hidden, quants = self.env[
            "stock.lot.reassignment.procedure"
        ]._get_places_to_reassign(templates)
        transfer_vals = self.env[
            "stock.lot.reassignment.reservation"
        ]._prepare_wizard_transfer_vals(quants)
        return self.create(
            {
                "product_tmpl_ids": [fields.Command.set(templates.ids)],
                "has_hidden_stock": hidden,
                "tracking": tracking or self._get_default_tracking(templates),
                "line_ids": [
                    fields.Command.create(self._prepare_line_vals(*source, lots=lots))
                    for source in sources
                ],
                "transfer_ids": [fields.Command.create(vals) for vals in transfer_vals],
            }
        )

    @api.model
    def _get_default_tracking(self, templates):
        tracking = templates[:1].tracking
        return tracking if tracking != "none" else "lot"

    @api.model
    def _prepare_line_vals(
        self, source, quantity, reserved, from_history, lot_quantity, lots=None
    ):
        """A line of a place the user may see, with the lot it carries."""
        place = source.place
        vals = {
            "product_id": place.product.id,
            "location_id": place.location.id,
            "package_id": place.package.id,
            "owner_id": place.owner.id,
            "lot_id": source.lot.id,
            "lot_quantity": lot_quantity,
            "quantity": quantity,
            "reserved_quantity": reserved,
            "is_from_history": from_history,
        }
        if lots and source.lot in lots:
            vals["to_reassign"] = True
        return vals

    def _get_form_action(self):
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
        if not self.line_ids.filtered("to_reassign"):
            raise UserError(
                _(
                    "There is nothing to reassign: these products have no stock "
                    "without lot/serial number, no inventory adjustment in their "
                    "History set such stock to zero, their lots/serials fit the "
                    "chosen tracking, and no lot is ticked to reassign. Tick the "
                    "lots to reassign, or change the tracking directly."
                )
            )
        self.state = "assign"
        if self.tracking == "none":
            self._assign_without_lots()
        if not self.serial_count:
            self.serial_count = int(self.quantity_remaining)
        return self._get_form_action()

    def action_back(self):
        self.state = "review"
        return self._get_form_action()

    def action_generate(self):
        """Assign the unassigned units to generated lot/serial numbers."""
        self.ensure_one()
        first = (self.first_lot_name or "").strip()
        if not first:
            raise UserError(_("Give the first lot/serial number."))
        if self.tracking == "lot":
            self._assign_remaining_to_lot(first)
        else:
            count = self.serial_count or int(self.quantity_remaining)
            names = [
                vals["lot_name"]
                for vals in self.env["stock.lot"].generate_lot_names(first, count)
            ]
            self._assign_serials(names)
        return self._get_form_action()

    def action_generate_per_product(self):
        """Assign the unassigned units of each product to one lot of its own."""
        self.ensure_one()
        prefix = (self.lot_prefix or "").strip()
        self._create_assignments(
            [
                self._prepare_assignment_vals(
                    line,
                    self._get_product_lot_name(prefix, line.product_id),
                    line.quantity_remaining,
                )
                for line in self._lines_with_remaining()
            ]
        )
        return self._get_form_action()

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
        return self._get_form_action()

    def action_split_lots(self):
        """Each lot's unassigned units to serial numbers of their own: the
        lot's name and a numbered suffix, or from the first serial number."""
        self.ensure_one()
        lines = self._lines_with_remaining().filtered("lot_id")
        if not lines:
            raise UserError(_("No lot to split is left unassigned."))
        if self.split_naming == "first":
            first = (self.first_lot_name or "").strip()
            if not first:
                raise UserError(_("Give the first lot/serial number."))
            count = sum(round(line.quantity_remaining) for line in lines)
            names = [
                vals["lot_name"]
                for vals in self.env["stock.lot"].generate_lot_names(first, count)
            ]
        else:
            names = [name for line in lines for name in self._get_split_names(line)]
        self._assign_serials(names, lines)
        return self._get_form_action()

    def _get_split_names(self, line):
        """``L1-001``, ``L1-002``…: the lot's name, the separator, a number
        padded to at least 3 digits, for its unassigned units."""
        count = round(line.quantity_remaining)
        digits = max(3, len(str(count)))
        separator = self.split_separator or ""
        return [
            f"{line.lot_id.name}{separator}{index:0{digits}d}"
            for index in range(1, count + 1)
        ]

    def action_keep_names(self):
        """Each lot's unassigned units back under its own name: a serial
        number stays itself, a lot keeps its name (a lot of several units
        cannot stay one serial number: it is left unassigned)."""
        self.ensure_one()
        lines = self._lines_with_remaining().filtered("lot_id")
        if self.tracking == "serial":
            lines = lines.filtered(
                lambda line: (
                    float_round(
                        line.quantity_remaining,
                        precision_rounding=line.product_id.uom_id.rounding,
                    )
                    == 1
                )
            )
        if not lines:
            raise UserError(_("No lot/serial number can keep its name here."))
        self._create_assignments(
            [
                self._prepare_assignment_vals(
                    line, line.lot_id.name, line.quantity_remaining
                )
                for line in lines
            ]
        )
        return self._get_form_action()

    def _assign_without_lots(self):
        """Without tracking every unit comes back without lot/serial."""
        self._create_assignments(
            [
                self._prepare_assignment_vals(line, False, line.quantity_remaining)
                for line in self._lines_with_remaining()
            ]
        )

    def action_clear(self):
        self.assignment_ids.unlink()
        return self._get_form_action()

    def action_apply(self):
        """Run the reassignment and show its record.

        A run estimated to take longer than the background threshold
        (seconds, from the measured rates per product, place and
        lot/serial) is checked, then queued for the scheduled action instead,
        and its record, with its progress, is shown. A transfer that could
        not be reserved in full again is said in a notification first.
        """
        self.ensure_one()
        assignments = self._get_assignments()
        Runner = self.env["stock.lot.reassignment.runner"]
        if Runner._should_run_in_background(assignments):
            reassignment = Runner._enqueue(
                self.product_tmpl_ids, self.tracking, assignments, self.unreserve
            )
        else:
            __, reassignment = self.env["stock.lot.reassignment.procedure"]._run(
                self.product_tmpl_ids,
                self.tracking,
                assignments,
                unreserve=self.unreserve,
            )
        action = reassignment._get_form_action()
        if not reassignment.reservation_warning:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("%(reference)s is done", reference=reassignment.name),
                "message": reassignment.reservation_warning,
                "type": "warning",
                "sticky": True,
                "next": action,
            },
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _get_assignments(self):
        """The assignments as reassign_lots takes them."""
        return [
            assignment._get_reassign_lots_vals() for assignment in self.assignment_ids
        ]

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
            [
                self._prepare_assignment_vals(line, name, line.quantity_remaining)
                for line, name in zip(lines, names, strict=False)
            ]
        )

    def _assign_serials(self, names, lines=None):
        """Each name takes one unassigned unit, line after line (of
        ``lines``, default: every line with units left)."""
        units = [
            line
            for line in (self._lines_with_remaining() if lines is None else lines)
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
            [
                self._prepare_assignment_vals(line, name, 1)
                for line, name in zip(units, names, strict=False)
            ]
        )

    def _prepare_assignment_vals(self, line, lot_name, quantity, expiration_date=False):
        """The values of one assignment (and of an imported row): every way
        of filling the wizard builds them here."""
        return {
            "wizard_id": self.id,
            "line_id": line.id,
            "lot_name": lot_name,
            "quantity": quantity,
            "expiration_date": expiration_date,
        }

    def _create_assignments(self, vals_list):
        self.env["stock.lot.reassignment.wizard.assignment"].create(vals_list)
