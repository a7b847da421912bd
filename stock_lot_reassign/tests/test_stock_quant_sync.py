# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager, nullcontext
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.stock.models.stock_move_line import (
    StockMoveLine as StockMoveLineBase,
)
from odoo.addons.stock.models.stock_quant import StockQuant as StockQuantBase

from ..models.stock_quant_sync import (
    QuantSync,
    removing_own_quants,
    validating_own_moves,
)

NOW = datetime(2026, 3, 2, 10, 0, 0)


class _Rollback(Exception):
    pass


def _counting_create(model_class, seen):
    """A module's ``create()`` of ``model_class``: counts, then ``super()``."""

    def create(records, vals_list):
        seen.append(len(vals_list))
        return super(model_class, records).create(vals_list)

    return create


@tagged("post_install", "-at_install")
class TestStockQuantSync(TransactionCase):
    """The replayed quant moves of a reassignment's own restore moves end
    where Odoo's own code ends; every other move runs Odoo's code."""

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

    def _done_moves(self, source, lines_by_product, own=True):
        """One move per product, one line per ``(quantity, vals)``, done;
        ``own``: handed over as a reassignment's restore moves."""
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
        if own:
            with validating_own_moves(moves):
                moves._action_done()
        else:
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

    def _run_both_ways(self, run):
        """The end quants of ``run(own=True)``, the moves handed over as a
        reassignment's, then of ``run(own=False)``, Odoo's own code, on the
        same data; asserts the replay ran only for the first."""
        ends = []
        for own in (True, False):
            spy = patch.object(
                QuantSync, "apply", autospec=True, side_effect=QuantSync.apply
            )
            try:
                with self.env.cr.savepoint(), freeze_time(NOW), spy as apply:
                    run(own)
                    ends.append(self._quants())
                    self.assertEqual(apply.called, own)
                    raise _Rollback()
            except _Rollback:
                self.env.invalidate_all()
        self.assertEqual(ends[0], ends[1])
        return ends[0]

    def _spy(self, cls, name):
        return patch.object(cls, name, autospec=True, side_effect=getattr(cls, name))

    @contextmanager
    def _spy_quant_calls(self):
        """The replay's apply, and stock's quant loop, creation and check."""
        with (
            self._spy(QuantSync, "apply") as apply,
            self._spy(StockMoveLineBase, "_synchronize_quant") as synchronize,
            self._spy(StockQuantBase, "create") as create,
            self._spy(StockQuantBase, "check_quantity") as check,
        ):
            yield apply, synchronize, create, check

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    def test_restore_from_inventory_takes_the_untracked_quant(self):
        """Serials put back from the inventory location where the stock
        without serial went: Odoo takes from that untracked quant."""
        self._quant(self.serial, self.inventory, 60)

        def run(own):
            self._done_moves(
                self.inventory,
                {self.serial: [(1, {"lot_id": lot.id}) for lot in self.serials]},
                own=own,
            )

        end = self._run_both_ways(run)
        in_stock = [q for q in end if q[1] == self.stock.complete_name]
        self.assertEqual(len(in_stock), 60)
        self.assertEqual({q[5] for q in in_stock}, {1.0})
        at_inventory = [q for q in end if q[1] == self.inventory.complete_name]
        self.assertEqual([(q[2], q[5]) for q in at_inventory], [("", 0.0)])

    def test_restore_onto_existing_and_negative_quants(self):
        """Lots put back onto quants that exist, one of them negative and
        compensated by untracked stock, into packages, with owners, several
        lines onto the same quant."""
        self._quant(
            self.lotted, self.stock, 4, lot=self.lots[0], in_date=datetime(2024, 5, 1)
        )
        self._quant(self.lotted, self.stock, -3, lot=self.lots[1])
        self._quant(self.lotted, self.stock, 10)
        self._quant(self.lotted, self.inventory, 25)

        def run(own):
            lot_lines = [
                (
                    2,
                    {
                        "lot_id": self.lots[i % 3].id,
                        "owner_id": self.owner.id if i % 5 == 0 else False,
                        "result_package_id": self.package.id if i % 7 == 0 else False,
                    },
                )
                for i in range(30)
            ] + [(1, {"lot_id": self.lots[1].id}) for __ in range(5)]
            self._done_moves(self.inventory, {self.lotted: lot_lines}, own=own)

        end = self._run_both_ways(run)
        stock = {
            (q[2], q[3], q[4]): q[5] for q in end if q[1] == self.stock.complete_name
        }
        # lot 1 was at -3: its first line of 2 took 2 units from the 10
        # without lot (Odoo compensates with the line's quantity)
        self.assertEqual(stock["", "", ""], 8)
        self.assertEqual(sum(stock.values()), 4 - 3 + 10 + 30 * 2 + 5)

    def test_other_callers_run_odoo_loop(self):
        """A receipt and a delivery of 60 lines: Odoo's loop, line by line,
        and Odoo's quant creation and serial check; nothing replayed. The
        same receipt handed over as a reassignment's is replayed: none of
        them runs."""
        self._quant(self.plain, self.stock, 70)
        with (
            self.env.cr.savepoint(flush=False) as savepoint,
            self._spy_quant_calls() as (apply, synchronize, create, check),
        ):
            self._done_moves(
                self.supplier,
                {self.serial: [(1, {"lot_id": lot.id}) for lot in self.serials]},
            )
            apply.assert_called_once()
            synchronize.assert_not_called()
            create.assert_not_called()
            check.assert_not_called()
            self.env.invalidate_all()
            self.assertEqual(self.serial.qty_available, 60)
            savepoint.rollback()
            self.env.invalidate_all()
        with self._spy_quant_calls() as (apply, synchronize, create, check):
            self._done_moves(
                self.supplier,
                {self.serial: [(1, {"lot_id": lot.id}) for lot in self.serials]},
                own=False,
            )
            move = self._delivery(60, 60)
            move.picked = True
            move._action_done()
        apply.assert_not_called()
        # reserved, available at the source, available at the destination
        self.assertEqual(synchronize.call_count, 3 * 120)
        self.assertGreaterEqual(create.call_count, 60)
        self.assertGreaterEqual(check.call_count, 60)
        self.env.invalidate_all()
        self.assertEqual(self.plain.qty_available, 10)
        self.assertEqual(self.serial.qty_available, 60)

    def test_own_moves_of_another_shape_run_odoo_loop(self):
        """Handed-over moves the replay does not stand for: whose move does
        not bypass the reservation (as a module may decide, mrp_subcontracting
        does), whose removal strategy filters the quants, or with a module's
        override of a quant method: Odoo's loop. The same moves as the
        procedure makes them: replayed."""
        self._quant(self.serial, self.inventory, 60)
        MoveClass = type(self.env["stock.move"])
        MoveLineClass = type(self.env["stock.move.line"])
        QuantClass = type(self.env["stock.quant"])
        cases = {
            "as made": nullcontext(),
            "not bypassing": patch.object(
                MoveClass, "_should_bypass_reservation", return_value=False
            ),
            "removal strategy filtering": patch.object(
                QuantClass,
                "_get_removal_strategy_domain_order",
                lambda quants, domain, strategy, qty: (
                    domain + [("quantity", "!=", 0)],
                    "in_date, id",
                ),
            ),
            "overridden": patch.object(
                MoveLineClass,
                "_synchronize_quant",
                autospec=True,
                side_effect=StockMoveLineBase._synchronize_quant,
            ),
        }
        for name, case in cases.items():
            with (
                self.subTest(case=name),
                self.env.cr.savepoint(flush=False) as savepoint,
                case,
                self._spy(QuantSync, "apply") as apply,
            ):
                self._done_moves(
                    self.inventory,
                    {self.serial: [(1, {"lot_id": lot.id}) for lot in self.serials]},
                )
                self.assertEqual(apply.call_count, 1 if name == "as made" else 0)
                self.env.invalidate_all()
                self.assertEqual(self.serial.qty_available, 60)
                savepoint.rollback()
                self.env.invalidate_all()

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

    def test_create_override_above_keeps_the_batch(self):
        """A module's ``create()`` of quants loaded after this one runs first,
        then this module creates the replay's quants at once; stock's
        one-by-one loop, which the batch stands for, does not run."""
        self._quant(self.serial, self.inventory, 60)
        QuantClass = type(self.env["stock.quant"])
        seen = []
        with (
            patch.object(
                QuantClass, "create", _counting_create(QuantClass, seen), create=True
            ),
            self._spy(StockQuantBase, "create") as stock_create,
        ):
            self._done_moves(
                self.inventory,
                {self.serial: [(1, {"lot_id": lot.id}) for lot in self.serials]},
            )
        self.assertTrue(
            any(count >= 60 for count in seen), "the other module ran on the quants"
        )
        stock_create.assert_not_called()
        self.env.invalidate_all()
        self.assertEqual(self.serial.qty_available, 60)

    def test_serial_twice_in_a_location_refused_by_odoo_check(self):
        """The quants the replay writes keep Odoo's serial number check, its
        message from the grouped check: Odoo's check runs on the quant of the
        offending place only, whether the replay writes it (the serial number
        without package) or creates it beside the one there (in a package)."""
        checked = []

        def check_quantity(quants, odoo_check=StockQuantBase.check_quantity):
            checked.append([(q.location_id, q.lot_id.name, q.quantity) for q in quants])
            return odoo_check(quants)

        for package in (None, self.package):
            with (
                self.subTest(package=bool(package)),
                self.env.cr.savepoint(flush=False) as savepoint,
            ):
                self._quant(self.serial, self.stock, 1, self.serials[42], package)
                with (
                    self._spy(QuantSync, "apply") as apply,
                    patch.object(StockQuantBase, "check_quantity", check_quantity),
                    self.assertRaises(ValidationError) as caught,
                ):
                    self._done_moves(
                        self.inventory,
                        {
                            self.serial: [
                                (1, {"lot_id": lot.id}) for lot in self.serials
                            ]
                        },
                    )
                apply.assert_called_once()
                self.assertIn(
                    "The serial number has already been assigned",
                    str(caught.exception),
                )
                self.assertIn("SYNC-SN-042", str(caught.exception))
                # once, on the quant of the offending place
                self.assertEqual(
                    checked,
                    [[(self.stock, "SYNC-SN-042", 1.0 if package else 2.0)]],
                )
                checked.clear()
                savepoint.rollback()
                self.env.invalidate_all()

    def test_counted_quants_keep_stock_creation(self):
        """Counted quants (inventory mode) are merged by stock's own loop,
        even while a replay creates its quants and with the very list it
        hands over; the replay's list of quants, without counted fields, is
        created at once, without stock's loop."""
        self._quant(self.plain, self.stock, 5)
        Quant = (
            self.env["stock.quant"]
            .with_user(self.env.ref("base.user_admin"))
            .with_context(inventory_mode=True)
        )
        counted = [
            {
                "product_id": self.plain.id,
                "location_id": self.stock.id,
                "inventory_quantity": 8,
            }
            for __ in range(60)
        ]
        replayed = [
            {
                "product_id": self.serial.id,
                "location_id": self.stock.id,
                "lot_id": lot.id,
                "quantity": 1,
                "in_date": NOW,
            }
            for lot in self.serials
        ]
        replay = QuantSync(self.env["stock.quant"].sudo())
        with (
            patch.object(QuantSync, "get_running", return_value=replay),
            self._spy(StockQuantBase, "create") as stock_create,
        ):
            replay._create_vals_list = counted
            quants = Quant.create(counted)
            self.assertEqual(stock_create.call_count, 1, "stock's loop ran")
            replay._create_vals_list = replayed
            created = replay.Quant.create(replayed)
            self.assertEqual(stock_create.call_count, 1, "the replay's at once")
        self.assertEqual(len(quants), 1, "one quant, counted 60 times")
        self.assertEqual(quants.inventory_quantity, 8)
        self.assertEqual(len(created), 60)
        self.assertEqual(set(created.mapped("quantity")), {1.0})

    # ------------------------------------------------------------------
    # The removal: Odoo's _apply_inventory of the reassignment's own quants
    # ------------------------------------------------------------------

    def _untracked_quants(self):
        return self.env["stock.quant"].search(
            [
                ("product_id", "in", self.products.ids),
                ("lot_id", "=", False),
                ("location_id", "=", self.stock.id),
            ]
        )

    def _apply_zero(self, own):
        """Odoo's inventory adjustment of the quants without lot/serial to
        zero; ``own``: as the removal of a reassignment applies it."""
        quants = self._untracked_quants().with_context(inventory_mode=True)
        quants.write({"inventory_quantity": 0})
        last = self.env["stock.move"].search([], order="id desc", limit=1).id
        with removing_own_quants(quants, last) if own else nullcontext():
            quants._apply_inventory()

    def _arrange_removal(self):
        """Stock without lot/serial of three products, loose, in a package,
        owned, of several incoming dates; a quant already at the inventory
        location."""
        self._quant(self.plain, self.stock, 7, in_date=datetime(2024, 2, 1))
        self._quant(self.plain, self.stock, 2, package=self.package)
        self._quant(self.plain, self.stock, 3, owner=self.owner)
        self._quant(self.lotted, self.stock, 5)
        self._quant(self.serial, self.stock, 4)
        self._quant(self.serial, self.inventory, -1)

    def test_removal_replayed_as_odoo_applies_it(self):
        """The removal's lines: Odoo reserves each when it creates it, then
        releases and moves it; the replay does both at once, and ends where
        Odoo's loop ends (quantity, reservation, incoming date of every quant,
        the inventory location's included), without one call of stock's
        quant update."""
        self._arrange_removal()
        end = self._run_both_ways(self._apply_zero)
        at_stock = [q for q in end if q[1] == self.stock.complete_name]
        self.assertEqual({(q[5], q[6]) for q in at_stock}, {(0.0, 0.0)})
        at_inventory = sorted(
            (q[0], q[4], q[5]) for q in end if q[1] == self.inventory.complete_name
        )
        self.assertEqual(
            at_inventory,
            [
                ("Sync Lot", "", 5.0),
                ("Sync Plain", "", 9.0),
                ("Sync Plain", "Sync Owner", 3.0),
                ("Sync Serial", "", 3.0),
            ],
        )
        with self._spy(StockQuantBase, "_update_available_quantity") as update:
            self._apply_zero(own=True)
        update.assert_not_called()

    def test_removal_odoo_cannot_replay_runs_odoo_loop_with_its_reservations(self):
        """Two quants without lot/serial in one place (a concurrent receipt
        may leave them): which one Odoo takes is not decided, so its loop
        runs, after the reservations held back for the replay were made by
        Odoo's own call; the end is Odoo's."""
        self._quant(self.plain, self.stock, 4)
        self._quant(self.plain, self.stock, 6)
        ends = []
        for own in (True, False):
            try:
                with self.env.cr.savepoint(), freeze_time(NOW):
                    with self._spy(QuantSync, "apply") as apply:
                        self._apply_zero(own)
                    apply.assert_not_called()
                    ends.append(self._quants())
                    raise _Rollback()
            except _Rollback:
                self.env.invalidate_all()
        self.assertEqual(ends[0], ends[1])
        self.assertEqual(
            {q[6] for q in ends[0]}, {0.0}, "no reservation is left behind"
        )
