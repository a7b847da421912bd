# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.stock.models.stock_quant import StockQuant as StockQuantBase

from ..models import stock_move_line, stock_quant
from ..models.stock_quant_sync import QuantSync

NOW = datetime(2026, 3, 2, 10, 0, 0)


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestStockQuantSync(TransactionCase):
    """The batched quant moves of ``stock.move.line._action_done`` and the
    grouped serial check end where Odoo's own code ends, for any move."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.stock = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.serial, cls.lotted, cls.plain = cls.env["product.product"].create(
            [
                {"name": "Sync Serial", "type": "product", "tracking": "serial"},
                {"name": "Sync Lot", "type": "product", "tracking": "lot"},
                {"name": "Sync Plain", "type": "product"},
            ]
        )
        cls.products = cls.serial | cls.lotted | cls.plain
        cls.inventory = cls.serial.property_stock_inventory
        cls.package = cls.env["stock.quant.package"].create({"name": "SYNC-PACK"})
        cls.owner = cls.env["res.partner"].create({"name": "Sync Owner"})
        cls.serials = cls.env["stock.lot"].create(
            [
                {"name": f"SYNC-SN-{i:03d}", "product_id": cls.serial.id}
                for i in range(60)
            ]
        )
        cls.lots = cls.env["stock.lot"].create(
            [{"name": f"SYNC-LOT-{i}", "product_id": cls.lotted.id} for i in range(3)]
        )

    # ------------------------------------------------------------------
    # Arrange and run
    # ------------------------------------------------------------------

    def _quant(
        self,
        product,
        location,
        quantity,
        lot=None,
        package=None,
        owner=None,
        in_date=None,
    ):
        self.env["stock.quant"].create(
            {
                "product_id": product.id,
                "location_id": location.id,
                "lot_id": lot.id if lot else False,
                "package_id": package.id if package else False,
                "owner_id": owner.id if owner else False,
                "quantity": quantity,
                "in_date": in_date or datetime(2025, 1, 1),
            }
        )

    def _done_moves(self, source, lines_by_product):
        """One move per product, one line per ``(quantity, vals)``, done."""
        moves = self.env["stock.move"].create(
            [
                {
                    "name": "Sync",
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": sum(qty for qty, __ in lines),
                    "location_id": source.id,
                    "location_dest_id": self.stock.id,
                    "picked": True,
                    "move_line_ids": [
                        (
                            0,
                            0,
                            dict(
                                {
                                    "product_id": product.id,
                                    "product_uom_id": product.uom_id.id,
                                    "location_id": source.id,
                                    "location_dest_id": self.stock.id,
                                    "quantity": qty,
                                },
                                **vals,
                            ),
                        )
                        for qty, vals in lines
                    ],
                }
                for product, lines in lines_by_product.items()
            ]
        )
        moves._action_confirm()
        moves._action_done()
        return moves

    def _quants(self):
        self.env.flush_all()
        self.env.invalidate_all()
        quants = self.env["stock.quant"].search(
            [("product_id", "in", self.products.ids)]
        )
        return sorted(
            (
                q.product_id.name,
                q.location_id.complete_name,
                q.lot_id.name or "",
                q.package_id.name or "",
                q.owner_id.name or "",
                q.quantity,
                q.reserved_quantity,
                str(q.in_date),
            )
            for q in quants
        )

    def _run_both_ways(self, run, spied=(QuantSync, "apply"), skipped=False):
        """The end quants of ``run`` with this module's batches, then with
        Odoo's own code on the same data; asserts the batch was taken: the
        spied method is called only with it (or, ``skipped``, only without)."""
        ends = []
        for batched in (True, False):
            lines_min = stock_move_line.QUANT_SYNC_BATCH_MIN_LINES
            records_min = stock_quant.QUANT_BATCH_MIN_RECORDS
            if not batched:
                lines_min = records_min = 10**9
            spy = patch.object(*spied, autospec=True, side_effect=getattr(*spied))
            try:
                with (
                    self.env.cr.savepoint(),
                    freeze_time(NOW),
                    patch.object(
                        stock_move_line, "QUANT_SYNC_BATCH_MIN_LINES", lines_min
                    ),
                    patch.object(stock_quant, "QUANT_BATCH_MIN_RECORDS", records_min),
                    spy as batch,
                ):
                    run()
                    ends.append(self._quants())
                    self.assertEqual(batch.called, batched != skipped)
                    raise _Rollback()
            except _Rollback:
                self.env.invalidate_all()
        self.assertEqual(ends[0], ends[1])
        return ends[0]

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    def test_restore_from_inventory_takes_the_untracked_quant(self):
        """Serials put back from the inventory location where the stock
        without serial went: Odoo takes from that untracked quant."""
        self._quant(self.serial, self.inventory, 60)

        def run():
            self._done_moves(
                self.inventory,
                {self.serial: [(1, {"lot_id": lot.id}) for lot in self.serials]},
            )

        end = self._run_both_ways(run)
        in_stock = [q for q in end if q[1] == self.stock.complete_name]
        self.assertEqual(len(in_stock), 60)
        self.assertEqual({q[5] for q in in_stock}, {1.0})
        at_inventory = [q for q in end if q[1] == self.inventory.complete_name]
        self.assertEqual([(q[2], q[5]) for q in at_inventory], [("", 0.0)])

    def test_receipt_on_existing_and_negative_quants(self):
        """Lots received from a supplier onto quants that exist, one of them
        negative and compensated by untracked stock, with packages, owners,
        and several lines onto the same quant."""
        self._quant(
            self.lotted, self.stock, 4, lot=self.lots[0], in_date=datetime(2024, 5, 1)
        )
        self._quant(self.lotted, self.stock, -3, lot=self.lots[1])
        self._quant(self.lotted, self.stock, 10)
        self._quant(
            self.plain,
            self.stock,
            7,
            package=self.package,
            in_date=datetime(2023, 1, 1),
        )

        def run():
            lot_lines = [
                (
                    2,
                    {
                        "lot_id": self.lots[i % 3].id,
                        "owner_id": self.owner.id if i % 5 == 0 else False,
                    },
                )
                for i in range(30)
            ] + [(1, {"lot_id": self.lots[1].id}) for __ in range(5)]
            plain_lines = [
                (1.5, {"result_package_id": self.package.id if i % 2 else False})
                for i in range(20)
            ]
            self._done_moves(
                self.supplier, {self.lotted: lot_lines, self.plain: plain_lines}
            )

        end = self._run_both_ways(run)
        stock = {
            (q[0], q[2], q[3], q[4]): q[5]
            for q in end
            if q[1] == self.stock.complete_name
        }
        self.assertEqual(stock["Sync Plain", "", "SYNC-PACK", ""], 7 + 10 * 1.5)
        self.assertEqual(stock["Sync Plain", "", "", ""], 10 * 1.5)
        # lot 1 was at -3: its first line of 2 took 2 units from the 10
        # without lot (Odoo compensates with the line's quantity)
        self.assertEqual(stock["Sync Lot", "", "", ""], 8)

    def _delivery(self, quantity, lines):
        customer = self.env.ref("stock.stock_location_customers")
        move = self.env["stock.move"].create(
            {
                "name": "Sync out",
                "product_id": self.plain.id,
                "product_uom": self.plain.uom_id.id,
                "product_uom_qty": quantity,
                "location_id": self.stock.id,
                "location_dest_id": customer.id,
            }
        )
        move._action_confirm()
        if lines:
            move.move_line_ids = [
                (
                    0,
                    0,
                    {
                        "product_id": self.plain.id,
                        "quantity": 1,
                        "location_id": self.stock.id,
                        "location_dest_id": customer.id,
                        "owner_id": self.owner.id if i % 2 else False,
                    },
                )
                for i in range(lines)
            ]
        return move

    def test_delivery_releases_its_reservation_as_odoo(self):
        """Lines leaving a location that reserves: their reservation is
        released and the stock taken, from quants with and without owner."""
        self._quant(self.plain, self.stock, 70)
        self._quant(self.plain, self.stock, 40, owner=self.owner)

        def run():
            move = self._delivery(60, 60)
            move.picked = True
            move._action_done()

        end = self._run_both_ways(run)
        stock = {(q[4], q[5], q[6]) for q in end if q[1] == self.stock.complete_name}
        self.assertEqual(stock, {("", 40.0, 0.0), ("Sync Owner", 10.0, 0.0)})

    def test_taking_other_reservations_goes_through_odoo(self):
        """Lines taking stock another transfer reserved: Odoo's own loop
        decides what to take back from it (``_free_reservation``)."""
        self._quant(self.plain, self.stock, 70)
        other = self._delivery(30, 0)
        other._action_assign()
        self.assertEqual(other.quantity, 30)
        with patch.object(QuantSync, "apply", autospec=True) as apply:
            move = self._delivery(60, 60)
            move.picked = True
            move._action_done()
        apply.assert_not_called()
        self.env.invalidate_all()
        self.assertEqual(self.plain.qty_available, 10)

    def test_serial_twice_in_a_location_refused_by_odoo_check(self):
        """The quants the batch creates keep Odoo's serial number check."""
        self._quant(self.serial, self.stock, 1, lot=self.serials[42])
        with self.assertRaises(ValidationError) as caught:
            self._done_moves(
                self.supplier,
                {self.serial: [(1, {"lot_id": lot.id}) for lot in self.serials]},
            )
        self.assertIn(
            "The serial number has already been assigned", str(caught.exception)
        )
        self.assertIn("SYNC-SN-042", str(caught.exception))

    def test_quants_created_at_once_as_stock_creates_them(self):
        """Quants outside the inventory mode: the same records as stock's
        one-by-one creation, with packages, owners and negative quantities."""
        vals_list = [
            {
                "product_id": self.serial.id,
                "location_id": self.stock.id,
                "lot_id": lot.id,
                "package_id": self.package.id if i % 3 == 0 else False,
                "owner_id": self.owner.id if i % 4 == 0 else False,
                "quantity": 1 if i % 7 else -1,
            }
            for i, lot in enumerate(self.serials)
        ]
        end = self._run_both_ways(
            lambda: self.env["stock.quant"].create(vals_list),
            spied=(StockQuantBase, "create"),
            skipped=True,
        )
        self.assertEqual(len(end), 60)
        self.assertEqual(sum(q[5] for q in end), 60 - 2 * 9)

    def test_counted_quants_keep_stock_creation(self):
        """Counted quants (inventory mode) are merged by stock's own loop."""
        self._quant(self.plain, self.stock, 5)
        quants = (
            self.env["stock.quant"]
            .with_user(self.env.ref("base.user_admin"))
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": self.plain.id,
                        "location_id": self.stock.id,
                        "inventory_quantity": 8,
                    }
                    for __ in range(60)
                ]
            )
        )
        self.assertEqual(len(quants), 1, "one quant, counted 60 times")
        self.assertEqual(quants.inventory_quantity, 8)

    def test_serial_twice_refused_by_the_grouped_check(self):
        """Odoo's message, from the grouped check, for many quants at once."""
        self._quant(self.serial, self.stock, 1, lot=self.serials[42])
        vals_list = [
            {
                "product_id": self.serial.id,
                "location_id": self.stock.id,
                "lot_id": lot.id,
                "quantity": 1,
            }
            for lot in self.serials
        ]
        for minimum in (stock_quant.QUANT_BATCH_MIN_RECORDS, 10**9):
            with (
                patch.object(stock_quant, "QUANT_BATCH_MIN_RECORDS", minimum),
                self.assertRaises(ValidationError) as caught,
            ):
                self.env["stock.quant"].create(vals_list)
            message = str(caught.exception)
            self.assertIn("The serial number has already been assigned", message)
            self.assertIn("SYNC-SN-042", message)
