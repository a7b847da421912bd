# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from odoo.addons.stock.models.stock_move_line import (
    StockMoveLine as StockMoveLineBase,
)
from odoo.addons.stock.models.stock_quant import StockQuant as StockQuantBase

from .stock_quant_sync import QuantSync, QuantSyncUnsupported

# Below this many lines, Odoo's own loop is as fast as the batch.
QUANT_SYNC_BATCH_MIN_LINES = 50

# What the batch does in place of these methods: it is taken only while no
# other module overrides one of them.
STOCK_MOVE_LINE_METHODS = ("_synchronize_quant", "_free_reservation")
STOCK_QUANT_METHODS = (
    "_update_available_quantity",
    "_update_reserved_quantity",
    "_get_available_quantity",
    "_gather",
    "_get_gather_domain",
)


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
        """Odoo's ``_action_done``, with the quants of many lines moved at once.

        Odoo moves the quants one line at a time (``_synchronize_quant``: a
        search, a row lock and a write or create per line and location). For
        lines that need nothing else from Odoo's loop (a positive quantity, a
        lot when the product is tracked, no reservation of other transfers to
        take back), ``QuantSync`` replays the same calls on the quants in memory,
        then takes the same row locks and writes the same end values with one
        ``write()`` per value and one ``create()``. Anything else, or a quant
        locked by another transaction, goes through Odoo's code unchanged.
        """
        sync = self._get_batched_quant_sync()
        if sync is None:
            return super()._action_done()
        self._check_company()
        sync.apply()
        self.write({"date": fields.Datetime.now()})

    def _get_batched_quant_sync(self):
        """The quant updates of these lines replayed in memory, or ``None``
        when Odoo's own loop must run them."""
        if (
            len(self) < QUANT_SYNC_BATCH_MIN_LINES
            or not self._is_quant_sync_batchable()
        ):
            return None
        sync = QuantSync(self.env["stock.quant"].sudo())
        try:
            sync.replay(self)
            sync.lock()
        except QuantSyncUnsupported:
            return None
        return sync

    def _is_quant_sync_batchable(self):
        """Every line is one Odoo's preliminary loop lets through untouched
        (nothing to delete, no lot to create, no error), and stock's quant
        methods are the ones that would run."""
        if self.env.context.get("with_expiration"):
            return False
        if not self._quant_methods_are_stock_ones():
            return False
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        return all(ml._is_plain_done_line(precision) for ml in self)

    def _is_plain_done_line(self, precision):
        rounding = self.product_uom_id.rounding
        uom_qty = fields.Float.round(self.quantity, precision_rounding=rounding)
        quantity = fields.Float.round(self.quantity, precision_digits=precision)
        return (
            bool(self.move_id)
            and fields.Float.compare(uom_qty, quantity, precision_digits=precision) == 0
            and fields.Float.compare(self.quantity, 0, precision_rounding=rounding) > 0
            and (self.product_id.tracking == "none" or bool(self.lot_id))
        )

    def _quant_methods_are_stock_ones(self):
        move_line_class = type(self)
        quant_class = type(self.env["stock.quant"])
        return all(
            getattr(move_line_class, name) is getattr(StockMoveLineBase, name)
            for name in STOCK_MOVE_LINE_METHODS
        ) and all(
            getattr(quant_class, name) is getattr(StockQuantBase, name)
            for name in STOCK_QUANT_METHODS
        )
