# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import threading
import traceback

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import config

from .stock_lot_reassign_procedure import TRACKING_SELECTION

_logger = logging.getLogger(__name__)

BACKGROUND_THRESHOLD_PARAM = "stock_lot_reassign.background_threshold"
BACKGROUND_THRESHOLD_DEFAULT = 5000
CRON_XMLID = "stock_lot_reassign.ir_cron_stock_lot_reassignment"
MAX_ATTEMPTS_PARAM = "stock_lot_reassign.max_attempts"
MAX_ATTEMPTS_DEFAULT = 3
# measured (README, Benchmark): about 3 ms per serial number at 5,000 and
# 10,000; twice that, for a loaded server
SECONDS_PER_ASSIGNMENT = 0.006
SECONDS_PER_PRODUCT = 2.0


class StockLotReassignment(models.Model):
    """The record of one reassignment: who asked, what, where, and how it went.

    Made by every reassignment (the wizard, ``reassign_lots`` in Python or
    over RPC, in the foreground or the background). A big one is stored here
    before anything changes, queued, and run by a scheduled action.
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
            ("cancelled", "Cancelled"),
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
        string="Cancellation Moves",
        readonly=True,
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Foreground and background
    # ------------------------------------------------------------------

    @api.model
    def _get_int_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(key, default)
        try:
            return int(value)
        except ValueError:
            return default

    @api.model
    def _get_background_threshold(self):
        return self._get_int_param(
            BACKGROUND_THRESHOLD_PARAM, BACKGROUND_THRESHOLD_DEFAULT
        )

    @api.model
    def _prepare_vals(self, templates, tracking, assignments):
        return {
            "user_id": self.env.user.id,
            "product_tmpl_ids": [fields.Command.set(templates.ids)],
            "tracking": tracking,
            "assignments": assignments,
            "assignment_count": len(assignments),
            "company_ids": [fields.Command.set(self.env.companies.ids)],
        }

    @api.model
    def _enqueue(self, templates, tracking, assignments):
        """Check the plan now, store it, and wake the scheduled action."""
        self.env["stock.lot.reassign.procedure"]._prepare(
            templates, tracking, assignments
        )
        reassignment = self.sudo().create(
            dict(self._prepare_vals(templates, tracking, assignments), state="queued")
        )
        too_long = reassignment._get_too_long_error()
        if too_long:
            # said before anything changes; nothing is queued
            reassignment.write(
                {
                    "state": "failed",
                    "error": too_long,
                    "date_done": fields.Datetime.now(),
                }
            )
        else:
            self.env.ref(CRON_XMLID)._trigger()
        return reassignment.with_env(self.env)

    @api.model
    def _get_cron_time_limit(self):
        """Seconds a scheduled action may run (0: no limit). Only Odoo's
        multi-process server (``workers``) enforces a limit."""
        if not config.get("workers"):
            return 0
        limit = config.get("limit_time_real_cron") or -1
        if limit < 0:
            limit = config.get("limit_time_real") or 0
        return max(limit, 0)

    def _get_too_long_error(self):
        """Why one product of this run cannot fit in a scheduled action, as
        estimated from the measured rate; False when they all fit."""
        self.ensure_one()
        limit = self._get_cron_time_limit()
        if not limit:
            return False
        for template in self.product_tmpl_ids:
            count = len(self._get_product_assignments(template))
            seconds = SECONDS_PER_PRODUCT + count * SECONDS_PER_ASSIGNMENT
            if seconds > limit:
                return _(
                    "%(product)s alone needs about %(seconds)s s (%(count)s "
                    "lots/serials), more than a scheduled action may run "
                    "(%(limit)s s). Raise limit_time_real_cron (or limit_time_real) "
                    "in the server's configuration, or reassign fewer lots/serials "
                    "at a time; nothing was changed.",
                    product=template.display_name,
                    seconds=round(seconds),
                    count=count,
                    limit=limit,
                )
        return False

    @api.model
    def _cron_run_queued(self):
        """Run the queued reassignments, oldest first, one product at a time.

        Each product (its removal, tracking switch and restore) is one
        transaction, committed on its own, so that a run never holds a worker
        longer than one product takes and progress shows between products.
        A run that fails for any reason is marked failed, its product's stock
        untouched, and the next one runs. A run found *Running* with no
        scheduler holding it was interrupted (time limit, killed worker,
        server stop): it is queued again, at most ``max_attempts`` times.
        """
        self._recover_interrupted()
        while True:
            reassignment = self._lock_next_queued()
            if not reassignment:
                return
            reassignment._run_queued()

    @api.model
    def _get_max_attempts(self):
        return max(self._get_int_param(MAX_ATTEMPTS_PARAM, MAX_ATTEMPTS_DEFAULT), 1)

    @api.model
    def _recover_interrupted(self):
        # a run in progress holds its row (_lock_running): skip it
        self.flush_model(["state"])
        self.env.cr.execute(
            "SELECT id FROM stock_lot_reassignment WHERE state = 'running' "
            "ORDER BY id FOR NO KEY UPDATE SKIP LOCKED"
        )
        interrupted = self.browse([row[0] for row in self.env.cr.fetchall()])
        max_attempts = self._get_max_attempts()
        for reassignment in interrupted:
            if reassignment.attempt_count >= max_attempts:
                reassignment.write(
                    {
                        "state": "failed",
                        "date_done": fields.Datetime.now(),
                        "error": _(
                            "Interrupted %(count)s times (worker time limit, killed "
                            "worker or server stop); not retried. Products done "
                            "before: %(done)s of %(total)s.",
                            count=reassignment.attempt_count,
                            done=len(reassignment.product_done_ids),
                            total=len(reassignment.product_tmpl_ids),
                        ),
                    }
                )
            else:
                reassignment.write({"state": "queued"})
                reassignment.message_post(
                    body=_(
                        "Interrupted while running (attempt %(count)s): queued again.",
                        count=reassignment.attempt_count,
                    )
                )
        self._commit()

    @api.model
    def _lock_next_queued(self):
        # another scheduler may be running one: skip what it holds
        self.flush_model(["state"])
        self.env.cr.execute(
            "SELECT id FROM stock_lot_reassignment WHERE state = 'queued' "
            "ORDER BY id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED"
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.browse()

    def _lock_running(self):
        """Hold this run's row for this transaction: a scheduler that finds
        it running and unlocked knows it was interrupted."""
        self.env.cr.execute(
            "SELECT id FROM stock_lot_reassignment WHERE id = %s FOR NO KEY UPDATE",
            [self.id],
        )

    def _run_queued(self):
        """Mark the run started (committed), then run its products."""
        self.ensure_one()
        self.write(
            {
                "state": "running",
                "attempt_count": self.attempt_count + 1,
                "date_start": fields.Datetime.now(),
            }
        )
        self._commit()
        env = self.env(
            user=self.user_id,
            context=dict(self.env.context, allowed_company_ids=self.company_ids.ids),
        )
        if not self._check_stored_plan():
            return
        todo = self.product_tmpl_ids - self.product_done_ids
        for template in todo:
            self._lock_running()
            if not self._run_product(template.with_env(env), template == todo[-1:]):
                return
            self._commit()

    def _check_stored_plan(self):
        """The stored plan as reassign_lots would take it, each assignment for
        one of the products; else the run fails. False when it failed."""
        try:
            procedure = self.env["stock.lot.reassign.procedure"]
            procedure._check_assignments_input(self.assignments or [])
            variant_ids = set(procedure._get_variants(self.product_tmpl_ids).ids)
            for index, vals in enumerate(self.assignments or []):
                if vals["product_id"] not in variant_ids:
                    raise ValidationError(
                        _(
                            "Assignment %(index)s (counted from 0): product_id "
                            "%(product)s is not a variant of the products of this "
                            "reassignment.",
                            index=index,
                            product=vals["product_id"],
                        )
                    )
        except Exception as error:  # noqa: BLE001  pylint: disable=broad-except
            self._fail(error)
            return False
        return True

    def _fail(self, error):
        """End this run as failed with ``error``, committed: the next run goes
        on."""
        _logger.info("Lot/serial reassignment %s failed: %s", self.name, error)
        self.write(
            {
                "state": "failed",
                "error": str(error),
                "error_traceback": traceback.format_exc(),
                "date_done": fields.Datetime.now(),
            }
        )
        self._commit()

    def _run_product(self, template, last):
        """One product's reassignment, in one savepoint; False when it failed."""
        assignments = self._get_product_assignments(template)
        try:
            with self.env.cr.savepoint():
                self.env["stock.lot.reassign.procedure"].with_env(template.env)._run(
                    template,
                    self.tracking,
                    assignments,
                    self.with_env(template.env),
                    complete=last,
                )
        except Exception as error:  # noqa: BLE001  pylint: disable=broad-except
            # any error: this run fails, this product's stock untouched, the
            # next run goes on
            self._fail(error)
            return False
        self.write(
            {
                "product_done_ids": [fields.Command.link(template.id)],
                "assignment_done_count": self.assignment_done_count + len(assignments),
            }
        )
        return True

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
    def _commit(self):
        """Commit what the scheduled action did so far (not in tests, which
        run in one transaction)."""
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_open_history(self):
        """Odoo's History, on the moves of this reassignment."""
        self.ensure_one()
        action = self.env["stock.lot.reassign"]._get_products_history_action(
            self.product_tmpl_ids
        )
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
                    fields.Command.set(self.line_ids.restore_move_id.move_line_ids.ids)
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

    def action_cancel(self):
        """Undo: the lots' stock back without lot/serial, the tracking back."""
        for reassignment in self:
            self.env["stock.lot.reassign.procedure"]._undo(reassignment)
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
