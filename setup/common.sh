#!/usr/bin/env bash
# Shared set-up for setup/run.sh and setup/test.sh (sourced, not run).
#
# Finds Odoo 17.0's source, builds the project's virtualenv, makes sure a
# PostgreSQL server is reachable (starting a project-local cluster if needed)
# and writes .local/odoo.conf. Every step is idempotent: a second run only
# checks and starts what is not running.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$REPO/.local"
VENV="$REPO/.venv"
LOGS="$LOCAL/logs"
ODOO_CONF="$LOCAL/odoo.conf"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/stock_lot_reassign"
ODOO_CACHE_SRC="$CACHE_DIR/odoo-17.0"
ODOO_ARCHIVE_URL="${ODOO_ARCHIVE_URL:-https://nightly.odoo.com/17.0/nightly/src/odoo_17.0.latest.tar.gz}"
LOCAL_PG_PORT_FILE="$LOCAL/pg_port"  # the port this clone's cluster was given
LOCAL_PG_ROLE="odoo"

mkdir -p "$LOGS"

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Install the Debian packages that are missing; `apt-get update` only when the
# package lists do not know them yet (a fresh machine).
apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "missing ${missing[*]}; install them with your package manager"
    log "installing Debian packages: ${missing[*]}"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"$LOGS/apt.log" 2>&1; then
        as_root apt-get update -q >>"$LOGS/apt.log" 2>&1
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$LOGS/apt.log" 2>&1 ||
            die "apt-get could not install ${missing[*]} (see $LOGS/apt.log)"
    fi
}

# ---------------------------------------------------------------- Odoo source

odoo_src_ok() {
    local src="$1"
    [ -f "$src/odoo/release.py" ] && grep -q "^version_info = (17, 0" "$src/odoo/release.py" &&
        { [ -f "$src/odoo/addons/stock/__manifest__.py" ] || [ -f "$src/addons/stock/__manifest__.py" ]; }
}

download_odoo_src() {
    command -v curl >/dev/null || apt_install curl ca-certificates
    local tmp dir
    mkdir -p "$CACHE_DIR"
    tmp="$(mktemp -d "$CACHE_DIR/download.XXXXXX")"
    log "downloading Odoo 17.0 from $ODOO_ARCHIVE_URL (about 400 MB) into $ODOO_CACHE_SRC"
    if curl -fL --retry 3 -sS -o "$tmp/odoo.tar.gz" "$ODOO_ARCHIVE_URL" &&
        tar -xzf "$tmp/odoo.tar.gz" -C "$tmp"; then
        dir="$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
        if [ -n "$dir" ] && odoo_src_ok "$dir"; then
            rm -rf "$ODOO_CACHE_SRC"
            mv "$dir" "$ODOO_CACHE_SRC"
        fi
    fi
    rm -rf "$tmp"
}

find_odoo_src() {
    if [ -n "${ODOO_SRC:-}" ]; then
        ODOO_SRC="$(cd "$ODOO_SRC" 2>/dev/null && pwd)" || die "ODOO_SRC=$ODOO_SRC does not exist"
        odoo_src_ok "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 17.0 source tree (no odoo/release.py of 17.0 with the stock addon)"
        return
    fi
    odoo_src_ok "$ODOO_CACHE_SRC" || download_odoo_src
    odoo_src_ok "$ODOO_CACHE_SRC" || die "Odoo 17.0's source is needed and none was found.
  Either set ODOO_SRC=/path/to/odoo-17.0 (a source tree: odoo/release.py, odoo/addons/stock),
  or extract Odoo 17.0's source archive into $ODOO_CACHE_SRC
  (the official one is $ODOO_ARCHIVE_URL), then run this again."
    ODOO_SRC="$ODOO_CACHE_SRC"
}

odoo_addons_path() {
    local paths="$ODOO_SRC/odoo/addons"
    [ -d "$ODOO_SRC/addons" ] && paths="$ODOO_SRC/addons,$paths"
    printf '%s,%s' "$paths" "$REPO"
}

# ---------------------------------------------------------------- Python

ensure_venv() {
    local stamp="$VENV/.stock_lot_reassign" want
    want="$ODOO_SRC $(cat "$ODOO_SRC/requirements.txt" "$REPO/requirements.txt" | sha256sum | cut -c1-16)"
    if [ -x "$VENV/bin/odoo" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    command -v pg_config >/dev/null || apt_install libpq-dev
    command -v gcc >/dev/null || apt_install build-essential
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV" 2>"$LOGS/venv.log" || {
            apt_install python3-venv python3-dev
            python3 -m venv "$VENV"
        } || die "could not create the virtualenv $VENV (see $LOGS/venv.log)"
    fi
    log "installing Odoo 17.0's requirements and requirements.txt into .venv (a few minutes the first time)"
    # python-ldap needs the LDAP/SASL headers and only serves auth_ldap
    grep -v '^python-ldap' "$ODOO_SRC/requirements.txt" >"$LOCAL/odoo-requirements.txt"
    {
        "$VENV/bin/pip" install --upgrade pip wheel &&
            "$VENV/bin/pip" install -r "$LOCAL/odoo-requirements.txt" -r "$REPO/requirements.txt" &&
            "$VENV/bin/pip" install --no-deps -e "$ODOO_SRC"
    } >"$LOGS/pip.log" 2>&1 || die "pip install failed (see $LOGS/pip.log)"
    printf '%s\n' "$want" >"$stamp"
}

# ---------------------------------------------------------------- PostgreSQL

pg_bin_dir() {
    find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

# Runs a command as the owner of the local cluster: PostgreSQL refuses root.
as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/sh -c "$*"
    else
        sh -c "$*"
    fi
}

# The data folder of this clone's cluster. As root, the cluster belongs to
# `postgres` (PostgreSQL refuses root), so it lives in postgres's own home,
# one folder per clone (named from the clone's path): no permission is changed
# outside the repository. Otherwise, in .local/.
pg_data_dir() {
    if [ "$(id -u)" = 0 ]; then
        local home
        home="$(getent passwd postgres | cut -d: -f6)"
        printf '%s/stock_lot_reassign/%s' "${home:-/var/lib/postgresql}" \
            "$(printf '%s' "$REPO" | sha256sum | cut -c1-16)"
    else
        printf '%s/pgdata' "$LOCAL"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The port of this clone's cluster: SLR_PG_PORT; else the port it runs on;
# else the one chosen before (.local/pg_port) while it is free; else the first
# free one from 55432. Two clones on one machine each get their own.
local_pg_port() {
    local data="$1" port
    if [ -n "${SLR_PG_PORT:-}" ]; then
        echo "$SLR_PG_PORT"
        return
    fi
    if as_pg_owner "'$PGBIN/pg_ctl' -D '$data' status" >/dev/null 2>&1; then
        port="$(sed -n 4p "$data/postmaster.pid")"
    else
        port="$(cat "$LOCAL_PG_PORT_FILE" 2>/dev/null)"
        if [ -z "$port" ] || port_in_use "$port"; then
            port=55432
            while port_in_use "$port"; do port=$((port + 1)); done
        fi
    fi
    echo "$port" >"$LOCAL_PG_PORT_FILE"
    echo "$port"
}

ensure_postgres() {
    if [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; then
        DB_HOST="${PGHOST:-localhost}"
        DB_PORT="${PGPORT:-5432}"
        DB_USER="${PGUSER:-$(id -un)}"
        DB_PASSWORD="${PGPASSWORD:-}"
        PGBIN="$(pg_bin_dir)"
        PGPASSWORD="$DB_PASSWORD" "${PGBIN:+$PGBIN/}psql" -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -tAc 'select 1' >/dev/null 2>&1 ||
            die "cannot connect to PostgreSQL at $DB_HOST:$DB_PORT as $DB_USER (PGHOST/PGPORT/PGUSER/PGPASSWORD)"
        return
    fi
    PGBIN="$(pg_bin_dir)"
    if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
        apt_install postgresql
        PGBIN="$(pg_bin_dir)"
    fi
    DB_HOST=127.0.0.1
    DB_USER="$LOCAL_PG_ROLE"
    DB_PASSWORD=odoo
    local data
    data="$(pg_data_dir)"
    DB_PORT="$(local_pg_port "$data")"
    if [ ! -f "$data/PG_VERSION" ]; then
        log "creating a PostgreSQL cluster in $data"
        if [ "$(id -u)" = 0 ]; then
            install -d -o postgres -g postgres -m 700 "$(dirname "$data")" "$data"
        else
            mkdir -p "$data"
        fi
        as_pg_owner "'$PGBIN/initdb' -D '$data' -U postgres -A trust -E UTF8 --locale=C" >"$LOGS/initdb.log" 2>&1 ||
            die "initdb failed (see $LOGS/initdb.log)"
    fi
    PG_DATA="$data"
    if ! as_pg_owner "'$PGBIN/pg_ctl' -D '$data' status" >/dev/null 2>&1; then
        PG_STARTED_HERE=1
        log "starting PostgreSQL on 127.0.0.1:$DB_PORT"
        as_pg_owner "'$PGBIN/pg_ctl' -D '$data' -l '$data/server.log' -w -o \"-p $DB_PORT -k /tmp -c listen_addresses=127.0.0.1\" start" >"$LOGS/pg_ctl.log" 2>&1 ||
            die "PostgreSQL did not start (see $LOGS/pg_ctl.log and $data/server.log; is port $DB_PORT taken? set SLR_PG_PORT)"
    fi
    "$PGBIN/psql" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'" | grep -q 1 ||
        "$PGBIN/psql" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -qc \
            "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'" ||
        die "could not create the PostgreSQL role $DB_USER"
}

# Stop this clone's cluster if this run started it (PG_STARTED_HERE); a
# cluster that was already running, or a server given by PGHOST/PGPORT, is
# left as it was.
stop_started_postgres() {
    [ "${PG_STARTED_HERE:-0}" = 1 ] || return 0
    log "stopping the PostgreSQL cluster this run started ($PG_DATA)"
    as_pg_owner "'$PGBIN/pg_ctl' -D '$PG_DATA' -m fast -w stop" >>"$LOGS/pg_ctl.log" 2>&1 ||
        log "PostgreSQL did not stop (see $LOGS/pg_ctl.log)"
    PG_STARTED_HERE=0
}

# Whether this clone's cluster runs (the set-up's own one, not PGHOST's).
clone_postgres_running() {
    local data
    data="$(pg_data_dir)"
    PGBIN="${PGBIN:-$(pg_bin_dir)}"
    [ -n "$PGBIN" ] && [ -f "$data/PG_VERSION" ] &&
        as_pg_owner "'$PGBIN/pg_ctl' -D '$data' status" >/dev/null 2>&1
}

# Stop and delete this clone's cluster (its databases with it).
drop_clone_cluster() {
    local data
    data="$(pg_data_dir)"
    PGBIN="${PGBIN:-$(pg_bin_dir)}"
    if [ ! -f "$data/PG_VERSION" ]; then
        rm -rf "$data"  # an initdb that failed half-way
        log "this clone has no PostgreSQL cluster ($data)"
        return 0
    fi
    if clone_postgres_running; then
        as_pg_owner "'$PGBIN/pg_ctl' -D '$data' -m fast -w stop" >/dev/null 2>&1 ||
            die "could not stop the PostgreSQL cluster in $data"
    fi
    rm -rf "$data"
    rm -f "$LOCAL_PG_PORT_FILE"
    log "removed this clone's PostgreSQL cluster ($data)"
}

psql_db() {
    PGPASSWORD="$DB_PASSWORD" "${PGBIN:+$PGBIN/}psql" -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$@"
}

db_has_addon() {
    [ "$(psql_db -d "$1" -tAc "SELECT state FROM ir_module_module WHERE name = 'stock_lot_reassign'" 2>/dev/null)" = installed ]
}

drop_db() {
    # FORCE ends our own sessions, but refuses while an autovacuum worker is
    # in the database; a plain DROP makes PostgreSQL stop that worker
    local attempt
    for attempt in $(seq 30); do
        psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 && return 0
        psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$1\"" >/dev/null 2>&1 && return 0
        sleep 1
    done
    psql_db -d postgres -qc "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
}

# ---------------------------------------------------------------- Odoo

write_odoo_conf() {
    cat >"$ODOO_CONF" <<CONF
[options]
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
addons_path = $(odoo_addons_path)
data_dir = $LOCAL/data
CONF
}

setup_all() {
    find_odoo_src
    ensure_venv
    ensure_postgres
    write_odoo_conf
    export PATH="$VENV/bin:$PATH"
}
