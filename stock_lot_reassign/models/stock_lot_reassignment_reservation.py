# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models

from .stock_lot_reassignment_procedure import STOCK_USAGES


class StockLotReassignmentReservation(models.AbstractModel):
    """The transfers that reserve the stock being reassigned: found, released
    as Odoo's *Unreserve* releases them (``stock.move._do_unreserve``), and
    reserved again by Odoo's own reservation (``stock.move._action_assign``),
    which picks the new lots/serials by the product's removal strategy; all in
    the reassignment's transaction."""

    _name = "stock.lot.reassignment.reservation"
    _description = "Lot/Serial Reassignment: Reservations of Transfers"

    @api.model
    def _get_reserving_lines(self, quants):
        """The open move lines reserving these quants (same product, place,
        lot, package and owner)."""
        if not quants:
            return self.env["stock.move.line"]
        wanted = {self._get_reserved_key(quant) for quant in quants}
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("product_id", "in", quants.product_id.ids),
                    ("location_id", "in", quants.location_id.ids),
                    ("lot_id", "in", quants.lot_id.ids + [False]),
                    ("state", "not in", ("done", "cancel")),
                    ("move_id", "!=", False),
                ],
                order="id",
            )
        )
        return lines.filtered(lambda ml: self._get_reserved_key(ml) in wanted)

    @api.model
    def _get_reserved_key(self, record):
        """What a move line reserves of a quant: the same product, place, lot,
        package and owner (a quant, or a move line at its source)."""
        return (
            record.product_id,
            record.location_id,
            record.lot_id,
            record.package_id,
            record.owner_id,
        )

    @api.model
    def _get_reserving_moves(self, quants):
        """The moves reserving these quants, in the order Odoo made them."""
        return self._get_reserving_lines(quants).move_id.sorted("id")

    @api.model
    def _get_reserved_qty(self, moves, lines=None):
        """``{move: quantity}`` reserved by each move (in the product's unit),
        by ``lines`` when given, else by all its lines in stock locations."""
        lines = moves.move_line_ids if lines is None else lines
        reserved = dict.fromkeys(moves, 0.0)
        for ml in lines:
            if ml.move_id in reserved and ml.location_id.usage in STOCK_USAGES:
                reserved[ml.move_id] += ml.quantity_product_uom
        return reserved

    @api.model
    def _get_started(self, moves):
        """The moves a user has started: a line marked picked (Odoo's own
        mark, which its *Unreserve* leaves alone too), or put in a package."""
        return moves.filtered(
            lambda move: (
                move.picked
                or any(ml.picked or ml.result_package_id for ml in move.move_line_ids)
            )
        )

    @api.model
    def _get_document_name(self, move):
        """The transfer or manufacturing order of a move, as its users name it."""
        document = move._get_source_document()
        return (document and document.display_name) or move.reference or move.name

    @api.model
    def _prepare_wizard_transfer_vals(self, quants):
        """What the Review step lists: each move reserving these quants, with
        its document, type, partner, date and the quantity it reserves."""
        lines = self._get_reserving_lines(quants)
        moves = lines.move_id.sorted("id")
        reserved = self._get_reserved_qty(moves, lines)
        started = self._get_started(moves)
        return [
            {
                "move_id": move.id,
                "reference": self._get_document_name(move),
                "picking_type_id": move.picking_type_id.id,
                "partner_id": (move.picking_id.partner_id or move.partner_id).id,
                "date": move.picking_id.scheduled_date or move.date,
                "product_id": move.product_id.id,
                "quantity": reserved[move],
                "is_started": move in started,
            }
            for move in moves
        ]

    @api.model
    def _unreserve(self, moves):
        """Release these moves' reservations as the *Unreserve* button does.

        :return: ``{move: quantity reserved before}``
        """
        before = self._get_reserved_qty(moves)
        moves._do_unreserve()
        return before

    @api.model
    def _reserve_again(self, moves, before):
        """Odoo's reservation of these moves, now on lots/serials: each for
        the quantity it reserved before (``{move: quantity}``, in the
        product's unit), so that a quantity set by hand stays as it was.

        :return: ``{move: quantity reserved after}``
        """
        by_quantity = defaultdict(lambda: self.env["stock.move"])
        for move in moves:
            quantity = move.product_id.uom_id._compute_quantity(
                before.get(move, 0.0), move.product_uom, rounding_method="HALF-UP"
            )
            if quantity > 0:
                by_quantity[move.product_uom, quantity] |= move
        # one call per quantity: Odoo's force_qty is the same for all the moves
        for (__, quantity), group in by_quantity.items():
            group._action_assign(force_qty=quantity)
        return self._get_reserved_qty(moves)

    @api.model
    def _prepare_transfer_vals(self, before, after, phase):
        """One record line per move: what it reserved before and reserves
        after, on which lots/serials."""
        return [
            {
                "move_id": move.id,
                "reference": self._get_document_name(move),
                "product_id": move.product_id.id,
                "phase": phase,
                "quantity_before": quantity,
                "quantity_after": after.get(move, 0.0),
                "lot_names": ", ".join(
                    sorted(set(move.move_line_ids.lot_id.mapped("name")))
                ),
            }
            for move, quantity in before.items()
        ]
