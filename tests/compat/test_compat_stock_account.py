# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""stock_account: automated (real-time) valuation, FIFO and average cost.

Both products receive 3 units at 10.00 and 1 at 13.00 in Stock and 2 at 16.00
on a shelf, then get lots L1 (2 in Stock) and L2 (2 in Stock, 2 on the shelf).
The removal and the restore are inventory adjustments: each takes stock out
at its cost and puts it back at the product's cost, with journal entries on
the category's accounts. The module's must be those of the documented
procedure: same layers (per step and location, in order), same balances per
account, same cost.
"""

from compat_common import CompatCase

from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestRealTimeValuation(CompatCase):
    def _category(self, cost_method):
        category = self.env["product.category"].create(
            {
                "name": f"Compat real time {cost_method}",
                "property_valuation": "real_time",
                "property_cost_method": cost_method,
            }
        )
        self.assertTrue(
            category.property_stock_valuation_account_id
            and category.property_stock_account_input_categ_id
            and category.property_stock_account_output_categ_id,
            "the chart of accounts gives the category its stock accounts",
        )
        return category

    def _reassign_both(self, category):
        module_product, native_product = self._twins(
            f"Compat valued {category.property_cost_method}",
            [(self.stock, 3, 10.0), (self.shelf, 2, 16.0), (self.stock, 1, 13.0)],
            categ_id=category.id,
        )
        results = {}
        for path, product in (("module", module_product), ("native", native_product)):
            self.assertEqual(product.with_company(self.company).value_svl, 75.0)
            marks = self._reassign(
                path,
                product,
                "lot",
                [
                    (self.stock, "L1", 2),
                    (self.stock, "L2", 2),
                    (self.shelf, "L2", 2),
                ],
            )
            results[path] = self._valuation(product, marks)
        return results

    def _accounts(self, category):
        return {
            "valuation": category.property_stock_valuation_account_id.code,
            "input": category.property_stock_account_input_categ_id.code,
            "output": category.property_stock_account_output_categ_id.code,
        }

    def test_fifo_valuation_same_as_documented_procedure(self):
        """FIFO: the removal consumes the oldest layers (4 in Stock: 3 x 10.00
        + 1 x 16.00; 2 on the shelf: 1 x 16.00 + 1 x 13.00), the restore puts
        6 units back at the last cost, 14.50: layers, balances and cost equal
        the procedure's."""
        category = self._category("fifo")
        results = self._reassign_both(category)
        self.assertEqual(
            results["native"]["layers"],
            [
                ("removal", "Stock", -4.0, -46.0, 0.0, 0.0, [11.5]),
                ("removal", "Compat Shelf", -2.0, -29.0, 0.0, 0.0, [14.5]),
                ("restore", "Stock", 4.0, 58.0, 4.0, 58.0, [14.5]),
                ("restore", "Compat Shelf", 2.0, 29.0, 2.0, 29.0, [14.5]),
            ],
            "the documented procedure, in figures",
        )
        accounts = self._accounts(category)
        self.assertEqual(
            results["native"]["balances"],
            {
                accounts["valuation"]: 12.0,
                accounts["input"]: -87.0,
                accounts["output"]: 75.0,
            },
        )
        self.assertEqual(results["native"]["standard_price"], 14.5)
        self.assertEqual(results["native"]["value_svl"], 87.0)
        self.assertEqual(results["module"], results["native"])

    def test_average_valuation_same_as_documented_procedure(self):
        """Average cost (75.00 / 6 = 12.50): the removal takes 6 units out at
        12.50, the restore puts them back at 12.50; the stock keeps its value
        of 75.00 and the journal nets to zero on the valuation account."""
        category = self._category("average")
        results = self._reassign_both(category)
        self.assertEqual(
            results["native"]["layers"],
            [
                ("removal", "Stock", -4.0, -50.0, 0.0, 0.0, [12.5]),
                ("removal", "Compat Shelf", -2.0, -25.0, 0.0, 0.0, [12.5]),
                ("restore", "Stock", 4.0, 50.0, 4.0, 50.0, [12.5]),
                ("restore", "Compat Shelf", 2.0, 25.0, 2.0, 25.0, [12.5]),
            ],
            "the documented procedure, in figures",
        )
        accounts = self._accounts(category)
        self.assertEqual(
            results["native"]["balances"],
            {
                accounts["valuation"]: 0.0,
                accounts["input"]: -75.0,
                accounts["output"]: 75.0,
            },
        )
        self.assertEqual(results["native"]["standard_price"], 12.5)
        self.assertEqual(results["native"]["value_svl"], 75.0)
        self.assertEqual(results["module"], results["native"])
