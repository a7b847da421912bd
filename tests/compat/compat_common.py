# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the compatibility tests share: twin products, receipts, both paths.

Each test stocks two products alike (the same receipts, at the same unit
costs, in the same locations), gives one of them lots/serials with the module
(``reassign_lots``) and the other with Odoo's documented procedure
(``run_native`` of tests/benchmarks/bench_reassign.py), and compares what the
apps installed beside the module (stock_account, product_expiry, mrp,
base_automation, the test hooks) made of each. Everything happens in the
test's transaction, rolled back at its end.
"""

import datetime
import importlib.util
import pathlib
from collections import defaultdict

from odoo.tests.common import TransactionCase

_SPEC = importlib.util.spec_from_file_location(
    "bench_reassign",
    pathlib.Path(__file__).parents[1] / "benchmarks" / "bench_reassign.py",
)
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)

# every test that compares dates runs at this time (freezegun)
FROZEN_NOW = datetime.datetime(2026, 3, 2, 9, 30)

# the models whose new records a path is judged by
WATCHED_MODELS = (
    "stock.lot",
    "stock.move",
    "stock.move.line",
    "stock.quant",
    "stock.valuation.layer",
    "account.move.line",
)


class CompatCase(TransactionCase):
    """Twin products stocked alike; the module on one, Odoo's procedure on
    the other."""

    maxDiff = None  # end states are compared whole: show every difference

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        if not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", cls.company, install_demo=False
            )
        # both paths run as the Inventory administrator, as in the UI
        cls.admin_env = cls.env(user=cls.env.ref("base.user_admin"))
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.warehouse = warehouse
        cls.stock = warehouse.lot_stock_id
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Compat Shelf", "location_id": cls.stock.id}
        )
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")

    # ------------------------------------------------------------------
    # Arrangement
    # ------------------------------------------------------------------

    @classmethod
    def _product(cls, name, **vals):
        return cls.env["product.product"].create(
            {"name": name, "default_code": name, "type": "product"} | vals
        )

    @classmethod
    def _receive(cls, product, location, quantity, unit_cost):
        """A validated receipt from the vendor: a move, its line, its
        valuation layer and journal entry, as a purchase would make them."""
        move = cls.env["stock.move"].create(
            {
                "name": f"Receipt of {product.name}",
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": quantity,
                "location_id": cls.supplier.id,
                "location_dest_id": location.id,
                "price_unit": unit_cost,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.quantity = quantity
        move.picked = True
        move._action_done()
        return move

    @classmethod
    def _twins(cls, name, receipts, **vals):
        """Two products stocked alike, without lot/serial.

        :param list receipts: ``(location, quantity, unit cost)``, in order
        :return: the product for the module, the product for the procedure
        """
        twins = []
        for path in ("module", "native"):
            product = cls._product(f"{name} {path}", **vals)
            for location, quantity, unit_cost in receipts:
                cls._receive(product, location, quantity, unit_cost)
            twins.append(product)
        return tuple(twins)

    @staticmethod
    def _assignments(product, lines):
        """:param list lines: ``(location, lot name, quantity)``"""
        return [
            {
                "product_id": product.id,
                "location_id": location.id,
                "lot_name": lot_name,
                "quantity": quantity,
            }
            for location, lot_name, quantity in lines
        ]

    # ------------------------------------------------------------------
    # The two paths
    # ------------------------------------------------------------------

    def _marks(self):
        """The highest id of each watched model: what a path creates is above."""
        return {
            model: self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search([], order="id desc", limit=1)
            .id
            for model in WATCHED_MODELS
        }

    def _reassign(self, path, product, tracking, lines):
        """Give ``product`` lots/serials by ``path`` (``"module"`` or
        ``"native"``), as the Inventory administrator.

        :return: the ids above which the records the path created are
        """
        self.env.flush_all()
        marks = self._marks()
        assignments = self._assignments(product, lines)
        if path == "module":
            product.product_tmpl_id.with_env(self.admin_env).reassign_lots(
                tracking, assignments
            )
        else:
            bench.run_native(self.admin_env, tracking, assignments)
        self.env.flush_all()
        self.env.invalidate_all()
        return marks

    def _new(self, model, marks, domain=()):
        return (
            self.env[model]
            .sudo()
            .search([("id", ">", marks[model])] + list(domain), order="id")
        )

    # ------------------------------------------------------------------
    # What is compared
    # ------------------------------------------------------------------

    def _lots(self, product):
        return self.env["stock.lot"].search(
            [("product_id", "=", product.id)], order="name, id"
        )

    def _lot_messages(self, product):
        """``{lot name: number of chatter messages}``"""
        return {lot.name: len(lot.message_ids) for lot in self._lots(product)}

    def _lot_dates(self, lot):
        return {
            "expiration_date": lot.expiration_date,
            "use_date": lot.use_date,
            "removal_date": lot.removal_date,
            "alert_date": lot.alert_date,
        }

    def _quants(self, product):
        """Internal quants with stock: location, lot, quantity, reserved,
        removal date, incoming date."""
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id.usage", "=", "internal"),
                ("quantity", "!=", 0),
            ]
        )
        return sorted(
            (
                quant.location_id.name,
                quant.lot_id.name or "",
                quant.quantity,
                quant.reserved_quantity,
                quant.removal_date,
                quant.in_date,
            )
            for quant in quants
        )

    def _layers(self, product, marks):
        """The valuation layers a path made, in order, by step and location.

        Odoo 17's layers carry no lot: the documented procedure makes one
        layer per counted line (one per lot and location), and a path may make
        one per location; so the layers are summed over each run of layers of
        the same step (``removal``, ``restore``) and location, in their order.

        :return: ``[(step, location, quantity, value, remaining quantity,
            remaining value, unit costs)]``
        """
        layers = self._new(
            "stock.valuation.layer", marks, [("product_id", "=", product.id)]
        )
        currency = self.company.currency_id
        runs = []
        for layer in layers:
            move = layer.stock_move_id
            if layer.quantity < 0:
                key = ("removal", move.location_id.name)
            else:
                key = ("restore", move.location_dest_id.name)
            if not runs or runs[-1]["key"] != key:
                runs.append({"key": key, "sums": [0.0] * 4, "unit_costs": set()})
            sums = runs[-1]["sums"]
            for index, amount in enumerate(
                (
                    layer.quantity,
                    layer.value,
                    layer.remaining_qty,
                    layer.remaining_value,
                )
            ):
                sums[index] += amount
            runs[-1]["unit_costs"].add(currency.round(layer.unit_cost))
        return [
            (
                *run["key"],
                run["sums"][0],
                currency.round(run["sums"][1]),
                run["sums"][2],
                currency.round(run["sums"][3]),
                sorted(run["unit_costs"]),
            )
            for run in runs
        ]

    def _balances(self, product, marks):
        """Balance of each account over the journal items a path made for
        ``product``: ``{account code: balance}``"""
        balances = defaultdict(float)
        for line in self._new(
            "account.move.line", marks, [("product_id", "=", product.id)]
        ):
            balances[line.account_id.code] += line.balance
        currency = self.company.currency_id
        return {code: currency.round(balance) for code, balance in balances.items()}

    def _valuation(self, product, marks):
        product = product.with_company(self.company)
        currency = self.company.currency_id
        return {
            "layers": self._layers(product, marks),
            "balances": self._balances(product, marks),
            "standard_price": currency.round(product.standard_price),
            "quantity_svl": product.quantity_svl,
            "value_svl": currency.round(product.value_svl),
        }
