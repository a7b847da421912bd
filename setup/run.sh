#!/usr/bin/env bash
# Serve Odoo 17 with stock_lot_reassign on http://localhost:8069 (admin/admin),
# on a demo database that shows the problem the module solves.
#   --drop-cluster   stop and remove this clone's PostgreSQL cluster (the one
#                    the set-up made for it, with all its databases), then exit
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DEMO_DB="${SLR_DEMO_DB:-stock_lot_reassign_demo}"
HTTP_PORT="${HTTP_PORT:-8069}"

if [ "${1:-}" = "--drop-cluster" ]; then
    # this clone's PostgreSQL cluster (and every database in it), stopped and removed
    drop_clone_cluster
    exit 0
fi
[ $# -eq 0 ] || { printf 'usage: bash setup/run.sh [--drop-cluster]\n' >&2; exit 2; }

setup_all
if ! db_has_addon "$DEMO_DB"; then
    log "creating the demo database $DEMO_DB (Odoo's and the module's demo data; about a minute)"
    drop_db "$DEMO_DB"
    odoo -c "$ODOO_CONF" -d "$DEMO_DB" -i stock_lot_reassign --stop-after-init \
        --logfile "$LOGS/demo-install.log" ||
        die "installing the demo database failed (see $LOGS/demo-install.log)"
fi
log "serving $DEMO_DB on http://localhost:$HTTP_PORT (login admin, password admin); Ctrl-C stops"
# Ctrl-C stops Odoo, then the PostgreSQL cluster if this run started it
trap stop_started_postgres EXIT
odoo -c "$ODOO_CONF" -d "$DEMO_DB" --db-filter "^${DEMO_DB}\$" --http-port "$HTTP_PORT"
