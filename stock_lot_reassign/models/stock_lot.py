# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    def _creation_message(self):
        """A lot made by a reassignment names it in its chatter."""
        reference = self.env.context.get("lot_reassignment_ref")
        if not reference:
            return super()._creation_message()
        return _(
            "%(document)s created by the lot/serial reassignment %(reference)s",
            document=self.env["ir.model"]._get(self._name).name,
            reference=reference,
        )

    def action_open_lot_reassignment_wizard(self):
        """Open the reassignment wizard on the products of these lots, these
        lots ticked to reassign."""
        return self.product_id.product_tmpl_id._open_lot_reassignment_wizard(lots=self)
