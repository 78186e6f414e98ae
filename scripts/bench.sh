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

python3 - "$LEADSYNC_ROOT/target/criterion/page_1mb" <<'PY'
import json, os, sys
root = sys.argv[1]
def median_ms(name):
    with open(os.path.join(root, name, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"] / 1e6
base = median_ms("baseline_deserialize_snapshot")
rows = [("baseline: deserialise snapshot JSON", base), ("extract (the core)", median_ms("extract")), ("snapshot_from_html (native builder)", median_ms("snapshot_from_html"))]
print()
print(f"{'1 MB page':<40} {'median ms':>10} {'× baseline':>11}")
for name, ms in rows:
    print(f"{name:<40} {ms:>10.2f} {ms / base:>11.2f}")
extract_ms = rows[1][1]
print(f"goal: extract < 20 ms — {'met' if extract_ms < 20 else 'NOT met'} ({extract_ms:.2f} ms)")

root = os.path.join(os.path.dirname(root), "leads_10k")
base = median_ms("baseline_encode_page_json")
rows = [("baseline: encode a page of 50 as JSON", base), ("search + status filter + page", median_ms("search_filter_page")), ("first page, no filter", median_ms("unfiltered_first_page"))]
print()
print(f"{'10,000 leads (My leads)':<40} {'median ms':>10} {'× baseline':>11}")
for name, ms in rows:
    print(f"{name:<40} {ms:>10.3f} {ms / base:>11.2f}")
search_ms = rows[1][1]
print(f"goal: search < 5 ms — {'met' if search_ms < 5 else 'NOT met'} ({search_ms:.3f} ms)")
PY
