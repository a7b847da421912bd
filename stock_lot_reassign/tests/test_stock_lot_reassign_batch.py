# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
import os
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tools import config

from ..models import stock_lot_reassignment_runner
from .common import StockLotReassignCommon


@tagged("post_install", "-at_install")
class TestStockLotReassignBatch(StockLotReassignCommon):
    """Many products at once, big runs in the background, restore limits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk, cls.lamp = cls.env["product.product"].create(
            [
                {"name": "Reassign Desk", "type": "product", "default_code": "RDK"},
                {"name": "Reassign Lamp", "type": "product"},
            ]
        )
        cls.Reassignment = cls.env["stock.lot.reassignment"]
        cls.Runner = cls.env["stock.lot.reassignment.runner"]

    def _no_package_owner(self):
        return self.package.browse(), self.owner.browse()

    def test_one_lot_per_product_from_the_product_list(self):
        self._set_stock(self.product, self.stock, 5)
        self._set_stock(self.desk, self.stock, 2)
        self._set_stock(self.desk, self.shelf_1, 3)
        self._set_stock(self.lamp, self.shelf_2, 4)
        templates = (self.product | self.desk | self.lamp).product_tmpl_id

        action = templates.with_user(self.manager).action_open_lot_reassignment_wizard()
        wizard = self.env["stock.lot.reassignment.wizard"].with_user(self.manager)
        wizard = wizard.browse(action["res_id"])
        self.assertEqual(len(wizard.line_ids), 4, "one line per variant and place")
        wizard.action_next()
        wizard.lot_prefix = "2026-"
        wizard.action_generate_per_product()
        self.assertEqual(
            sorted(
                (a.line_id.product_id.id, a.lot_name, a.quantity)
                for a in wizard.assignment_ids
            ),
            sorted(
                [
                    (self.product.id, "2026-RCH", 5.0),
                    (self.desk.id, "2026-RDK", 2.0),
                    (self.desk.id, "2026-RDK", 3.0),
                    (self.lamp.id, "2026-Reassign Lamp", 4.0),
                ]
            ),
        )
        wizard.action_apply()

        no_package, no_owner = self._no_package_owner()
        self.assertEqual(
            self._stock(self.desk.product_tmpl_id),
            {
                (self.desk, self.stock, "2026-RDK", no_package, no_owner): 2.0,
                (self.desk, self.shelf_1, "2026-RDK", no_package, no_owner): 3.0,
            },
        )
        self.assertEqual(
            self._stock(self.lamp.product_tmpl_id),
            {
                (
                    self.lamp,
                    self.shelf_2,
                    "2026-Reassign Lamp",
                    no_package,
                    no_owner,
                ): 4.0
            },
        )
        self.assertReassigned(
            {(self.product, self.stock, no_package, no_owner): 5.0}, "lot"
        )
        self.assertEqual(set(templates.mapped("tracking")), {"lot"})

    def test_many_templates_in_one_call(self):
        self._set_stock(self.product, self.stock, 1)
        self._set_stock(self.desk, self.shelf_1, 2)
        templates = (self.product | self.desk).product_tmpl_id
        templates.with_user(self.manager).reassign_lots(
            "serial",
            [
                self._assignment(self.stock, "S-1", 1),
                self._assignment(self.shelf_1, "S-1", 1, product=self.desk),
                self._assignment(self.shelf_1, "S-2", 1, product=self.desk),
            ],
        )
        no_package, no_owner = self._no_package_owner()
        self.assertEqual(
            self._stock(self.desk.product_tmpl_id),
            {
                (self.desk, self.shelf_1, "S-1", no_package, no_owner): 1.0,
                (self.desk, self.shelf_1, "S-2", no_package, no_owner): 1.0,
            },
        )
        self.assertReassigned(
            {(self.product, self.stock, no_package, no_owner): 1.0}, "serial"
        )
        self.assertEqual(
            self.env["stock.quant"].search_count(
                [
                    ("product_id", "in", (self.product | self.desk).ids),
                    ("reserved_quantity", "!=", 0),
                ]
            ),
            0,
            "nothing stays reserved",
        )

    def test_big_run_is_queued_then_run_by_the_scheduled_action(self):
        # any run is estimated past 0 s
        self.env["ir.config_parameter"].set_param(
            "stock_lot_reassign.background_seconds", "0"
        )
        self._set_stock(self.product, self.stock, 4)
        wizard = self._open_wizard()
        wizard.tracking = "serial"
        wizard.action_next()
        wizard.first_lot_name = "BG-001"
        wizard.action_generate()

        action = wizard.action_apply()

        self.assertEqual(action["res_model"], "stock.lot.reassignment")
        job = self.Reassignment.browse(action["res_id"])
        self.assertEqual(job.state, "queued")
        self.assertEqual(job.assignment_count, 4)
        self.assertEqual(job.user_id, self.manager)
        no_package, no_owner = self._no_package_owner()
        self.assertEqual(
            self._stock(),
            {(self.product, self.stock, False, no_package, no_owner): 4.0},
            "nothing changes before the job runs",
        )
        self.assertEqual(self.template.tracking, "none")

        self.Reassignment._cron_run_queued()

        self.assertEqual(job.state, "done")
        self.assertTrue(job.date_done)
        self.assertEqual(
            self._stock(),
            {
                (self.product, self.stock, f"BG-00{i}", no_package, no_owner): 1.0
                for i in range(1, 5)
            },
        )
        self.assertReassigned(
            {(self.product, self.stock, no_package, no_owner): 4.0}, "serial"
        )
        self.assertRecorded(
            job, {(self.stock, "BG-001, BG-002, BG-003, BG-004"): (4.0, 4.0)}
        )
        self.assertEqual(
            job.lot_created_ids.mapped("name"), [f"BG-00{i}" for i in range(1, 5)]
        )
        history = job.with_user(self.manager).action_open_history()
        self.assertEqual(history["res_model"], "stock.move.line")

    def test_failing_run_is_recorded_and_the_next_one_runs(self):
        """Any error ends a background run as failed, with its traceback, its
        stock untouched; the next queued run goes on."""
        self._set_stock(self.product, self.stock, 2)
        self._set_stock(self.desk, self.stock, 1)
        Runner = self.Runner.with_user(self.manager)
        first = Runner._enqueue(
            self.template, "lot", [self._assignment(self.stock, "FIRST", 2)]
        )
        second = Runner._enqueue(
            self.desk.product_tmpl_id,
            "lot",
            [self._assignment(self.stock, "SECOND", 1, product=self.desk)],
        )
        procedure = type(self.env["stock.lot.reassignment.procedure"])
        run = procedure._run

        def fail_first(self, templates, *args, **kwargs):
            if templates == first.product_tmpl_ids:
                raise ZeroDivisionError("a bug in some module")
            return run(self, templates, *args, **kwargs)

        with patch.object(procedure, "_run", fail_first):
            self.Reassignment._cron_run_queued()

        self.assertEqual(first.state, "failed")
        self.assertIn("a bug in some module", first.error)
        self.assertIn("ZeroDivisionError", first.error_traceback)
        self.assertEqual(self.template.tracking, "none", "its stock untouched")
        no_package, no_owner = self._no_package_owner()
        self.assertEqual(
            self._stock(),
            {(self.product, self.stock, False, no_package, no_owner): 2.0},
        )
        self.assertEqual(second.state, "done", "the next one ran")
        self.assertEqual(second.lot_created_ids.name, "SECOND")

    def test_garbage_stored_plan_fails_and_the_next_run_goes_on(self):
        """A stored plan no caller could have queued (a product id stored as a
        list, a plan that is not a list): the run fails naming what is wrong,
        the runs behind it are done."""
        self._set_stock(self.product, self.stock, 2)
        self._set_stock(self.desk, self.stock, 1)
        Runner = self.Runner.with_user(self.manager)
        broken = Runner._enqueue(
            self.template, "lot", [self._assignment(self.stock, "BROKEN", 2)]
        )
        not_a_list = Runner._enqueue(
            self.template, "lot", [self._assignment(self.stock, "BROKEN", 2)]
        )
        good = Runner._enqueue(
            self.desk.product_tmpl_id,
            "lot",
            [self._assignment(self.stock, "GOOD", 1, product=self.desk)],
        )
        broken.sudo().assignments = [
            dict(
                self._assignment(self.stock, "BROKEN", 2), product_id=[self.product.id]
            )
        ]
        not_a_list.sudo().assignments = {"product_id": self.product.id}

        self.Reassignment._cron_run_queued()

        self.assertEqual(broken.state, "failed")
        self.assertIn("Assignment 0 (counted from 0): product_id", broken.error)
        self.assertEqual(not_a_list.state, "failed")
        self.assertIn("must be a list of dictionaries", not_a_list.error)
        self.assertEqual(self.template.tracking, "none", "its stock untouched")
        self.assertEqual(good.state, "done", "the next one ran")

    def test_queued_job_that_no_longer_fits_the_stock_fails_and_changes_nothing(self):
        self._set_stock(self.product, self.stock, 2)
        job = self.Runner.with_user(self.manager)._enqueue(
            self.template,
            "lot",
            [self._assignment(self.stock, "LATE", 2)],
        )
        # stock moved while the job waited
        self._set_stock(self.product, self.stock, 1)
        before = self._snapshot()

        self.Reassignment._cron_run_queued()

        self.assertEqual(job.state, "failed")
        self.assertIn("RCH", job.error)
        self.assertNothingChanged(before)

    def test_many_products_with_few_lines_go_to_the_background(self):
        """Apply decides by the estimated time, not by the lines: 60
        products of one lot each go to the background past a 1 s threshold,
        while 100 serials of one product stay in the request."""
        self.env["ir.config_parameter"].set_param(
            "stock_lot_reassign.background_seconds", "1"
        )
        catalogue = self.env["product.product"].create(
            [
                {"name": f"Catalogue {n}", "type": "product", "default_code": f"CAT{n}"}
                for n in range(60)
            ]
        )
        for product in catalogue:
            self._set_stock(product, self.stock, 2)
        self._set_stock(self.product, self.stock, 100)
        Runner = self.Runner.with_user(self.manager)
        per_product = [
            self._assignment(self.stock, f"LEG-{p.default_code}", 2, product=p)
            for p in catalogue
        ]
        serials = [self._assignment(self.stock, f"ONE-{n}", 1) for n in range(100)]
        self.assertGreater(Runner._estimate_seconds(per_product), 1)
        self.assertLess(Runner._estimate_seconds(serials), 1)

        wizard = self._open_wizard(catalogue.product_tmpl_id)
        wizard.action_next()
        wizard.lot_prefix = "LEG-"
        wizard.action_generate_per_product()
        self.assertEqual(len(wizard.assignment_ids), 60)
        action = wizard.action_apply()
        queued = self.Reassignment.browse(action["res_id"])
        self.assertEqual(queued.state, "queued")
        self.assertEqual(set(catalogue.mapped("tracking")), {"none"})

        wizard = self._open_wizard()
        wizard.tracking = "serial"
        wizard.action_next()
        wizard.first_lot_name = "ONE-001"
        wizard.action_generate()
        action = wizard.action_apply()
        self.assertEqual(self.Reassignment.browse(action["res_id"]).state, "done")
        self.assertEqual(self.template.tracking, "serial")

        self.Reassignment._cron_run_queued()
        self.assertEqual(queued.state, "done")
        self.assertEqual(set(catalogue.mapped("tracking")), {"lot"})

    def test_a_catalogue_under_the_old_line_count_is_estimated_past_30_s(self):
        """The case of the issue: 4,000 products in 4,400 places, one lot
        each, stayed under the 5,000 lines of the old threshold and ran 149 s
        in the request; its estimate is past the default 30 s."""
        plan = [
            {
                "product_id": product_id,
                "location_id": location_id,
                "lot_name": f"LEG-{product_id}",
                "quantity": 1,
            }
            for product_id in range(4000)
            for location_id in ((1, 2) if product_id < 400 else (1,))
        ]
        self.assertEqual(len(plan), 4400)
        Runner = self.Runner.with_user(self.manager)
        self.assertEqual(Runner._get_background_seconds(), 30)
        self.assertGreater(Runner._estimate_seconds(plan), 30)
        self.assertTrue(Runner._should_run_in_background(plan))

    def test_old_line_threshold_migrated_to_seconds(self):
        path = os.path.join(
            get_module_path("stock_lot_reassign"),
            "migrations",
            "17.0.1.3.0",
            "post-migration.py",
        )
        spec = importlib.util.spec_from_file_location("slr_migration_1_3", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        Param = self.env["ir.config_parameter"].sudo()
        record = self.env.ref("stock_lot_reassign.background_threshold")
        for old, new in (("5000", "30"), ("20000", "60"), ("100", "1")):
            record.write({"key": migration.OLD_KEY, "value": old})
            record.flush_recordset()
            migration.migrate(self.env.cr, "17.0.1.2.0")
            self.env.invalidate_all()
            self.env.registry.clear_cache()
            self.assertEqual(record.key, migration.NEW_KEY)
            self.assertEqual(Param.get_param(migration.NEW_KEY), new)
            self.assertFalse(Param.get_param(migration.OLD_KEY))

    def test_bad_plan_is_refused_before_it_is_queued(self):
        self._set_stock(self.product, self.stock, 2)
        with self.assertRaisesRegex(UserError, "1.0 missing"):
            self.Runner.with_user(self.manager)._enqueue(
                self.template, "lot", [self._assignment(self.stock, "L", 1)]
            )
        self.assertFalse(self.Reassignment.search([]))

    def test_restore_cannot_create_stock_the_history_never_removed(self):
        self._set_stock(self.product, self.stock, 3)
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", self.stock.id)]
        )
        quants.with_context(inventory_mode=True).write({"inventory_quantity": 0})
        quants.with_user(self.manager).action_apply_inventory()
        before = self._snapshot()

        with self.assertRaisesRegex(UserError, "History shows 3.0"):
            self.template.with_user(self.manager).reassign_lots(
                "lot", [self._assignment(self.stock, "MORE", 5)]
            )
        with self.assertRaisesRegex(UserError, "History shows 0.0"):
            self.template.with_user(self.manager).reassign_lots(
                "lot", [self._assignment(self.shelf_2, "ELSEWHERE", 1)]
            )
        self.assertNothingChanged(before)

        self.template.with_user(self.manager).reassign_lots(
            "lot", [self._assignment(self.stock, "BACK", 3)]
        )
        no_package, no_owner = self._no_package_owner()
        self.assertReassigned(
            {(self.product, self.stock, no_package, no_owner): 3.0}, "lot"
        )

    def test_records_created_hold_what_odoo_computes(self):
        self._set_stock(
            self.product, self.shelf_1, 3, package=self.package, owner=self.owner
        )
        self._set_stock(self.product, self.shelf_2, 2)
        assignments = [
            self._assignment(
                self.shelf_1, f"RB-{i}", 1, package=self.package, owner=self.owner
            )
            for i in range(3)
        ] + [self._assignment(self.shelf_2, f"RB-{i}", 1) for i in range(3, 5)]

        lots = self.env["stock.lot"].browse(
            self.template.with_user(self.manager).reassign_lots("serial", assignments)
        )

        quants = self.env["stock.quant"].search([("lot_id", "in", lots.ids)])
        lines = self.env["stock.move.line"].search([("lot_id", "in", lots.ids)])
        self.assertEqual((len(lots), len(quants), len(lines)), (5, 5, 5))
        for records in (lots, lines, quants):
            self.assertCacheHoldsWhatIsStored(records)
        # the counted quantity, as an inventory adjustment leaves it
        self.assertEqual(
            set(
                quants.mapped(
                    lambda q: (q.inventory_quantity_set, q.inventory_diff_quantity)
                )
            ),
            {(False, 0.0)},
        )
        self.assertEqual(set(quants.mapped("company_id")), {self.env.company})
        self.assertEqual(lots.mapped("location_id"), self.shelf_1 | self.shelf_2)
        self.assertEqual(set(lines.mapped("state")), {"done"})
        self.assertEqual(set(lines.mapped("quantity_product_uom")), {1.0})
        for records, kept in (
            (lots, ()),
            (lines, ()),
            (quants, ("inventory_quantity_set", "inventory_diff_quantity")),
        ):
            self.assertStoredComputedFieldsUpToDate(records, kept)

    def assertCacheHoldsWhatIsStored(self, records):
        """What the creation put in cache is what the database holds."""
        names = [name for name, field in records._fields.items() if field.store]
        self.env.flush_all()
        cached = records.read(names, load=False)
        records.invalidate_recordset()
        self.assertEqual(records.read(names, load=False), cached, records._name)

    def assertStoredComputedFieldsUpToDate(self, records, kept):
        """Every stored computed field holds what its compute method gives."""
        fields_ = [
            field
            for name, field in records._fields.items()
            if field.store and field.compute and name not in kept
        ]
        names = [field.name for field in fields_]
        self.env.flush_all()
        records.invalidate_recordset()
        stored = records.read(names, load=False)
        for field in fields_:
            self.env.add_to_compute(field, records)
        records.flush_recordset()
        records.invalidate_recordset()
        self.assertEqual(records.read(names, load=False), stored, records._name)

    def test_three_products_in_three_runs_with_progress(self):
        """A queued reassignment runs one product at a time, each committed
        on its own, progress seen after each."""
        self._set_stock(self.product, self.stock, 2)
        self._set_stock(self.desk, self.stock, 1)
        self._set_stock(self.lamp, self.shelf_1, 3)
        templates = (self.product | self.desk | self.lamp).product_tmpl_id
        reassignment = self.Runner.with_user(self.manager)._enqueue(
            templates,
            "lot",
            [
                self._assignment(self.stock, "P-CHAIR", 2),
                self._assignment(self.stock, "P-DESK", 1, product=self.desk),
                self._assignment(self.shelf_1, "P-LAMP", 3, product=self.lamp),
            ],
        )
        progress = []
        Model = type(self.Runner)

        def commit(model):
            progress.append((reassignment.state, reassignment.progress))

        with patch.object(Model, "_commit", commit):
            self.Reassignment._cron_run_queued()

        self.assertEqual(
            progress,
            [
                ("queued", "0 / 3 products, 0 / 3 lots/serials"),
                ("running", "0 / 3 products, 0 / 3 lots/serials"),
                ("running", "1 / 3 products, 1 / 3 lots/serials"),
                ("running", "2 / 3 products, 2 / 3 lots/serials"),
                ("done", "3 / 3 products, 3 / 3 lots/serials"),
            ],
            "nothing interrupted, the run marked, then each product committed",
        )
        self.assertEqual(
            sorted(reassignment.lot_created_ids.mapped("name")),
            ["P-CHAIR", "P-DESK", "P-LAMP"],
        )
        self.assertEqual(len(reassignment.line_ids), 3)
        self.assertEqual(set(templates.mapped("tracking")), {"lot"})

    def test_interrupted_run_is_queued_again_then_failed_after_the_last_attempt(self):
        """A run found running that no scheduler holds was interrupted: queued
        again and run, or failed once the attempts are used up."""
        self._set_stock(self.product, self.stock, 2)
        reassignment = self.Runner.with_user(self.manager)._enqueue(
            self.template, "lot", [self._assignment(self.stock, "AGAIN", 2)]
        )
        reassignment.write({"state": "running", "attempt_count": 1})

        self.Reassignment._cron_run_queued()

        self.assertEqual(reassignment.state, "done")
        self.assertEqual(reassignment.attempt_count, 2)
        self.env.invalidate_all()
        self.assertTrue(
            any(
                "queued again" in body
                for body in reassignment.message_ids.mapped("body")
            )
        )

        self._set_stock(self.desk, self.stock, 1)
        stuck = self.Runner.with_user(self.manager)._enqueue(
            self.desk.product_tmpl_id,
            "lot",
            [self._assignment(self.stock, "STUCK", 1, product=self.desk)],
        )
        stuck.write({"state": "running", "attempt_count": 3})

        self.Reassignment._cron_run_queued()

        self.assertEqual(stuck.state, "failed")
        self.assertIn("Interrupted 3 times", stuck.error)
        self.assertEqual(self.desk.tracking, "none", "its stock untouched")

    def test_product_too_long_for_the_scheduler_is_said_before_anything_changes(self):
        """One product alone needing more than a scheduled action may run: the
        record says so, naming the product and the setting; nothing changes."""
        self._set_stock(self.product, self.stock, 4)
        before = self._snapshot()
        with (
            patch.dict(config.options, {"workers": 2, "limit_time_real_cron": 3}),
            patch.object(stock_lot_reassignment_runner, "SECONDS_PER_ASSIGNMENT", 1.0),
        ):
            reassignment = self.Runner.with_user(self.manager)._enqueue(
                self.template,
                "serial",
                [self._assignment(self.stock, f"LONG-{i}", 1) for i in range(4)],
            )
            self.Reassignment._cron_run_queued()
        self.assertEqual(reassignment.state, "failed")
        self.assertIn("Reassign Chair", reassignment.error)
        self.assertIn("limit_time_real_cron", reassignment.error)
        self.assertNothingChanged(before)
