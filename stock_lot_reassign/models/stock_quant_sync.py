# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's quant updates of a reassignment's own moves, replayed in memory,
then written.

The procedure validates the moves that put stock back with lots/serials
inside ``validating_own_moves(moves)``, and applies the removal's inventory
adjustment inside ``removing_own_quants(quants)``, whose moves Odoo's
``_apply_inventory`` makes: only their lines may take this path. Their shape
is known. A restore line goes from the inventory adjustment location, whose
reservation the move bypasses, into one place, with its lot, nothing
reserved. A removal line takes one quant without lot/serial out of its place
into the inventory adjustment location; Odoo reserved its quantity when it
created the line, and releases it first. For each line
``stock.move.line._action_done`` calls
``_synchronize_quant`` at the source and at the destination, which call
``stock.quant._update_available_quantity`` and ``_get_available_quantity``: a
search, a row lock and a write or a create per call. ``QuantSync`` makes the
same calls, in the same order, on the quants held in memory, so each quant
ends with the values Odoo's calls would give it; then it takes the row locks
Odoo takes and writes those values with the ORM. Whenever Odoo's choice would
depend on something the replay does not decide the same way (several quants
Odoo could pick, a quant another transaction holds or changed, a module
overriding one of the methods it stands for), it gives up and Odoo's own loop
runs instead.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import fields
from odoo.tools import float_compare, float_is_zero, split_every

from odoo.addons.stock.models.stock_move_line import (
    StockMoveLine as StockMoveLineBase,
)
from odoo.addons.stock.models.stock_quant import StockQuant as StockQuantBase

# Set by the procedure's own code only (no context key: no caller can set it).
_OWN_MOVE_IDS = ContextVar("stock_lot_reassign_own_move_ids", default=frozenset())
_RUNNING_SYNC = ContextVar("stock_lot_reassign_running_sync", default=None)
# (the last move id before the removal, the places of the quants it removes)
_REMOVAL = ContextVar("stock_lot_reassign_removal", default=None)

# The methods of Odoo whose result the replay stands for.
STOCK_MOVE_LINE_METHODS = ("_synchronize_quant", "_free_reservation")
STOCK_QUANT_METHODS = (
    "_update_available_quantity",
    "_update_reserved_quantity",
    "_get_available_quantity",
    "_gather",
    "_get_gather_domain",
)


@contextmanager
def validating_own_moves(moves):
    """Within it, the lines of these moves (a reassignment's restore moves)
    may be moved by the replay."""
    token = _OWN_MOVE_IDS.set(frozenset(moves.ids))
    try:
        yield
    finally:
        _OWN_MOVE_IDS.reset(token)


def are_own_moves(moves):
    return bool(moves) and set(moves.ids) <= _OWN_MOVE_IDS.get()


class Removal:
    """The removal's inventory adjustment, while Odoo's ``_apply_inventory``
    runs on its quants: the places it empties, and the reservations Odoo's
    ``stock.move.line.create`` makes of its lines' quantities, held back
    (``defer``) until the replay of those lines' ``_action_done``, which
    makes them first, then releases them, as Odoo does; whatever the replay
    does not take is made by Odoo's own call (``flush``)."""

    def __init__(self, last_move_id, places):
        self.last_move_id = last_move_id
        self.places = places
        self.deferred = []  # (product, location, quantity, package, owner)
        self.flushing = False

    @classmethod
    def get_running(cls):
        return _REMOVAL.get()

    def can_defer(self, product, location, quantity, lot, package, owner):
        return (
            not self.flushing
            and not lot
            and quantity > 0
            and (product.id, location.id, package.id, owner.id) in self.places
        )

    def defer(self, product, location, quantity, package, owner):
        self.deferred.append((product, location, quantity, package, owner))

    def get_deferred(self, move_lines):
        """The reservations held back for the places of these lines."""
        keys = {_get_place_key(ml) for ml in move_lines}
        return [
            call
            for call in self.deferred
            if (call[0].id, call[1].id, call[3].id, call[4].id) in keys
        ]

    def consume(self, calls):
        """These reservations were made, then released, by the replay."""
        taken = {id(call) for call in calls}
        self.deferred = [call for call in self.deferred if id(call) not in taken]

    def flush(self, quant_model):
        """Odoo's own reservation calls for what is still held back."""
        calls, self.deferred = self.deferred, []
        self.flushing = True
        try:
            for product, location, quantity, package, owner in calls:
                quant_model._update_reserved_quantity(
                    product,
                    location,
                    quantity,
                    lot_id=None,
                    package_id=package,
                    owner_id=owner,
                )
        finally:
            self.flushing = False


@contextmanager
def removing_own_quants(quants, last_move_id):
    """Within it, the inventory moves made after ``last_move_id`` that take
    these quants (without lot/serial) to the inventory adjustment location
    are the reassignment's own: Odoo's ``_apply_inventory`` of them."""
    removal = Removal(
        last_move_id, frozenset(_get_place_key(quant) for quant in quants)
    )
    token = _REMOVAL.set(removal)
    try:
        yield
        removal.flush(quants.env["stock.quant"].sudo())
    finally:
        _REMOVAL.reset(token)


def are_own_removal_moves(moves):
    """Moves ``_apply_inventory`` made inside ``removing_own_quants``, each
    of its lines taking one of those places' stock without lot/serial."""
    removal = _REMOVAL.get()
    if removal is None or not moves:
        return False
    last_move_id, places = removal.last_move_id, removal.places
    return all(
        move.id > last_move_id
        and move.is_inventory
        and move.location_dest_id.usage == "inventory"
        and move.move_line_ids
        and all(
            not ml.lot_id and _get_place_key(ml) in places for ml in move.move_line_ids
        )
        for move in moves
    )


def _get_place_key(record):
    """(product, location, package, owner) ids of a quant, or of a move
    line at its source."""
    return (
        record.product_id.id,
        record.location_id.id,
        record.package_id.id,
        record.owner_id.id,
    )


def is_only_overridden_here(model_class, base_class, name, below=None):
    """Whether ``name`` of this registry class runs ``base_class``'s code,
    with no module's override but this one's; ``below``: only the classes
    after this one in the MRO count (those ``super(base_class)`` skips)."""
    mro = model_class.__mro__
    for cls in mro[mro.index(below) + 1 :] if below else mro:
        if cls is base_class:
            return True
        if name in vars(cls) and not cls.__module__.startswith(
            "odoo.addons.stock_lot_reassign."
        ):
            return False
    return False


class QuantSyncUnsupported(Exception):
    """Odoo's own loop must move these quants."""


class _Quant:
    """A quant as the replay sees it: its place and its changing values."""

    __slots__ = (
        "id",
        "in_date",
        "location_id",
        "lot_id",
        "owner_id",
        "package_id",
        "product_id",
        "quantity",
        "reserved_quantity",
        "rounding",
    )

    def __init__(self, quant_id, key, quantity, reserved_quantity, in_date, rounding):
        self.id = quant_id
        (
            self.product_id,
            self.location_id,
            self.lot_id,
            self.package_id,
            self.owner_id,
        ) = key
        self.quantity = quantity
        self.reserved_quantity = reserved_quantity
        self.in_date = in_date
        self.rounding = rounding


class QuantSync:
    FIELDS = (
        "product_id",
        "location_id",
        "lot_id",
        "package_id",
        "owner_id",
        "quantity",
        "reserved_quantity",
        "in_date",
    )

    def __init__(self, quant_model):
        self.Quant = quant_model
        self.now = fields.Datetime.now()
        self.by_key = defaultdict(list)  # (product, location, lot, package, owner)
        self.loaded = {}  # quant id: (quantity, reserved_quantity, in_date)
        self.written = {}  # quant id: _Quant, the existing quants changed
        self.created = []  # _Quant, in the order Odoo would create them
        self._bypass = {}
        self._create_vals_list = None
        self.deferred = []  # the removal's reservations the replay made

    # ------------------------------------------------------------------
    # Replay
    # ------------------------------------------------------------------

    @classmethod
    def get_running(cls):
        """The replay writing its quants now, if any."""
        return _RUNNING_SYNC.get()

    @classmethod
    def is_supported(cls, move_lines):
        """Lines of the reassignment's own moves, of the shape it makes, with
        stock's methods (or only this module's overrides) to stand for."""
        move_line_class = type(move_lines)
        quant_class = type(move_lines.env["stock.quant"])
        return (
            are_own_moves(move_lines.move_id)
            and all(
                is_only_overridden_here(move_line_class, StockMoveLineBase, name)
                for name in STOCK_MOVE_LINE_METHODS
            )
            and all(
                is_only_overridden_here(quant_class, StockQuantBase, name)
                for name in STOCK_QUANT_METHODS
            )
            and all(
                cls._is_restore_line(ml) or cls._is_removal_line(ml)
                for ml in move_lines
            )
            and cls._gathers_by_domain_only(move_lines)
        )

    @staticmethod
    def _gathers_by_domain_only(move_lines):
        """Whether the removal strategy of each place leaves ``_gather``'s
        domain as it is (product_expiry's FEFO, for one, changes only the
        order, which the replay does not use: it gives up when Odoo could pick
        among several quants). Asked of Odoo's method, as ``_gather`` asks."""
        Quant = move_lines.env["stock.quant"].sudo()
        places = {
            (ml.product_id, location)
            for ml in move_lines
            for location in (ml.location_id, ml.location_dest_id)
        }
        for product, location in places:
            domain = [
                ("product_id", "=", product.id),
                ("location_id", "=", location.id),
            ]
            strategy = Quant._get_removal_strategy(product, location)
            returned, __ = Quant._get_removal_strategy_domain_order(
                list(domain), strategy, 0
            )
            if returned != domain:
                return False
        return True

    @staticmethod
    def _is_restore_line(ml):
        """From a location the move does not reserve in (so Odoo neither
        releases nor frees a reservation there), with a lot, a positive
        quantity in the UoM's rounding: Odoo's preliminary loop lets it
        through untouched."""
        return (
            QuantSync._is_plain_line(ml)
            and bool(ml.lot_id)
            and ml.move_id._should_bypass_reservation(ml.location_id)
        )

    @staticmethod
    def _is_removal_line(ml):
        """An inventory line without lot/serial from a location the move
        reserves in, into one it does not (the inventory adjustment
        location), a positive quantity in the UoM's rounding: Odoo's
        preliminary loop lets it through untouched (an inventory line needs
        no lot), then releases its reservation and moves it."""
        return (
            QuantSync._is_plain_line(ml)
            and ml.move_id.is_inventory
            and not ml.lot_id
            and not ml.move_id._should_bypass_reservation(ml.location_id)
            and ml.move_id._should_bypass_reservation(ml.location_dest_id)
        )

    @staticmethod
    def _is_plain_line(ml):
        rounding = ml.product_uom_id.rounding
        precision = ml.env["decimal.precision"].precision_get("Product Unit of Measure")
        uom_qty = fields.Float.round(ml.quantity, precision_rounding=rounding)
        quantity = fields.Float.round(ml.quantity, precision_digits=precision)
        return (
            bool(ml.move_id)
            and fields.Float.compare(uom_qty, quantity, precision_digits=precision) == 0
            and fields.Float.compare(ml.quantity, 0, precision_rounding=rounding) > 0
        )

    def replay(self, move_lines):
        """Odoo's quant calls of ``_action_done``, line after line: the
        reservation released at the source (when the move reserves there),
        then the two ``_synchronize_quant`` calls that move the quantity."""
        self._load(move_lines)
        removal = Removal.get_running()
        self.deferred = removal.get_deferred(move_lines) if removal else []
        # first, the reservations stock.move.line.create made of the
        # removal's lines, as Odoo made them
        for product, location, quantity, package, owner in self.deferred:
            self._update(
                product, location, 0.0, False, package.id, owner.id, False, quantity
            )
        for ml in move_lines:
            product = ml.product_id
            quantity = ml.quantity_product_uom
            # _synchronize_quant's own early return, at both ends
            if product.type != "product" or float_is_zero(
                quantity, precision_rounding=ml.product_uom_id.rounding
            ):
                continue
            lot, package, owner = ml.lot_id.id, ml.package_id.id, ml.owner_id.id
            if not ml.move_id._should_bypass_reservation(ml.location_id):
                self._update(
                    product, ml.location_id, 0.0, lot, package, owner, False, -quantity
                )
            available, in_date = self._synchronize(
                product, ml.location_id, -quantity, lot, package, owner, False
            )
            self._synchronize(
                product,
                ml.location_dest_id,
                quantity,
                lot,
                ml.result_package_id.id,
                owner,
                in_date,
            )
            if available < 0 and not ml.move_id._should_bypass_reservation(
                ml.location_id
            ):
                # Odoo frees other lines' reservations here (_free_reservation)
                raise QuantSyncUnsupported()

    def _load(self, move_lines):
        quants = self.Quant.search_fetch(
            [
                ("product_id", "in", move_lines.product_id.ids),
                (
                    "location_id",
                    "in",
                    (move_lines.location_id | move_lines.location_dest_id).ids,
                ),
                ("lot_id", "in", move_lines.lot_id.ids + [False]),
            ],
            self.FIELDS,
            order="id",
        )
        for quant in quants:
            key = (
                quant.product_id.id,
                quant.location_id.id,
                quant.lot_id.id,
                quant.package_id.id,
                quant.owner_id.id,
            )
            values = (quant.quantity, quant.reserved_quantity, quant.in_date)
            self.loaded[quant.id] = values
            self.by_key[key].append(
                _Quant(quant.id, key, *values, quant.product_id.uom_id.rounding)
            )

    def _synchronize(self, product, location, quantity, lot, package, owner, in_date):
        """``stock.move.line._synchronize_quant``, action "available"."""
        available, in_date = self._update(
            product, location, quantity, lot, package, owner, in_date
        )
        if available < 0 and lot:
            untracked = self._get_available(
                product, location, False, package, owner, allow_negative=False
            )
            if not untracked:
                return available, in_date
            taken = min(untracked, abs(quantity))
            self._update(product, location, -taken, False, package, owner, in_date)
            self._update(product, location, taken, lot, package, owner, in_date)
        return available, in_date

    def _update(
        self, product, location, quantity, lot, package, owner, in_date, reserved=0.0
    ):
        """``stock.quant._update_available_quantity`` (of ``quantity``, or
        of ``reserved``: ``_update_reserved_quantity``)."""
        quants = self._gather(product, location, lot, package, owner)
        if lot and quantity > 0:
            quants = [quant for quant in quants if quant.lot_id]
        if self._bypasses_reservation(location):
            incoming_dates = []
        else:
            incoming_dates = [
                quant.in_date
                for quant in quants
                if quant.in_date
                and float_compare(quant.quantity, 0, precision_rounding=quant.rounding)
                > 0
            ]
        if in_date:
            incoming_dates.append(in_date)
        in_date = min(incoming_dates) if incoming_dates else self.now
        quant = self._pick(quants)
        if quant:
            quant.quantity += quantity
            quant.reserved_quantity += reserved
            quant.in_date = in_date
            if quant.id:
                self.written[quant.id] = quant
        elif reserved:
            # Odoo would create a quant holding only a reservation
            raise QuantSyncUnsupported()
        else:
            key = (product.id, location.id, lot, package, owner)
            quant = _Quant(None, key, quantity, 0.0, in_date, product.uom_id.rounding)
            self.by_key[key].append(quant)
            self.created.append(quant)
        available = self._get_available(
            product, location, lot, package, owner, allow_negative=True
        )
        return available, in_date

    def _gather(self, product, location, lot, package, owner):
        """The quants of a strict ``_gather``: with this lot, or none."""
        quants = list(
            self.by_key.get((product.id, location.id, False, package, owner), [])
        )
        if lot:
            quants += self.by_key.get(
                (product.id, location.id, lot, package, owner), []
            )
        return quants

    @staticmethod
    def _pick(quants):
        """The quant Odoo locks: ``ORDER BY lot_id LIMIT 1``, lots first."""
        with_lot = [quant for quant in quants if quant.lot_id]
        candidates = with_lot or quants
        if len(candidates) > 1:
            # which of them the database returns first is not decided
            raise QuantSyncUnsupported()
        return candidates[0] if candidates else None

    def _get_available(self, product, location, lot, package, owner, allow_negative):
        """``stock.quant._get_available_quantity``, strict."""
        quants = self._gather(product, location, lot, package, owner)
        rounding = product.uom_id.rounding
        if product.tracking == "none":
            available = sum(q.quantity for q in quants) - sum(
                q.reserved_quantity for q in quants
            )
            if (
                allow_negative
                or float_compare(available, 0, precision_rounding=rounding) >= 0
            ):
                return available
            return 0.0
        by_lot = defaultdict(float, untracked=0.0)
        for quant in quants:
            if not quant.lot_id and lot:
                continue
            by_lot[quant.lot_id or "untracked"] += (
                quant.quantity - quant.reserved_quantity
            )
        if allow_negative:
            return sum(by_lot.values())
        return sum(
            available
            for available in by_lot.values()
            if float_compare(available, 0, precision_rounding=rounding) > 0
        )

    def _bypasses_reservation(self, location):
        if location.id not in self._bypass:
            self._bypass[location.id] = location.should_bypass_reservation()
        return self._bypass[location.id]

    # ------------------------------------------------------------------
    # Locks and writes
    # ------------------------------------------------------------------

    def lock(self):
        """Odoo's row locks on the quants it would write.

        ``FOR NO KEY UPDATE SKIP LOCKED``, as ``_update_available_quantity``:
        a quant another transaction holds, or changed since it was read,
        would make Odoo choose otherwise.
        """
        ids = sorted(self.written)
        locked = set()
        for chunk in split_every(10000, ids, tuple):
            self.Quant.env.cr.execute(
                "SELECT id FROM stock_quant WHERE id IN %s "
                "FOR NO KEY UPDATE SKIP LOCKED",
                [chunk],
            )
            locked.update(row[0] for row in self.Quant.env.cr.fetchall())
        if locked != set(ids):
            raise QuantSyncUnsupported()
        quants = self.Quant.browse(ids)
        quants.invalidate_recordset(["quantity", "reserved_quantity", "in_date"])
        for quant in quants:
            current = (quant.quantity, quant.reserved_quantity, quant.in_date)
            if current != self.loaded[quant.id]:
                raise QuantSyncUnsupported()

    def apply(self):
        """Write the end values: one ``write()`` per value, one ``create()``
        of the list ``stock.quant.create`` recognizes as this replay's."""
        token = _RUNNING_SYNC.set(self)
        try:
            ids_by_values = defaultdict(list)
            for quant in self.written.values():
                # the reservation, only where the replay changed it
                reserved = (
                    quant.reserved_quantity
                    if quant.reserved_quantity != self.loaded[quant.id][1]
                    else None
                )
                ids_by_values[quant.quantity, reserved, quant.in_date].append(quant.id)
            for (quantity, reserved, in_date), ids in ids_by_values.items():
                vals = {"in_date": in_date, "quantity": quantity}
                if reserved is not None:
                    vals["reserved_quantity"] = reserved
                self.Quant.browse(ids).write(vals)
            if self.created:
                self._create_vals_list = [
                    self._create_values(quant) for quant in self.created
                ]
                self.Quant.create(self._create_vals_list)
        finally:
            _RUNNING_SYNC.reset(token)
        removal = Removal.get_running()
        if removal and self.deferred:
            removal.consume(self.deferred)

    def is_creating(self, vals_list):
        return vals_list is self._create_vals_list

    def is_writing(self, quants):
        """Whether these quants are at places this replay moves."""
        return all(
            (
                quant.product_id.id,
                quant.location_id.id,
                quant.lot_id.id,
                quant.package_id.id,
                quant.owner_id.id,
            )
            in self.by_key
            for quant in quants
        )

    @staticmethod
    def _create_values(quant):
        """The values of Odoo's ``create()`` in ``_update_available_quantity``."""
        return {
            "product_id": quant.product_id,
            "location_id": quant.location_id,
            "lot_id": quant.lot_id,
            "package_id": quant.package_id,
            "owner_id": quant.owner_id,
            "in_date": quant.in_date,
            "quantity": quant.quantity,
        }
