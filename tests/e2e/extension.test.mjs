// End-to-end: the built extension (dist/chrome) in real headless Chromium, on fixture pages served
// from 127.0.0.1 with `Content-Security-Policy: script-src 'self'` (so the content script cannot
// compile wasm: the shim must snapshot the page and let the background do the work).
//
// Run through tests/e2e/run.sh (installs what is missing, builds, runs), or directly:
//   LEADSYNC_DIST=dist/chrome node --test tests/e2e/
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { launch, TIMEOUT_MS } from "./lib/browser.mjs";
import { startServer } from "./lib/server.mjs";
import { attrs, domTree, findAll, text, waitFor } from "./lib/shadow.mjs";
import { badges, badgeStatus, click, item, menuOf, noteText, openMenu } from "./lib/menu.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const FIXTURES = join(ROOT, "tests/fixtures/pages");
const DIST = resolve(ROOT, process.env.LEADSYNC_DIST || "dist/chrome");
const ARTIFACTS = join(ROOT, "artifacts/e2e");
const run = promisify(execFile);

let server;
let ext;

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startServer([FIXTURES, join(HERE, "pages")]);
  ext = await launch(DIST);
});

after(async () => {
  if (ext) await ext.close();
  if (server) await server.close();
});

/** The labels of a fixture page (emails lower-cased: the label keeps the local part as written). */
async function labels(name) {
  const l = JSON.parse(await readFile(join(FIXTURES, `${name}.json`), "utf8"));
  return { ...l, emails: l.emails.map((e) => e.toLowerCase()) };
}

/** Open `name` in a fresh tab (no stale mouse hover), with a DevTools session for closed shadow roots. */
async function open(name) {
  const page = await ext.browser.newPage();
  const client = await page.createCDPSession();
  await page.goto(`${server.origin}/${name}.html`, { waitUntil: "domcontentloaded", timeout: TIMEOUT_MS });
  return { page, client };
}

/** The text of the toast (closed shadow root), or null. */
async function toastText(client) {
  const host = (await domTree(client)).find(({ node }) => node.localName === "leadsync-toast");
  return host ? text(host.node).trim() : null;
}

/**
 * Ask the extension to scan the open tabs now — the route the keyboard command and the toolbar
 * button take (background → content shim "ScanNow") — and wait for the shim's answer in the page.
 * Scans run one at a time, so when the toast appears every earlier scan has drawn its badges.
 */
async function scanNow(page, client) {
  await page.evaluate(() => document.querySelector("leadsync-toast")?.remove());
  // The shim is injected at document_idle, after the page's load event the test waited for: ask
  // this page's tab until its shim takes the scan (a message sent before it listens is lost).
  await page.bringToFront();
  await waitFor("the shim to take a scan", () => ext.worker.evaluate(async () => {
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    if (!tab) return false;
    const answer = await chrome.tabs.sendMessage(tab.id, { type: "ScanNow" }).catch(() => null);
    return answer?.accepted === "ScanNow";
  }));
  return waitFor("the scan's toast", () => toastText(client));
}

/** Where a badge sits relative to what precedes it in the page. */
function placement(page, value) {
  return page.evaluate((v) => {
    const host = document.querySelector(`leadsync-badge[data-value="${v}"]`);
    let prev = host.previousSibling;
    while (prev && prev.localName === "leadsync-badge") prev = prev.previousSibling;
    const range = document.createRange();
    range.selectNodeContents(prev);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const last = rects[rects.length - 1];
    const hr = host.getBoundingClientRect();
    return {
      kind: prev.nodeType === Node.TEXT_NODE ? "text" : prev.localName,
      text: prev.textContent.replace(/\s+/g, " ").trim(),
      href: prev.href || null,
      gap: hr.left - last.right,
      overlap: Math.min(hr.bottom, last.bottom) - Math.max(hr.top, last.top),
      width: hr.width,
      height: hr.height,
    };
  }, value);
}

const expectedBadges = (l) => [...l.emails.map((v) => `email:${v}`), ...l.phones.map((v) => `phone:${v}`)].sort();
const found = (list) => list.map((b) => `${b.field}:${b.field === "email" ? b.value.toLowerCase() : b.value}`).sort();

describe("content shim + background core in headless Chromium, page CSP script-src 'self'", () => {
  it("team-grid-us: one badge next to every labelled email and phone", async () => {
    const l = await labels("team-grid-us");
    const { page, client } = await open("team-grid-us");
    try {
      const want = expectedBadges(l);
      await waitFor(`${want.length} badges`, async () => (await badges(page)).length >= want.length);
      const toast = await scanNow(page, client);
      assert.match(toast, /^Contacts found on this page: \d+$/);
      assert.deepEqual(found(await badges(page)), want);

      // The mailto link's text is just "Email": the badge follows that link.
      const jane = await placement(page, "jane.doe@acme-robotics.com");
      assert.equal(jane.kind, "a");
      assert.equal(jane.href, "mailto:jane.doe@acme-robotics.com");
      assert.equal(jane.text, "Email");
      assert.ok(jane.gap >= 0 && jane.gap <= 8 && jane.overlap > 0, `badge right after the link: ${JSON.stringify(jane)}`);
      assert.ok(jane.width <= 20 && jane.height <= 20, `badge is small: ${JSON.stringify(jane)}`);
    } finally {
      await page.close();
    }
  });

  it("obfuscated-brackets-lab: badges sit right after each obfuscated address", async () => {
    const l = await labels("obfuscated-brackets-lab");
    const { page, client } = await open("obfuscated-brackets-lab");
    try {
      const want = expectedBadges(l);
      await waitFor(`${want.length} badges`, async () => (await badges(page)).length >= want.length);
      await scanNow(page, client);
      assert.deepEqual(found(await badges(page)), want);
      const shown = {
        "m.chen@lakeside-robotics.org": "m.chen [at] lakeside-robotics [dot] org",
        "p.singh@lakeside-robotics.org": "p.singh {at} lakeside-robotics {dot} org",
        "r.alvarez@lakeside-robotics.org": "r.alvarez[at]lakeside-robotics[dot]org",
        "lab-admin@lakeside-robotics.org": "lab-admin <at> lakeside-robotics.org",
      };
      for (const [email, visible] of Object.entries(shown)) {
        const p = await placement(page, email);
        assert.equal(p.kind, "text", `${email}: ${JSON.stringify(p)}`);
        assert.ok(p.text.endsWith(visible), `${email}: the text before the badge ends with "${visible}": ${JSON.stringify(p)}`);
        assert.ok(p.gap >= 0 && p.gap <= 8 && p.overlap > 0, `${email}: badge right after the text: ${JSON.stringify(p)}`);
      }
    } finally {
      await page.close();
    }
  });

  it("the badge menu: Email → mailto:, Call → tel:, Copy copies, Save lead keeps it on this device, Set status", async () => {
    const { page, client } = await open("team-grid-us");
    try {
      const email = "jane.doe@acme-robotics.com";
      await waitFor("Jane's badge", async () => (await badges(page)).some((b) => b.value === email));
      await ext.browser.defaultBrowserContext().overridePermissions(server.origin, ["clipboard-read", "clipboard-write", "clipboard-sanitized-write"]);
      let menu = await openMenu(page, client, email);
      assert.equal(attrs(item(menu, "Email")).href, `mailto:${email}`);
      assert.equal(attrs(item(menu, "Call")).href, "tel:+14157234568", "Call uses the same person's phone");
      assert.ok(text(menu).includes("Jane Doe"), "the menu names the contact");
      await page.screenshot({ path: join(ARTIFACTS, "team-grid-us-badge-menu.png") });

      await click(page, client, item(menu, "Copy"));
      await waitFor("the Copied note", async () => (await noteText(client, email)) === `Copied ${email}`);
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), email);

      // Not signed in: the lead is kept on this device (and syncs after sign-in).
      menu = await menuOf(client, email);
      await click(page, client, item(menu, "Save lead"));
      await waitFor("the Saved note", async () => /^Saved · in leadsync · New$/.test(await noteText(client, email)));
      await waitFor("the badge shows the status", async () => (await badgeStatus(client, email)) === "new");
      assert.equal(await page.evaluate(() => document.querySelectorAll("leadsync-badge[data-status]").length), 0, "the page cannot see which contacts are leads");

      menu = await menuOf(client, email);
      await click(page, client, item(menu, "Set status"));
      menu = await menuOf(client, email);
      const lost = item(menu, "Lost");
      assert.equal(attrs(lost)["aria-disabled"], undefined, "statuses are enabled for a saved lead");
      await click(page, client, lost);
      await waitFor("the status note", async () => (await noteText(client, email)) === "in leadsync · Lost");
      await waitFor("the badge shows the new status", async () => (await badgeStatus(client, email)) === "lost");
      // The same person's phone badge is the same lead.
      assert.equal(await badgeStatus(client, "+14157234568"), "lost");
      await page.screenshot({ path: join(ARTIFACTS, "team-grid-us-badge-menu-status.png") });

      // A phone badge's menu calls that number.
      const phoneMenu = await openMenu(page, client, "+14157234571");
      assert.equal(attrs(item(phoneMenu, "Call")).href, "tel:+14157234571");
      assert.equal(attrs(item(phoneMenu, "Email")).href, "mailto:marcus.liu@acme-robotics.com");
      await page.keyboard.press("Escape");
      await waitFor("the menu to close", () => page.evaluate(() => document.activeElement?.localName === "leadsync-badge"));
    } finally {
      await page.close();
    }
  });

  it("the page's own styles are unchanged by the badges", async () => {
    const name = "team-grid-us";
    const { page, client } = await open(name);
    // The same page in an iframe of the same size, where content scripts do not run.
    const ref = await ext.browser.newPage();
    try {
      const want = expectedBadges(await labels(name)).length;
      await waitFor(`${want} badges`, async () => (await badges(page)).length >= want);
      await scanNow(page, client);
      const { innerWidth: w, innerHeight: h } = await page.evaluate(() => ({ innerWidth, innerHeight }));
      await ref.goto(`${server.origin}/__ref/${name}.html?w=${w}&h=${h}`, { waitUntil: "load", timeout: TIMEOUT_MS });
      const styles = (doc) => {
        const props = ["display", "position", "float", "color", "background-color", "font-family", "font-size", "font-weight",
          "font-style", "line-height", "letter-spacing", "text-transform", "text-decoration-line", "white-space", "vertical-align",
          "visibility", "opacity", "margin-top", "margin-right", "margin-bottom", "margin-left", "padding-top", "padding-right",
          "padding-bottom", "padding-left", "border-top-width", "border-left-width", "border-top-color", "border-radius", "list-style-type"];
        const win = doc.defaultView;
        return [...doc.querySelectorAll("html, html *")]
          .filter((el) => !el.localName.startsWith("leadsync-"))
          .map((el) => {
            const cs = win.getComputedStyle(el);
            return `${el.localName}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""} ` +
              props.map((p) => `${p}:${cs.getPropertyValue(p)}`).join("; ");
          });
      };
      const withBadges = await page.evaluate(`(${styles})(document)`);
      const without = await ref.evaluate(`(${styles})(document.getElementById("ref").contentDocument)`);
      assert.ok(withBadges.length > 100, "compared a real page");
      assert.equal(withBadges.length, without.length, "the extension added no element but its badge hosts");
      const diffs = withBadges.map((s, i) => [s, without[i]]).filter(([a, b]) => a !== b);
      assert.deepEqual(diffs.slice(0, 3), [], `${diffs.length} elements changed style`);
      // And no style sheet of ours in the page.
      const sheets = await page.evaluate(() => document.styleSheets.length + document.adoptedStyleSheets.length);
      const refSheets = await ref.evaluate(() => {
        const d = document.getElementById("ref").contentDocument;
        return d.styleSheets.length + d.adoptedStyleSheets.length;
      });
      assert.equal(sheets, refSheets);
    } finally {
      await ref.close();
      await page.close();
    }
  });

  it("page CSS cannot reach into the badge or its menu (closed shadow root)", async () => {
    const { page, client } = await open("hostile-css");
    try {
      const email = "ops.lead@brightlane.io";
      await waitFor("the badge", async () => (await badges(page)).some((b) => b.value === email));
      const p = await placement(page, email);
      assert.ok(p.width > 10 && p.width <= 20 && p.height > 10 && p.height <= 20, `badge keeps its own size: ${JSON.stringify(p)}`);
      const menu = await openMenu(page, client, email);
      await client.send("DOM.enable");
      await client.send("CSS.enable");
      const { nodeIds } = await client.send("DOM.pushNodesByBackendIdsToFrontend", { backendNodeIds: [item(menu, "Email").backendNodeId] });
      const { computedStyle } = await client.send("CSS.getComputedStyleForNode", { nodeId: nodeIds[0] });
      const css = Object.fromEntries(computedStyle.map(({ name, value }) => [name, value]));
      assert.equal(css["font-size"], "13px");
      assert.notEqual(css.color, "rgb(255, 0, 0)");
      assert.notEqual(css.display, "none");
      await page.screenshot({ path: join(ARTIFACTS, "hostile-css-badge-menu.png") });
    } finally {
      await page.close();
    }
  });

  it("re-scans when the page changes, badging only what is new", async () => {
    const name = "team-grid-us";
    const { page, client } = await open(name);
    try {
      const want = expectedBadges(await labels(name)).length;
      await waitFor(`${want} badges`, async () => (await badges(page)).length >= want);
      await scanNow(page, client);
      // A single-page app adds a card (DevTools evaluation is not bound by the page's CSP).
      await page.evaluate(() => {
        const card = document.createElement("div");
        card.className = "team-card";
        // Two contacts in one text node, with text after each: badging the phone splits the
        // node, and the email's badge must still land right after the address.
        card.innerHTML = "<h3>Alex Morgan</h3><p>Account Executive</p><p>Mail alex.morgan@acme-robotics.com or call (415) 723-4597 (mobile).</p>";
        document.querySelector(".team-grid").append(card);
      });
      await waitFor("badges for the new card", async () => {
        const b = found(await badges(page));
        return b.includes("email:alex.morgan@acme-robotics.com") && b.includes("phone:+14157234597");
      });
      await scanNow(page, client);
      for (const [value, before] of [["alex.morgan@acme-robotics.com", "Mail alex.morgan@acme-robotics.com"], ["+14157234597", "or call (415) 723-4597"]]) {
        const p = await placement(page, value);
        assert.ok(p.kind === "text" && p.text.endsWith(before) && p.gap >= 0 && p.gap <= 8 && p.overlap > 0, `${value}: ${JSON.stringify(p)}`);
      }
      const all = found(await badges(page));
      assert.equal(all.length, want + 2, `no badge drawn twice: ${all.join(", ")}`);
      assert.equal(new Set(all).size, all.length);
    } finally {
      await page.close();
    }
  });

  it("blog-article-no-contacts: a page without contacts gets no badge", async () => {
    const l = await labels("blog-article-no-contacts");
    assert.equal(l.emails.length + l.phones.length, 0);
    const { page, client } = await open("blog-article-no-contacts");
    try {
      assert.equal(await scanNow(page, client), "No contacts found on this page.");
      assert.deepEqual(await badges(page), []);
    } finally {
      await page.close();
    }
  });

  it("the background answers bad requests with an explained error object", async () => {
    const res = await ext.worker.evaluate(async () => {
      await globalThis.leadsync.ready;
      return globalThis.leadsync.handle_message({ type: "NoSuchThing" });
    });
    assert.equal(res.error?.code, "bad_request", JSON.stringify(res));
    assert.match(res.error.message, /ExtractPage/);
  });

  it("from inside a web page, the content shim's world may save and look up, never list, export or sign out", async () => {
    const { page, client } = await open("team-grid-us");
    try {
      await waitFor("badges", async () => (await badges(page)).length > 0);
      // The content script's isolated world, as DevTools sees it.
      const contexts = [];
      client.on("Runtime.executionContextCreated", ({ context }) => contexts.push(context));
      await client.send("Runtime.enable");
      const shim = await waitFor("the shim's world", () => contexts.find((c) => c.auxData?.type === "isolated" && c.origin.startsWith("chrome-extension://")));
      const send = async (msg) => (await client.send("Runtime.evaluate", {
        contextId: shim.id, awaitPromise: true, returnByValue: true, expression: `chrome.runtime.sendMessage(${JSON.stringify(msg)})`,
      })).result.value;
      for (const type of ["ListLeads", "ExportLeads", "SignOut", "GetStatus", "SignIn", "UpdateLead", "GetLead", "DeleteLead"]) {
        const res = await send({ type, format: "csv", query: {}, server_url: "http://127.0.0.1:1", email: "a@b.io", password: "x", id: "0190a1b2-0000-7000-8000-000000000001", edit: {} });
        assert.equal(res?.error?.code, "forbidden", `${type}: ${JSON.stringify(res)}`);
      }
      const ok = await send({ type: "LookupContacts", keys: ["email:nobody@brightlane.io"] });
      assert.deepEqual(ok, { known: {} });
      // A save answers with the lead's id and status only, not the team's record of that person.
      const saved = await send({ type: "SaveLead", candidate: { kind: "person", confidence: 0.9, values: [
        { field: "name", value: "Shim Probe", provenance: "selection", confidence: 0.9 },
        { field: "email", value: "shim.probe@brightlane.io", provenance: "selection", confidence: 0.9 }] } });
      assert.deepEqual(Object.keys(saved.saved.lead).sort(), ["id", "status"], JSON.stringify(saved));
    } finally {
      await page.close();
    }
  });
});

/** Objects with their keys sorted, so two JSON values compare by content, not key order. */
const canonical = (v) => Array.isArray(v) ? v.map(canonical)
  : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v;

describe("the snapshot contract: content.js builds what html.rs builds", () => {
  let nativeSnapshot; // path of extension/examples/native_snapshot

  before(async () => {
    // Built by run.sh already; this is a no-op check then (and a first build otherwise).
    const { stdout } = await run("cargo", ["build", "-q", "-p", "leadsync-extension", "--example", "native_snapshot", "--message-format=json"],
      { cwd: ROOT, maxBuffer: 64 << 20 });
    nativeSnapshot = stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l))
      .find((m) => m.reason === "compiler-artifact" && m.target?.name === "native_snapshot" && m.executable)?.executable;
    assert.ok(nativeSnapshot, "cargo built the native_snapshot example");
    // Record every snapshot the shims send (a second listener; the router still answers).
    await ext.worker.evaluate(() => {
      if (globalThis.e2eSnapshots) return;
      globalThis.e2eSnapshots = [];
      chrome.runtime.onMessage.addListener((m) => {
        if (m && m.type === "ExtractPage") globalThis.e2eSnapshots.push(m.snapshot);
      });
    });
  });

  it("every fixture page: the shim's first snapshot equals the native one", async () => {
    const pages = (await readdir(FIXTURES)).filter((f) => f.endsWith(".html")).sort();
    assert.ok(pages.length >= 30, `found the fixture pages (${pages.length})`);
    const mismatches = [];
    for (const file of pages) {
      const url = `${server.origin}/${file}`;
      const page = await ext.browser.newPage();
      try {
        await page.goto(url, { waitUntil: "domcontentloaded", timeout: TIMEOUT_MS });
        const shim = await waitFor(`the snapshot of ${file}`, () => ext.worker.evaluate((u) => globalThis.e2eSnapshots.find((s) => s.url === u), url));
        const { stdout } = await run(nativeSnapshot, [join(FIXTURES, file), url], { maxBuffer: 64 << 20 });
        const a = canonical(shim), b = canonical(JSON.parse(stdout));
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          const field = ["url", "title", "lang", "nodes", "texts", "json_ld", "meta"].find((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
          const i = Array.isArray(a[field]) ? a[field].findIndex((x, j) => JSON.stringify(x) !== JSON.stringify(b[field][j])) : -1;
          mismatches.push(`${file}: ${field}${i >= 0 ? `[${i}]` : ""}: shim ${JSON.stringify(i >= 0 ? a[field][i] : a[field])} vs native ${JSON.stringify(i >= 0 ? b[field][i] : b[field])}`);
        }
      } finally {
        await page.close();
      }
    }
    assert.deepEqual(mismatches, []);
  });
});
