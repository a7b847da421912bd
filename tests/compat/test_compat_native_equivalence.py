# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""With stock_account, product_expiry, mrp and base_automation installed, the
module ends where the documented procedure ends.

A perishable product (expiration dates) valued in real time at FIFO cost,
received in Stock and on a shelf at different costs, gets serials (one case)
or lots (the other) over both locations. Compared between the two paths: the
tracking, the internal quants (location, lot, quantity, reserved, removal and
incoming dates), the lots and their dates, the number of chatter messages of
each lot, the valuation layers (per step and location, in order), the journal
balances per account and the product's cost and value.
"""

import datetime
from unittest.mock import patch

from compat_common import FROZEN_NOW, CompatCase
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.stock_lot_reassign.models.stock_quant_sync import QuantSync

REMOVAL_DATE = FROZEN_NOW + datetime.timedelta(days=60 - 7)


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_NOW)
class TestNativeEquivalenceWithApps(CompatCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["product.category"].create(
            {
                "name": "Compat perishable, real time FIFO",
                "property_valuation": "real_time",
                "property_cost_method": "fifo",
            }
        )

    def _end_states(self, tracking, lines):
        """Twins received in Stock (2 at 8.00, then 1 at 11.00) and on the
        shelf (2 at 9.50), given lots/serials by each path.

        :return: ``{path: end state}``
        """
        return self._end_states_of(
            tracking,
            lines,
            [(self.stock, 2, 8.0), (self.shelf, 2, 9.5), (self.stock, 1, 11.0)],
        )

    def _end_states_of(self, tracking, lines, receipts):
        twins = self._twins(
            f"Compat equivalence {tracking} {len(lines)}",
            receipts,
            categ_id=self.category.id,
            use_expiration_date=True,
            expiration_time=60,
            use_time=14,
            removal_time=7,
            alert_time=10,
        )
        states = {}
        for path, product in zip(("module", "native"), twins, strict=True):
            marks = self._reassign(path, product, tracking, lines)
            states[path] = {
                "tracking": product.tracking,
                "quants": self._quants(product),
                "lots": {
                    lot.name: self._lot_dates(lot) | {"company": lot.company_id.name}
                    for lot in self._lots(product)
                },
                "lot messages": self._lot_messages(product),
            } | self._valuation(product, marks)
        return states

    def test_serials_over_two_locations(self):
        """Five serials, 3 in Stock and 2 on the shelf: same end state."""
        states = self._end_states(
            "serial",
            [
                (self.stock if index < 3 else self.shelf, f"SN-{index}", 1)
                for index in range(5)
            ],
        )
        native = states["native"]
        self.assertEqual(native["tracking"], "serial")
        self.assertEqual(
            native["quants"],
            [
                ("Compat Shelf", f"SN-{i}", 1.0, 0.0, REMOVAL_DATE, FROZEN_NOW)
                for i in (3, 4)
            ]
            + [
                ("Stock", f"SN-{i}", 1.0, 0.0, REMOVAL_DATE, FROZEN_NOW)
                for i in range(3)
            ],
        )
        self.assertEqual(len(native["lots"]), 5)
        self.assertEqual(native["lot messages"], {f"SN-{i}": 1 for i in range(5)})
        # FIFO puts the units back at the cost of the last units taken out
        # (the shelf's: 9.50 and 11.00): 5 x 10.25
        self.assertEqual(native["standard_price"], 10.25)
        self.assertEqual(native["value_svl"], 51.25)
        self.assertEqual(states["module"], native)

    def test_lots_over_two_locations(self):
        """Lot A (1 in Stock), lot B (2 in Stock, 2 on the shelf): same end
        state."""
        states = self._end_states(
            "lot",
            [(self.stock, "A", 1), (self.stock, "B", 2), (self.shelf, "B", 2)],
        )
        native = states["native"]
        self.assertEqual(native["tracking"], "lot")
        self.assertEqual(
            native["quants"],
            [
                ("Compat Shelf", "B", 2.0, 0.0, REMOVAL_DATE, FROZEN_NOW),
                ("Stock", "A", 1.0, 0.0, REMOVAL_DATE, FROZEN_NOW),
                ("Stock", "B", 2.0, 0.0, REMOVAL_DATE, FROZEN_NOW),
            ],
        )
        self.assertEqual(sorted(native["lots"]), ["A", "B"])
        self.assertEqual(native["lot messages"], {"A": 1, "B": 1})
        self.assertEqual(native["standard_price"], 10.25)
        self.assertEqual(native["value_svl"], 51.25)
        self.assertEqual(states["module"], native)

    def test_sixty_serials_through_the_batched_paths(self):
        """Sixty serials, 40 in Stock and 20 on the shelf: the module's removal
        and restore moves take its batches of Odoo's quant moves, quant
        creation and serial check (README, "How it stays compatible"), the
        documented procedure Odoo's own loop; same end state."""
        lines = [
            (self.stock if index < 40 else self.shelf, f"SN-{index:02d}", 1)
            for index in range(60)
        ]
        with patch.object(
            QuantSync, "apply", autospec=True, side_effect=QuantSync.apply
        ) as apply:
            states = self._end_states_of(
                "serial",
                lines,
                [(self.stock, 40, 8.0), (self.shelf, 20, 9.5)],
            )
        self.assertEqual(apply.call_count, 2, "the module's removal and restore")
        native = states["native"]
        self.assertEqual(len(native["quants"]), 60)
        self.assertEqual({quant[2] for quant in native["quants"]}, {1.0})
        self.assertEqual(len(native["lots"]), 60)
        self.assertEqual(set(native["lot messages"].values()), {1})
        self.assertEqual(states["module"], native)
