// The extension's store and sync engine as Rust unit tests compiled to wasm (wasm-bindgen-test),
// run by wasm-bindgen-test-runner in headless Chromium (through chromedriver) against a real
// leadsync server on a fresh Postgres database. See extension/src/worker/tests.rs.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { startLeadsync } from "./lib/leadsync.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let api;

before(async () => {
  api = await startLeadsync(ROOT);
});
after(async () => {
  if (api) await api.close();
});

it("wasm-bindgen-test: the store and the sync engine in headless Chromium against the real server", async () => {
  const env = {
    ...process.env,
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: "wasm-bindgen-test-runner",
    CHROMEDRIVER: process.env.CHROMEDRIVER || "/usr/bin/chromedriver",
    LEADSYNC_TEST_SERVER: api.url,
  };
  // cwd extension/: the runner reads its browser options (no sandbox as root) from webdriver.json there.
  const child = spawn("cargo", ["test", "-p", "leadsync-extension", "--target", "wasm32-unknown-unknown", "--lib"], { cwd: join(ROOT, "extension"), env });
  let out = "";
  for (const s of [child.stdout, child.stderr]) s.on("data", (d) => { out += d; process.stdout.write(d); });
  const code = await new Promise((r) => child.once("exit", r));
  assert.equal(code, 0, `wasm-bindgen-test failed:\n${out.slice(-4000)}`);
  const ran = out.match(/test result: ok\. (\d+) passed/);
  assert.ok(ran && Number(ran[1]) >= 3, `the in-browser tests ran (${ran ? ran[1] : "none"} passed)`);
});
