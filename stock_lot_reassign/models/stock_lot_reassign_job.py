# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .stock_lot_reassign_procedure import TRACKING_SELECTION

_logger = logging.getLogger(__name__)

BACKGROUND_THRESHOLD_PARAM = "stock_lot_reassign.background_threshold"
BACKGROUND_THRESHOLD_DEFAULT = 5000


class StockLotReassignJob(models.Model):
    """A reassignment too big for one web request, run by a scheduled action.

    The whole plan is stored here before anything changes: if the worker is
    killed, its transaction is rolled back and the job is still queued.
    """

    _name = "stock.lot.reassign.job"
    _description = "Lot/Serial Number Reassignment in the Background"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", "Requested By", required=True, readonly=True, index=True
    )
    company_ids = fields.Many2many("res.company", string="Companies", readonly=True)
    product_tmpl_ids = fields.Many2many(
        "product.template", string="Products", required=True, readonly=True
    )
    tracking = fields.Selection(
        TRACKING_SELECTION,
        required=True,
        readonly=True,
    )
    assignments = fields.Json(
        readonly=True, help="The assignments given to reassign_lots, as is."
    )
    assignment_count = fields.Integer("Lots/Serials to Assign", readonly=True)
    state = fields.Selection(
        [("queued", "Queued"), ("done", "Done"), ("failed", "Failed")],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    date_done = fields.Datetime("Finished On", readonly=True)
    error = fields.Text(readonly=True)

    @api.model
    def _get_background_threshold(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(BACKGROUND_THRESHOLD_PARAM, BACKGROUND_THRESHOLD_DEFAULT)
        )
        try:
            return int(value)
        except ValueError:
            return BACKGROUND_THRESHOLD_DEFAULT

    @api.model
    def _enqueue(self, templates, tracking, assignments):
        """Check the plan now, store it, and wake the scheduled action."""
        self.env["stock.lot.reassign.procedure"]._prepare(
            templates, tracking, assignments
        )
        job = self.sudo().create(
            {
                "name": _(
                    "%(count)s lots/serials for %(products)s",
                    count=len(assignments),
                    products=", ".join(templates[:3].mapped("display_name"))
                    + ("…" if len(templates) > 3 else ""),
                ),
                "user_id": self.env.user.id,
                "company_ids": [fields.Command.set(self.env.companies.ids)],
                "product_tmpl_ids": [fields.Command.set(templates.ids)],
                "tracking": tracking,
                "assignments": assignments,
                "assignment_count": len(assignments),
            }
        )
        self.env.ref("stock_lot_reassign.ir_cron_stock_lot_reassign_job")._trigger()
        return job.with_env(self.env)

    @api.model
    def _cron_run_queued(self):
        """Run the oldest queued job; wake again while others wait."""
        job = self.search([("state", "=", "queued")], order="id", limit=1)
        if not job:
            return
        job._run()
        if self.search_count([("state", "=", "queued")]):
            self.env.ref("stock_lot_reassign.ir_cron_stock_lot_reassign_job")._trigger()

    def _run(self):
        self.ensure_one()
        env = self.env(
            user=self.user_id,
            context=dict(self.env.context, allowed_company_ids=self.company_ids.ids),
        )
        templates = self.product_tmpl_ids.with_env(env)
        try:
            with self.env.cr.savepoint():
                templates.reassign_lots(self.tracking, self.assignments)
        except (UserError, ValidationError, AccessError) as error:
            _logger.info("Lot/serial reassignment %s failed: %s", self.id, error)
            self.write(
                {
                    "state": "failed",
                    "error": str(error),
                    "date_done": fields.Datetime.now(),
                }
            )
            return
        self.write({"state": "done", "date_done": fields.Datetime.now()})

    def action_open_history(self):
        self.ensure_one()
        return self.env["stock.lot.reassign"]._get_products_history_action(
            self.product_tmpl_ids
        )
