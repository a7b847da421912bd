# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The batched reassignment ends where Odoo's documented procedure ends.

The benchmark's own arrangement and paths (tests/benchmarks), at small sizes,
on every case of its table: same tracking, same internal quants (product,
location, lot, package, owner, company, counted quantity, reserved and on-hand
quantity), same lots (company, location, unit), no quant without lot.
"""

import importlib.util
import json
import pathlib

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

_SPEC = importlib.util.spec_from_file_location(
    "bench_reassign",
    pathlib.Path(__file__).parent / "benchmarks" / "bench_reassign.py",
)
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)


@tagged("post_install", "-at_install")
class TestNativeEquivalence(TransactionCase):
    def _end_state(self, path, case, size, tag):
        admin = self.env.ref("base.user_admin")
        env = self.env(user=admin)
        tracking, assignments = bench.arrange(env, case, size, tag)
        path(env, tracking, assignments)
        env.flush_all()
        state = bench.end_state(env, assignments)
        return json.loads(json.dumps(state).replace(tag, "*")), len(assignments)

    def _assert_same_end_state(self, case, size):
        native, __ = self._end_state(bench.run_native, case, size, f"N{case}")
        module, __ = self._end_state(bench.run_module, case, size, f"M{case}")
        self.assertEqual(module, native)
        self.assertEqual(module["untracked_quants"], 0)
        lots = {
            "serials": size,
            "locations": 1,
            "products": size,
            # the old lots stay, without stock, beside the serials
            "lot_serials": size + bench.lot_count(size),
        }[case]
        self.assertEqual(len(module["lots"]), lots)
        self.assertEqual(
            sum(quant[-1] for quant in module["quants"]),
            size if "serials" in case else size * bench.UNITS_PER_PLACE,
            "every unit is still on hand",
        )

    def test_serials_in_one_location(self):
        self._assert_same_end_state("serials", 12)

    def test_one_lot_over_locations(self):
        self._assert_same_end_state("locations", 4)

    def test_one_lot_per_product(self):
        self._assert_same_end_state("products", 4)

    def test_lots_split_into_serials(self):
        self._assert_same_end_state("lot_serials", 20)
