# shellcheck shell=bash
# The pip packaging check of the test command (sourced by setup/test.sh after
# setup_all): build the addon's wheel with whool, install it in a virtualenv of
# its own beside Odoo, and install the addon from it in a fresh database, with
# an addons path that does not contain this repository.

WHEEL_DIR="$LOCAL/wheel/dist"
WHEEL_VENV="$LOCAL/wheel-venv"
WHEEL_DB="${SLR_WHEEL_DB:-stock_lot_reassign_wheel}"
WHEEL_LOG="$LOGS/wheel.log"

# A virtualenv that sees Odoo's source and the project's requirements through
# a .pth file, so that only the wheel is installed in it. Odoo's source comes
# first as a plain path: the wheel's odoo/addons/ folder is then a portion of
# Odoo's odoo.addons namespace, as in a deployment where pip installed Odoo.
make_wheel_venv() {
    rm -rf "$WHEEL_VENV"
    python3 -m venv "$WHEEL_VENV" || return 1
    local site project_site
    site="$("$WHEEL_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    project_site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    printf '%s\nimport site; site.addsitedir(%s)\n' "$ODOO_SRC" "'$project_site'" \
        >"$site/stock_lot_reassign_project.pth"
}

run_wheel_check() {
    WHEEL_OK=0
    rm -rf "$WHEEL_DIR"
    mkdir -p "$WHEEL_DIR"
    : >"$WHEEL_LOG"
    "$VENV/bin/pip" wheel --no-deps -w "$WHEEL_DIR" "$REPO/stock_lot_reassign" >>"$WHEEL_LOG" 2>&1 || {
        echo "wheel: pip wheel failed (see $WHEEL_LOG)"
        return 1
    }
    local wheels wheel
    wheels=("$WHEEL_DIR"/odoo_addon_stock_lot_reassign-17.0.*-py3-none-any.whl)
    if [ ${#wheels[@]} != 1 ] || [ ! -f "${wheels[0]}" ]; then
        echo "wheel: expected one odoo_addon_stock_lot_reassign-17.0.*.whl in $WHEEL_DIR"
        return 1
    fi
    wheel="${wheels[0]}"
    { make_wheel_venv && "$WHEEL_VENV/bin/pip" install --no-deps --force-reinstall "$wheel"; } >>"$WHEEL_LOG" 2>&1 || {
        echo "wheel: installing it in $WHEEL_VENV failed (see $WHEEL_LOG)"
        return 1
    }
    local odoo_addons="$ODOO_SRC/odoo/addons" found
    [ -d "$ODOO_SRC/addons" ] && odoo_addons="$ODOO_SRC/addons,$odoo_addons"
    found="$("$WHEEL_VENV/bin/python" - "$odoo_addons" <<'PY' 2>>"$WHEEL_LOG"
import sys

import odoo
from odoo.modules.module import get_module_path

odoo.tools.config.parse_config(["--addons-path", sys.argv[1]])
print(get_module_path("stock_lot_reassign", display_warning=False) or "")
PY
)"
    case "$found" in
    "$WHEEL_VENV"/*) ;;
    *)
        echo "wheel: Odoo finds stock_lot_reassign at '${found}', not in $WHEEL_VENV"
        return 1
        ;;
    esac
    drop_db "$WHEEL_DB"
    local rc=0
    "$WHEEL_VENV/bin/python" "$VENV/bin/odoo" -c "$ODOO_CONF" --addons-path "$odoo_addons" \
        -d "$WHEEL_DB" -i stock_lot_reassign --without-demo=all --stop-after-init \
        --max-cron-threads 0 --http-port "$(free_port)" >>"$WHEEL_LOG" 2>&1 || rc=$?
    local state errors
    state="$(psql_db -d "$WHEEL_DB" -tAc "SELECT state FROM ir_module_module WHERE name = 'stock_lot_reassign'")"
    errors="$(grep -cE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$WHEEL_LOG" || true)"
    drop_db "$WHEEL_DB"
    if [ "$rc" != 0 ] || [ "$state" != installed ] || [ "$errors" != 0 ]; then
        echo "wheel: installing the addon from the wheel failed (odoo exit $rc, state '${state}', $errors ERROR lines; see $WHEEL_LOG)"
        return 1
    fi
    WHEEL_OK=1
    echo "wheel: $(basename "$wheel") built, installed in $WHEEL_VENV, stock_lot_reassign installed from it (found at $found)"
}
