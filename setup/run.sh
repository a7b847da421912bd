#!/usr/bin/env bash
# Serve Odoo 17 with stock_lot_reassign on http://localhost:8069 (admin/admin),
# on a demo database that shows the problem the module solves.
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DEMO_DB="${SLR_DEMO_DB:-stock_lot_reassign_demo}"
HTTP_PORT="${HTTP_PORT:-8069}"

setup_all
if ! db_has_addon "$DEMO_DB"; then
    log "creating the demo database $DEMO_DB (Odoo's and the module's demo data; about a minute)"
    drop_db "$DEMO_DB"
    odoo -c "$ODOO_CONF" -d "$DEMO_DB" -i stock_lot_reassign --stop-after-init \
        --logfile "$LOGS/demo-install.log" ||
        die "installing the demo database failed (see $LOGS/demo-install.log)"
fi
log "serving $DEMO_DB on http://localhost:$HTTP_PORT (login admin, password admin); Ctrl-C stops"
exec odoo -c "$ODOO_CONF" -d "$DEMO_DB" --db-filter "^${DEMO_DB}\$" --http-port "$HTTP_PORT"
