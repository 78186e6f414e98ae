#!/usr/bin/env bash
# scripts/run.sh — THE run command: `scripts/run.sh [EXTRA SERVER ARGS...]`
#
# Starts everything needed to use leadsync locally, in the foreground; Ctrl-C stops it all.
#   * Database: $DATABASE_URL if set, else the embedded cluster (scripts/pg.sh, data in .data/pg,
#     kept between runs; stopped at exit only if this script started it).
#   * JWT secret: $LEADSYNC_JWT_SECRET if set, else generated once into .data/jwt_secret (mode 600).
#   * Builds the extension (build_extension below) and the server (cargo build --release).
#   * Runs target/release/leadsync-server (it applies the migrations and creates its own
#     non-superuser role `leadsync_app` at startup) on $LEADSYNC_ADDR, default 127.0.0.1:8080 —
#     or on a free port if 8080 is taken and LEADSYNC_ADDR was not set.
#   * Waits for GET /readyz == 200 (LEADSYNC_READY_TIMEOUT seconds, default 90), prints the URLs,
#     then follows the server log (.data/server.log) until Ctrl-C or until the server exits.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$LEADSYNC_ROOT"
DATA="$LEADSYNC_ROOT/.data"
PG_SH="$LEADSYNC_ROOT/scripts/pg.sh"
PG_DATA="$DATA/pg"
SERVER_LOG="$DATA/server.log"
SERVER_BIN="${CARGO_TARGET_DIR:-$LEADSYNC_ROOT/target}/release/leadsync-server"
mkdir -p "$DATA"

STARTED_PG=""  # set if this script started the embedded Postgres
SERVER_PID=""  # the server we started
TAIL_PID=""    # the `tail -f` of its log we started

# --- cleanup: stop exactly what this script started --------------------------------------------
# shellcheck disable=SC2317 # called through the trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    log "stopping the server (pid $SERVER_PID)"
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 100; i++)); do # up to 10 s for a graceful shutdown
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      log "server did not stop within 10s; killing pid $SERVER_PID"
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n $TAIL_PID ]]; then kill "$TAIL_PID" 2>/dev/null || true; fi
  if [[ -n $STARTED_PG ]]; then
    "$PG_SH" stop "$PG_DATA" || log "could not stop the embedded Postgres; run: scripts/pg.sh stop"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ---------------------------------------------------------------------------------------
need_cmd cargo "install Rust via https://rustup.rs: curl --proto '=https' -sSf https://sh.rustup.rs | sh"
command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates

# --- database ------------------------------------------------------------------------------------
if [[ -n ${DATABASE_URL:-} ]]; then
  DB_SOURCE="from DATABASE_URL"
else
  "$PG_SH" url "$PG_DATA" >/dev/null 2>&1 || STARTED_PG=1
  DATABASE_URL="$("$PG_SH" start "$PG_DATA")" || {
    STARTED_PG=""
    die "could not start the embedded Postgres" "see the messages above, or set DATABASE_URL to a Postgres you have"
  }
  DB_SOURCE="embedded, data in ${PG_DATA#"$LEADSYNC_ROOT"/}; stop it later with scripts/pg.sh stop"
  [[ -n $STARTED_PG ]] && DB_SOURCE="embedded, data in ${PG_DATA#"$LEADSYNC_ROOT"/}; stopped when the server stops"
fi
export DATABASE_URL

# --- JWT secret ----------------------------------------------------------------------------------
if [[ -z ${LEADSYNC_JWT_SECRET:-} ]]; then
  SECRET_FILE="$DATA/jwt_secret"
  if [[ ! -s $SECRET_FILE ]]; then
    log "generating a JWT secret in ${SECRET_FILE#"$LEADSYNC_ROOT"/}"
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$SECRET_FILE")
  fi
  chmod 600 "$SECRET_FILE"
  LEADSYNC_JWT_SECRET="$(<"$SECRET_FILE")"
fi
export LEADSYNC_JWT_SECRET

# --- extension -----------------------------------------------------------------------------------
# >>> EXTENSION BUILD HOOK: filled in by the extension milestone (scripts/build-extension.sh). <<<
build_extension() {
  if [[ -x $LEADSYNC_ROOT/scripts/build-extension.sh ]]; then
    "$LEADSYNC_ROOT/scripts/build-extension.sh"
  elif [[ -f $LEADSYNC_ROOT/scripts/build-extension.sh ]]; then
    bash "$LEADSYNC_ROOT/scripts/build-extension.sh"
  else
    log "extension build: scripts/build-extension.sh does not exist yet (lands with the extension milestone); skipping"
  fi
}
build_extension

# --- server --------------------------------------------------------------------------------------
log "cargo build --release -p leadsync-server"
cargo build --release -p leadsync-server ||
  die "the server did not build" "fix the compile errors above, then re-run scripts/run.sh"
[[ -x $SERVER_BIN ]] || die "no server binary at $SERVER_BIN after the build" "check the crate's [[bin]] name"

if [[ -z ${LEADSYNC_ADDR:-} ]]; then
  LEADSYNC_ADDR=127.0.0.1:8080
  if ! port_is_free 8080; then
    LEADSYNC_ADDR="127.0.0.1:$(free_port)"
    log "port 8080 is taken; using $LEADSYNC_ADDR (set LEADSYNC_ADDR to choose)"
  fi
fi
export LEADSYNC_ADDR

# The address to *connect* to: a wildcard listen address is reached via loopback.
HTTP_HOST=$LEADSYNC_ADDR
case $HTTP_HOST in
  0.0.0.0:*) HTTP_HOST="127.0.0.1:${HTTP_HOST#0.0.0.0:}" ;;
  "[::]:"*) HTTP_HOST="[::1]:${HTTP_HOST#\[::\]:}" ;;
esac
BASE="http://$HTTP_HOST"

log "starting $SERVER_BIN on $LEADSYNC_ADDR (log: ${SERVER_LOG#"$LEADSYNC_ROOT"/})"
: >"$SERVER_LOG"
"$SERVER_BIN" "$@" >>"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

# Wait for /readyz (it checks the database) to answer 200.
TIMEOUT=${LEADSYNC_READY_TIMEOUT:-90}
DEADLINE=$((SECONDS + TIMEOUT))
while :; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    wait "$SERVER_PID" && rc=0 || rc=$?
    SERVER_PID=""
    tail -n 40 "$SERVER_LOG" >&2
    die "the server exited during startup (exit $rc); its log is above (${SERVER_LOG#"$LEADSYNC_ROOT"/})" \
      "fix the cause shown in the log (database reachable? port free?), then re-run"
  fi
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/readyz" || true)"
  [[ $code == 200 ]] && break
  if ((SECONDS >= DEADLINE)); then
    tail -n 40 "$SERVER_LOG" >&2
    die "$BASE/readyz did not answer 200 within ${TIMEOUT}s (last status: ${code:-none}); server log above" \
      "check the log for the cause; raise LEADSYNC_READY_TIMEOUT if the machine is just slow"
  fi
  sleep 0.5
done

# Show what was logged so far, the banner, then follow the log (from the same byte on).
LOGGED=$(stat -c %s "$SERVER_LOG")
head -c "$LOGGED" "$SERVER_LOG" >&2
cat <<EOF

  leadsync is running (server pid $SERVER_PID)
    Landing page   $BASE/            (how to create your team and connect the extension)
    API            $BASE/v1/…        (overview in README.md, "API overview")
    Health         $BASE/healthz     (readiness, incl. the database: $BASE/readyz)
    Extension      load dist/chrome unpacked in chrome://extensions (Developer mode), or
                   dist/firefox/manifest.json in Firefox's about:debugging
    Database       $(redact_url "$DATABASE_URL")  ($DB_SOURCE)
    Server log     ${SERVER_LOG#"$LEADSYNC_ROOT"/}
  Press Ctrl-C to stop.

EOF
tail -c +"$((LOGGED + 1))" -f --pid="$SERVER_PID" "$SERVER_LOG" >&2 &
TAIL_PID=$!

# Block until the server exits on its own (Ctrl-C/TERM interrupt this wait and run cleanup).
wait "$SERVER_PID" && rc=0 || rc=$?
SERVER_PID=""
log "the server exited (status $rc)"
exit "$rc"
