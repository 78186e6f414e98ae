#!/usr/bin/env bash
# scripts/test.sh — THE test command: `scripts/test.sh [EXTRA CARGO TEST ARGS...]`
#
# 1. Installs what is missing (Rust wasm32-unknown-unknown target; psql for the database probe).
# 2. Picks the database, exported as DATABASE_URL (sqlx's #[sqlx::test] creates a fresh database
#    per test from it, so its role must be allowed to CREATE DATABASE and CREATE ROLE):
#      a. $DATABASE_URL if set;
#      b. else a Postgres at 127.0.0.1:5432 that accepts user `postgres` with those rights;
#      c. else an embedded cluster (scripts/pg.sh, data in .data/pg-test, override with
#         LEADSYNC_TEST_PGDATA), stopped again at exit if this script started it.
#    LEADSYNC_EMBEDDED_PG=1 skips (b) and always uses the embedded cluster.
# 3. Runs `cargo build -p leadsync-types --target wasm32-unknown-unknown` (the shared model must keep
#    compiling to wasm), `cargo test --workspace --all-targets "$@"`, and the extension's end-to-end
#    tests in real headless Chromium and Firefox ESR, plus `web-ext lint` (tests/e2e/run.sh:
#    installs chromium, firefox-esr, geckodriver, npm deps and wasm-bindgen-cli if missing, builds
#    dist/), then prints a summary line.
# Works from any directory. Exit status: 0 only if both steps passed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$LEADSYNC_ROOT"
START_TIME=$SECONDS

# --- tools ---------------------------------------------------------------------------------------
ensure_rust_target wasm32-unknown-unknown

# psql_cmd — print a usable psql (PATH, then the Postgres bin dirs), installing the client if needed.
psql_cmd() {
  local dir
  if command -v psql >/dev/null 2>&1; then command -v psql; return; fi
  if dir="$(pg_bindir "")" && [[ -x $dir/psql ]]; then printf '%s\n' "$dir/psql"; return; fi
  apt_install postgresql-client
  command -v psql || die "psql not found after installing postgresql-client" "install psql and re-run"
}

# db_is_usable URL — true if URL connects and its role may create databases and roles.
db_is_usable() {
  local ok psql
  psql="$(psql_cmd)" || return 1
  ok="$(PGCONNECT_TIMEOUT=3 "$psql" -X -w -Atq "$1" -c \
    "select rolsuper or (rolcreatedb and rolcreaterole) from pg_roles where rolname = current_user" \
    2>/dev/null)" || return 1
  [[ $ok == t ]]
}

# --- database ------------------------------------------------------------------------------------
PG_SH="$LEADSYNC_ROOT/scripts/pg.sh"
PG_DATA="${LEADSYNC_TEST_PGDATA:-$LEADSYNC_ROOT/.data/pg-test}"
STARTED_PG=""   # set when this script started the embedded cluster (so it stops it at exit)
DB_SOURCE=""
LOCAL_URL="postgres://postgres@127.0.0.1:5432/postgres"

# shellcheck disable=SC2317 # called through the trap
cleanup() {
  local rc=$?
  if [[ -n $STARTED_PG ]]; then
    "$PG_SH" stop "$PG_DATA" || log "could not stop the embedded Postgres; run: scripts/pg.sh stop $PG_DATA"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n ${DATABASE_URL:-} ]]; then
  DB_SOURCE="DATABASE_URL from the environment"
elif [[ ${LEADSYNC_EMBEDDED_PG:-} != 1 ]] && port_answers 127.0.0.1 5432 && db_is_usable "$LOCAL_URL"; then
  DATABASE_URL=$LOCAL_URL
  DB_SOURCE="local Postgres at 127.0.0.1:5432"
else
  if port_answers 127.0.0.1 5432 && [[ ${LEADSYNC_EMBEDDED_PG:-} != 1 ]]; then
    log "127.0.0.1:5432 answers but not as a 'postgres' role that may create databases and roles; using an embedded cluster"
  fi
  "$PG_SH" url "$PG_DATA" >/dev/null 2>&1 || STARTED_PG=1
  DATABASE_URL="$(LEADSYNC_PG_FAST=1 "$PG_SH" start "$PG_DATA")" || {
    STARTED_PG="" # nothing to stop
    die "could not start the embedded Postgres" "see the messages above, or set DATABASE_URL to a Postgres you have"
  }
  DB_SOURCE="embedded Postgres (${PG_DATA#"$LEADSYNC_ROOT"/})"
fi
export DATABASE_URL
log "database: $(redact_url "$DATABASE_URL") — $DB_SOURCE"

# --- build + test --------------------------------------------------------------------------------
need_cmd cargo "install Rust via https://rustup.rs"

FMT_STATUS=0
log "cargo fmt --all -- --check (fix with: cargo fmt --all)"
cargo fmt --all -- --check >/dev/null || { FMT_STATUS=$?; log "unformatted files: run cargo fmt --all"; }

WASM_STATUS=0
log "cargo build -p leadsync-types --target wasm32-unknown-unknown"
cargo build -p leadsync-types --target wasm32-unknown-unknown || WASM_STATUS=$?

TEST_STATUS=0
SCORES="${CARGO_TARGET_DIR:-$LEADSYNC_ROOT/target}/tmp/extraction-scores.txt"
rm -f "$SCORES" # written afresh by shared-types/tests/extract_fixtures.rs
log "cargo test --workspace --all-targets $*"
cargo test --workspace --all-targets --no-fail-fast "$@" || TEST_STATUS=$?

# The extraction scores on the labelled pages (issue 9's goals), written by the scorer test.
if [[ -f $SCORES ]]; then
  log "extraction on the labelled pages (shared-types/tests/extract_fixtures.rs):"
  cat "$SCORES"
fi

E2E_STATUS=0
log "extension end-to-end tests (tests/e2e/run.sh)"
"$LEADSYNC_ROOT/tests/e2e/run.sh" || E2E_STATUS=$?

# --- summary -------------------------------------------------------------------------------------
ELAPSED=$((SECONDS - START_TIME))
result() { if [[ $1 -eq 0 ]]; then echo ok; else echo "FAILED (exit $1)"; fi; }
if [[ $FMT_STATUS -eq 0 && $WASM_STATUS -eq 0 && $TEST_STATUS -eq 0 && $E2E_STATUS -eq 0 ]]; then VERDICT=PASSED; else VERDICT=FAILED; fi
echo "leadsync test summary: $VERDICT — cargo fmt --check: $(result "$FMT_STATUS"); wasm32 build of leadsync-types: $(result "$WASM_STATUS"); cargo test --workspace --all-targets: $(result "$TEST_STATUS"); extension e2e in Chromium and Firefox: $(result "$E2E_STATUS"); database: $DB_SOURCE; ${ELAPSED}s"
if [[ $TEST_STATUS -ne 0 ]]; then exit "$TEST_STATUS"; fi
if [[ $E2E_STATUS -ne 0 ]]; then exit "$E2E_STATUS"; fi
if [[ $FMT_STATUS -ne 0 ]]; then exit "$FMT_STATUS"; fi
exit "$WASM_STATUS"
