# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each background job becomes a stock.lot.reassignment: queued ones stay
queued (the scheduled action runs them), done and failed ones keep their
outcome. Their scheduled action and table are dropped afterwards."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute("SELECT to_regclass('stock_lot_reassign_job')")
    if not cr.fetchone()[0]:
        return
    cr.execute(
        """
        SELECT id, user_id, tracking, assignments, assignment_count, state,
               date_done, error, create_date
          FROM stock_lot_reassign_job
         ORDER BY id
        """
    )
    jobs = cr.dictfetchall()
    env = api.Environment(cr, SUPERUSER_ID, {})
    for job in jobs:
        cr.execute(
            "SELECT product_template_id"
            "  FROM product_template_stock_lot_reassign_job_rel"
            " WHERE stock_lot_reassign_job_id = %s",
            [job["id"]],
        )
        template_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            "SELECT res_company_id FROM res_company_stock_lot_reassign_job_rel"
            " WHERE stock_lot_reassign_job_id = %s",
            [job["id"]],
        )
        company_ids = [row[0] for row in cr.fetchall()]
        env["stock.lot.reassignment"].create(
            {
                "user_id": job["user_id"],
                "tracking": job["tracking"],
                "product_tmpl_ids": [(6, 0, template_ids)],
                "company_ids": [(6, 0, company_ids)],
                "assignments": job["assignments"],
                "assignment_count": job["assignment_count"],
                "state": job["state"],
                "date_done": job["date_done"],
                "error": job["error"],
            }
        )
    # the jobs' scheduled action: the new one runs the reassignments
    cron = env.ref(
        "stock_lot_reassign.ir_cron_stock_lot_reassign_job", raise_if_not_found=False
    )
    if cron:
        cron.unlink()
    env["ir.model.data"].search(
        [
            ("module", "=", "stock_lot_reassign"),
            ("name", "like", "ir_cron_stock_lot_reassign_job%"),
        ]
    ).unlink()
    cr.execute("DROP TABLE stock_lot_reassign_job CASCADE")
