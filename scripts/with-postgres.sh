#!/usr/bin/env bash
# Run a command against a fresh, throwaway PostgreSQL server, then remove it.
#
#   scripts/with-postgres.sh .venv/bin/pytest -q
#
# The server lives in a temporary directory, listens only on a unix socket there (no TCP port,
# so parallel runs cannot collide), runs with fsync off and trusts local connections. The command
# gets DATABASE_URL (and PGHOST/PGPORT/PGUSER/PGDATABASE for psql) naming a database owned by a
# superuser, so Django's test runner can create its own test_ database. The server is stopped and
# the directory deleted however the command ends; the script exits with the command's status.
#
# initdb and postgres refuse to run as root (CI runs as root): as root they run as the system user
# $FANGXIAN_PG_USER (default fangxian-pg), created when missing.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

PG_OS_USER="${FANGXIAN_PG_USER:-fangxian-pg}"
PG_ROLE=fangxian
PG_DB=fangxian
PG_PORT=5432 # only names the socket file; the socket directory is private to this run

log() { echo "with-postgres: $*" >&2; }

find_pg_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
        echo "$dir"
    elif command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
    fi
}

PG_BIN="$(find_pg_bin)"
if [ -z "$PG_BIN" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        log "PostgreSQL server binaries not found; install them (apt-get install postgresql)."
        exit 1
    fi
    log "installing PostgreSQL (apt-get install postgresql)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PG_BIN="$(find_pg_bin)"
    [ -n "$PG_BIN" ] || { log "PostgreSQL binaries still not found after install"; exit 1; }
fi

# A short path: the socket path must stay under ~100 bytes.
TMP_DIR="$(mktemp -d /tmp/fxpg.XXXXXX)"
DATA_DIR="$TMP_DIR/data"
LOG_FILE="$TMP_DIR/server.log"

if [ "$(id -u)" -eq 0 ]; then
    if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$PG_OS_USER"
    fi
    chown "$PG_OS_USER:" "$TMP_DIR"
    as_pg() {
        # Run from the temp dir: the server user may not be able to read the caller's cwd.
        if command -v runuser >/dev/null 2>&1; then
            (cd "$TMP_DIR" && runuser -u "$PG_OS_USER" -- "$@")
        else
            (cd "$TMP_DIR" && su -s /bin/sh "$PG_OS_USER" -c "$(printf '%q ' "$@")")
        fi
    }
else
    as_pg() { "$@"; }
fi

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ -f "$DATA_DIR/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$TMP_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! as_pg "$PG_BIN/initdb" -D "$DATA_DIR" -U "$PG_ROLE" --auth=trust --encoding=UTF8 \
    --locale=C --no-sync >"$TMP_DIR/initdb.log" 2>&1; then
    cat "$TMP_DIR/initdb.log" >&2
    log "initdb failed"
    exit 1
fi

# fsync, synchronous_commit and full-page writes off: a crash only loses throwaway data.
if ! as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 start -o "\
-c listen_addresses='' -c unix_socket_directories='$TMP_DIR' -c port=$PG_PORT \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    >/dev/null; then
    cat "$LOG_FILE" >&2 || true
    log "the server did not start"
    exit 1
fi

"$PG_BIN/createdb" -h "$TMP_DIR" -p "$PG_PORT" -U "$PG_ROLE" "$PG_DB"

SOCKET_URL="$(printf '%s' "$TMP_DIR" | sed 's|/|%2F|g')"
export DATABASE_URL="postgres://$PG_ROLE@$SOCKET_URL:$PG_PORT/$PG_DB"
export PGHOST="$TMP_DIR" PGPORT="$PG_PORT" PGUSER="$PG_ROLE" PGDATABASE="$PG_DB"
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $DATABASE_URL"

# The command runs as a child we wait for, so a TERM or INT sent to this script alone (a CI
# timeout) is passed on at once instead of after the command ends; stdin stays the caller's.
set +e
"$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM
trap 'kill -INT "$child" 2>/dev/null' INT
wait "$child"
while kill -0 "$child" 2>/dev/null; do # a trapped signal interrupted the wait
    wait "$child"
done
wait "$child" # the saved exit status of the finished command
exit $?
