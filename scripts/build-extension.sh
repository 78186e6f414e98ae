#!/usr/bin/env bash
# scripts/build-extension.sh — build the leadsync browser extension into dist/.
#
#   scripts/build-extension.sh            # → dist/chrome/, dist/firefox/, dist/leadsync-{chrome,firefox}.zip
#
# Steps: the wasm32 target and the wasm-bindgen CLI at exactly the version in Cargo.lock (installed
# with cargo when missing), `cargo build --profile wasm-release` (opt-level z, LTO, one codegen
# unit), wasm-opt -Oz when Debian's `binaryen` is installed (optional), wasm-bindgen --target web,
# a Node smoke test of the result (when node is installed), then each browser's manifest,
# _locales, icons and scripts are assembled and zipped.
# Idempotent: cargo rebuilds only what changed, bindgen/wasm-opt rerun only when the wasm or the
# tools changed, and the zips are byte-for-byte reproducible.
#
# stdout: the built folders, zips and wasm sizes (raw and gzip -9). Chatter goes to stderr.
# Load it: chrome://extensions → Developer mode → Load unpacked → dist/chrome;
#          about:debugging#/runtime/this-firefox → Load Temporary Add-on → dist/firefox/manifest.json.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROOT="$(repo_root)"
TARGET=wasm32-unknown-unknown
PROFILE="wasm-release"
CRATE=leadsync-extension
LIB=leadsync_extension
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$TARGET_DIR/extension-build" # bindgen output and stamps; not shipped as is
DIST="$ROOT/dist"

need_cmd python3 "install Python 3 (Debian: apt-get install python3); it assembles manifests and zips"
need_cmd gzip
ensure_rust_target "$TARGET"

# --- wasm-bindgen CLI: must match the wasm-bindgen crate in Cargo.lock exactly ------------------
wb_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
[[ -n $wb_version ]] ||
  die "no wasm-bindgen entry in Cargo.lock" "run 'cargo generate-lockfile' (or any cargo build) in $ROOT, then re-run"
have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
if [[ $have != "$wb_version" ]]; then
  log "installing wasm-bindgen-cli $wb_version (found: ${have:-none}); takes a few minutes, once"
  cargo install wasm-bindgen-cli --version "$wb_version" >&2 ||
    die "cargo install wasm-bindgen-cli --version $wb_version failed" \
      "check access to the Rust package registry, then run: cargo install wasm-bindgen-cli --version $wb_version"
  hash -r
  have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
  [[ $have == "$wb_version" ]] ||
    die "wasm-bindgen on PATH is '${have:-missing}', not $wb_version" "put ~/.cargo/bin first on PATH"
fi

# --- cargo build ---------------------------------------------------------------------------------
log "cargo build -p $CRATE --target $TARGET --profile $PROFILE"
(cd "$ROOT" && cargo build -p "$CRATE" --target "$TARGET" --profile "$PROFILE" >&2) ||
  die "building the extension's wasm failed (see the compiler output above)" \
    "fix the error, or check it natively first: cargo check -p $CRATE --target $TARGET"
raw_wasm="$TARGET_DIR/$TARGET/$PROFILE/$LIB.wasm"
[[ -f $raw_wasm ]] || die "cargo reported success but $raw_wasm is missing" "set CARGO_TARGET_DIR consistently and re-run"

# --- wasm-opt + wasm-bindgen, only when their input or the tools changed -------------------------
# wasm-opt runs on rustc's output, *before* wasm-bindgen: binaryen 108 (Debian 12) renumbers tables
# and points wasm-bindgen's `__wbindgen_externrefs` export at the funcref table, which fails at
# load time ("WebAssembly.Table.set(): Argument 1 is invalid for table"). Before bindgen there is
# only one table, and the size is the same. Features Rust's wasm32 target emits by default must be
# enabled explicitly for that binaryen.
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-reference-types --enable-multivalue)
wasm_opt="$(command -v wasm-opt || true)"
node="$(command -v node || true)"
stamp="$(
  sha256sum "$raw_wasm" "${BASH_SOURCE[0]}" | awk '{ print $1 }'
  echo "wasm-bindgen $wb_version"
  if [[ -n $wasm_opt ]]; then "$wasm_opt" --version; else echo "no wasm-opt"; fi
  if [[ -n $node ]]; then "$node" --version; else echo "no node"; fi
)"
pkg="$WORK/pkg"

# bindgen INPUT_WASM: wasm-bindgen --target web into $pkg. Returns 1 if wasm-bindgen fails.
bindgen() {
  rm -rf "$pkg"
  mkdir -p "$pkg"
  wasm-bindgen "$1" --target web --no-typescript --out-dir "$pkg" --out-name "$LIB" >&2
}

# smoke_test: load $pkg in Node the way the background does and answer two messages. Returns 1 if
# the module does not work; 0 (with a log line) when Node is not installed to check.
smoke_test() {
  if [[ -z $node ]]; then
    log "node not found: skipping the smoke test of the built wasm"
    return 0
  fi
  "$node" --input-type=module - "$pkg/$LIB.js" "$pkg/${LIB}_bg.wasm" >&2 <<'JS'
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [glue, wasm] = process.argv.slice(2);
const m = await import(pathToFileURL(glue).href);
m.initSync({ module: readFileSync(wasm) });
const ok = await m.handle_message({ type: "ExtractSelection", text: "Jane Doe\njane.doe@brightlane.io", url: "https://www.brightlane.io/" });
const bad = await m.handle_message({ type: "NoSuchRequest" });
if (ok?.candidates?.[0]?.dedup_key !== "email:jane.doe@brightlane.io" || bad?.error?.code !== "bad_request") {
  console.error("unexpected answers:", JSON.stringify({ ok, bad }));
  process.exit(1);
}
JS
  local rc=$?
  [[ $rc -eq 0 ]] && log "smoke test: the wasm loads in Node and answers messages"
  return "$rc"
}

if [[ -f $WORK/stamp && $(cat "$WORK/stamp") == "$stamp" && -f $pkg/${LIB}_bg.wasm && -f $pkg/$LIB.js ]]; then
  log "wasm unchanged since the last build: reusing $pkg"
else
  rm -f "$WORK/stamp"
  mkdir -p "$WORK"
  optimised=""
  if [[ -n $wasm_opt ]]; then
    log "wasm-opt -Oz ($("$wasm_opt" --version))"
    if "$wasm_opt" -Oz "${WASM_OPT_FEATURES[@]}" "$raw_wasm" -o "$WORK/$LIB.opt.wasm" >&2; then
      optimised="$WORK/$LIB.opt.wasm"
    else
      log "warning: wasm-opt failed; shipping the wasm without it (larger, still correct)"
    fi
  else
    log "wasm-opt not found: skipping it (optional; Debian's 'binaryen' package provides it and saves size)"
  fi
  log "wasm-bindgen --target web"
  # binaryen 108 (Debian 12) can drop function-table entries wasm-bindgen still reads (closures
  # of the Yew pages): then bindgen fails on its output, and the unoptimised wasm is used.
  if [[ -n $optimised ]] && ! bindgen "$optimised"; then
    log "warning: wasm-bindgen cannot read the wasm-opt output (binaryen $("$wasm_opt" --version | awk '{ print $3 }') is too old for it); shipping the wasm without wasm-opt"
    optimised=""
  fi
  if [[ -z $optimised ]]; then
    bindgen "$raw_wasm" || die "wasm-bindgen failed on $raw_wasm" "check that the wasm-bindgen crate and CLI versions match ($wb_version)"
  fi
  if ! smoke_test; then
    [[ -n $optimised ]] || die "the built wasm does not work (Node smoke test above)" \
      "run the smoke test by hand: node --input-type=module with $pkg/$LIB.js, then fix the Rust side"
    log "warning: the wasm-opt output fails the smoke test; shipping the wasm without wasm-opt"
    bindgen "$raw_wasm" || die "wasm-bindgen failed on $raw_wasm" "check that the wasm-bindgen crate and CLI versions match ($wb_version)"
    smoke_test || die "the built wasm does not work (Node smoke test above)" "fix the Rust side, then re-run"
  fi
  rm -f "$WORK/$LIB.opt.wasm"
  printf '%s\n' "$stamp" >"$WORK/stamp"
fi

# --- assemble dist/<browser>/ and the zips ---------------------------------------------------------
version="$(awk '/^\[workspace.package\]/ { p = 1; next } /^\[/ { p = 0 } p && /^version *=/ { gsub(/version *= *|"/, ""); print; exit }' "$ROOT/Cargo.toml")"
[[ -n $version ]] || die "no version under [workspace.package] in Cargo.toml" "add version = \"X.Y.Z\" there"

mkdir -p "$DIST"
python3 - "$ROOT" "$pkg" "$DIST" "$version" <<'PY' || die "assembling dist/ failed (see above)" "fix the manifest or locale files named above, then re-run"
"""Assemble dist/chrome and dist/firefox, check manifests and locales, write reproducible zips."""
import json, os, re, shutil, sys, zipfile

root, pkg, dist, version = sys.argv[1:5]
manifest_dir = os.path.join(root, "manifest")
js_dir = os.path.join(root, "extension", "js")
problems = []

# Locales: valid JSON, same keys in every language, no empty message.
locales = {}
for lang in sorted(os.listdir(os.path.join(manifest_dir, "_locales"))):
    with open(os.path.join(manifest_dir, "_locales", lang, "messages.json"), encoding="utf-8") as f:
        locales[lang] = json.load(f)
base = set(locales["en"])
for lang, messages in locales.items():
    for k in sorted(base ^ set(messages)):
        problems.append(f"_locales/{lang}: key {k!r} is in one locale but not the other")
    for k, v in messages.items():
        if not v.get("message", "").strip():
            problems.append(f"_locales/{lang}: {k!r} has an empty message")
    if len(messages.get("extDescription", {}).get("message", "")) > 132:
        problems.append(f"_locales/{lang}: extDescription is longer than the 132 characters stores allow")

# Every string the scripts and the Yew pages ask chrome.i18n for must exist.
ui_dir = os.path.join(root, "extension", "src", "ui")
sources = [os.path.join(js_dir, n) for n in sorted(os.listdir(js_dir))] + [os.path.join(ui_dir, n) for n in sorted(os.listdir(ui_dir))]
for path in sources:
    with open(path, encoding="utf-8") as f:
        src = f.read()
    keys = re.findall(r"""(?:getMessage|\bt)\(\s*["']([A-Za-z0-9_]+)["']""", src)
    # Label keys kept in tables (the lead form): ("fieldName", …) pairs.
    keys += re.findall(r"""Field::[A-Za-z]+, "([A-Za-z0-9_]+)"\)""", src)
    for key in keys:
        if key not in base:
            problems.append(f"{os.path.relpath(path, root)} uses message {key!r}, missing from _locales/en/messages.json")

def tree(browser):
    with open(os.path.join(manifest_dir, f"{browser}.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    manifest["version"] = version
    for key in re.findall(r"__MSG_([A-Za-z0-9_]+)__", json.dumps(manifest)):
        if key not in base:
            problems.append(f"manifest/{browser}.json uses __MSG_{key}__, missing from _locales/en/messages.json")
    files = {"manifest.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()}
    # Scripts (background, content shim) and the popup/options pages with their loaders.
    for folder in (js_dir, os.path.join(root, "extension", "pages")):
        for name in sorted(os.listdir(folder)):
            files[name] = open(os.path.join(folder, name), "rb").read()
    for name in sorted(os.listdir(pkg)):
        files[f"wasm/{name}"] = open(os.path.join(pkg, name), "rb").read()
    for sub in ("icons", "_locales"):
        for dirpath, _, names in os.walk(os.path.join(manifest_dir, sub)):
            for name in names:
                if name.endswith(".png") or name.endswith(".json"):
                    path = os.path.join(dirpath, name)
                    files[os.path.relpath(path, manifest_dir).replace(os.sep, "/")] = open(path, "rb").read()
    return files

trees = {b: tree(b) for b in ("chrome", "firefox")}
if problems:
    for p in problems:
        print(f"[build-extension.sh] error: {p}", file=sys.stderr)
    sys.exit(1)

for browser, files in trees.items():
    out = os.path.join(dist, browser)
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    for rel, data in files.items():
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)
    # Fixed timestamps and order: the same inputs give the same zip, byte for byte.
    zpath = os.path.join(dist, f"leadsync-{browser}.zip")
    with zipfile.ZipFile(zpath + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for rel in sorted(files):
            info = zipfile.ZipInfo(rel, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[rel])
    os.replace(zpath + ".tmp", zpath)
PY

# --- report ----------------------------------------------------------------------------------------
for browser in chrome firefox; do
  printf 'dist/%s/ (%s)\n' "$browser" "$(du -sh "$DIST/$browser" | awk '{ print $1 }')"
  for wasm in "$DIST/$browser"/wasm/*.wasm; do
    printf '  %s: %s bytes, gzip -9: %s bytes\n' "${wasm#"$ROOT"/}" "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)"
  done
done
for zip in "$DIST"/leadsync-chrome.zip "$DIST"/leadsync-firefox.zip; do
  printf '%s: %s bytes\n' "${zip#"$ROOT"/}" "$(wc -c <"$zip")"
done
