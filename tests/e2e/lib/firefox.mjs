// Drive the system Firefox ESR through geckodriver over plain HTTP (W3C WebDriver classic, Node's
// fetch), with the built extension installed as a temporary add-on — the way about:debugging's
// "Load Temporary Add-on" installs it. Never a downloaded browser.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { freePort } from "./net.mjs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";

export const FIREFOX = process.env.FIREFOX || "/usr/bin/firefox-esr";
export const TIMEOUT_MS = 20_000;
/** W3C WebDriver's keys for element and shadow root references. */
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const SHADOW = "shadow-6066-11e4-a52e-4f735466cecf";
export const KEY_ESCAPE = "\uE00C";
/** The add-on's id (manifest/firefox.json) and the moz-extension:// host this profile gives it. */
export const ADDON_ID = "{6f1d3a52-8c4e-4b7a-9e21-3d5c0b7f4a19}";
const ADDON_UUID = "0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** geckodriver: $GECKODRIVER, else on PATH, else where `cargo install` puts it. */
export function geckodriverPath() {
  if (process.env.GECKODRIVER) return process.env.GECKODRIVER;
  const dirs = [...(process.env.PATH || "").split(delimiter), join(process.env.CARGO_HOME || join(homedir(), ".cargo"), "bin")];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, "geckodriver"))) return join(dir, "geckodriver");
  }
  throw new Error("geckodriver not found: run `cargo install geckodriver` (tests/e2e/run.sh does) or set GECKODRIVER");
}


/** Keep the last `max` characters of a child's output, for error messages. */
function tail(max = 20_000) {
  let buf = "";
  return {
    push: (chunk) => {
      buf = (buf + chunk).slice(-max);
    },
    get text() {
      return buf;
    },
  };
}

// The profile's preferences. geckodriver adds its own automation defaults (no updates, no
// telemetry, no first-run pages). Nothing here touches add-on permissions: the add-on gets what a
// user's install gives it.
const PREFS = {
  // Fixture pages link fonts and trackers on the internet: send everything that is not 127.0.0.1
  // (never proxied, network.proxy.allow_hijacking_localhost is false) to a closed local port, so
  // those requests fail at once instead of waiting on DNS.
  "network.proxy.type": 1,
  "network.proxy.http": "127.0.0.1",
  "network.proxy.http_port": 9,
  "network.proxy.ssl": "127.0.0.1",
  "network.proxy.ssl_port": 9,
  "network.proxy.no_proxies_on": "",
  // Console messages (the page's, the content shim's and the background's) on Firefox's stdout,
  // so a failing test can show what the extension said.
  "devtools.console.stdout.content": true,
  "devtools.console.stdout.chrome": true,
  "intl.locale.requested": "en-US",
  "intl.accept_languages": "en-US, en",
  // Firefox gives each add-on a random moz-extension:// host per profile, unless this map (which
  // Firefox itself keeps in the profile) already names one: pinned, the test knows the URL of the
  // add-on's own pages without asking the browser's privileged side for it.
  "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: ADDON_UUID }),
};

/**
 * Start geckodriver and a headless Firefox in a fresh profile, and install `extensionDir` as a
 * temporary add-on. Resolves to {addonId, request, navigate, execute, screenshot, output, close}.
 *
 * `systemAccess`: start Firefox with `-remote-allow-system-access` (geckodriver's
 * `--allow-system-access`). Only tests that open the add-on's own pages (options.html, popup.html)
 * need it: recent Firefox's WebDriver (classic and BiDi alike; checked on 153 ESR) refuses to navigate to anything
 * but http(s)/data/about:blank-like URLs — `moz-extension://…/options.html` answers "unsupported
 * operation: Navigation to … is not allowed in this context" — unless system access is allowed;
 * and there is no unprivileged way in (a web page may not open or link a moz-extension:// page that
 * is not web-accessible, and about:addons is refused the same way). With it, the page opens with
 * a plain WebDriver navigation in the content context (no chrome-context script), and is then
 * driven like any page. The add-on's own permissions are the same either way.
 */
export async function launchFirefox(extensionDir, { systemAccess = false } = {}) {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} not found: install Debian's firefox-esr (apt-get install firefox-esr) or set FIREFOX`);
  const manifestPath = join(extensionDir, "manifest.json");
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} missing: run scripts/build-extension.sh`);
  const manifest = JSON.parse(await readFile(manifestPath, "utf8"));

  const profile = await mkdtemp(join(tmpdir(), "leadsync-e2e-firefox-"));
  const port = await freePort();
  const log = tail();
  const driver = spawn(geckodriverPath(), ["--host", "127.0.0.1", "--port", String(port), "--log", "info", ...(systemAccess ? ["--allow-system-access"] : [])], {
    env: { ...process.env, MOZ_HEADLESS: "1", MOZ_CRASHREPORTER_DISABLE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  driver.stdout.setEncoding("utf8").on("data", log.push);
  driver.stderr.setEncoding("utf8").on("data", log.push);
  const exited = new Promise((resolve) => driver.once("exit", resolve));
  const base = `http://127.0.0.1:${port}`;
  let sessionId = null;

  /** One WebDriver command; resolves to its `value`, throws with the driver's error and message. */
  async function request(method, path, body) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json; charset=utf-8" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const json = await res.json().catch(() => ({ value: { error: `HTTP ${res.status}`, message: "no JSON body" } }));
    if (!res.ok || json.value?.error) {
      const v = json.value || {};
      throw new Error(`WebDriver ${method} ${path}: ${v.error || res.status}: ${v.message || ""}`);
    }
    return json.value;
  }
  const session = (method, path, body) => request(method, `/session/${sessionId}${path}`, body);

  const close = async () => {
    try {
      if (sessionId) await session("DELETE", "").catch(() => {});
    } finally {
      sessionId = null;
      // Only the geckodriver this module started, by its own process handle (it ends its Firefox).
      if (driver.exitCode === null && driver.signalCode === null) {
        driver.kill("SIGTERM");
        const timer = setTimeout(() => driver.exitCode === null && driver.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(profile, { recursive: true, force: true });
    }
  };

  try {
    // geckodriver answers /status once it listens.
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      if (driver.exitCode !== null) throw new Error(`geckodriver exited with ${driver.exitCode}`);
      if (await fetch(`${base}/status`).then((r) => r.ok, () => false)) break;
      if (Date.now() > deadline) throw new Error("geckodriver did not start listening");
      await new Promise((r) => setTimeout(r, 100));
    }
    const created = await request("POST", "/session", {
      capabilities: {
        alwaysMatch: {
          browserName: "firefox",
          pageLoadStrategy: "normal",
          timeouts: { pageLoad: 60_000, script: 30_000, implicit: 0 },
          "moz:firefoxOptions": {
            binary: FIREFOX,
            args: ["-headless", "-profile", profile],
            prefs: PREFS,
            log: { level: "info" },
          },
        },
      },
    });
    sessionId = created.sessionId;
    await session("POST", "/window/rect", { width: 1280, height: 900 });
    // What about:debugging's "Load Temporary Add-on" does (the folder, unsigned, until restart).
    const addonId = await session("POST", "/moz/addon/install", { path: extensionDir, temporary: true });
    const wantId = manifest.browser_specific_settings?.gecko?.id;
    if (wantId && addonId !== wantId) throw new Error(`installed add-on id ${addonId}, expected ${wantId}`);
    const find = (css) => session("POST", "/element", { using: "css selector", value: css });
    return {
      addonId,
      /** The moz-extension:// URL of one of the add-on's files (the host pinned in PREFS). */
      extensionURL: (path) => {
        if (addonId !== ADDON_ID) throw new Error(`the moz-extension:// host is pinned for ${ADDON_ID}, not ${addonId}`);
        return `moz-extension://${ADDON_UUID}/${path}`;
      },
      capabilities: created.capabilities,
      request: session,
      /** Open `url` in the current tab; resolves once it has loaded. */
      navigate: (url) => session("POST", "/url", { url }),
      /** Run `fn` (a function; its source is sent) in the page with `args`; resolves to its result. */
      execute: (fn, ...args) => session("POST", "/execute/sync", { script: `return (${fn}).apply(null, arguments);`, args }),
      /** The URL of the current tab. */
      url: () => session("GET", "/url"),
      /** The first element matching `css` in the page (a WebDriver element reference). */
      find,
      /** Every element matching `css` in the page. */
      findAll: (css) => session("POST", "/elements", { using: "css selector", value: css }),
      /** Open a new tab (not selected); resolves to its window handle. */
      newTab: async () => (await session("POST", "/window/new", { type: "tab" })).handle,
      /** The current tab's window handle. */
      handle: () => session("GET", "/window"),
      /** Make the tab (window handle) `handle` the one later commands talk to, and select it. */
      switchTo: (handle) => session("POST", "/window", { handle }),
      /** Empty a text field (WebDriver's Element Clear). */
      clear: (el) => session("POST", `/element/${el[ELEMENT]}/clear`, {}),
      /** Type `text` into `el` (focused first), key by key as a user would. */
      type: (el, text) => session("POST", `/element/${el[ELEMENT]}/value`, { text }),
      /** The shadow root of `el`, closed ones included (Firefox's WebDriver sees what a user sees). */
      shadowRoot: (el) => session("GET", `/element/${el[ELEMENT]}/shadow`),
      /** Every element matching `css` inside `shadow`. */
      findInShadow: (shadow, css) => session("POST", `/shadow/${shadow[SHADOW]}/elements`, { using: "css selector", value: css }),
      /** A real click in the middle of `el` (scrolled into view), as a user's. */
      click: (el) => session("POST", `/element/${el[ELEMENT]}/click`, {}),
      /** The rendered text of `el`. */
      text: (el) => session("GET", `/element/${el[ELEMENT]}/text`),
      attribute: (el, name) => session("GET", `/element/${el[ELEMENT]}/attribute/${encodeURIComponent(name)}`),
      displayed: (el) => session("GET", `/element/${el[ELEMENT]}/displayed`),
      /** Press and release one key (a WebDriver key value, e.g. "\uE00C" for Escape). */
      pressKey: (key) => session("POST", "/actions", {
        actions: [{ type: "key", id: "keyboard", actions: [{ type: "keyDown", value: key }, { type: "keyUp", value: key }] }],
      }),
      /** A PNG of the viewport, as a Buffer. */
      screenshot: async () => Buffer.from(await session("GET", "/screenshot"), "base64"),
      /** geckodriver's and Firefox's recent output (browser console included). */
      output: () => log.text,
      close,
    };
  } catch (err) {
    const out = log.text;
    await close();
    throw new Error(`could not start Firefox with the add-on: ${err.message}\n--- geckodriver/Firefox output (tail) ---\n${out.slice(-4000)}`);
  }
}
