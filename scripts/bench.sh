#!/usr/bin/env bash
# scripts/bench.sh — speed figures, each next to a baseline measured in the same run.
#
#   extraction of a 1 MB page snapshot (goal < 20 ms natively) vs deserialising that snapshot's JSON
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
PY
