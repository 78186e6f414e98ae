#!/usr/bin/env bash
# scripts/bench.sh — speed figures, each next to a baseline measured in the same run.
#
#   extraction of a 1 MB page snapshot (goal < 20 ms natively) vs deserialising that snapshot's JSON
#   "My leads" search + status filter + page of 50 over 10,000 leads (goal < 5 ms natively) vs
#   encoding that page as JSON
#
# Usage: scripts/bench.sh [extra criterion args]. Prints a table; never fails on a number (figures
# are for people to read and compare, not a timed test).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LEADSYNC_ROOT"

need_cmd cargo "install Rust via https://rustup.rs"
need_cmd python3 "apt-get install python3"
log "cargo bench -p leadsync-types --features html --bench extract"
cargo bench -p leadsync-types --features html --bench extract -- "$@"
log "cargo bench -p leadsync-extension --bench list"
cargo bench -p leadsync-extension --bench list -- "$@"

python3 - "$LEADSYNC_ROOT/target/criterion" <<'PY'
import json, os, sys
criterion = sys.argv[1]

def median_ms(group, name):
    with open(os.path.join(criterion, group, name, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"] / 1e6

def table(title, group, rows, goal_label, goal_ms, digits):
    """rows: [(label, bench name)], the first one the baseline, the second the measured goal."""
    ms = [(label, median_ms(group, name)) for label, name in rows]
    base = ms[0][1]
    print()
    print(f"{title:<40} {'median ms':>10} {'× baseline':>11}")
    for label, v in ms:
        print(f"{label:<40} {v:>10.{digits}f} {v / base:>11.2f}")
    v = ms[1][1]
    print(f"goal: {goal_label} < {goal_ms} ms — {'met' if v < goal_ms else 'NOT met'} ({v:.{digits}f} ms)")

table("1 MB page", "page_1mb", [("baseline: deserialise snapshot JSON", "baseline_deserialize_snapshot"), ("extract (the core)", "extract"),
      ("snapshot_from_html (native builder)", "snapshot_from_html")], "extract", 20, 2)
table("10,000 leads (My leads)", "leads_10k", [("baseline: encode a page of 50 as JSON", "baseline_encode_page_json"),
      ("search + status filter + page", "search_filter_page"), ("first page, no filter", "unfiltered_first_page")], "search", 5, 3)
PY
