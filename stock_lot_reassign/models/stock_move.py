# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        """Odoo's validation, once any reassignment of these products ended.

        Every quant change takes its product's key anyway
        (``stock.quant._update_available_quantity``); taking all of them
        first, in order, keeps a validation of many products from waiting for
        a reassignment of several in a cycle.
        """
        self.env["stock.lot.reassign.lock"]._acquire_shared(self.product_id)
        return super()._action_done(cancel_backorder=cancel_backorder)
