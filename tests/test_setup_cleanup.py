# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The set-up leaves nothing running that it started.

Each test copies ``setup/common.sh`` into a temporary folder, which the
set-up takes for a clone of its own (its cluster is named from the clone's
path), and drives its PostgreSQL functions in real ``bash`` processes: the
cluster a run starts is stopped by ``stop_started_postgres``, a cluster that
was already running is left running, and ``drop_clone_cluster`` (``bash
setup/run.sh --drop-cluster``) removes it. The test command itself stops the
cluster it started and checks, in its summary, that no server of the clone is
left (``setup/test.sh``).
"""

import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture
def clone(tmp_path):
    """A folder the set-up takes for a clone; its cluster removed at the end."""
    (tmp_path / "setup").mkdir()
    shutil.copy(REPO / "setup" / "common.sh", tmp_path / "setup" / "common.sh")
    yield tmp_path
    _bash(tmp_path, "drop_clone_cluster")


def _bash(clone, script):
    """Run ``script`` after sourcing the clone's common.sh; its stdout."""
    # no PGHOST/PGPORT/PGUSER: a server of the caller's is not the clone's own
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(pathlib.Path.home())}
    result = subprocess.run(
        ["bash", "-c", f"set -euo pipefail; source setup/common.sh; {script}"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _running(clone):
    return _bash(clone, "clone_postgres_running && echo yes || echo no")


def test_a_cluster_the_run_started_is_stopped(clone):
    out = _bash(
        clone,
        "ensure_postgres; echo started=$PG_STARTED_HERE; "
        "clone_postgres_running && echo running; "
        "stop_started_postgres; clone_postgres_running || echo stopped",
    )
    assert out.splitlines() == ["started=1", "running", "stopped"]
    assert _running(clone) == "no"


def test_a_cluster_already_running_is_left_running(clone):
    _bash(clone, "ensure_postgres")  # left running by a run that does not stop it
    assert _running(clone) == "yes"
    out = _bash(
        clone,
        "ensure_postgres; echo started=${PG_STARTED_HERE:-0}; "
        "stop_started_postgres; clone_postgres_running && echo running",
    )
    assert out.splitlines() == ["started=0", "running"]


def test_drop_cluster_stops_and_removes_it(clone):
    data = _bash(clone, "ensure_postgres; pg_data_dir")
    assert pathlib.Path(data, "PG_VERSION").exists()
    assert _running(clone) == "yes"
    _bash(clone, "drop_clone_cluster")
    assert _running(clone) == "no"
    assert not pathlib.Path(data).exists()
