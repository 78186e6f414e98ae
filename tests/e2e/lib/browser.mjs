// Launch the system Chromium with the built extension loaded (never a downloaded browser), and
// reach the extension's service worker.
import { mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const TIMEOUT_MS = 20_000;

/**
 * Start Chromium with `extensionDir` loaded, in a fresh profile. Resolves to {browser, worker,
 * extensionId, ask(request), close()}; `ask` sends a message-API request the way the popup does.
 *
 * `{ lang: "fr" }`: the browser's UI language (the extension's `_locales` follow it).
 * `{ attachWorker: false }`: DevTools never attaches to the service worker (`worker` is null), for
 * tests that stop it — an attached worker that Chrome restarts keeps waiting for the debugger,
 * which a real browser never does. Requests then go through an extension page.
 * `{ proxy: "http://127.0.0.1:PORT" }`: every request for a web page goes through that proxy
 * (pages served at their own addresses, lib/sites.mjs), whose https certificates are throwaway
 * ones the browser accepts; loopback addresses (the leadsync server) go direct.
 */
export async function launch(extensionDir, { attachWorker = true, lang = "en-US", proxy = null } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM`);
  if (!existsSync(join(extensionDir, "manifest.json"))) throw new Error(`${extensionDir}/manifest.json missing: run scripts/build-extension.sh`);
  const profile = await mkdtemp(join(tmpdir(), "leadsync-e2e-profile-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    // Our own argument list, not puppeteer's defaults (those include --disable-extensions).
    ignoreDefaultArgs: true,
    pipe: true,
    defaultViewport: { width: 1280, height: 900 },
    protocolTimeout: 60_000,
    ...(attachWorker ? {} : { targetFilter: (t) => t.type() !== "service_worker" }),
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-dev-shm-usage",
      // Pages link fonts and trackers on the internet: fail those at once instead of waiting on DNS.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      ...(proxy ? [`--proxy-server=${proxy}`, "--ignore-certificate-errors"] : []),
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      `--user-data-dir=${profile}`,
      `--lang=${lang}`,
      "about:blank",
    ],
  });
  const close = async () => {
    const proc = browser.process();
    let timer;
    try {
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("close timed out")), 10_000);
      });
      await Promise.race([browser.close(), timeout]);
    } catch (_) {
      // Only the browser this module started, by its own process handle.
      if (proc && proc.exitCode === null) proc.kill("SIGKILL");
    } finally {
      clearTimeout(timer);
    }
    await rm(profile, { recursive: true, force: true });
  };
  try {
    if (!attachWorker) return { browser, worker: null, ...(await viaPage(browser)), close };
    const target = await browser.waitForTarget(
      (t) => t.type() === "service_worker" && t.url().startsWith("chrome-extension://") && t.url().endsWith("/background.js"),
      { timeout: TIMEOUT_MS },
    );
    const worker = await target.worker();
    // DevTools can attach before the worker has run background.js (no `chrome` global yet).
    const deadline = Date.now() + TIMEOUT_MS;
    while (!(await worker.evaluate(() => typeof chrome === "object" && !!chrome.runtime?.id && !!globalThis.leadsync).catch(() => false))) {
      if (Date.now() > deadline) throw new Error("background.js did not finish starting");
      await new Promise((r) => setTimeout(r, 50));
    }
    const extensionId = new URL(target.url()).host;
    const ask = (request) => worker.evaluate(async (r) => {
      await leadsync.ready;
      return leadsync.handle_message(r);
    }, request);
    return { browser, worker, extensionId, ask, close };
  } catch (err) {
    await close();
    throw new Error(`the extension's service worker did not start (${err.message}); is ${extensionDir} a built extension?`);
  }
}

/** The background worker's target id (raw DevTools protocol: works when puppeteer is not attached). */
export async function workerTargetId(browser, extensionId) {
  const cdp = await browser.target().createCDPSession();
  try {
    const { targetInfos } = await cdp.send("Target.getTargets");
    const sw = targetInfos.find((t) => t.type === "service_worker" && (!extensionId || t.url.startsWith(`chrome-extension://${extensionId}/`)));
    return sw ? sw.targetId : null;
  } finally {
    await cdp.detach();
  }
}

/** Stop the background service worker, as Chrome does after 30 s idle (or under memory pressure). */
export async function stopWorker(browser, extensionId) {
  const id = await workerTargetId(browser, extensionId);
  if (!id) throw new Error("no running service worker to stop");
  const cdp = await browser.target().createCDPSession();
  try {
    await cdp.send("Target.closeTarget", { targetId: id });
  } finally {
    await cdp.detach();
  }
}

async function viaPage(browser) {
  const deadline = Date.now() + TIMEOUT_MS;
  let extensionId = null;
  while (!extensionId) {
    const cdp = await browser.target().createCDPSession();
    const { targetInfos } = await cdp.send("Target.getTargets");
    await cdp.detach();
    const sw = targetInfos.find((t) => t.type === "service_worker" && t.url.startsWith("chrome-extension://"));
    if (sw) extensionId = new URL(sw.url).host;
    else if (Date.now() > deadline) throw new Error("no extension service worker appeared");
    else await new Promise((r) => setTimeout(r, 50));
  }
  // Any document of the extension's origin has the extension APIs; the manifest is always there.
  const page = await browser.newPage();
  await page.goto(`chrome-extension://${extensionId}/manifest.json`, { timeout: TIMEOUT_MS });
  const ask = (request) => page.evaluate((r) => chrome.runtime.sendMessage(r), request);
  return { extensionId, ask };
}
