#!/usr/bin/env bash
# The test command: the set-up, then the static checks (pre-commit), then the
# addon's Odoo tests (browser tours included) on a fresh PostgreSQL database,
# then the repository's pytest-odoo tests (API in-process and over RPC, the
# Apps install/upgrade/uninstall path), then the compatibility tests (pytest-odoo
# tests/compat on a fresh database with stock_account, product_expiry, mrp, mrp_subcontracting,
# base_automation and the test-only addon of tests/addons), then the pip
# packaging check (the wheel built with whool, installed in a virtualenv of its
# own).
# Exits non-zero on any failure, error or skipped test, or when the tests left
# the clone changed (git status); the last line counts every test that ran.
#   --screenshots   the serial and sheet tours save their screenshots into
#                   stock_lot_reassign/static/description (README, Apps page)
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

TEST_DB="${SLR_TEST_DB:-stock_lot_reassign_test}"
MIN_ADDON_TESTS="${MIN_ADDON_TESTS:-20}"
ADDON_LOG="$LOGS/addon-tests.log"
PYTEST_LOG="$LOGS/pytest.log"
COMPAT_DB="${SLR_COMPAT_DB:-stock_lot_reassign_compat}"
COMPAT_CONF="$LOCAL/odoo-compat.conf"
COMPAT_ADDONS="stock_lot_reassign,stock_account,product_expiry,mrp,mrp_subcontracting,base_automation,stock_lot_reassign_test_hooks"
COMPAT_INSTALL_LOG="$LOGS/compat-install.log"
COMPAT_PYTEST_LOG="$LOGS/pytest-compat.log"

SCREENSHOTS=0
for arg in "$@"; do
    case "$arg" in
    --screenshots) SCREENSHOTS=1 ;;
    *) printf 'usage: bash setup/test.sh [--screenshots]\n' >&2 && exit 2 ;;
    esac
done
export STOCK_LOT_REASSIGN_SCREENSHOTS="$SCREENSHOTS"

step() { printf '\n===== %s =====\n' "$*"; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Odoo skips its browser tests, silently, without a Chrome and websocket-client.
ensure_browser() {
    command -v chromium >/dev/null || command -v google-chrome >/dev/null || apt_install chromium
    "$(command -v chromium || command -v google-chrome)" --version >/dev/null ||
        die "Chromium is installed but does not start"
    python -c 'import websocket' || die "websocket-client is missing from .venv"
}

# Odoo prints PDF reports (the lot labels) with wkhtmltopdf; the label test
# reads the PDF back with pdftotext. Missing, they fail the test, not skip it.
ensure_pdf_tools() {
    apt_install wkhtmltopdf poppler-utils fonts-dejavu-core
    wkhtmltopdf --version >/dev/null 2>&1 || die "wkhtmltopdf is installed but does not start"
    command -v pdftotext >/dev/null || die "pdftotext (poppler-utils) is missing"
}

# shellcheck source=setup/wheel.sh
source "$(dirname "${BASH_SOURCE[0]}")/wheel.sh"

count() {  # count PATTERN FILE
    grep -cE "$1" "$2" || true
}

# pytest_counts LOG: "passed failed skipped" from pytest's last summary line
# (errors count as failed)
pytest_counts() {
    local summary
    summary="$(grep -E "^=+ .* in [0-9.]+s" "$1" | tail -n 1)"
    pick() { grep -oE "[0-9]+ $1" <<<"$summary" | grep -oE "^[0-9]+" || echo 0; }
    echo "$(pick passed) $(($(pick failed) + $(pick errors?))) $(pick skipped)"
}

run_static_checks() {
    step "static checks (pre-commit)"
    (cd "$REPO" && pre-commit run --all-files --show-diff-on-failure --color never)
}

run_addon_tests() {
    step "addon tests: odoo --test-tags /stock_lot_reassign on a fresh database $TEST_DB"
    drop_db "$TEST_DB"
    local rc=0
    odoo -c "$ODOO_CONF" -d "$TEST_DB" -i stock_lot_reassign \
        --test-tags /stock_lot_reassign --stop-after-init --log-level test \
        --http-port "$(free_port)" --max-cron-threads 0 >"$ADDON_LOG" 2>&1 || rc=$?
    # every addon test that ran, by name (Odoo logs "Starting Class.test ...")
    grep -oE "Starting [A-Za-z0-9_]+\.test_[A-Za-z0-9_]+" "$ADDON_LOG" | sed 's/^Starting /ran /' || true
    grep -E " (ERROR|CRITICAL) | skipped .* : |FAIL: |odoo.tests.result|odoo.tests.stats" "$ADDON_LOG" | cut -c1-400 || true

    local summary
    summary="$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database" "$ADDON_LOG" | tail -n 1)"
    ADDON_RUN="$(sed -E 's/.* of ([0-9]+) tests.*/\1/' <<<"${summary:-of 0 tests}")"
    ADDON_FAILED="$(sed -E 's/^([0-9]+) failed, ([0-9]+) error.*/\1 + \2/' <<<"${summary:-0 failed, 0 error}")"
    ADDON_FAILED=$((ADDON_FAILED))
    ADDON_SKIPPED="$(count " skipped .* : " "$ADDON_LOG")"
    local error_lines
    error_lines="$(count "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$ADDON_LOG")"

    ADDON_OK=1
    if [ "$rc" != 0 ] || [ -z "$summary" ] || [ "$ADDON_FAILED" != 0 ] ||
        [ "$ADDON_SKIPPED" != 0 ] || [ "$error_lines" != 0 ] || [ "$ADDON_RUN" -lt "$MIN_ADDON_TESTS" ]; then
        ADDON_OK=0
        echo "addon tests: NOT OK (odoo exit $rc, ${ADDON_RUN} run, ${ADDON_FAILED} failed or in error," \
            "${ADDON_SKIPPED} skipped, ${error_lines} ERROR lines, minimum ${MIN_ADDON_TESTS}; log: $ADDON_LOG)"
    else
        echo "addon tests: ${ADDON_RUN} run, 0 failed, 0 skipped"
    fi
}

run_repo_tests() {
    step "repository tests: pytest-odoo on $TEST_DB"
    local rc=0
    (cd "$REPO" && pytest -p no:cacheprovider -v -rfEs --hypothesis-show-statistics \
        --odoo-config "$ODOO_CONF" --odoo-database "$TEST_DB" \
        --odoo-log-level warn --ignore tests/compat --ignore tests/addons tests) 2>&1 |
        tee "$PYTEST_LOG" || rc=$?
    read -r REPO_PASSED REPO_FAILED REPO_SKIPPED <<<"$(pytest_counts "$PYTEST_LOG")"
    REPO_OK=1
    if [ "$rc" != 0 ] || [ "$REPO_FAILED" != 0 ] || [ "$REPO_SKIPPED" != 0 ] || [ "$REPO_PASSED" = 0 ]; then
        REPO_OK=0
    fi
}

# The compatibility database: the addon beside the apps that override what it
# creates (stock_account, product_expiry, mrp, mrp_subcontracting, base_automation) and the
# test-only addon tests/addons/stock_lot_reassign_test_hooks, whose folder is
# on the addons path of this database's configuration file only.
write_compat_conf() {
    sed -E "s|^(addons_path = .*)$|\1,$REPO/tests/addons|" "$ODOO_CONF" >"$COMPAT_CONF"
}

run_compat_tests() {
    step "compatibility tests: pytest-odoo tests/compat on a fresh database $COMPAT_DB"
    COMPAT_PASSED=0
    COMPAT_FAILED=0
    COMPAT_SKIPPED=0
    COMPAT_OK=0
    write_compat_conf
    drop_db "$COMPAT_DB"
    local rc=0 installed errors expected
    odoo -c "$COMPAT_CONF" -d "$COMPAT_DB" -i "$COMPAT_ADDONS" --without-demo=all \
        --stop-after-init --max-cron-threads 0 --http-port "$(free_port)" \
        >"$COMPAT_INSTALL_LOG" 2>&1 || rc=$?
    expected="$(tr ',' '\n' <<<"$COMPAT_ADDONS" | wc -l)"
    installed="$(psql_db -d "$COMPAT_DB" -tAc "SELECT count(*) FROM ir_module_module
        WHERE state = 'installed' AND name = ANY(string_to_array('$COMPAT_ADDONS', ','))" 2>/dev/null || echo 0)"
    errors="$(count "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$COMPAT_INSTALL_LOG")"
    if [ "$rc" != 0 ] || [ "$installed" != "$expected" ] || [ "$errors" != 0 ]; then
        # no test can run: the database counts as one failure
        COMPAT_FAILED=1
        echo "compatibility tests: NOT OK: installing $COMPAT_ADDONS failed (odoo exit $rc," \
            "$installed of $expected installed, $errors ERROR lines; log: $COMPAT_INSTALL_LOG)"
        return
    fi
    rc=0
    (cd "$REPO" && pytest -p no:cacheprovider -v -rfEs --odoo-config "$COMPAT_CONF" \
        --odoo-database "$COMPAT_DB" --odoo-log-level warn tests/compat) 2>&1 |
        tee "$COMPAT_PYTEST_LOG" || rc=$?
    read -r COMPAT_PASSED COMPAT_FAILED COMPAT_SKIPPED <<<"$(pytest_counts "$COMPAT_PYTEST_LOG")"
    if [ "$rc" != 0 ] && [ "$COMPAT_FAILED" = 0 ] && [ "$COMPAT_SKIPPED" = 0 ]; then
        COMPAT_FAILED=1  # pytest failed without a test failing (collection, usage)
    fi
    if [ "$rc" = 0 ] && [ "$COMPAT_FAILED" = 0 ] && [ "$COMPAT_SKIPPED" = 0 ] && [ "$COMPAT_PASSED" != 0 ]; then
        COMPAT_OK=1
    fi
}

clone_status() {
    git -C "$REPO" status --porcelain 2>/dev/null || true
}

# Odoo servers of this clone still running: any process given one of its
# configuration files (the tests start servers with .local/odoo*.conf)
clone_odoo_servers() {
    pgrep -f -- "-c $LOCAL/odoo" || true
}

STATUS_BEFORE="$(clone_status)"
setup_all
# the cluster this run started is stopped however the run ends
trap stop_started_postgres EXIT
ensure_browser
ensure_pdf_tools
STATIC_OK=1
run_static_checks || STATIC_OK=0
run_addon_tests
run_repo_tests
run_compat_tests
step "pip packaging: the wheel, in a virtualenv of its own"
run_wheel_check || true

ADDON_PASSED=$((ADDON_RUN - ADDON_FAILED))
# nothing of this clone left running: no Odoo server, and the cluster this
# run started stopped (one that was running before stays)
STARTED_PG="${PG_STARTED_HERE:-0}"
stop_started_postgres
SERVERS_OK=1
LEFT_RUNNING="$(clone_odoo_servers)"
if [ -n "$LEFT_RUNNING" ] || { [ "$STARTED_PG" = 1 ] && clone_postgres_running; }; then
    SERVERS_OK=0
fi
CLEAN_OK=1
if [ "$SCREENSHOTS" = 0 ] && [ "$(clone_status)" != "$STATUS_BEFORE" ]; then
    CLEAN_OK=0
fi
step "summary"
[ "$CLEAN_OK" = 1 ] && echo "clone: as it was" ||
    { echo "clone: CHANGED by the tests:"; clone_status; }
if [ "$SERVERS_OK" = 1 ]; then
    echo "servers: none of this clone left running (PostgreSQL $([ "$STARTED_PG" = 1 ] && echo "started by this run, stopped" || echo "was running before, left running"))"
else
    echo "servers: LEFT RUNNING: Odoo processes ${LEFT_RUNNING:-none}; PostgreSQL $(clone_postgres_running && echo running || echo stopped)"
fi
[ "$STATIC_OK" = 1 ] && echo "static checks: passed" || echo "static checks: FAILED"
[ "$WHEEL_OK" = 1 ] && echo "wheel check: passed" || echo "wheel check: FAILED"
echo "stock_lot_reassign: $((ADDON_PASSED + REPO_PASSED + COMPAT_PASSED)) passed," \
    "$((ADDON_FAILED + REPO_FAILED + COMPAT_FAILED)) failed," \
    "$((ADDON_SKIPPED + REPO_SKIPPED + COMPAT_SKIPPED)) skipped" \
    "(addon ${ADDON_RUN}, repo $((REPO_PASSED + REPO_FAILED + REPO_SKIPPED))," \
    "compat $((COMPAT_PASSED + COMPAT_FAILED + COMPAT_SKIPPED)); static checks $([ "$STATIC_OK" = 1 ] && echo passed || echo failed); wheel check $([ "$WHEEL_OK" = 1 ] && echo passed || echo failed))"
[ "$STATIC_OK" = 1 ] && [ "$ADDON_OK" = 1 ] && [ "$REPO_OK" = 1 ] && [ "$COMPAT_OK" = 1 ] &&
    [ "$WHEEL_OK" = 1 ] && [ "$CLEAN_OK" = 1 ] && [ "$SERVERS_OK" = 1 ]
