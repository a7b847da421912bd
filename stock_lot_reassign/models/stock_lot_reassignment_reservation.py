# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models
from odoo.tools import float_compare

from .stock_lot_reassignment_procedure import STOCK_USAGES, Place, Source

# the states of a move Odoo may still reserve
OPEN_STATES = ("waiting", "confirmed", "partially_available", "assigned")


class StockLotReassignmentReservation(models.AbstractModel):
    """The transfers that reserve the stock being reassigned: found, released
    as Odoo's *Unreserve* releases them (``stock.move._do_unreserve``), and
    reserved again by Odoo's own reservation (``stock.move._action_assign``),
    which picks the new lots/serials by the product's removal strategy; all in
    the reassignment's transaction.

    The next step of a multi-step route (a ship after its pick, a transfer to
    stock after its receipt, a manufacturing order after its components were
    picked) is *chained*: Odoo reserves it only on what its done origin moves
    brought, lot by lot (``stock.move._get_available_move_lines``). When they
    brought stock without lot/serial, ``_action_assign`` never finds it again
    once it carries lots, so such a move is reserved through Odoo's
    reservation call for the place where its origins left the stock
    (``stock.move._update_reserved_quantity``), as ``_action_assign`` does for
    a move without origin."""

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
    def _get_moves_to_reserve_again(self, quants, chains):
        """The moves to unreserve and reserve again around a reassignment of
        these quants, in the order Odoo made them: those reserving them, and
        the next steps waiting for them, reserved or not (``chains``, of
        ``_get_chained_moves``)."""
        moves = self._get_reserving_moves(quants) | self.env["stock.move"].union(
            *chains
        )
        return moves.sorted("id")

    @api.model
    def _get_chained_moves(self, sources):
        """The open moves whose done origin moves brought the stock of these
        sources (``Source``: a place, product, location, package, owner, and
        a lot, or none) there, and that Odoo would reserve there: what
        Odoo's ``_get_available_move_lines`` counts for them, their
        siblings' share taken out.

        :return: ``{move: {Place: quantity brought}}``, in the product's unit
        """
        if not sources:
            return {}
        products = self.env["product.product"].union(
            *(source.place.product for source in sources)
        )
        candidates = (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("product_id", "in", products.ids),
                    ("state", "in", OPEN_STATES),
                    ("move_orig_ids.state", "=", "done"),
                ],
                order="id",
            )
        )
        chains = {}
        for move in candidates.filtered(lambda m: not m._should_bypass_reservation()):
            brought = {}
            available = move._get_available_move_lines(set(), set())
            for (location, lot, package, owner), quantity in available.items():
                place = Place(move.product_id, location, package, owner)
                if Source(place, lot) in sources:
                    brought[place] = brought.get(place, 0.0) + quantity
            if brought:
                chains[move.with_env(self.env)] = brought
        return chains

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
        """What the Review step lists: each move reserving these quants or
        waiting for them as the next step of a route, with its document,
        type, partner, date and the quantity it reserves."""
        lines = self._get_reserving_lines(quants.filtered("reserved_quantity"))
        chains = self._get_chained_moves(
            self.env["stock.lot.reassignment.procedure"]._get_sources(quants)
        )
        moves = (lines.move_id | self.env["stock.move"].union(*chains)).sorted("id")
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
                "is_chained": move in chains,
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
    def _reserve_again(self, moves, before, chains=None):
        """Odoo's reservation of these moves, now on lots/serials: each for
        the quantity it reserved before (``{move: quantity}``, in the
        product's unit), so that a quantity set by hand stays as it was; a
        next step of a route (``chains``, of ``_get_chained_moves``) in the
        places its origins left the stock, for what they brought when it
        reserved nothing.

        :return: ``{move: quantity reserved after}``
        """
        chains = chains or {}
        chained = moves.filtered(lambda move: move in chains)
        self._reserve_in_places(chained, before, chains)
        by_quantity = defaultdict(lambda: self.env["stock.move"])
        for move in moves - chained:
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
    def _reserve_in_places(self, moves, before, chains):
        """Reserve each chained move in the places its origins left the
        stock, with Odoo's reservation call for a place
        (``_update_reserved_quantity``, on that place's quants, in the order
        of the removal strategy), then end as ``_action_assign`` ends: the
        state, the putaway of the new lines, the entire packages."""
        quants_of = self._get_quants_by_place(
            [place for move in moves for place in chains[move]]
        )
        for move in moves:
            brought = chains[move]
            uom = move.product_id.uom_id
            reserved = move.product_uom._compute_quantity(move.quantity, uom)
            # a step that reserved nothing gets what its origins brought
            need = before.get(move, 0.0) or min(
                move.product_qty - reserved, sum(brought.values())
            )
            for place, quantity in brought.items():
                if float_compare(need, 0, precision_rounding=uom.rounding) <= 0:
                    break
                if not quants_of[place]:
                    # no quant_ids would make Odoo search beyond the place
                    continue
                need -= move._update_reserved_quantity(
                    min(need, quantity),
                    place.location,
                    quant_ids=quants_of[place],
                    package_id=place.package,
                    owner_id=place.owner,
                    strict=False,
                )
            if move.product_id.tracking == "serial":
                move.next_serial_count = move.product_uom_qty
        if not moves:
            return
        moves._recompute_state()
        moves.move_line_ids._apply_putaway_strategy()
        if not self.env.context.get("bypass_entire_pack"):
            moves.picking_id._check_entire_pack()

    @api.model
    def _get_quants_by_place(self, places):
        """``{Place: quants}`` of exactly these places, whatever their
        lot/serial, read at once as ``_action_assign`` reads them
        (``stock.quant._get_quants_by_products_locations``)."""
        Procedure = self.env["stock.lot.reassignment.procedure"]
        Quant = self.env["stock.quant"].sudo()
        by_product = Quant._get_quants_by_products_locations(
            Quant.product_id.union(*(place.product for place in places)),
            Quant.location_id.union(*(place.location for place in places)),
        )
        quants_of = defaultdict(lambda: Quant)
        for quants in by_product.values():
            for quant in quants:
                quants_of[Procedure._get_place(quant)] |= quant
        return quants_of

    @api.model
    def _prepare_transfer_vals(self, before, after, phase, chains=None):
        """One record line per move: what it reserved before and reserves
        after, on which lots/serials."""
        return [
            {
                "move_id": move.id,
                "reference": self._get_document_name(move),
                "product_id": move.product_id.id,
                "phase": phase,
                "is_chained": move in (chains or {}),
                "quantity_before": quantity,
                "quantity_after": after.get(move, 0.0),
                "lot_names": ", ".join(
                    sorted(set(move.move_line_ids.lot_id.mapped("name")))
                ),
            }
            for move, quantity in before.items()
        ]
