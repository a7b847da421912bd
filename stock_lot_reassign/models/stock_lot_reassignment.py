# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .stock_lot_reassignment_procedure import TRACKING_SELECTION, Place, Source


class StockLotReassignment(models.Model):
    """The record of one reassignment: who asked, what, where, and how it went.

    Made by every reassignment (the wizard, ``reassign_lots`` in Python or
    over RPC, in the foreground or the background): the procedure writes
    here what it did (``_start``, ``_record_result``); a big one is stored
    here before anything changes, queued, and run by
    ``stock.lot.reassignment.runner``; its undo is here, as a picking's
    cancel is on the picking.
    """

    _name = "stock.lot.reassignment"
    _inherit = ["mail.thread"]  # noqa: RUF012
    _description = "Lot/Serial Number Reassignment"
    _order = "id desc"

    name = fields.Char(
        "Reference", required=True, readonly=True, copy=False, default="/"
    )
    user_id = fields.Many2one(
        "res.users",
        "Requested By",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    date_done = fields.Datetime("Done On", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("cancelled", "Reversed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    tracking = fields.Selection(
        TRACKING_SELECTION, "Tracking After", required=True, readonly=True
    )
    product_tmpl_ids = fields.Many2many(
        "product.template", string="Products", required=True, readonly=True
    )
    product_line_ids = fields.One2many(
        "stock.lot.reassignment.product", "reassignment_id", "Tracking per Product"
    )
    line_ids = fields.One2many(
        "stock.lot.reassignment.line", "reassignment_id", "Places"
    )
    lot_created_ids = fields.Many2many(
        "stock.lot",
        "stock_lot_reassignment_created_lot_rel",
        string="Lots/Serials Created",
        readonly=True,
    )
    lot_reused_ids = fields.Many2many(
        "stock.lot",
        "stock_lot_reassignment_reused_lot_rel",
        string="Lots/Serials Reused",
        readonly=True,
    )
    lot_count = fields.Integer("Lots/Serials", compute="_compute_lot_count")
    company_ids = fields.Many2many("res.company", string="Companies", readonly=True)
    assignments = fields.Json(
        "Plan", readonly=True, help="The assignments given to reassign_lots, as is."
    )
    assignment_count = fields.Integer("Lots/Serials to Assign", readonly=True)
    attempt_count = fields.Integer("Attempts", readonly=True)
    date_start = fields.Datetime("Started On", readonly=True)
    product_done_ids = fields.Many2many(
        "product.template",
        "stock_lot_reassignment_product_done_rel",
        string="Products Done",
        readonly=True,
    )
    assignment_done_count = fields.Integer("Lots/Serials Assigned", readonly=True)
    progress = fields.Char(compute="_compute_progress")
    undo_move_ids = fields.Many2many(
        "stock.move",
        "stock_lot_reassignment_undo_move_rel",
        string="Reversal Moves",
        readonly=True,
    )
    unreserve = fields.Boolean(
        "Unreserve and Reserve Again",
        readonly=True,
        help="The transfers reserving this stock were unreserved, then reserved "
        "again on the lots/serials, in the same transaction.",
    )
    transfer_ids = fields.One2many(
        "stock.lot.reassignment.transfer", "reassignment_id", "Transfers"
    )
    reservation_warning = fields.Text(
        "Not Reserved in Full", compute="_compute_reservation_warning"
    )
    error = fields.Text(readonly=True)
    error_traceback = fields.Text("Traceback", readonly=True)

    @api.depends("lot_created_ids", "lot_reused_ids")
    def _compute_lot_count(self):
        for reassignment in self:
            reassignment.lot_count = len(
                reassignment.lot_created_ids | reassignment.lot_reused_ids
            )

    @api.depends("product_tmpl_ids", "product_done_ids", "assignment_done_count")
    def _compute_progress(self):
        for reassignment in self:
            reassignment.progress = _(
                "%(done)s / %(total)s products, %(assigned)s / %(count)s lots/serials",
                done=len(reassignment.product_done_ids),
                total=len(reassignment.product_tmpl_ids),
                assigned=reassignment.assignment_done_count,
                count=reassignment.assignment_count,
            )

    @api.depends("transfer_ids.is_short")
    def _compute_reservation_warning(self):
        for reassignment in self:
            short = reassignment.transfer_ids.filtered("is_short")
            # _() in a loop, not a comprehension: it finds the language in
            # its caller's frame, which a comprehension's is not
            moves = []
            for line in short:
                moves.append(
                    _(
                        "%(document)s, %(product)s: %(after)s of %(before)s",
                        document=line.reference,
                        product=line.product_id.display_name,
                        after=line.quantity_after,
                        before=line.quantity_before,
                    )
                )
            reassignment.reservation_warning = bool(short) and _(
                "Not reserved in full again: %(moves)s. Odoo's reservation found "
                "no more stock by its rules (Check Availability tries again).",
                moves=", ".join(moves),
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Writing what the procedure did
    # ------------------------------------------------------------------

    @api.model
    def _prepare_vals(self, templates, tracking, assignments, unreserve=False):
        return {
            "unreserve": unreserve,
            "user_id": self.env.user.id,
            "product_tmpl_ids": [fields.Command.set(templates.ids)],
            "tracking": tracking,
            "assignments": assignments,
            "assignment_count": len(assignments),
            "company_ids": [fields.Command.set(self.env.companies.ids)],
        }

    def _start(self, templates, tracking, assignments, unreserve=False):
        """Mark this reassignment (a new one when empty) running, with each
        product's tracking before and after."""
        reassignment = self or self.create(
            self._prepare_vals(templates, tracking, assignments, unreserve)
        )
        reassignment.write(
            {
                "state": "running",
                "product_line_ids": [
                    fields.Command.create(
                        {
                            "product_tmpl_id": template.id,
                            "tracking_before": template.tracking,
                            "tracking_after": tracking,
                        }
                    )
                    for template in templates
                ],
            }
        )
        return reassignment

    def _record_result(
        self,
        *,
        transfers,
        removed,
        plan,
        removal_moves,
        restore_moves,
        lots_created,
        lots_reused,
        complete,
    ):
        """One line per source (place and lot replaced): what was removed
        there (``{Source: quantity}``), what the plan restored, by which
        moves; one line per transfer's move
        unreserved and reserved again (``transfers``: their values);
        ``complete``: the last part of the reassignment, which marks it done."""
        self.ensure_one()
        Procedure = self.env["stock.lot.reassignment.procedure"]
        removal_by_source = defaultdict(lambda: self.env["stock.move"])
        for line in removal_moves.move_line_ids:
            removal_by_source[Procedure._get_source(line)] |= line.move_id
        restore_by_source = dict(zip(plan, restore_moves, strict=True))
        sources = list(dict.fromkeys(list(removed) + list(plan)))
        Procedure._prefetch_companies(source.place for source in sources)
        if complete:
            self.write(
                {
                    "state": "done",
                    "date_done": fields.Datetime.now(),
                    "error": False,
                    "error_traceback": False,
                }
            )
        self.write(
            {
                "lot_created_ids": [
                    fields.Command.link(lot.id) for lot in lots_created
                ],
                "lot_reused_ids": [fields.Command.link(lot.id) for lot in lots_reused],
                "transfer_ids": [fields.Command.create(vals) for vals in transfers],
                "line_ids": [
                    fields.Command.create(
                        {
                            "product_id": source.place.product.id,
                            "location_id": source.place.location.id,
                            "package_id": source.place.package.id,
                            "owner_id": source.place.owner.id,
                            "lot_before_id": source.lot.id,
                            "company_id": Procedure._get_company(
                                source.place.location
                            ).id,
                            "quantity_removed": removed.get(source, 0.0),
                            "quantity_restored": sum(
                                quantity for __, quantity in plan.get(source, [])
                            ),
                            "removal_move_ids": [
                                fields.Command.set(removal_by_source[source].ids)
                            ],
                            "restore_move_id": restore_by_source.get(
                                source, self.env["stock.move"]
                            ).id,
                        }
                    )
                    for source in sources
                ],
            }
        )

    def _get_product_assignments(self, template):
        variant_ids = set(
            template.with_context(active_test=False).product_variant_ids.ids
        )
        return [
            vals
            for vals in self.assignments or []
            if vals.get("product_id") in variant_ids
        ]

    @api.model
    def _cron_run_queued(self):
        """The scheduled action's entry point (``ir_cron_data.xml``)."""
        return self.env["stock.lot.reassignment.runner"]._run_queued_reassignments()

    # ------------------------------------------------------------------
    # Undo: the same two adjustments, the other way round
    # ------------------------------------------------------------------

    def _undo(self):
        """Put the stock of the reassignment's lots/serials back as it was,
        in the same places, with the lots it had (or none), and the tracking
        back; the transfers reserving the new lots/serials unreserved first
        and reserved again after, on the stock as it was; one savepoint."""
        self.ensure_one()
        check = self.env["stock.lot.reassignment.check"]
        check._check_access()
        variants = self.line_ids.product_id
        self.env["stock.lot.reassignment.lock"]._acquire_exclusive(variants)
        check._check_stock_unchanged_since_snapshot(variants)
        self._check_undoable()
        adjustment = self.env["stock.lot.reassignment.adjustment"]
        reservation = self.env["stock.lot.reassignment.reservation"]
        restored = self.line_ids.restore_move_id.move_line_ids
        quants = self._get_restored_quants(restored)
        moves = reservation._get_reserving_moves(quants.sudo()).with_env(self.env)
        sources = {self._get_line_source(line) for line in self.line_ids}
        # the next steps of routes, reserved on the lots/serials in the places
        # their origins left the stock as it was
        chains = {
            move: brought
            for move, brought in reservation._get_chained_moves(sources).items()
            if move in moves
        }
        last_move = adjustment._get_last_move()
        with self.env.cr.savepoint():
            reserved_before = reservation._unreserve(moves)
            adjustment._apply_zero_count(
                quants,
                _("%(reference)s reversed: lots/serials removed", reference=self.name),
            )
            for line in self.product_line_ids:
                if line.product_tmpl_id.tracking != line.tracking_before:
                    line.product_tmpl_id.tracking = line.tracking_before
            put_back = adjustment._put_back(
                {
                    self._get_line_source(line): line.quantity_restored
                    for line in self.line_ids
                },
                _(
                    "%(reference)s reversed: stock put back as it was",
                    reference=self.name,
                ),
            )
            reserved_after = reservation._reserve_again(moves, reserved_before, chains)
            removal = adjustment._get_removal_moves(variants, last_move)
            self.write(
                {
                    "state": "cancelled",
                    "undo_move_ids": [fields.Command.set((removal | put_back).ids)],
                    "transfer_ids": [
                        fields.Command.create(vals)
                        for vals in reservation._prepare_transfer_vals(
                            reserved_before, reserved_after, "reverse", chains
                        )
                    ],
                }
            )

    @api.model
    def _get_line_source(self, line):
        """What a line replaced: its place and its lot before (or none)."""
        Procedure = self.env["stock.lot.reassignment.procedure"]
        return Source(Procedure._get_place(line), line.lot_before_id)

    def _get_restored_quants(self, restored):
        """The quants holding what these move lines restored: same place,
        same lot."""
        Procedure = self.env["stock.lot.reassignment.procedure"]
        wanted = {
            (
                Place(
                    ml.product_id,
                    ml.location_dest_id,
                    ml.result_package_id,
                    ml.owner_id,
                ),
                ml.lot_id,
            )
            for ml in restored
        }
        lot_ids = restored.lot_id.ids
        if any(not ml.lot_id for ml in restored):  # tracking removed
            lot_ids.append(False)
        return (
            self.env["stock.quant"]
            .search(
                [
                    ("product_id", "in", restored.product_id.ids),
                    ("location_id", "in", restored.location_dest_id.ids),
                    ("lot_id", "in", lot_ids),
                ]
            )
            .filtered(lambda q: (Procedure._get_place(q), q.lot_id) in wanted)
        )

    def _get_untracked_moved_errors(self, restored):
        """Stock put back without lot/serial (tracking removed) cannot be
        told apart from what came or went since: any done move of it at
        those places since the restore forbids the reversal."""
        untracked = restored.filtered(lambda ml: not ml.lot_id)
        if not untracked:
            return []
        locations = untracked.location_dest_id.ids
        later = self.env["stock.move.line"].search(
            [
                ("product_id", "in", untracked.product_id.ids),
                ("lot_id", "=", False),
                ("id", ">", max(restored.ids)),
                ("state", "=", "done"),
                "|",
                ("location_id", "in", locations),
                ("location_dest_id", "in", locations),
            ],
            order="id",
        )
        errors = []
        for ml in later:
            errors.append(
                _(
                    "%(product)s has moved since, without lot/serial: %(transfer)s.",
                    product=ml.product_id.display_name,
                    transfer=ml.reference or ml.move_id.name,
                )
            )
        return errors

    def _check_undoable(self):
        self.ensure_one()
        if self.state != "done":
            raise UserError(
                _(
                    "Only a done reassignment can be reversed; %(reference)s is "
                    "%(state)s.",
                    reference=self.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        self.state
                    ],
                )
            )
        restored = self.line_ids.restore_move_id.move_line_ids
        later = self.env["stock.move.line"].search(
            [
                ("lot_id", "in", restored.lot_id.ids),
                ("id", ">", max(restored.ids, default=0)),
                ("state", "=", "done"),
            ],
            order="id",
        )
        errors = []
        for ml in later:
            errors.append(
                _(
                    "%(lot)s has moved since: %(transfer)s.",
                    lot=ml.lot_id.name,
                    transfer=ml.reference or ml.move_id.name,
                )
            )
        errors += self._get_untracked_moved_errors(restored)
        quants = self._get_restored_quants(restored).sudo()
        for quant in quants:
            if quant.inventory_quantity_set:
                errors.append(
                    _(
                        "%(lot)s is being counted in the Physical Inventory.",
                        lot=quant.lot_id.name,
                    )
                )
        check = self.env["stock.lot.reassignment.check"]
        check._raise_errors(
            _(
                "%(reference)s cannot be reversed: its lots/serials are no longer "
                "where it put them.",
                reference=self.name,
            ),
            errors,
        )
        reserved = quants.filtered("reserved_quantity")
        lines = self.env["stock.lot.reassignment.reservation"]._get_reserving_lines(
            reserved
        )
        check._check_transfers_not_started(lines.move_id)
        check._check_reservations_held_by(reserved, lines)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_open_history(self):
        """Odoo's History, on the moves of this reassignment."""
        self.ensure_one()
        action = self.env[
            "stock.lot.reassignment.history"
        ]._get_products_history_action(self.product_tmpl_ids)
        moves = self._get_moves()
        if moves:
            action["domain"] = [("move_id", "in", moves.ids)]
        return action

    def _get_moves(self):
        """Every stock move this reassignment made: removal, restore, undo."""
        return (
            self.line_ids.removal_move_ids
            | self.line_ids.restore_move_id
            | self.undo_move_ids
        )

    def action_open_lots(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "stock.action_production_lot_form"
        )
        action["domain"] = [
            ("id", "in", (self.lot_created_ids | self.lot_reused_ids).ids)
        ]
        action["context"] = {}
        return action

    def action_print_labels(self):
        """Odoo's own label wizard, on the lines that restored the stock."""
        self.ensure_one()
        wizard = self.env["lot.label.layout"].create(
            {
                "move_line_ids": [
                    fields.Command.set(
                        # none without lot/serial: tracking removed
                        self.line_ids.restore_move_id.move_line_ids.filtered(
                            "lot_id"
                        ).ids
                    )
                ]
            }
        )
        return {
            "name": _("Choose Labels Layout"),
            "type": "ir.actions.act_window",
            "res_model": "lot.label.layout",
            "res_id": wizard.id,
            "views": [(False, "form")],
            "target": "new",
        }

    def action_reverse(self):
        """Undo: the lots' stock back without lot/serial, the tracking back,
        the transfers reserving it reserved again."""
        for reassignment in self:
            reassignment._undo()
        return True

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Lot/Serial Reassignment"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
