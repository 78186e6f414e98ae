#!/usr/bin/env bash
# scripts/lib.sh — shared helpers for the leadsync scripts. Source it, don't run it:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Conventions used by every script:
#   * stdout carries only a script's *result* (e.g. pg.sh prints just a URL); all chatter goes to
#     stderr through `log`, so `URL=$(scripts/pg.sh start)` works.
#   * errors go through `die MESSAGE [HOW_TO_FIX]` and always tell the user what to do next.
set -euo pipefail

# Guard against being sourced twice (harmless, but keeps `readonly` quiet).
if [[ -n ${_LEADSYNC_LIB_SOURCED:-} ]]; then return 0; fi
_LEADSYNC_LIB_SOURCED=1

# Absolute, symlink-free path of the repository (this file lives in <repo>/scripts/).
LEADSYNC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"

# Name shown in log lines: the script that sourced us (pg.sh, test.sh, ...).
_LEADSYNC_ME="$(basename "${BASH_SOURCE[${#BASH_SOURCE[@]}-1]}")"

# log MESSAGE... — one line on stderr, prefixed with the script name.
log() {
  printf '[%s] %s\n' "$_LEADSYNC_ME" "$*" >&2
}

# die MESSAGE [HOW_TO_FIX] — print the problem and the fix, then exit 1.
die() {
  printf '[%s] error: %s\n' "$_LEADSYNC_ME" "$1" >&2
  if [[ $# -ge 2 && -n $2 ]]; then
    printf '[%s]   fix: %s\n' "$_LEADSYNC_ME" "$2" >&2
  fi
  exit 1
}

# need_cmd CMD [HOW_TO_FIX] — die unless CMD is on PATH.
need_cmd() {
  command -v "$1" >/dev/null 2>&1 ||
    die "required command '$1' was not found on PATH" "${2:-"install '$1' and re-run"}"
}

# repo_root — print the repository root.
repo_root() {
  printf '%s\n' "$LEADSYNC_ROOT"
}

# is_root — true when running as uid 0.
is_root() {
  [[ $(id -u) -eq 0 ]]
}

# apt_install PKG... — install the Debian packages that are not installed yet.
# `apt-get update` runs at most once per run (LEADSYNC_APT_UPDATED is exported so child scripts see
# it too). Uses sudo when not root; dies with the exact command to run when that is impossible.
apt_install() {
  local pkg missing=()
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed; then
      missing+=("$pkg")
    fi
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0

  local manual="sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  command -v apt-get >/dev/null 2>&1 ||
    die "missing packages: ${missing[*]} (and apt-get is not available)" \
      "install the equivalent of '${missing[*]}' with your system's package manager, then re-run"

  local -a sudo=()
  if ! is_root; then
    # Use sudo only if it can work here: passwordless, or a terminal to ask for the password.
    if command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [[ -t 0 ]]; }; then
      sudo=(sudo)
    else
      die "missing packages: ${missing[*]} (need root to install them)" "run: $manual"
    fi
  fi

  # Wait for the dpkg lock instead of failing if another apt is running.
  local -a apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
  if [[ -z ${LEADSYNC_APT_UPDATED:-} ]]; then
    log "apt-get update (once per run)"
    "${apt[@]}" update -qq >&2 || die "apt-get update failed" "check network/apt sources, then run: $manual"
    export LEADSYNC_APT_UPDATED=1
  fi
  log "installing: ${missing[*]}"
  "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    die "apt-get install ${missing[*]} failed" "run: $manual"
}

# ensure_rust_target TRIPLE — make sure the active toolchain (honouring the repo's
# rust-toolchain file, if any) has the standard library for TRIPLE. Fast when already present.
ensure_rust_target() {
  local target=$1 sysroot
  need_cmd cargo "install Rust via https://rustup.rs: curl --proto '=https' -sSf https://sh.rustup.rs | sh"
  need_cmd rustc "install Rust via https://rustup.rs: curl --proto '=https' -sSf https://sh.rustup.rs | sh"
  sysroot="$(cd "$LEADSYNC_ROOT" && rustc --print sysroot)"
  [[ -d $sysroot/lib/rustlib/$target/lib ]] && return 0
  command -v rustup >/dev/null 2>&1 ||
    die "Rust target $target is not installed and rustup is not available" \
      "install the $target standard library for $(rustc --version) (with rustup: rustup target add $target)"
  log "adding Rust target $target (one time)"
  (cd "$LEADSYNC_ROOT" && rustup target add "$target" >&2) ||
    die "rustup target add $target failed" "run: rustup target add $target"
}

# _python3_ok — true if a working python3 is available (pyenv shims can exist without a python).
_python3_ok() {
  command -v python3 >/dev/null 2>&1 && python3 -c 'pass' >/dev/null 2>&1
}

# port_is_free PORT [HOST] — true if a server could listen on HOST:PORT (default 127.0.0.1).
# With python3 this is a real bind test (SO_REUSEADDR, like Postgres/tokio); otherwise it falls
# back to "nothing accepts a TCP connection there" via bash's /dev/tcp.
port_is_free() {
  local port=$1 host=${2:-127.0.0.1}
  if _python3_ok; then
    python3 - "$host" "$port" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((sys.argv[1], int(sys.argv[2])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
  else
    if port_answers "$host" "$port"; then return 1; fi
  fi
}

# port_answers HOST PORT — true if something accepts TCP connections on HOST:PORT.
port_answers() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# free_port — print a TCP port that is currently free on 127.0.0.1.
free_port() {
  if _python3_ok; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port i
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + RANDOM % 12000)) # 20000-31999: below Linux's ephemeral range
    if port_is_free "$port"; then
      printf '%s\n' "$port"
      return
    fi
  done
  die "could not find a free TCP port on 127.0.0.1" "stop some local servers or install python3, then re-run"
}

# redact_url URL — print URL with any password replaced by ***, for logs.
redact_url() {
  sed -E 's#(://[^:/@]+):[^@/]*@#\1:***@#' <<<"$1"
}

# pg_bindir [MAJOR] — print the directory holding the Postgres server binaries (pg_ctl, initdb,
# psql): $LEADSYNC_PG_BIN if set, else /usr/lib/postgresql/MAJOR/bin when MAJOR is given and present,
# else the highest version under /usr/lib/postgresql/*/bin, else the dir of a pg_ctl on PATH.
# Returns 1 (prints nothing) when none is found.
pg_bindir() {
  local want=${1:-} dir p
  if [[ -n ${LEADSYNC_PG_BIN:-} ]]; then
    printf '%s\n' "$LEADSYNC_PG_BIN"
    return 0
  fi
  if [[ -n $want && -x /usr/lib/postgresql/$want/bin/pg_ctl ]]; then
    printf '%s\n' "/usr/lib/postgresql/$want/bin"
    return 0
  fi
  dir="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' -printf '%h\n' 2>/dev/null |
    sort -V | tail -n 1)"
  if [[ -n $dir && -x $dir/initdb ]]; then
    printf '%s\n' "$dir"
    return 0
  fi
  if p="$(command -v pg_ctl 2>/dev/null)"; then
    dir="$(dirname "$(readlink -f "$p")")"
    if [[ -x $dir/initdb ]]; then
      printf '%s\n' "$dir"
      return 0
    fi
  fi
  return 1
}
