# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .stock_quant import LOT_REASSIGN_USAGES


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _action_done(self):
        """Batch the quant updates of the reassignment's own inventory moves.

        Only the lines of the moves that the reassignment validates, named in
        the context, take this path; every other move is validated by Odoo.
        """
        move_ids = self.env.context.get("lot_reassign_move_ids")
        if not (move_ids and self and self._is_lot_reassign_batch(move_ids)):
            return super()._action_done()
        # no _check_company(): each line takes its company, locations and
        # package from one quant or plan key, and its lot is looked up or
        # created in that company (stock.quant._lot_reassign_get_lots)
        self._check_lot_reassign_done_lines()
        self.env["stock.quant"]._lot_reassign_move_quants(self)
        self.write({"date": fields.Datetime.now()})

    def _is_lot_reassign_batch(self, move_ids):
        return all(
            ml.move_id.id in move_ids and ml.move_id.is_inventory and ml.is_inventory
            for ml in self
        )

    def _check_lot_reassign_done_lines(self):
        """What Odoo's _action_done requires of inventory lines."""
        for ml in self:
            if (
                float_compare(
                    ml.quantity, 0, precision_rounding=ml.product_uom_id.rounding
                )
                <= 0
            ):
                raise UserError(_("No negative quantities allowed"))

    def _get_lot_reassign_quant_key(self, side):
        """(product, location, lot, package, owner) of the quant moved.

        In the inventory adjustment location, which the stock without lot goes
        to and comes back from, one quant without lot balances both
        adjustments instead of one negative quant per serial number.
        """
        self.ensure_one()
        if side == "source":
            location, package = self.location_id, self.package_id
        else:
            location, package = self.location_dest_id, self.result_package_id
        lot = (
            self.lot_id
            if location.usage in LOT_REASSIGN_USAGES
            else self.lot_id.browse()
        )
        return (self.product_id.id, location.id, lot.id, package.id, self.owner_id.id)
