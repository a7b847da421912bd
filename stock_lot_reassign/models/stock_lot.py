# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .batch_create import create_in_batch


class StockLot(models.Model):
    _inherit = "stock.lot"

    @api.model
    def _lot_reassign_create(self, vals_list):
        """Create the lots/serial numbers of a reassignment, thousands at once.

        What ``create()`` does for a lot, done once per product and company
        (see ``batch_create``): stock's ``_check_create()``, the default and
        computed values, the company check. Like the rest of the
        reassignment, no "created" chatter message and no follower per lot:
        the restore move of each lot is in its History.
        """
        self._check_create()
        return create_in_batch(self, vals_list, row_fields=("name",))
