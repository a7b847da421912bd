# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .batch_create import create_in_batch
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
        # the lines with a lot/serial were checked when they were created
        # (_lot_reassign_create_lines)
        self.filtered(lambda ml: not ml.lot_id)._check_company()
        self._check_lot_reassign_done_lines()
        self.env["stock.quant"]._lot_reassign_move_quants(self)
        self.write({"date": fields.Datetime.now()})

    @api.model
    def _lot_reassign_create_lines(self, moves, vals_lists):
        """Create the move lines of the restore moves, thousands at once.

        What ``create()`` does for a line of a draft move (see
        ``batch_create``): the company and the picked flag of its move, the
        default and computed values, the company check; and it reserves the
        line's quantity, unless the move bypasses reservations, as the restore
        moves, which come from the inventory adjustment location, do: a move
        that does not is left to ``create()``. The companies are checked here,
        not when the moves are done as Odoo does.

        :param moves: the draft moves
        :param list vals_lists: for each move, the values of its lines
        """
        fast, slow = [], []
        for move, vals_list in zip(moves, vals_lists, strict=True):
            batch = fast if move._should_bypass_reservation() else slow
            product_uom = move.product_id.uom_id
            batch.extend(
                dict(
                    vals,
                    move_id=move.id,
                    company_id=move.company_id.id,
                    picked=move.picked,
                    # _compute_quantity_product_uom(), which depends on the
                    # quantity, so is not computed once per move
                    quantity_product_uom=self.env["uom.uom"]
                    .browse(vals["product_uom_id"])
                    ._compute_quantity(
                        vals["quantity"], product_uom, rounding_method="HALF-UP"
                    ),
                )
                for vals in vals_list
            )
        lines = create_in_batch(
            self, fast, row_fields=("lot_id", "quantity"), check_company=True
        )
        slow_lines = self.create(slow)
        slow_lines._check_company()
        return lines | slow_lines

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
