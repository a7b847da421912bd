# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every record the reassignment makes goes through the ORM's create().

The test-only addon stock_lot_reassign_test_hooks overrides create() of
stock.lot, stock.move.line and stock.quant, and write() of stock.quant, as any
other module may, and records the ids they were called for. Every lot of the
product, every move line of the two inventory adjustments and every quant
made for the product must be among the ids create() returned; the quants
without lot that were emptied must have been written through write(). The
documented procedure is checked alike first: it shows what the hooks see.
"""

from compat_common import CompatCase

from odoo.tests import tagged

from odoo.addons.stock_lot_reassign_test_hooks import reset, snapshot


@tagged("post_install", "-at_install")
class TestOrmOverridesAreCalled(CompatCase):
    def _reassign_watched(self, path, tracking, lines):
        """A product with 3 units in Stock and 2 on the shelf given
        lots/serials by ``path``, the hooks recording only that.

        :return: what the hooks recorded, and what the path made or changed:
            ``{model: ids}`` for the lots, move lines, new quants and the
            quants without lot it emptied
        """
        product = self._product(f"Compat hooked {path} {tracking}")
        self._receive(product, self.stock, 3, 1.0)
        self._receive(product, self.shelf, 2, 1.0)
        untracked = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id.usage", "=", "internal"),
                ("lot_id", "=", False),
            ]
        )
        self.assertEqual(sorted(untracked.mapped("quantity")), [2.0, 3.0])
        self.env.flush_all()
        reset()
        marks = self._reassign(path, product, tracking, lines)
        recorded = snapshot()
        reset()
        found = {
            "stock.lot": self._lots(product).ids,
            "stock.move.line": self._new(
                "stock.move.line", marks, [("product_id", "=", product.id)]
            ).ids,
            "stock.quant": self._new(
                "stock.quant", marks, [("product_id", "=", product.id)]
            ).ids,
        }
        return recorded, found, untracked.ids

    def _assert_through_orm(self, path, tracking, lines, lots, move_lines):
        recorded, found, emptied = self._reassign_watched(path, tracking, lines)
        self.assertEqual(len(found["stock.lot"]), lots, f"{path}: lots")
        self.assertEqual(
            len(found["stock.move.line"]),
            move_lines,
            f"{path}: move lines of the two adjustments",
        )
        self.assertTrue(found["stock.quant"], f"{path}: new quants")
        # ids found in the database that the overrides did not see
        unseen = {
            f"{model} not from create()": sorted(
                set(ids) - set(recorded["created"].get(model, []))
            )
            for model, ids in found.items()
        }
        unseen["emptied stock.quant not from write()"] = sorted(
            set(emptied) - set(recorded["written"].get("stock.quant", []))
        )
        self.assertEqual(unseen, {key: [] for key in unseen}, path)
        self.assertGreaterEqual(
            recorded["calls"].get(("stock.quant", "write"), 0),
            len(emptied),
            f"{path}: stock.quant write() calls",
        )
        return recorded

    def _lot_lines(self):
        return [(self.stock, "L1", 1), (self.stock, "L2", 2), (self.shelf, "L2", 2)]

    def _serial_lines(self):
        return [
            (self.stock if index < 3 else self.shelf, f"SN-{index}", 1)
            for index in range(5)
        ]

    def test_documented_procedure_goes_through_the_overrides(self):
        """The hooks see the procedure's 2 lots, 5 move lines and new quants
        created, and its quants without lot written."""
        self._assert_through_orm(
            "native", "lot", self._lot_lines(), lots=2, move_lines=5
        )

    def test_module_creates_lots_move_lines_quants_through_create_lots(self):
        """Lots L1 (Stock), L2 (Stock and shelf): the 2 lots, the 5 move lines
        (2 removal, 3 restore) and every new quant come from create(); the
        emptied quants without lot were written through write()."""
        recorded = self._assert_through_orm(
            "module", "lot", self._lot_lines(), lots=2, move_lines=5
        )
        self.assertEqual(recorded["calls"].get(("stock.lot", "create")), 2)

    def test_module_creates_lots_move_lines_quants_through_create_serials(self):
        """Five serials over Stock and the shelf: the 5 serials, the 7 move
        lines (2 removal, 5 restore) and every new quant come from create();
        the emptied quants without lot were written through write()."""
        recorded = self._assert_through_orm(
            "module", "serial", self._serial_lines(), lots=5, move_lines=7
        )
        self.assertEqual(recorded["calls"].get(("stock.lot", "create")), 5)

    def test_module_sixty_serials_through_the_batched_paths(self):
        """Sixty serials through this module's batches of its restore moves:
        the lots, the move lines and every new quant still come from
        create()."""
        product = self._product("Compat hooked sixty")
        self._receive(product, self.stock, 60, 1.0)
        self.env.flush_all()
        reset()
        marks = self._reassign(
            "module",
            product,
            "serial",
            [(self.stock, f"SN-{index:02d}", 1) for index in range(60)],
        )
        recorded = snapshot()
        reset()
        lots = self._lots(product)
        lines = self._new("stock.move.line", marks, [("product_id", "=", product.id)])
        quants = self._new("stock.quant", marks, [("product_id", "=", product.id)])
        self.assertEqual((len(lots), len(lines)), (60, 61))
        self.assertGreaterEqual(len(quants), 60)
        for model, records in (
            ("stock.lot", lots),
            ("stock.move.line", lines),
            ("stock.quant", quants),
        ):
            self.assertFalse(
                set(records.ids) - set(recorded["created"].get(model, [])),
                f"{model} not from create()",
            )
