# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .stock_quant_sync import QuantSync, QuantSyncUnsupported, Removal


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    lot_reassignment_id = fields.Many2one(
        "stock.lot.reassignment",
        "Lot/Serial Reassignment",
        compute="_compute_lot_reassignment_id",
        help="The lot/serial reassignment that made this move, if any.",
    )

    def _compute_lot_reassignment_id(self):
        """Found from the reassignments' moves: one search for the page."""
        Reassignment = self.env["stock.lot.reassignment"]
        moves = self.move_id.filtered("is_inventory")
        by_move = {}
        if moves and Reassignment.check_access_rights("read", raise_exception=False):
            reassignments = Reassignment.search(
                [
                    "|",
                    "|",
                    ("line_ids.removal_move_ids", "in", moves.ids),
                    ("line_ids.restore_move_id", "in", moves.ids),
                    ("undo_move_ids", "in", moves.ids),
                ]
            )
            for reassignment in reassignments:
                for move in reassignment._get_moves() & moves:
                    by_move[move] = reassignment
        for line in self:
            line.lot_reassignment_id = by_move.get(line.move_id, Reassignment)

    def action_open_lot_reassignment(self):
        self.ensure_one()
        return self.lot_reassignment_id.get_formview_action()

    def _action_done(self):
        """Odoo's ``_action_done``; for the lines of a reassignment's own
        restore moves, the quants moved at once.

        Odoo moves the quants one line at a time (``_synchronize_quant``: a
        search, a row lock and a write or create per line and location). The
        procedure hands its restore moves over (``validating_own_moves``);
        ``QuantSync`` replays the same calls on the quants in memory, then
        takes the same row locks and writes the same end values with one
        ``write()`` per value and one ``create()``. Any other line, or a quant
        locked by another transaction, goes through Odoo's code unchanged.
        """
        sync = self._get_own_moves_quant_sync()
        if sync is None:
            removal = Removal.get_running()
            if removal:
                # Odoo's loop releases the reservations it expects made
                removal.flush(self.env["stock.quant"].sudo())
            return super()._action_done()
        self._check_company()
        sync.apply()
        self.write({"date": fields.Datetime.now()})

    def _get_own_moves_quant_sync(self):
        """The quant updates of these lines replayed in memory, or ``None``
        when Odoo's own loop must run them."""
        if self.env.context.get("with_expiration") or not QuantSync.is_supported(self):
            return None
        sync = QuantSync(self.env["stock.quant"].sudo())
        try:
            sync.replay(self)
            sync.lock()
        except QuantSyncUnsupported:
            return None
        return sync
