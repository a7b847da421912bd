# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stock that carries lots already, beside Odoo's apps.

With product_expiry, a lot split into serial numbers (or renamed) hands its
dates to the lots made from it: the goods did not change, their dates did
not either; an assignment that gives a date gives that one. Reversed, the
old lot has its stock and its dates back. Odoo's documented procedure,
driven the same way, ends in the same stock.
"""

import datetime

from compat_common import FROZEN_NOW, CompatCase, bench
from freezegun import freeze_time

from odoo.tests import tagged

DAY = datetime.timedelta(days=1)
PRINTED = datetime.datetime(2026, 5, 31)
CUSTOM_USE = datetime.datetime(2026, 5, 1)  # best before set by hand on the lot


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_NOW)
class TestLotsReassignedWithExpiry(CompatCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._product(
            "Compat perishable lots",
            tracking="lot",
            use_expiration_date=True,
            expiration_time=30,
            use_time=10,
            removal_time=5,
            alert_time=3,
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "PER-1", "product_id": cls.product.id, "expiration_date": PRINTED}
        )
        cls.lot.use_date = CUSTOM_USE
        cls.lot_dates = {
            "expiration_date": PRINTED,
            "use_date": CUSTOM_USE,
            "removal_date": PRINTED - 5 * DAY,
            "alert_date": PRINTED - 3 * DAY,
        }
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.stock, 3, lot_id=cls.lot
        )
        cls.template = cls.product.product_tmpl_id.with_env(cls.admin_env)

    def _split(self, **extra):
        return [
            dict(
                {
                    "product_id": self.product.id,
                    "location_id": self.stock.id,
                    "from_lot_id": self.lot.id,
                    "lot_name": f"PER-1-{index}",
                    "quantity": 1,
                },
                **(extra if index == 3 else {}),
            )
            for index in (1, 2, 3)
        ]

    def test_serials_made_from_a_lot_keep_its_dates_unless_given(self):
        self.template.reassign_lots("serial", self._split(expiration_date="2026-07-01"))

        self.env.invalidate_all()
        dates = {lot.name: self._lot_dates(lot) for lot in self._lots(self.product)}
        self.assertEqual(dates["PER-1-1"], self.lot_dates)
        self.assertEqual(dates["PER-1-2"], self.lot_dates)
        given = datetime.datetime(2026, 7, 1)
        self.assertEqual(
            dates["PER-1-3"],
            {
                "expiration_date": given,
                "use_date": given - 10 * DAY,
                "removal_date": given - 5 * DAY,
                "alert_date": given - 3 * DAY,
            },
            "the date given wins, Odoo computes the others from it",
        )
        self.assertEqual(
            [
                (q.lot_id.name, q.quantity, q.removal_date)
                for q in self._quant_records()
            ],
            [
                ("PER-1-1", 1.0, PRINTED - 5 * DAY),
                ("PER-1-2", 1.0, PRINTED - 5 * DAY),
                ("PER-1-3", 1.0, given - 5 * DAY),
            ],
            "FEFO still sees the goods' removal date",
        )

    def test_reversed_the_lot_has_its_stock_and_dates_back(self):
        self.template.reassign_lots("serial", self._split())
        reassignment = self.admin_env["stock.lot.reassignment"].search([], limit=1)

        reassignment.action_reverse()

        self.env.invalidate_all()
        self.assertEqual(self.product.tracking, "lot")
        self.assertEqual(
            [(q.lot_id, q.quantity) for q in self._quant_records()], [(self.lot, 3.0)]
        )
        self.assertEqual(self._lot_dates(self.lot), self.lot_dates)

    def test_same_stock_as_the_documented_procedure(self):
        twin = self._product("Compat perishable lots native", tracking="lot")
        twin_lot = self.env["stock.lot"].create(
            {"name": "PER-1", "product_id": twin.id, "expiration_date": PRINTED}
        )
        self.env["stock.quant"]._update_available_quantity(
            twin, self.stock, 3, lot_id=twin_lot
        )
        native = [
            dict(vals, product_id=twin.id, from_lot_id=twin_lot.id)
            for vals in self._split()
        ]
        bench.run_native(self.admin_env, "serial", native)
        self.template.reassign_lots("serial", self._split())

        self.env.invalidate_all()
        self.assertEqual(
            [row[1:4] for row in self._quants(self.product)],
            [row[1:4] for row in self._quants(twin)],
        )

    def _quant_records(self):
        return self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id.usage", "=", "internal"),
                ("quantity", "!=", 0),
            ],
            order="lot_id",
        )
