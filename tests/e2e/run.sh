#!/usr/bin/env bash
# tests/e2e/run.sh — the extension's end-to-end tests in real headless Chromium and Firefox.
#
#   tests/e2e/run.sh                  # install what is missing, build dist/, run, summarise
#   CHROMIUM=/path/to/chromium FIREFOX=/path/to/firefox GECKODRIVER=/path/to/geckodriver tests/e2e/run.sh
#   LEADSYNC_E2E_ONLY=chromium-sync,chromium-fidelity tests/e2e/run.sh   # only these checks (names below)
#
# Installs Debian's chromium when /usr/bin/chromium is absent and firefox-esr when
# /usr/bin/firefox-esr is absent (never a downloaded browser), geckodriver with `cargo install`
# when it is not on PATH or in ~/.cargo/bin at the pinned version, and the npm dependencies
# (puppeteer-core, web-ext) when tests/e2e/node_modules is missing or stale; builds the extension
# with scripts/build-extension.sh and the server; runs tests/e2e/extension.test.mjs (Chromium: the
# in-page UI), tests/e2e/sync.test.mjs (Chromium with the real server on a fresh Postgres database
# from DATABASE_URL: store, sync, popup, options), tests/e2e/fidelity.test.mjs (Chromium: every
# labelled page under its own host name, the popup's Save all, the server's leads compared with what
# the extractor found: nothing lost, the popup's messages true), tests/e2e/wasm.test.mjs, then
# `web-ext lint` on dist/firefox (errors fail, warnings are printed) and tests/e2e/firefox.test.mjs
# (headless Firefox ESR, the add-on installed as a temporary add-on: badges and menu, then sign-in
# on its options page and Save lead reaching the real server, on its own database from
# DATABASE_URL), all with Node's test runner;
# and ends with one line: "N passed, N failed" (the lint counts as one check). Screenshots land in
# artifacts/e2e/. The checks' names, for LEADSYNC_E2E_ONLY: chromium, chromium-sync,
# chromium-fidelity, wasm-bindgen-test, web-ext-lint, firefox.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

ROOT="$(repo_root)"
E2E="$ROOT/tests/e2e"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export FIREFOX="${FIREFOX:-/usr/bin/firefox-esr}"
GECKODRIVER_VERSION=0.37.1 # cargo install geckodriver --version …; bump deliberately

# wanted NAME — true when LEADSYNC_E2E_ONLY is unset or lists NAME.
wanted() {
  [[ -z ${LEADSYNC_E2E_ONLY:-} || ",$LEADSYNC_E2E_ONLY," == *",$1,"* ]]
}

if [[ ! -x $CHROMIUM ]]; then
  [[ $CHROMIUM == /usr/bin/chromium ]] || die "CHROMIUM=$CHROMIUM is not an executable" "point CHROMIUM at a Chromium binary, or unset it"
  apt_install chromium
  [[ -x $CHROMIUM ]] || die "chromium was installed but $CHROMIUM is missing" "run: apt-get install --reinstall chromium"
fi

firefox_wanted=false
if wanted web-ext-lint || wanted firefox; then firefox_wanted=true; fi

if $firefox_wanted && [[ ! -x $FIREFOX ]]; then
  [[ $FIREFOX == /usr/bin/firefox-esr ]] || die "FIREFOX=$FIREFOX is not an executable" "point FIREFOX at a Firefox binary, or unset it"
  apt_install firefox-esr
  [[ -x $FIREFOX ]] || die "firefox-esr was installed but $FIREFOX is missing" "run: apt-get install --reinstall firefox-esr"
fi

# geckodriver: $GECKODRIVER, else PATH, else ~/.cargo/bin; installed with cargo when missing or not
# the pinned version (a few minutes, once).
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if $firefox_wanted && [[ -z ${GECKODRIVER:-} ]]; then
  GECKODRIVER="$(PATH="$PATH:$cargo_bin" command -v geckodriver || true)"
  have="$([[ -n $GECKODRIVER ]] && "$GECKODRIVER" --version 2>/dev/null | awk 'NR == 1 { print $2 }' || true)"
  if [[ $have != "$GECKODRIVER_VERSION" ]]; then
    need_cmd cargo "install Rust via https://rustup.rs"
    log "installing geckodriver $GECKODRIVER_VERSION with cargo (found: ${have:-none}); takes a few minutes, once"
    cargo install --locked geckodriver --version "$GECKODRIVER_VERSION" >&2 ||
      die "cargo install geckodriver --version $GECKODRIVER_VERSION failed" \
        "check access to the Rust package registry, then run: cargo install --locked geckodriver --version $GECKODRIVER_VERSION"
    GECKODRIVER="$cargo_bin/geckodriver"
  fi
fi
if $firefox_wanted; then
  [[ -x $GECKODRIVER ]] || die "geckodriver not found at '$GECKODRIVER'" "run: cargo install --locked geckodriver --version $GECKODRIVER_VERSION, or set GECKODRIVER"
  export GECKODRIVER
fi

# chromedriver drives the wasm-bindgen tests (wasm-bindgen-test-runner; installed with wasm-bindgen-cli).
if wanted wasm-bindgen-test; then [[ -x /usr/bin/chromedriver ]] || apt_install chromium-driver; fi

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

tap_dir="$(mktemp -d -t leadsync-e2e-tap.XXXXXX)"
trap 'rm -rf "$tap_dir"' EXIT
status=0
total_passed=0
total_failed=0

# run_node_tests NAME FILE [ENV=VALUE...] — one test file under Node's test runner; adds its counts.
run_node_tests() {
  local name=$1 file=$2 tap="$tap_dir/$1.tap" rc passed failed
  shift 2
  wanted "$name" || return 0
  set +e
  env "$@" node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    "$file"
  rc=$?
  set -e
  passed="$(awk '/^# pass / { print $3 }' "$tap")"
  failed="$(awk '/^# fail / { print $3 }' "$tap")"
  if [[ -z $passed || -z $failed ]]; then
    # The runner died before its summary: count it as a failure, never as "0 failed".
    passed="${passed:-0}"
    failed="$((${failed:-0} + 1))"
    rc=1
  fi
  log "$name: $passed passed, $failed failed"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  [[ $rc -eq 0 ]] || status=1
}

log "running the e2e tests in Chromium ($CHROMIUM)"
run_node_tests chromium "$E2E/extension.test.mjs" "LEADSYNC_DIST=$ROOT/dist/chrome"
run_node_tests chromium-sync "$E2E/sync.test.mjs" "LEADSYNC_DIST=$ROOT/dist/chrome"
run_node_tests chromium-fidelity "$E2E/fidelity.test.mjs" "LEADSYNC_DIST=$ROOT/dist/chrome"
run_node_tests wasm-bindgen-test "$E2E/wasm.test.mjs"

# run_lint — web-ext lint: Mozilla's add-on linter (what addons.mozilla.org runs), one check. Errors
# fail it; warnings and notices are listed and do not. NO_UPDATE_NOTIFIER: no registry look-up for a
# newer web-ext.
run_lint() {
  log "web-ext lint dist/firefox"
  lint_json="$tap_dir/web-ext-lint.json"
  set +e
  NO_UPDATE_NOTIFIER=1 "$E2E/node_modules/.bin/web-ext" lint --source-dir "$ROOT/dist/firefox" --output json --no-input --no-config-discovery >"$lint_json"
  lint_rc=$?
  node --input-type=module - "$lint_json" <<'JS'
import { readFileSync } from "node:fs";
let r;
try {
  r = JSON.parse(readFileSync(process.argv[2], "utf8"));
} catch (err) {
  console.log(`web-ext lint: no JSON report (${err.message})`);
  process.exit(1);
}
const { errors, warnings, notices } = r.summary;
console.log(`web-ext lint dist/firefox: ${errors} errors, ${warnings} warnings, ${notices} notices`);
for (const m of [...r.errors, ...r.warnings, ...r.notices]) {
  console.log(`  ${m._type} ${m.code}${m.file ? ` (${m.file})` : ""}: ${m.description || m.message}`);
}
process.exit(errors === 0 ? 0 : 1);
JS
  report_rc=$?
  set -e
  if [[ $lint_rc -eq 0 && $report_rc -eq 0 ]]; then
    total_passed=$((total_passed + 1))
  else
    total_failed=$((total_failed + 1))
    status=1
    log "web-ext lint: FAILED (exit $lint_rc; errors above)"
  fi
}

ff_start=$SECONDS
if wanted web-ext-lint; then run_lint; fi

wanted firefox && log "running the e2e tests in Firefox ($FIREFOX, $GECKODRIVER)"
run_node_tests firefox "$E2E/firefox.test.mjs" "LEADSYNC_FIREFOX_DIST=$ROOT/dist/firefox" "FIREFOX=$FIREFOX" "GECKODRIVER=${GECKODRIVER:-}"
wanted firefox && log "Firefox checks (lint + tests) took $((SECONDS - ff_start))s"

printf '%s passed, %s failed\n' "$total_passed" "$total_failed"
exit "$status"
