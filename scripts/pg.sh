#!/usr/bin/env bash
# scripts/pg.sh — a private ("embedded") Postgres cluster for development and tests.
#
#   scripts/pg.sh start [DATA_DIR]   init (if needed) + start; prints ONLY the URL on stdout
#   scripts/pg.sh stop  [DATA_DIR]   stop exactly that cluster (pg_ctl stop -m fast)
#   scripts/pg.sh url   [DATA_DIR]   print the URL if it is running (exit 1 if not)
#   scripts/pg.sh dir   [DATA_DIR]   print the folder that really holds the data (see below)
#
# DATA_DIR defaults to <repo>/.data/pg (.data/ is git-ignored). The URL looks like
#   postgres://postgres@127.0.0.1:PORT/postgres
# Everything else (progress, errors) goes to stderr, so `DATABASE_URL=$(scripts/pg.sh start)` works.
#
# Details:
#   * Binaries: $LEADSYNC_PG_BIN, else /usr/lib/postgresql/<ver>/bin (the version the cluster was
#     made with, else the highest installed), else `apt-get install postgresql`.
#   * The cluster trusts local TCP connections on 127.0.0.1 only (dev/test use, no password).
#   * initdb/postgres refuse to run as root: as root the cluster is owned by and run as the
#     `postgres` OS user (runuser). That user must be able to traverse every parent folder of
#     DATA_DIR; if it can't (e.g. the repo is under /root), the data goes to
#     /tmp/leadsync-pg-<hash of DATA_DIR> instead and that choice is recorded in
#     DATA_DIR/leadsync.redirect, so later start/stop/url calls find it again.
#   * Port: the one recorded in DATA_DIR/leadsync.port if still free, else a free one.
#   * Server log: DATA_DIR/leadsync.log. Unix socket: DATA_DIR/sock (a /tmp folder if that path
#     would be too long for a socket).
#   * LEADSYNC_PG_FAST=1 when starting: initdb --no-sync, fsync/synchronous_commit/full_page_writes
#     off (for throw-away test clusters: faster, but an OS crash can corrupt the cluster).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

CMD=${1:-}
[[ $# -gt 0 ]] && shift
[[ $# -le 1 ]] || usage
case $CMD in start | stop | url | dir) ;; -h | --help | help | *) usage ;; esac

# The folder the user asked for (absolute; it need not exist yet).
REQ_DIR="$(realpath -m "${1:-$LEADSYNC_ROOT/.data/pg}")"
HASH="$(printf '%s' "$REQ_DIR" | sha256sum | cut -c1-12)"
REDIRECT_FILE="$REQ_DIR/leadsync.redirect"
FALLBACK_DIR="/tmp/leadsync-pg-$HASH"

DATA_DIR=""  # the folder that really holds the cluster (REQ_DIR or its /tmp fallback)
PG_USER=""   # OS user that owns and runs the cluster ("" = the current user)
BIN=""       # Postgres bin dir

# --- helpers -----------------------------------------------------------------------------------

# Run a Postgres binary as the cluster's owner (from / so runuser never lands in an unreadable cwd).
# fd 9 (our lock, see take_lock) is closed for it: a postmaster inheriting it would hold the lock
# for as long as it runs.
run_pg() {
  if [[ -n $PG_USER ]]; then
    (cd / && runuser -u "$PG_USER" -- "$@") 9>&-
  else
    "$@" 9>&-
  fi
}

# True if user $1 can reach folder $2 (search permission on it and all its parents).
user_can_traverse() {
  (cd / && runuser -u "$1" -- test -x "$2") 2>/dev/null
}

# resolve_data_dir [create] — set DATA_DIR (following a recorded redirect); with "create", decide
# for a new cluster whether the postgres OS user can live in REQ_DIR or needs the /tmp fallback.
resolve_data_dir() {
  if [[ -f $REDIRECT_FILE ]]; then
    DATA_DIR="$(<"$REDIRECT_FILE")"
    return
  fi
  DATA_DIR=$REQ_DIR
  [[ ${1:-} == create ]] || return 0
  is_root || return 0
  [[ -f $REQ_DIR/PG_VERSION ]] && return 0 # an existing cluster stays where it is

  id postgres >/dev/null 2>&1 ||
    die "the 'postgres' OS user does not exist (needed to run Postgres as root)" \
      "apt-get install -y postgresql (creates it), or: useradd --system --home-dir /var/lib/postgresql postgres"
  local parent
  parent="$(dirname "$REQ_DIR")"
  mkdir -p "$parent"
  if ! user_can_traverse postgres "$parent"; then
    DATA_DIR=$FALLBACK_DIR
    mkdir -p "$REQ_DIR"
    printf '%s\n' "$DATA_DIR" >"$REDIRECT_FILE"
    log "the postgres OS user cannot traverse $parent; keeping the cluster in $DATA_DIR" \
      "(recorded in $REDIRECT_FILE)"
  fi
}

# Decide who runs the cluster: as root, its existing (non-root) owner, else `postgres`.
pick_pg_user() {
  PG_USER=""
  is_root || return 0
  local owner=""
  [[ -e $DATA_DIR ]] && owner="$(stat -c %U "$DATA_DIR")"
  if [[ -n $owner && $owner != root ]]; then
    PG_USER=$owner
  else
    PG_USER=postgres
  fi
}

# find_bin [install] — set BIN; with "install", apt-get install postgresql when none is found.
find_bin() {
  local ver=""
  [[ -f $DATA_DIR/PG_VERSION ]] && ver="$(<"$DATA_DIR/PG_VERSION")"
  if BIN="$(pg_bindir "$ver")"; then return 0; fi
  [[ ${1:-} == install ]] || return 1
  log "no Postgres server binaries found; installing the 'postgresql' package"
  apt_install postgresql
  BIN="$(pg_bindir "$ver")" ||
    die "Postgres binaries still not found after installing 'postgresql'" \
      "set LEADSYNC_PG_BIN to the folder holding pg_ctl and initdb"
}

is_running() {
  [[ -f $DATA_DIR/PG_VERSION && -n $BIN ]] &&
    run_pg "$BIN/pg_ctl" status -D "$DATA_DIR" >/dev/null 2>&1
}

# Port of the running cluster: line 4 of postmaster.pid.
running_port() {
  sed -n 4p "$DATA_DIR/postmaster.pid"
}

print_url() {
  printf 'postgres://postgres@127.0.0.1:%s/postgres\n' "$1"
}

# Serialize start/stop on the same cluster (two scripts starting it at once must not both initdb).
take_lock() {
  local lock="/tmp/leadsync-pg-$HASH.lock"
  command -v flock >/dev/null 2>&1 || return 0
  # (`exec 9>>` would make all later stderr vanish if combined with 2>/dev/null; test first.)
  { : >>"$lock"; } 2>/dev/null || return 0 # not writable (another user's lock): skip locking
  exec 9>>"$lock"
  flock -w 300 9 || die "timed out waiting for another pg.sh on $REQ_DIR" "retry, or remove $lock"
}

# --- commands ------------------------------------------------------------------------------------

cmd_start() {
  take_lock
  resolve_data_dir create
  pick_pg_user
  find_bin install

  if is_running; then
    log "already running: $DATA_DIR"
    print_url "$(running_port)"
    return 0
  fi

  # Fresh folder (or fallback folder): create it, owned by the cluster user, and initdb it.
  if [[ ! -f $DATA_DIR/PG_VERSION ]]; then
    if [[ $DATA_DIR == "$FALLBACK_DIR" && -e $DATA_DIR ]]; then
      [[ "$(stat -c %U "$DATA_DIR")" == "${PG_USER:-$(id -un)}" ]] ||
        die "$DATA_DIR exists but is not owned by ${PG_USER:-$(id -un)}" "remove it: rm -rf $DATA_DIR"
    fi
    mkdir -p "$DATA_DIR"
    [[ -n $PG_USER ]] && chown "$PG_USER:" "$DATA_DIR"
    chmod 700 "$DATA_DIR"
    [[ -z "$(ls -A "$DATA_DIR")" ]] ||
      die "$DATA_DIR is not empty and is not a Postgres cluster" \
        "empty or remove it, or pass another folder: scripts/pg.sh start DATA_DIR"
    local -a locale=(--no-locale)
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=(--locale=C.UTF-8); fi
    log "initdb $DATA_DIR (as ${PG_USER:-$(id -un)}, $BIN)"
    local -a nosync=()
    [[ ${LEADSYNC_PG_FAST:-} == 1 ]] && nosync=(--no-sync)
    # stdout is initdb's chatty progress report; its errors and warnings come on stderr.
    run_pg "$BIN/initdb" -D "$DATA_DIR" --auth=trust --username=postgres --encoding=UTF8 \
      "${locale[@]}" "${nosync[@]}" >/dev/null ||
      die "initdb failed for $DATA_DIR" "read the messages above; remove the folder and retry"
  fi

  # Socket dir owned by the cluster user; must keep "<dir>/.s.PGSQL.<port>" under 108 bytes.
  local sock="$DATA_DIR/sock"
  [[ ${#sock} -le 90 ]] || sock="/tmp/leadsync-pg-sock-$HASH"
  mkdir -p "$sock"
  [[ -n $PG_USER ]] && chown "$PG_USER:" "$sock"
  chmod 700 "$sock"

  # Port: re-use the recorded one if it is still free.
  local port_file="$DATA_DIR/leadsync.port" port=""
  [[ -f $port_file ]] && port="$(tr -dc 0-9 <"$port_file")"
  if [[ -z $port ]] || ! port_is_free "$port"; then port="$(free_port)"; fi
  # shellcheck disable=SC2016 # $1/$2 are expanded by the inner sh
  run_pg sh -c 'printf "%s\n" "$1" >"$2"' sh "$port" "$port_file"

  local opts="-p $port -c listen_addresses=127.0.0.1 -k '$sock' -c max_connections=250"
  if [[ ${LEADSYNC_PG_FAST:-} == 1 ]]; then
    opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  local logf="$DATA_DIR/leadsync.log"
  log "starting Postgres on 127.0.0.1:$port (data $DATA_DIR, log $logf)"
  if ! run_pg "$BIN/pg_ctl" start -D "$DATA_DIR" -l "$logf" -w -t 60 -o "$opts" >&2; then
    tail -n 20 "$logf" >&2 || true
    die "Postgres did not start (log above: $logf)" \
      "fix the cause shown in the log; if the folder is damaged: scripts/pg.sh stop; rm -rf $REQ_DIR"
  fi
  print_url "$port"
}

cmd_stop() {
  take_lock
  resolve_data_dir
  pick_pg_user
  if ! find_bin || ! is_running; then
    log "not running: $DATA_DIR"
    return 0
  fi
  log "stopping Postgres in $DATA_DIR"
  run_pg "$BIN/pg_ctl" stop -D "$DATA_DIR" -m fast -w -t 60 >&2 ||
    die "pg_ctl stop failed for $DATA_DIR" "see $DATA_DIR/leadsync.log"
}

cmd_url() {
  resolve_data_dir
  pick_pg_user
  if find_bin && is_running; then
    print_url "$(running_port)"
  else
    log "not running: $DATA_DIR (start it with: scripts/pg.sh start ${1:-})"
    return 1
  fi
}

cmd_dir() {
  resolve_data_dir
  printf '%s\n' "$DATA_DIR"
}

"cmd_$CMD" "$@"
