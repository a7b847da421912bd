#!/usr/bin/env bash
# The benchmarks (README, "Benchmark").
#   bash setup/benchmark.sh [ARGS]             Odoo's documented procedure
#       against the module's reassign_lots, side by side on fresh data, in the
#       database stock_lot_reassign_bench (the addon without demo data);
#       ARGS go to tests/benchmarks/bench_reassign.py (--help).
#   bash setup/benchmark.sh --operations [ARGS]  what the addon costs Odoo's
#       own receipts and deliveries: stock_lot_reassign_bench against
#       stock_lot_reassign_bench_without (stock only); ARGS go to
#       tests/benchmarks/bench_operations.py (--help).
# The databases are created once, then updated.
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BENCH_DB="${SLR_BENCH_DB:-stock_lot_reassign_bench}"
BENCH_WITHOUT_DB="${BENCH_DB}_without"

# ensure_bench_db DB MODULE: DB has MODULE installed, up to date
ensure_bench_db() {
    local db="$1" module="$2" installed
    installed="$(psql_db -d "$db" -tAc "SELECT state FROM ir_module_module WHERE name = '$module'" 2>/dev/null || true)"
    if [ "$installed" != installed ]; then
        log "creating the benchmark database $db (log: $LOGS/bench-install.log)"
        drop_db "$db"
        odoo -c "$ODOO_CONF" -d "$db" -i "$module" --without-demo=all \
            --stop-after-init --max-cron-threads 0 --logfile "$LOGS/bench-install.log" ||
            die "installing $module in $db failed (see $LOGS/bench-install.log)"
    else
        odoo -c "$ODOO_CONF" -d "$db" -u "$module" --stop-after-init \
            --max-cron-threads 0 --logfile "$LOGS/bench-install.log" ||
            die "updating $module in $db failed (see $LOGS/bench-install.log)"
    fi
}

setup_all
# the cluster this run started is stopped when the benchmark ends
trap stop_started_postgres EXIT
ensure_bench_db "$BENCH_DB" stock_lot_reassign
if [ "${1:-}" = "--operations" ]; then
    shift
    db_has_addon "$BENCH_WITHOUT_DB" && drop_db "$BENCH_WITHOUT_DB"
    ensure_bench_db "$BENCH_WITHOUT_DB" stock
    db_has_addon "$BENCH_WITHOUT_DB" && die "$BENCH_WITHOUT_DB must not have the addon"
    python "$REPO/tests/benchmarks/bench_operations.py" --config "$ODOO_CONF" \
        --database "$BENCH_DB" --without "$BENCH_WITHOUT_DB" "$@"
    exit
fi
python "$REPO/tests/benchmarks/bench_reassign.py" --config "$ODOO_CONF" --database "$BENCH_DB" "$@"
