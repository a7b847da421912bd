# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""mail.thread: each new lot/serial starts its chatter like any other.

stock.lot is a mail.thread: create() logs a "Lot/Serial created" note in its
chatter. The lots/serials the module creates must have the messages the
documented procedure's have, lot by lot; the module's note also names the
reassignment that made the lot ("Lot/Serial created by the lot/serial
reassignment LSR/00001").
"""

import re

from compat_common import CompatCase

from odoo.tests import tagged

# mail.thread's note of a new record: "<description> created"
CREATED_MESSAGE = "<p>Lot/Serial created</p>"
REASSIGNED_MESSAGE = re.compile(
    r"^<p>Lot/Serial created by the lot/serial reassignment LSR/\d{5}</p>$"
)


@tagged("post_install", "-at_install")
class TestLotChatter(CompatCase):
    def _messages_by_lot(self, tracking, lines):
        """Twins with 3 units in Stock and 2 on the shelf given lots/serials:
        ``{path: {lot name: [message bodies]}}``"""
        twins = self._twins(
            f"Compat chatter {tracking}",
            [(self.stock, 3, 1.0), (self.shelf, 2, 1.0)],
        )
        result = {}
        for path, product in zip(("module", "native"), twins, strict=True):
            self._reassign(path, product, tracking, lines)
            result[path] = {
                lot.name: [str(body) for body in lot.message_ids.mapped("body")]
                for lot in self._lots(product)
            }
        return result

    def assertSameChatter(self, module, native):
        """The same lots, one note each, the module's naming its record."""
        self.assertEqual(
            {name: len(bodies) for name, bodies in module.items()},
            {name: len(bodies) for name, bodies in native.items()},
        )
        for bodies in module.values():
            self.assertRegex(bodies[0], REASSIGNED_MESSAGE)

    def test_new_lots_have_the_creation_message(self):
        """Lots L1 and L2: one message each, "Lot/Serial created", as the
        procedure's lots (the module's naming its record)."""
        result = self._messages_by_lot(
            "lot",
            [(self.stock, "L1", 1), (self.stock, "L2", 2), (self.shelf, "L2", 2)],
        )
        self.assertEqual(
            result["native"], {"L1": [CREATED_MESSAGE], "L2": [CREATED_MESSAGE]}
        )
        self.assertSameChatter(result["module"], result["native"])

    def test_new_serials_have_the_creation_message(self):
        """Five serials: one message each, "Lot/Serial created", as the
        procedure's serials (the module's naming its record)."""
        result = self._messages_by_lot(
            "serial",
            [
                (self.stock if index < 3 else self.shelf, f"SN-{index}", 1)
                for index in range(5)
            ],
        )
        self.assertEqual(
            result["native"],
            {f"SN-{index}": [CREATED_MESSAGE] for index in range(5)},
        )
        self.assertSameChatter(result["module"], result["native"])
