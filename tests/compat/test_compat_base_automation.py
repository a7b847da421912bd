# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""base_automation: "On creation" rules run for what the module creates.

Automation rules are the way a database reacts to new records without code:
an "On creation" rule on stock.lot and one on stock.move.line, each running a
Python server action that counts the records of each product in a system
parameter, must count every lot and every move line the reassignment
creates, as they count the documented procedure's.
"""

from compat_common import CompatCase

from odoo import Command
from odoo.tests import tagged

COUNTER_PREFIX = "stock_lot_reassign_compat.created"
COUNT_CODE = f"""
parameters = env["ir.config_parameter"].sudo()
for record in records:
    key = "{COUNTER_PREFIX}.%s.%s" % (record._name, record.product_id.id)
    parameters.set_param(key, int(parameters.get_param(key, "0")) + 1)
"""


@tagged("post_install", "-at_install")
class TestAutomationOnCreation(CompatCase):
    def setUp(self):
        super().setUp()
        for model in ("stock.lot", "stock.move.line"):
            self._on_creation_rule(model)

    def _on_creation_rule(self, model_name):
        model = self.env["ir.model"]._get(model_name)
        automation = self.env["base.automation"].create(
            {
                "name": f"Count new {model_name}",
                "model_id": model.id,
                "trigger": "on_create",
            }
        )
        action = self.env["ir.actions.server"].create(
            {
                "name": f"Count new {model_name}",
                "model_id": model.id,
                "base_automation_id": automation.id,
                "usage": "base_automation",
                "state": "code",
                "code": COUNT_CODE,
            }
        )
        automation.write({"action_server_ids": [Command.set(action.ids)]})
        # unlinking the rule takes its patch off the model's create()
        self.addCleanup(automation.unlink)
        return automation

    def _counted(self, model, product):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"{COUNTER_PREFIX}.{model}.{product.id}", "0")
        )

    def _reassign_both(self, tracking, lines):
        """Twins with 3 units in Stock and 2 on the shelf (the receipts'
        move lines are counted: 2 each).

        :return: ``{path: (product, marks)}``
        """
        twins = self._twins(
            f"Compat automated {tracking}",
            [(self.stock, 3, 1.0), (self.shelf, 2, 1.0)],
        )
        result = {}
        for path, product in zip(("module", "native"), twins, strict=True):
            self.assertEqual(self._counted("stock.move.line", product), 2)
            self.assertEqual(self._counted("stock.lot", product), 0)
            marks = self._reassign(path, product, tracking, lines(product))
            result[path] = (product, marks)
        return result

    def _assert_counted(self, result, lots, move_lines):
        """The procedure's records, then the module's, all counted once."""
        expected = {
            "lots": lots,
            "lots counted": lots,
            "move lines": move_lines,
            "move lines counted": move_lines,
        }
        for path in ("native", "module"):
            product, marks = result[path]
            new_lines = self._new(
                "stock.move.line", marks, [("product_id", "=", product.id)]
            )
            counted = {
                "lots": len(self._lots(product)),
                "lots counted": self._counted("stock.lot", product),
                "move lines": len(new_lines),
                # the receipts' 2 lines were counted before
                "move lines counted": self._counted("stock.move.line", product) - 2,
            }
            self.assertEqual(counted, expected, path)

    def test_lot_rules_count_every_new_lot_and_move_line(self):
        """Lots L1 (Stock) and L2 (Stock and shelf): 2 lots created, 5 move
        lines (2 removing the stock without lot, 3 restoring it), each
        counted once by the rules, for the module as for the procedure."""
        result = self._reassign_both(
            "lot",
            lambda product: [
                (self.stock, "L1", 1),
                (self.stock, "L2", 2),
                (self.shelf, "L2", 2),
            ],
        )
        self._assert_counted(result, lots=2, move_lines=5)

    def test_serial_rules_count_every_new_serial_and_move_line(self):
        """Five serials (3 in Stock, 2 on the shelf): 5 serials created, 7
        move lines (2 removing, 5 restoring), each counted once by the
        rules, for the module as for the procedure."""
        result = self._reassign_both(
            "serial",
            lambda product: [
                (self.stock if index < 3 else self.shelf, f"SN-{index}", 1)
                for index in range(5)
            ],
        )
        self._assert_counted(result, lots=5, move_lines=7)
