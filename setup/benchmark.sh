#!/usr/bin/env bash
# The benchmark (README, "Benchmark"): Odoo's documented procedure against the
# module's reassign_lots, side by side on fresh data, in the database
# stock_lot_reassign_bench (the addon without demo data, created once).
# Arguments go to tests/benchmarks/bench_reassign.py (--help).
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BENCH_DB="${SLR_BENCH_DB:-stock_lot_reassign_bench}"

setup_all
if ! db_has_addon "$BENCH_DB"; then
    log "creating the benchmark database $BENCH_DB (log: $LOGS/bench-install.log)"
    drop_db "$BENCH_DB"
    odoo -c "$ODOO_CONF" -d "$BENCH_DB" -i stock_lot_reassign --without-demo=all \
        --stop-after-init --max-cron-threads 0 --logfile "$LOGS/bench-install.log" ||
        die "installing stock_lot_reassign in $BENCH_DB failed (see $LOGS/bench-install.log)"
else
    odoo -c "$ODOO_CONF" -d "$BENCH_DB" -u stock_lot_reassign --stop-after-init \
        --max-cron-threads 0 --logfile "$LOGS/bench-install.log" ||
        die "updating stock_lot_reassign in $BENCH_DB failed (see $LOGS/bench-install.log)"
fi
exec python "$REPO/tests/benchmarks/bench_reassign.py" --config "$ODOO_CONF" --database "$BENCH_DB" "$@"
