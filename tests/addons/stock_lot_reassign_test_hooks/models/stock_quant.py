# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .hooks import record


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        record(self._name, "create", records)
        return records

    def write(self, vals):
        result = super().write(vals)
        record(self._name, "write", self)
        return result
