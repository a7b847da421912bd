# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .batch_create import create_in_batch


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
        # the companies were checked when the lines were created
        # (_lot_reassign_create_lines)
        self._check_lot_reassign_done_lines()
        self.env["stock.quant"]._lot_reassign_move_quants(self)
        self.write({"date": fields.Datetime.now()})

    @api.model
    def _lot_reassign_create_lines(self, moves, vals_lists):
        """Create the move lines of the reassignment's moves, thousands at once.

        What ``create()`` does for a line of a move not done (see
        ``batch_create``): the company and the picked flag of its move, the
        default and computed values, the company check; but the lines reserve
        nothing: the moves are done right after, and what a line reserved
        would be released in the same step (``_lot_reassign_move_quants``).

        :param moves: the moves, not done
        :param list vals_lists: for each move, the values of its lines
        """
        vals_list = []
        for move, move_vals_list in zip(moves, vals_lists, strict=True):
            move_vals = {
                "move_id": move.id,
                "company_id": move.company_id.id,
                "picked": move.picked,
            }
            product_quantity = self._lot_reassign_product_qty(move.product_id)
            vals_list.extend(
                dict(
                    vals,
                    **move_vals,
                    # _compute_quantity_product_uom(), which depends on the
                    # quantity, so is not computed once per move
                    quantity_product_uom=product_quantity(
                        vals["product_uom_id"], vals["quantity"]
                    ),
                )
                for vals in move_vals_list
            )
        return create_in_batch(
            self, vals_list, row_fields=("lot_id", "quantity"), check_company=True
        )

    @api.model
    def _lot_reassign_product_qty(self, product):
        """A function giving a line's quantity in the product's unit, computed
        once per unit and quantity (each serial number has quantity 1)."""
        computed = {}

        def product_quantity(uom_id, quantity):
            if (uom_id, quantity) not in computed:
                computed[uom_id, quantity] = (
                    self.env["uom.uom"]
                    .browse(uom_id)
                    ._compute_quantity(
                        quantity, product.uom_id, rounding_method="HALF-UP"
                    )
                )
            return computed[uom_id, quantity]

        return product_quantity

    def _is_lot_reassign_batch(self, move_ids):
        # a line's is_inventory is its move's
        moves = self.move_id
        return (
            all(ml.move_id for ml in self)
            and set(moves.ids) <= set(move_ids)
            and all(moves.mapped("is_inventory"))
        )

    def _check_lot_reassign_done_lines(self):
        """What Odoo's _action_done requires of inventory lines."""
        smallest = self._read_group(
            [("id", "in", self.ids)], ["product_uom_id"], ["quantity:min"]
        )
        for uom, quantity in smallest:
            if float_compare(quantity, 0, precision_rounding=uom.rounding) <= 0:
                raise UserError(_("No negative quantities allowed"))
