#!/usr/bin/env bash
# tests/e2e/run.sh — the extension's end-to-end tests in real headless Chromium.
#
#   tests/e2e/run.sh                  # install what is missing, build dist/chrome, run, summarise
#   CHROMIUM=/path/to/chromium tests/e2e/run.sh
#
# Installs Debian's chromium when /usr/bin/chromium is absent (never a downloaded browser) and the
# npm dependencies (puppeteer-core) when tests/e2e/node_modules is missing or stale, builds the
# extension with scripts/build-extension.sh and the server, runs tests/e2e/extension.test.mjs (the
# in-page UI) and tests/e2e/sync.test.mjs (with the real server on a fresh Postgres database from
# DATABASE_URL) with Node's test runner, and ends with one line: "N passed, N failed". Screenshots land in artifacts/e2e/.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

ROOT="$(repo_root)"
E2E="$ROOT/tests/e2e"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [[ ! -x $CHROMIUM ]]; then
  [[ $CHROMIUM == /usr/bin/chromium ]] || die "CHROMIUM=$CHROMIUM is not an executable" "point CHROMIUM at a Chromium binary, or unset it"
  apt_install chromium
  [[ -x $CHROMIUM ]] || die "chromium was installed but $CHROMIUM is missing" "run: apt-get install --reinstall chromium"
fi

need_cmd node "install Node.js 20 or newer (Debian: apt-get install nodejs npm)"
need_cmd npm "install npm (Debian: apt-get install npm)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
((node_major >= 20)) || die "Node.js $(node --version) is too old for these tests" "install Node.js 20 or newer"

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -f $E2E/node_modules/.package-lock.json || $E2E/package-lock.json -nt $E2E/node_modules/.package-lock.json ]]; then
  log "npm ci in tests/e2e"
  (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error >&2) ||
    die "npm ci failed in tests/e2e" "check access to the npm registry, then run: (cd tests/e2e && npm ci)"
fi

log "building the extension"
"$ROOT/scripts/build-extension.sh" >&2
# The native snapshot builder the shim's snapshots are compared with (the contract test).
log "building the native snapshot reference (cargo example native_snapshot) and the server"
(cd "$ROOT" && cargo build -q -p leadsync-extension --example native_snapshot -p leadsync-server --bin leadsync-server >&2) ||
  die "building extension/examples/native_snapshot.rs or the server failed" "fix the error above, then re-run"
[[ -n ${DATABASE_URL:-} ]] || die "DATABASE_URL is not set: the sync tests need a Postgres that may CREATE DATABASE" "run scripts/test.sh, which picks one, or export DATABASE_URL"
need_cmd psql "install the Postgres client (Debian: apt-get install postgresql-client)"

tap="$(mktemp -t leadsync-e2e-tap.XXXXXX)"
trap 'rm -f "$tap"' EXIT
log "running the e2e tests (Chromium: $CHROMIUM)"
set +e
LEADSYNC_DIST="$ROOT/dist/chrome" node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "$E2E/extension.test.mjs" "$E2E/sync.test.mjs"
status=$?
set -e

passed="$(awk '/^# pass / { print $3 }' "$tap")"
failed="$(awk '/^# fail / { print $3 }' "$tap")"
if [[ -z $passed || -z $failed ]]; then
  # The runner died before its summary: count it as a failure, never as "0 failed".
  passed="${passed:-0}"
  failed="$((${failed:-0} + 1))"
  status=1
fi
printf '%s passed, %s failed\n' "$passed" "$failed"
exit "$status"
