# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import threading
import traceback

from odoo import _, api, fields, models
from odoo.tools import config

from .stock_lot_reassignment_procedure import Place

# the keys of an assignment that name its place
PLACE_KEYS = tuple(f"{name}_id" for name in Place._fields)

_logger = logging.getLogger(__name__)

# the longest run Apply keeps in the web request, in seconds on the
# reference machine (README, Big runs); longer runs go to the background
BACKGROUND_SECONDS_PARAM = "stock_lot_reassign.background_seconds"
BACKGROUND_SECONDS_DEFAULT = 30
CRON_XMLID = "stock_lot_reassign.ir_cron_stock_lot_reassignment"
MAX_ATTEMPTS_PARAM = "stock_lot_reassign.max_attempts"
MAX_ATTEMPTS_DEFAULT = 3
# The time of a run, from the rates the benchmark measured on the reference
# machine (README, Benchmark: 2 cores, PostgreSQL on the same machine):
# a fixed part, then each product, each place (product, location, package,
# owner: one removal and one restore move) and each lot/serial (a move line,
# a lot). Rounded up, so that a run estimated under the threshold is.
# Measured 2026-12-03: 10,000 serials of one place 25 s (2.5 ms a line),
# 1,000 places of one product 6.1 s (3.6 ms a place beyond its line),
# 1,000 products of one place 8.7 s (2.5 ms a product beyond its place).
SECONDS_PER_RUN = 0.5
SECONDS_PER_PRODUCT = 0.004
SECONDS_PER_PLACE = 0.005
SECONDS_PER_ASSIGNMENT = 0.003
# a scheduled action may run on a loaded server: twice the estimate
CRON_SAFETY_FACTOR = 2.0


class StockLotReassignmentRunner(models.AbstractModel):
    """Runs big reassignments in the background (README, "Big reassignments").

    The plan is checked and stored on a ``stock.lot.reassignment`` before
    anything changes; Odoo's scheduled action then runs it one product per
    transaction, committed on its own, so that a run never holds a worker
    longer than one product takes and its progress shows on the record. A
    run found *Running* with no scheduler holding its row was interrupted
    (time limit, killed worker, server stop): it is queued again, at most
    ``max_attempts`` times. OCA's ``queue_job`` is not used: it is not part of
    an Odoo deployment, and its jobs would still need these per-product
    transactions and this recovery (README, "Why not queue_job").
    """

    _name = "stock.lot.reassignment.runner"
    _description = "Lot/Serial Reassignment: Background Runner"

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------

    @api.model
    def _get_background_seconds(self):
        """Runs estimated to take longer go to the background (seconds)."""
        return self._get_int_param(BACKGROUND_SECONDS_PARAM, BACKGROUND_SECONDS_DEFAULT)

    @api.model
    def _estimate_seconds(self, assignments):
        """The time a run of these assignments takes on the reference
        machine, from the measured rates: per product, per place, per
        lot/serial."""
        products = {vals.get("product_id") for vals in assignments}
        places = {repr([vals.get(key) for key in PLACE_KEYS]) for vals in assignments}
        return (
            SECONDS_PER_RUN
            + len(products) * SECONDS_PER_PRODUCT
            + len(places) * SECONDS_PER_PLACE
            + len(assignments) * SECONDS_PER_ASSIGNMENT
        )

    @api.model
    def _should_run_in_background(self, assignments):
        return self._estimate_seconds(assignments) > self._get_background_seconds()

    @api.model
    def _get_max_attempts(self):
        return max(self._get_int_param(MAX_ATTEMPTS_PARAM, MAX_ATTEMPTS_DEFAULT), 1)

    @api.model
    def _get_int_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(key, default)
        try:
            return int(value)
        except ValueError:
            return default

    @api.model
    def _enqueue(self, templates, tracking, assignments, unreserve=False):
        """Check the plan now, store it, and wake the scheduled action.

        :return: the ``stock.lot.reassignment``, queued, or failed at once
            when one product cannot fit in a scheduled action
        """
        self.env["stock.lot.reassignment.procedure"]._prepare(
            templates, tracking, assignments, unreserve
        )
        Reassignment = self.env["stock.lot.reassignment"]
        reassignment = Reassignment.sudo().create(
            dict(
                Reassignment._prepare_vals(templates, tracking, assignments, unreserve),
                state="queued",
            )
        )
        too_long = self._get_too_long_error(reassignment)
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

    @api.model
    def _get_too_long_error(self, reassignment):
        """Why one product of this run cannot fit in a scheduled action, as
        estimated from the measured rate; False when they all fit."""
        limit = self._get_cron_time_limit()
        if not limit:
            return False
        for template in reassignment.product_tmpl_ids:
            assignments = reassignment._get_product_assignments(template)
            count = len(assignments)
            seconds = CRON_SAFETY_FACTOR * self._estimate_seconds(assignments)
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

    # ------------------------------------------------------------------
    # Running (the scheduled action)
    # ------------------------------------------------------------------

    @api.model
    def _run_queued_reassignments(self):
        """Run the queued reassignments, oldest first, one product at a time.

        A run that fails for any reason is marked failed, its product's stock
        untouched, and the next one runs.
        """
        self._recover_interrupted()
        while True:
            reassignment = self._lock_next_queued()
            if not reassignment:
                return
            self._run_queued(reassignment)

    @api.model
    def _recover_interrupted(self):
        # a run in progress holds its row (_lock_running): skip it
        self.env["stock.lot.reassignment"].flush_model(["state"])
        self.env.cr.execute(
            "SELECT id FROM stock_lot_reassignment WHERE state = 'running' "
            "ORDER BY id FOR NO KEY UPDATE SKIP LOCKED"
        )
        interrupted = self.env["stock.lot.reassignment"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )
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
        Reassignment = self.env["stock.lot.reassignment"]
        Reassignment.flush_model(["state"])
        self.env.cr.execute(
            "SELECT id FROM stock_lot_reassignment WHERE state = 'queued' "
            "ORDER BY id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED"
        )
        row = self.env.cr.fetchone()
        return Reassignment.browse(row[0]) if row else Reassignment

    @api.model
    def _lock_running(self, reassignment):
        """Hold this run's row for this transaction: a scheduler that finds
        it running and unlocked knows it was interrupted."""
        self.env.cr.execute(
            "SELECT id FROM stock_lot_reassignment WHERE id = %s FOR NO KEY UPDATE",
            [reassignment.id],
        )

    @api.model
    def _run_queued(self, reassignment):
        """Mark the run started (committed), then run its products."""
        reassignment.write(
            {
                "state": "running",
                "attempt_count": reassignment.attempt_count + 1,
                "date_start": fields.Datetime.now(),
            }
        )
        self._commit()
        env = self.env(
            user=reassignment.user_id,
            context=dict(
                self.env.context, allowed_company_ids=reassignment.company_ids.ids
            ),
        )
        try:
            self._check_stored_plan(reassignment)
        except Exception as error:  # noqa: BLE001  pylint: disable=broad-except
            self._fail(reassignment, error)
            return
        todo = reassignment.product_tmpl_ids - reassignment.product_done_ids
        for template in todo:
            self._lock_running(reassignment)
            if not self._run_product(
                reassignment, template.with_env(env), template == todo[-1:]
            ):
                return
            self._commit()

    @api.model
    def _check_stored_plan(self, reassignment):
        """The stored plan as reassign_lots would take it, each assignment
        for one of the products."""
        assignments = reassignment.assignments or []
        Input = self.env["stock.lot.reassignment.input"]
        Input._check_assignments_input(assignments, reassignment.tracking)
        Input._check_assignments_of_products(assignments, reassignment.product_tmpl_ids)

    @api.model
    def _run_product(self, reassignment, template, last):
        """One product's reassignment, in one savepoint; False when it failed."""
        assignments = reassignment._get_product_assignments(template)
        try:
            with self.env.cr.savepoint():
                self.env["stock.lot.reassignment.procedure"].with_env(
                    template.env
                )._run(
                    template,
                    reassignment.tracking,
                    assignments,
                    reassignment.with_env(template.env),
                    complete=last,
                    unreserve=reassignment.unreserve,
                )
        except Exception as error:  # noqa: BLE001  pylint: disable=broad-except
            # any error: this run fails, this product's stock untouched, the
            # next run goes on
            self._fail(reassignment, error)
            return False
        reassignment.write(
            {
                "product_done_ids": [fields.Command.link(template.id)],
                "assignment_done_count": reassignment.assignment_done_count
                + len(assignments),
            }
        )
        return True

    @api.model
    def _fail(self, reassignment, error):
        """End this run as failed with ``error``, committed: the next run goes
        on."""
        _logger.info("Lot/serial reassignment %s failed: %s", reassignment.name, error)
        reassignment.write(
            {
                "state": "failed",
                "error": str(error),
                "error_traceback": traceback.format_exc(),
                "date_done": fields.Datetime.now(),
            }
        )
        self._commit()

    @api.model
    def _commit(self):
        """Commit what the scheduled action did so far (not in tests, which
        run in one transaction)."""
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit
