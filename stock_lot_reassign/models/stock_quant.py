# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def action_open_lot_reassign(self):
        """Open the reassignment wizard on the products of these quants."""
        return self.product_id.product_tmpl_id.action_open_lot_reassign()
