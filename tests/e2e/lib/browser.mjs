// Launch the system Chromium with the built extension loaded (never a downloaded browser), and
// reach the extension's service worker.
import { mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const TIMEOUT_MS = 20_000;

/** Start Chromium with `extensionDir` loaded, in a fresh profile. Resolves to {browser, worker, extensionId, close()}. */
export async function launch(extensionDir) {
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
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      `--user-data-dir=${profile}`,
      "--lang=en-US",
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
    return { browser, worker, extensionId, close };
  } catch (err) {
    await close();
    throw new Error(`the extension's service worker did not start (${err.message}); is ${extensionDir} a built extension?`);
  }
}
