# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's quant updates of done move lines, replayed in memory, then written.

``stock.move.line._action_done`` calls, for each line, ``_synchronize_quant``
at its source and at its destination, which call
``stock.quant._update_available_quantity`` and ``_get_available_quantity``:
a search, a row lock and a write or a create per call. ``QuantSync`` makes
the same calls, in the same order, on the quants held in memory, so each quant
ends with the values Odoo's calls would give it; then it takes the row locks
Odoo takes and writes those values with the ORM. Whenever Odoo's choice would
depend on something the replay does not decide the same way (several quants
Odoo could pick, a quant another transaction holds or changed), it gives up
and Odoo's own loop runs instead.
"""

from collections import defaultdict

from odoo import fields
from odoo.tools import float_compare, float_is_zero, split_every


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

    # ------------------------------------------------------------------
    # Replay
    # ------------------------------------------------------------------

    def replay(self, move_lines):
        """Odoo's quant calls of ``_action_done``, line after line."""
        self._load(move_lines)
        for ml in move_lines:
            product = ml.product_id
            quantity = ml.quantity_product_uom
            # _synchronize_quant's own early return, at both ends
            if product.type != "product" or float_is_zero(
                quantity, precision_rounding=ml.product_uom_id.rounding
            ):
                continue
            lot, package, owner = ml.lot_id.id, ml.package_id.id, ml.owner_id.id
            reserving = not self._bypasses_reservation(ml.location_id)
            if reserving:
                # the line's reservation released at its source
                self._update(
                    product, ml.location_id, 0, -quantity, lot, package, owner, False
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
            if available < 0 and reserving:
                # Odoo would take the missing quantity from other transfers'
                # reservations (_free_reservation)
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
            product, location, quantity, 0, lot, package, owner, in_date
        )
        if available < 0 and lot:
            untracked = self._get_available(
                product, location, False, package, owner, allow_negative=False
            )
            if not untracked:
                return available, in_date
            taken = min(untracked, abs(quantity))
            self._update(product, location, -taken, 0, False, package, owner, in_date)
            self._update(product, location, taken, 0, lot, package, owner, in_date)
        return available, in_date

    def _update(
        self, product, location, quantity, reserved, lot, package, owner, in_date
    ):
        """``stock.quant._update_available_quantity``."""
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
        else:
            key = (product.id, location.id, lot, package, owner)
            quant = _Quant(
                None, key, quantity, reserved, in_date, product.uom_id.rounding
            )
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
        """Write the end values: one ``write()`` per value, one ``create()``."""
        ids_by_values = defaultdict(list)
        for quant in self.written.values():
            values = (quant.quantity, quant.reserved_quantity, quant.in_date)
            ids_by_values[values].append(quant.id)
        for (quantity, reserved, in_date), ids in ids_by_values.items():
            self.Quant.browse(ids).write(
                {
                    "in_date": in_date,
                    "quantity": quantity,
                    "reserved_quantity": reserved,
                }
            )
        if self.created:
            self.Quant.create([self._create_values(quant) for quant in self.created])

    @staticmethod
    def _create_values(quant):
        vals = {
            "product_id": quant.product_id,
            "location_id": quant.location_id,
            "lot_id": quant.lot_id,
            "package_id": quant.package_id,
            "owner_id": quant.owner_id,
            "in_date": quant.in_date,
            "quantity": quant.quantity,
        }
        if quant.reserved_quantity:
            vals["reserved_quantity"] = quant.reserved_quantity
        return vals
