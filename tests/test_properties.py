# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Property-based tests (hypothesis) over random stock layouts.

A layout: a product with one or two variants, untracked or already tracked
(stock with lots beside stock without), quants without lot/serial in random
locations of two companies, in packages or not, owned or not, some zero, some
negative. For each layout a random valid plan is applied, and every quantity
per place must be unchanged and carried by lots/serials; a random corruption
of the plan must be refused with nothing changed. Each example runs in a
savepoint rolled back after it.
"""

import contextlib
from collections import defaultdict

from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase, new_test_user

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    database=None,
    # no shrinking: a failure is reported as drawn, in seconds, not minutes
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Rollback(Exception):
    """Ends an example: its savepoint is rolled back."""


# a place: (variant index, location index, package?, owner?) -> quantity
PLACES = st.tuples(st.integers(0, 1), st.integers(0, 3), st.booleans(), st.booleans())
LAYOUTS = st.fixed_dictionaries(
    {
        "variants": st.integers(1, 2),
        "tracking": st.sampled_from(["none", "lot", "serial"]),
        "target": st.sampled_from(["lot", "serial"]),
        "untracked": st.dictionaries(PLACES, st.integers(0, 5), min_size=1, max_size=6),
        # one layout in 6 also has a negative quant somewhere
        "negative": st.tuples(st.integers(0, 5).map(lambda n: n == 0), PLACES),
        "tracked": st.lists(st.tuples(PLACES, st.integers(1, 3)), max_size=3),
    }
)
CORRUPTIONS = st.sampled_from(
    [
        "drop",
        "more",
        "less",
        "empty name",
        "unknown location",
        "other product",
        "serial twice",
        "negative",
    ]
)


@tagged("post_install", "-at_install")
class TestReassignProperties(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Property B"})
        cls.manager = new_test_user(
            cls.env,
            login="property_manager",
            groups="stock.group_stock_manager,base.group_multi_company",
        )
        cls.manager.company_ids |= cls.company_b
        stock_a = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.env.company.id)], limit=1)
            .lot_stock_id
        )
        stock_b = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.company_b.id)], limit=1)
            .lot_stock_id
        )
        shelves = cls.env["stock.location"].create(
            [
                {"name": "Property Shelf", "location_id": stock_a.id},
                {"name": "Property Transit", "usage": "transit"},
            ]
        )
        cls.locations = [stock_a, shelves[0], shelves[1], stock_b]
        cls.empty_location = cls.env["stock.location"].create(
            {"name": "Property Empty", "location_id": stock_a.id}
        )
        # a package lies in one location: one package per location
        cls.packages = cls.env["stock.quant.package"].create(
            [{"name": f"PROP-PACK-{n}"} for n in range(len(cls.locations))]
        )
        cls.owner = cls.env["res.partner"].create({"name": "Property Owner"})
        attribute = cls.env["product.attribute"].create(
            {
                "name": "Property Size",
                "value_ids": [(0, 0, {"name": "S"}), (0, 0, {"name": "L"})],
            }
        )
        cls.attribute = attribute
        cls.other = cls.env["product.product"].create(
            {"name": "Property Other", "type": "product"}
        )

    # ------------------------------------------------------------------
    # Arrange
    # ------------------------------------------------------------------

    def _make_product(self, layout):
        vals = {"name": "Property Chair", "type": "product"}
        if layout["variants"] == 2:
            vals["attribute_line_ids"] = [
                (
                    0,
                    0,
                    {
                        "attribute_id": self.attribute.id,
                        "value_ids": [(6, 0, self.attribute.value_ids.ids)],
                    },
                )
            ]
        template = self.env["product.template"].create(vals)
        return template, template.product_variant_ids

    def _place(self, variants, key):
        variant, location, packaged, owned = key
        return (
            variants[min(variant, len(variants) - 1)],
            self.locations[location],
            self.packages[location] if packaged else self.packages.browse(),
            self.owner if owned else self.owner.browse(),
        )

    def _arrange(self, layout):
        template, variants = self._make_product(layout)
        Quant = self.env["stock.quant"]
        untracked = defaultdict(float)
        for key, quantity in layout["untracked"].items():
            place = self._place(variants, key)
            if quantity:
                Quant._update_available_quantity(
                    place[0], place[1], quantity, package_id=place[2], owner_id=place[3]
                )
            untracked[place] += quantity
        has_negative, key = layout["negative"]
        if has_negative:
            place = self._place(variants, key)
            Quant._update_available_quantity(
                place[0], place[1], -1, package_id=place[2], owner_id=place[3]
            )
            untracked[place] -= 1
        if layout["tracking"] != "none":
            template.tracking = layout["tracking"]
            for n, (key, quantity) in enumerate(layout["tracked"]):
                place = self._place(variants, key)
                quantity = 1 if layout["tracking"] == "serial" else quantity
                lot = self.env["stock.lot"].create(
                    {
                        "name": f"OLD-{n}",
                        "product_id": place[0].id,
                        "company_id": place[1].company_id.id or self.env.company.id,
                    }
                )
                Quant._update_available_quantity(
                    place[0],
                    place[1],
                    quantity,
                    lot_id=lot,
                    package_id=place[2],
                    owner_id=place[3],
                )
        return template, variants, {p: q for p, q in untracked.items() if q}

    def _plan(self, untracked, tracking, data):
        """A valid plan: every unit without lot/serial gets one."""
        assignments = []
        for n, ((product, location, package, owner), quantity) in enumerate(
            sorted(untracked.items(), key=lambda item: [r.id for r in item[0]])
        ):
            if tracking == "serial":
                parts = [1] * int(quantity)
            else:
                cut = data.draw(st.integers(0, int(quantity) - 1))
                parts = [p for p in (cut, quantity - cut) if p]
            for k, part in enumerate(parts):
                assignments.append(
                    {
                        "product_id": product.id,
                        "location_id": location.id,
                        "package_id": package.id,
                        "owner_id": owner.id,
                        "lot_name": f"NEW-{n}-{k}"
                        if tracking == "serial"
                        else data.draw(st.sampled_from(["NEW-A", "NEW-B", f"NEW-{n}"])),
                        "quantity": part,
                    }
                )
        return assignments

    def _corrupt(self, assignments, corruption, data):
        index = data.draw(st.integers(0, len(assignments) - 1))
        bad = [dict(vals) for vals in assignments]
        if corruption == "drop":
            del bad[index]
        elif corruption == "more":
            bad[index]["quantity"] += 1
        elif corruption == "less":
            bad[index]["quantity"] -= 0.5
        elif corruption == "empty name":
            bad[index]["lot_name"] = " "
        elif corruption == "unknown location":
            bad[index]["location_id"] = self.empty_location.id
        elif corruption == "other product":
            bad[index]["product_id"] = self.other.id
        elif corruption == "serial twice":
            bad.append(dict(bad[index]))
        else:
            bad[index]["quantity"] = -bad[index]["quantity"]
        return bad

    # ------------------------------------------------------------------
    # Observe
    # ------------------------------------------------------------------

    def _stock(self, variants):
        """Quantity per place (all lots together), and per place and lot."""
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "in", variants.ids),
                    ("location_id.usage", "in", ["internal", "transit"]),
                ]
            )
        )
        by_place, by_lot = defaultdict(float), defaultdict(float)
        for quant in quants:
            place = (
                quant.product_id,
                quant.location_id,
                quant.package_id,
                quant.owner_id,
            )
            by_place[place] += quant.quantity
            by_lot[place + (quant.lot_id,)] += quant.quantity
        return self._nonzero(by_place), self._nonzero(by_lot)

    def _nonzero(self, quantities):
        return {k: round(v, 6) for k, v in quantities.items() if round(v, 6)}

    # ------------------------------------------------------------------
    # Properties
    # ------------------------------------------------------------------

    @SETTINGS
    @given(layout=LAYOUTS, corruption=CORRUPTIONS, data=st.data())
    def test_valid_plan_keeps_every_quantity_corrupted_plan_changes_nothing(
        self, layout, corruption, data
    ):
        with contextlib.suppress(Rollback), self.env.cr.savepoint():
            self._check_layout(layout, corruption, data)
            raise Rollback

    def _check_layout(self, layout, corruption, data):
        template, variants, untracked = self._arrange(layout)
        tracking = (
            layout["target"] if layout["tracking"] == "none" else layout["tracking"]
        )
        api = template.with_user(self.manager).with_context(
            allowed_company_ids=(self.env.company | self.company_b).ids
        )
        before_places, before_lots = self._stock(variants)
        negative = any(quantity < 0 for quantity in untracked.values())
        assignments = self._plan(
            {p: q for p, q in untracked.items() if q > 0}, tracking, data
        )
        if not assignments or negative:
            event("refused: nothing to reassign or negative stock")
            # nothing to give lots to, or a negative quant: refused
            with self.assertRaises(UserError), self.env.cr.savepoint():
                api.reassign_lots(tracking, assignments)
            self.env.invalidate_all()
            self.assertEqual(self._stock(variants), (before_places, before_lots))
            return

        event(f"applied: {layout['tracking']} -> {tracking}, {corruption} refused")
        bad = self._corrupt(assignments, corruption, data)
        with (
            self.assertRaises(UserError, msg=f"{corruption}: {bad}"),
            self.env.cr.savepoint(),
        ):
            api.reassign_lots(tracking, bad)
        self.env.invalidate_all()
        self.assertEqual(self._stock(variants), (before_places, before_lots))
        self.assertEqual(template.tracking, layout["tracking"])

        api.reassign_lots(tracking, assignments)
        self.env.invalidate_all()
        after_places, after_lots = self._stock(variants)
        self.assertEqual(after_places, before_places, "every place keeps its units")
        self.assertEqual(template.tracking, tracking)
        self.assertFalse(
            [key for key in after_lots if not key[4]], "nothing without lot/serial"
        )
        expected = defaultdict(float, {k: v for k, v in before_lots.items() if k[4]})
        for vals in assignments:
            place = next(
                p
                for p in untracked
                if p[0].id == vals["product_id"]
                and p[1].id == vals["location_id"]
                and p[2].id == vals["package_id"]
                and p[3].id == vals["owner_id"]
            )
            lot = self.env["stock.lot"].search(
                [
                    ("product_id", "=", vals["product_id"]),
                    ("name", "=", vals["lot_name"]),
                    ("company_id", "=", place[1].company_id.id),
                ]
            )
            expected[place + (lot,)] += vals["quantity"]
        self.assertEqual(
            after_lots, dict(expected), "each lot holds what the plan gave"
        )
