# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A reassignment and every other change of its products' quants exclude
each other (README, "Concurrency and safety").

PostgreSQL advisory locks, held until the transaction ends, on two kinds of
keys: one per product, and one per bucket of product ids. A reassignment holds
both keys of each of its products exclusively. Any other change of quants
(``stock.quant._update_available_quantity``: reserving, unreserving, editing a
reserved line, validating, applying a count, scrapping, producing) holds a key
of each product it changes, shared: the product's own key for the first
``PRODUCT_KEYS_PER_TRANSACTION`` products of its transaction, the bucket's
key for any further one. Shared keys never wait for each other; so a
transaction takes at most ``PRODUCT_KEYS_PER_TRANSACTION + LOCK_BUCKETS``
advisory locks, however many products it moves, and only one that moves more
products than that can wait for a reassignment of another product (one of its
bucket).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, models

PRODUCT_NAMESPACE = 0x534C52  # "SLR"
BUCKET_NAMESPACE = 0x534C53
PRODUCT_KEYS_PER_TRANSACTION = 16
LOCK_BUCKETS = 16
MAX_SHARED_LOCKS = PRODUCT_KEYS_PER_TRANSACTION + LOCK_BUCKETS
# where a transaction remembers the products given their own key; Odoo clears
# it at commit and rollback
PRODUCT_KEYS_DATA = "stock_lot_reassign.product_keys"
# (cursor, product ids): shared keys taken by an enclosing holding_shared()
_HELD = ContextVar("stock_lot_reassign_held", default=(None, frozenset()))
_KEYS = "SELECT * FROM unnest(%s::int[], %s::int[]) AS t(ns, k) ORDER BY ns, k"
LOCK_QUERIES = {
    "exclusive": f"SELECT count(pg_advisory_xact_lock(ns, k)) FROM ({_KEYS}) AS keys",
    "shared": (
        f"SELECT count(pg_advisory_xact_lock_shared(ns, k)) FROM ({_KEYS}) AS keys"
    ),
    "try_shared_one": "SELECT pg_try_advisory_xact_lock_shared(%s, %s)",
    "try_shared": (
        f"SELECT bool_and(pg_try_advisory_xact_lock_shared(ns, k)) "
        f"FROM ({_KEYS}) AS keys"
    ),
}


class StockLotReassignmentLock(models.AbstractModel):
    _name = "stock.lot.reassignment.lock"
    _description = "Lot/Serial Reassignment Locks"

    @api.model
    def _acquire_exclusive(self, products):
        """Hold these products until the transaction ends: every change of
        their quants elsewhere waits. Keys in one order, so that two
        reassignments never wait for each other in a cycle."""
        keys = sorted(
            {(PRODUCT_NAMESPACE, product_id) for product_id in products.ids}
            | {(BUCKET_NAMESPACE, self._get_bucket(pid)) for pid in products.ids}
        )
        if keys:
            self._execute_locks("exclusive", keys)

    @api.model
    @contextmanager
    def _holding_shared(self, products):
        """Take these products' shared keys, for a batch of quant changes of
        them (a validation, a reservation): inside, their quant changes need
        not take them again. A savepoint rolled back inside cannot release
        them: they were taken before it began."""
        self._acquire_shared(products)
        cr, held = _HELD.get()
        held = held if cr is self.env.cr else frozenset()
        token = _HELD.set((self.env.cr, held | frozenset(products.ids)))
        try:
            yield
        finally:
            _HELD.reset(token)

    @api.model
    def _acquire_shared(self, products):
        """Wait while a reassignment of these products runs.

        After a wait, the transaction's snapshot may predate the
        reassignment: ``FOR SHARE`` on the templates then makes PostgreSQL
        refuse it when the reassignment changed their tracking (a
        serialization failure, which Odoo retries on a fresh snapshot, where
        the products are tracked).
        """
        cr, held = _HELD.get()
        if cr is self.env.cr:
            products = products.filtered(lambda product: product.id not in held)
        keys = self._get_shared_keys(products)
        if not keys:
            return
        if len(keys) == 1:
            # the common case, one product: its plain query costs less
            self.env.cr.execute(LOCK_QUERIES["try_shared_one"], keys[0])
            if self.env.cr.fetchone()[0]:
                return
        elif self._execute_locks("try_shared", keys):
            return
        self._execute_locks("shared", keys)
        self.env.cr.execute(
            "SELECT id FROM product_template WHERE id = ANY(%s) FOR SHARE",
            [products.product_tmpl_id.ids],
        )

    @api.model
    def _get_shared_keys(self, products):
        """The key of each product: its own while the transaction holds fewer
        than ``PRODUCT_KEYS_PER_TRANSACTION``, else its bucket's.

        Products once given their own key keep it: taking a key the
        transaction holds costs nothing, and takes it again when a rolled back
        savepoint released it.
        """
        with_own_key = self.env.cr.precommit.data.setdefault(PRODUCT_KEYS_DATA, set())
        keys = set()
        for product_id in products.ids:
            if product_id not in with_own_key and (
                len(with_own_key) < PRODUCT_KEYS_PER_TRANSACTION
            ):
                with_own_key.add(product_id)
            if product_id in with_own_key:
                keys.add((PRODUCT_NAMESPACE, product_id))
            else:
                keys.add((BUCKET_NAMESPACE, self._get_bucket(product_id)))
        return sorted(keys)

    @api.model
    def _get_bucket(self, product_id):
        return product_id % LOCK_BUCKETS

    @api.model
    def _execute_locks(self, function, keys):
        """``function``, one of ``LOCK_QUERIES``, on each key in the keys'
        order; whether all were taken (for the try-functions)."""
        self.env.cr.execute(
            LOCK_QUERIES[function],
            [[ns for ns, __ in keys], [key for __, key in keys]],
        )
        return self.env.cr.fetchone()[0] is not False
