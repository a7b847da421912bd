# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A background run killed half-way (a real process, SIGKILL) leaves the stock
exactly as it was, and a later pass of the scheduler finishes it.

Each step is a separate Python process on a throw-away copy of the test
database (what they commit is dropped with it).
"""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from test_rpc import copied_database

PRELUDE = """
import json, sys, time
import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config
config.parse_config(["-c", {config!r}, "--log-level", "warn"])
registry = odoo.registry({database!r})
"""

ARRANGE = """
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {{}})
    env = env(user=env.ref("base.user_admin").id)
    stock = env.ref("stock.warehouse0").lot_stock_id
    product = env["product.product"].create(
        {{"name": "Killed Run Saw", "type": "product"}})
    env["stock.quant"]._update_available_quantity(product, stock, 3)
    reassignment = env["stock.lot.reassignment.runner"]._enqueue(
        product.product_tmpl_id, "serial",
        [{{"product_id": product.id, "location_id": stock.id,
           "lot_name": f"KILL-{{i}}", "quantity": 1}} for i in range(3)])
    cr.commit()
    print(json.dumps({{"product": product.id, "reassignment": reassignment.id}}))
"""

# the scheduler, held half-way: after the removal, before the restore
RUN_AND_HANG = """
from odoo.addons.stock_lot_reassign.models.stock_lot_reassignment_adjustment import (
    StockLotReassignmentAdjustment,
)
def hang(self, plan):
    print("RESTORING", flush=True)
    time.sleep(600)
StockLotReassignmentAdjustment._restore_with_lots = hang
with registry.cursor() as cr:
    api.Environment(cr, SUPERUSER_ID, {{}})["stock.lot.reassignment"]._cron_run_queued()
"""

RUN = """
with registry.cursor() as cr:
    api.Environment(cr, SUPERUSER_ID, {{}})["stock.lot.reassignment"]._cron_run_queued()
"""

STATE = """
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {{}})
    product = env["product.product"].browse({product})
    reassignment = env["stock.lot.reassignment"].browse({reassignment})
    quants = env["stock.quant"].search(
        [("product_id", "=", product.id), ("location_id.usage", "=", "internal"),
         ("quantity", "!=", 0)])
    print(json.dumps({{
        "state": reassignment.state,
        "attempts": reassignment.attempt_count,
        "tracking": product.tracking,
        "stock": sorted([q.lot_id.name or "", q.quantity] for q in quants),
    }}))
"""


@pytest.fixture
def database(request):
    with copied_database(request, "kill") as database:
        yield database


def _script(database, body, **values):
    config, name = database
    return textwrap.dedent(PRELUDE).format(config=config, database=name) + (
        textwrap.dedent(body).format(**values)
    )


def _run(database, body, **values):
    done = subprocess.run(
        [sys.executable, "-c", _script(database, body, **values)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else None


def test_killed_run_leaves_stock_as_it_was_and_finishes_later(database):
    arranged = _run(database, ARRANGE)
    before = _run(database, STATE, **arranged)
    assert before == {
        "state": "queued",
        "attempts": 0,
        "tracking": "none",
        "stock": [["", 3.0]],
    }

    worker = subprocess.Popen(
        [sys.executable, "-c", _script(database, RUN_AND_HANG)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert worker.stdout.readline().strip() == "RESTORING"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)

    killed = _run(database, STATE, **arranged)
    assert killed == {
        "state": "running",
        "attempts": 1,
        "tracking": "none",
        "stock": [["", 3.0]],
    }, "the removal was rolled back with the killed transaction"

    # PostgreSQL ends the killed worker's session (and its row lock) shortly
    deadline = time.monotonic() + 60
    while True:
        _run(database, RUN)
        after = _run(database, STATE, **arranged)
        if after["state"] != "running" or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert after == {
        "state": "done",
        "attempts": 2,
        "tracking": "serial",
        "stock": [["KILL-0", 1.0], ["KILL-1", 1.0], ["KILL-2", 1.0]],
    }
