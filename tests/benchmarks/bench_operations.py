# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark: what the addon costs Odoo's own operations.

Run it with ``bash setup/benchmark.sh --operations`` (README, *Benchmark*).
Two databases alike but for the addon: one without it, one with it. Each
run, a worker process per database arranges fresh products and times, as a
user does them: a receipt of 300 lines validated, a delivery of 300 lines
reserved and validated, 60 deliveries of one line each reserved and validated
one after the other: once to warm its caches, then three times, keeping the
fastest, each in a transaction rolled back. The workers alternate between the
two databases; each time is the median of ``--repeat`` workers, the cost the
median of each worker with the addon against the one without it just before,
beside the SQL queries the timed part sent.
"""
# pylint: disable=print-used
# (a command-line tool: printing its table is its job)

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

OPERATIONS = ("receipt of 300 lines", "delivery of 300 lines", "60 one-line deliveries")
MAX_COST = 0.05  # of Odoo's own time
TIMED_RUNS = 3  # per worker, after one to warm it up; the fastest is kept


# ----------------------------------------------------------------------
# Worker (one process per run and database, inside Odoo)
# ----------------------------------------------------------------------


class Bench:
    def __init__(self, env, tag):
        self.env = env
        self.tag = tag
        self.warehouse = env.ref("stock.warehouse0")
        self.stock = self.warehouse.lot_stock_id
        self.supplier = env.ref("stock.stock_location_suppliers")
        self.customer = env.ref("stock.stock_location_customers")

    def products(self, count, in_stock=0):
        products = self.env["product.product"].create(
            [
                {"name": f"Bench {self.tag} {i:03d}", "type": "product"}
                for i in range(count)
            ]
        )
        for product in products if in_stock else ():
            self.env["stock.quant"]._update_available_quantity(
                product, self.stock, in_stock
            )
        return products

    def picking(self, kind, products):
        picking_type = self.warehouse.in_type_id
        source, dest = self.supplier, self.stock
        if kind == "out":
            picking_type = self.warehouse.out_type_id
            source, dest = self.stock, self.customer
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": dest.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 2,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": dest.id,
                        },
                    )
                    for product in products
                ],
            }
        )
        picking.action_confirm()
        return picking

    def timed(self, run):
        """``(seconds, SQL queries)`` of ``run``."""
        self.env.flush_all()
        queries = self.env.cr.sql_log_count
        start = time.perf_counter()
        run()
        self.env.flush_all()
        return time.perf_counter() - start, self.env.cr.sql_log_count - queries

    def receipt(self):
        picking = self.picking("in", self.products(300))
        for move in picking.move_ids:
            move.quantity = 2
        picking.move_ids.picked = True
        return self.timed(picking.button_validate)

    def delivery(self):
        picking = self.picking("out", self.products(300, in_stock=5))

        def run():
            picking.action_assign()
            picking.move_ids.picked = True
            picking.button_validate()

        return self.timed(run)

    def one_line_deliveries(self):
        pickings = [self.picking("out", product) for product in self.products(60, 5)]

        def run():
            for picking in pickings:
                picking.action_assign()
                picking.move_ids.picked = True
                picking.button_validate()

        return self.timed(run)


def worker(args):
    import odoo
    from odoo import api
    from odoo.tools import config

    config.parse_config(["-c", args.config, "--log-level", "warn"])
    registry = odoo.registry(args.database)
    measured = {}
    methods = dict(
        zip(OPERATIONS, ("receipt", "delivery", "one_line_deliveries"), strict=True)
    )
    for operation, method in methods.items():
        # the first run warms the worker's caches (registry, ORM, query
        # plans); the fastest of the others is kept
        runs = []
        for run in range(1 + TIMED_RUNS):
            with registry.cursor() as cr:
                admin = api.Environment(cr, odoo.SUPERUSER_ID, {}).ref(
                    "base.user_admin"
                )
                env = api.Environment(cr, admin.id, {"tracking_disable": True})
                runs.append(getattr(Bench(env, f"{run}-{os.getpid()}"), method)())
                cr.rollback()
        measured[operation] = min(runs[1:])
    json.dump(measured, sys.stdout)
    return 0


# ----------------------------------------------------------------------
# Parent
# ----------------------------------------------------------------------


def run_worker(args, database):
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            "--config",
            args.config,
            "--database",
            database,
            "--without",
            args.without,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"the worker on {database} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout)


def parent(args):
    runs = {args.without: [], args.database: []}
    for __ in range(args.repeat):
        for database, results in runs.items():
            results.append(run_worker(args, database))
    print(
        f"median of {args.repeat} workers per database (alternating), each the "
        f"fastest of {TIMED_RUNS} timed runs after a warm-up"
    )
    header = (
        f"| {'operation':<24} | {'without the addon s':>19} "
        f"| {'with the addon s':>16} | {'cost (paired)':>13} | {'SQL without':>11} "
        f"| {'SQL with':>8} |"
    )
    print(header)
    print("|" + "|".join("-" * len(c) for c in header.split("|")[1:-1]) + "|")
    failures = []
    for operation in OPERATIONS:
        without = statistics.median(run[operation][0] for run in runs[args.without])
        with_addon = statistics.median(run[operation][0] for run in runs[args.database])
        queries = [runs[db][0][operation][1] for db in (args.without, args.database)]
        # each worker with the addon against the one without it just before:
        # the pairs cancel the machine's drift between runs
        cost = (
            statistics.median(
                after[operation][0] / before[operation][0]
                for before, after in zip(
                    runs[args.without], runs[args.database], strict=True
                )
            )
            - 1
        )
        print(
            f"| {operation:<24} | {without:>19.3f} | {with_addon:>16.3f} "
            f"| {cost:>+13.1%} | {queries[0]:>11} | {queries[1]:>8} |",
            flush=True,
        )
        if cost > MAX_COST:
            failures.append(f"{operation}: the addon costs {cost:.1%} > {MAX_COST:.0%}")
    print()
    if failures:
        print("NOT MET:\n" + "\n".join(f"- {f}" for f in failures))
        return 1
    print(f"target met: the addon costs at most {MAX_COST:.0%} of Odoo's time")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="Odoo configuration file")
    parser.add_argument("--database", required=True, help="with the addon")
    parser.add_argument("--without", required=True, help="the database without it")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    return worker(args) if args.worker else parent(args)


if __name__ == "__main__":
    sys.exit(main())
