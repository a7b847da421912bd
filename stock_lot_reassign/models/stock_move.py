# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from .stock_quant_sync import are_own_removal_moves, validating_own_moves


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        """Odoo's validation, once any reassignment of these products ended.

        Every quant change takes its product's key
        (``stock.quant._update_available_quantity``); taking all of them first,
        in order, keeps a validation of many products from waiting for a
        reassignment of several in a cycle, and its quant changes from taking
        them one by one.
        """
        with self.env["stock.lot.reassignment.lock"]._holding_shared(self.product_id):
            if not are_own_removal_moves(self):
                return super()._action_done(cancel_backorder=cancel_backorder)
            # the removal's moves, made by Odoo's _apply_inventory: the
            # reassignment's own, as its restore moves are
            with validating_own_moves(self):
                return super()._action_done(cancel_backorder=cancel_backorder)

    def _action_assign(self, force_qty=False):
        """Odoo's reservation, once any reassignment of these products ended
        (the keys taken at once, as for ``_action_done``, of the moves Odoo
        will reserve: a move already reserved changes no quant)."""
        to_reserve = self.filtered(
            lambda move: move.state in ("confirmed", "waiting", "partially_available")
        )
        with self.env["stock.lot.reassignment.lock"]._holding_shared(
            to_reserve.product_id
        ):
            return super()._action_assign(force_qty=force_qty)
