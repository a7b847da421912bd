# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        """Odoo's validation, after any reassignment of these products ends."""
        self.env["stock.lot.reassign.procedure"]._wait_for_reassignments(
            self.product_id
        )
        return super()._action_done(cancel_backorder=cancel_backorder)
