# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Installing the addon changes nothing in the operations it does not start.

One database with Odoo's stock apps (stock_account with real-time valuation,
purchase_stock, mrp, mrp_subcontracting, stock_dropshipping) and its chart of
accounts; a copy of it with the addon installed. Each of Odoo's ordinary
operations of tests/differential/operations.py runs on both, and everything it
leaves (quants with their reservations and dates, move lines, moves,
valuation layers, journal items) must be equal.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from operations import LINES, OPERATIONS
from test_rpc import _copy_database, _drop_database, _free_port

import odoo

APPS = "stock_account,purchase_stock,mrp,mrp_subcontracting,stock_dropshipping"
WORKER = Path(__file__).with_name("operations.py")
ODOO = os.path.join(os.path.dirname(sys.executable), "odoo")


def _odoo_install(config, database, modules, log):
    command = [
        ODOO,
        "-c",
        config,
        "-d",
        database,
        "-i",
        modules,
        "--without-demo=all",
        "--stop-after-init",
        "--max-cron-threads",
        "0",
        "--http-port",
        str(_free_port()),
        "--logfile",
        str(log),
        "--log-level",
        "warn",
    ]
    subprocess.run(command, check=True, timeout=1800)
    errors = [line for line in log.read_text().splitlines() if " ERROR " in line]
    assert not errors, errors[:5]


def _installed(database):
    """The modules installed in ``database``."""
    with odoo.sql_db.db_connect(database).cursor() as cr:
        cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
        installed = {row[0] for row in cr.fetchall()}
    odoo.sql_db.close_db(database)
    return installed


def _worker(config, database, *args):
    return subprocess.Popen(
        [sys.executable, str(WORKER), "--config", config, "--database", database]
        + list(args),
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def end_states(request, tmp_path_factory):
    """``{"without": {operation: result}, "with": {...}}``"""
    config = request.config.getoption("--odoo-config")
    base = request.config.getoption("--odoo-database")
    logs = tmp_path_factory.mktemp("differential")
    without, with_addon = f"{base}_diff_without", f"{base}_diff_with"
    for name in (without, with_addon):
        _drop_database(config, name)
    try:
        _odoo_install(config, without, APPS, logs / "install-apps.log")
        prepared = _worker(config, without, "--prepare")
        prepared.communicate(timeout=600)
        assert prepared.returncode == 0
        _copy_database(config, without, with_addon)
        _odoo_install(config, with_addon, "stock_lot_reassign", logs / "install.log")
        assert "stock_lot_reassign" not in _installed(without)
        assert "stock_lot_reassign" in _installed(with_addon)
        assert set(APPS.split(",")) <= _installed(without)
        workers = {
            "without": _worker(config, without),
            "with": _worker(config, with_addon),
        }
        results = {}
        for side, worker in workers.items():
            output, __ = worker.communicate(timeout=1800)
            assert worker.returncode == 0, f"the worker on {side} failed"
            results[side] = json.loads(output)
        yield results
    finally:
        for name in (without, with_addon):
            _drop_database(config, name)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_ends_as_without_the_addon(end_states, operation):
    """The operation, 60 lines or more, ends exactly as on Odoo without the
    addon: every quant, move line, move, valuation layer and journal item."""
    without = end_states["without"][operation]
    with_addon = end_states["with"][operation]
    assert "error" not in without, without["error"]
    assert "error" not in with_addon, with_addon["error"]
    assert len(without["state"]["move lines"]) >= LINES
    assert "valuation layers" in without["state"], "stock_account is installed"
    for part, expected in without["state"].items():
        assert with_addon["state"][part] == expected, part
