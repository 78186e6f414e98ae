// End-to-end: the built extension in real headless Chromium against the real leadsync server and
// Postgres — sign-in, in-page Save reaching IndexedDB and the server, offline captures arriving
// exactly once, two profiles on one account seeing each other's edits live, and a worker stopped
// in the middle of a sync losing nothing.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { launch, stopWorker, TIMEOUT_MS } from "./lib/browser.mjs";
import { startServer } from "./lib/server.mjs";
import { startLeadsync } from "./lib/leadsync.mjs";
import { domTree, text, waitFor } from "./lib/shadow.mjs";
import { badges, click, item, menuOf, noteText, openMenu } from "./lib/menu.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const FIXTURES = join(ROOT, "tests/fixtures/pages");
const DIST = resolve(ROOT, process.env.LEADSYNC_DIST || "dist/chrome");
const ARTIFACTS = join(ROOT, "artifacts/e2e");
const PASSWORD = "correct horse battery staple";

let pages;
let api;
const browsers = [];

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  pages = await startServer([FIXTURES, join(HERE, "pages")]);
  // Access tokens that expire within a test: every browser here must refresh its tokens (rotation,
  // single use) while it syncs, as a real one does every 15 minutes.
  api = await startLeadsync(ROOT, { env: { LEADSYNC_ACCESS_TTL_SECS: "8" } });
});

after(async () => {
  for (const b of browsers) await b.close();
  if (pages) await pages.close();
  if (api) await api.close();
});

async function browser(options) {
  const b = await launch(DIST, options);
  browsers.push(b);
  return b;
}

/** A message-API request to the worker, as the popup sends it. */
const ask = (ext, request) => ext.ask(request);

async function open(ext, name) {
  const page = await ext.browser.newPage();
  const client = await page.createCDPSession();
  await page.goto(`${pages.origin}/${name}.html`, { waitUntil: "domcontentloaded", timeout: TIMEOUT_MS });
  return { page, client };
}

/** Click "Save lead" in the badge menu of `value` and wait for the confirmation. */
async function saveFromPage(page, client, value, note = /^Saved · in leadsync · New$/) {
  await waitFor(`the badge of ${value}`, async () => (await badges(page)).some((b) => b.value === value));
  let menu = await openMenu(page, client, value);
  await click(page, client, item(menu, "Save lead"));
  await waitFor(`the Saved note of ${value}`, async () => note.test(await noteText(client, value)));
  await page.keyboard.press("Escape");
}

/** The leads in the worker's IndexedDB, read with the raw IndexedDB API (not through our code). */
function idbLeads(ext) {
  return ext.worker.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open("leadsync");
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const tx = req.result.transaction("leads", "readonly");
      const all = tx.objectStore("leads").getAll();
      all.onsuccess = () => resolve(all.result.map((r) => JSON.parse(r.json)));
      all.onerror = () => reject(all.error);
    };
  }));
}

const emailsOf = (leads) => leads.map((l) => l.email).filter(Boolean).sort();

/**
 * Open the real toolbar popup (chrome.action.openPopup, as a click on the toolbar button does) for
 * the tab `page`, and resolve to its page once the Yew app has rendered.
 */
async function openPopup(ext, page) {
  await page.bringToFront();
  const opened = await ext.worker.evaluate(() => chrome.action.openPopup().then(() => "ok", (e) => e.message));
  assert.equal(opened, "ok", `chrome.action.openPopup: ${opened}`);
  const target = await ext.browser.waitForTarget((t) => t.url() === `chrome-extension://${ext.extensionId}/popup.html`, { timeout: TIMEOUT_MS });
  const popup = await target.asPage();
  await popup.waitForSelector("[data-testid=sync-status]", { timeout: TIMEOUT_MS });
  return popup;
}

const textOf = (popup, sel) => popup.$eval(sel, (el) => el.textContent.trim()).catch(() => null);

describe("the extension with the real server and Postgres", () => {
  let a; // first profile
  let token;
  const email = "owner@acme-robotics.com";

  it("signs up from the extension, saves a contact in the page, and the lead reaches IndexedDB and the server once", async () => {
    a = await browser();
    const bad = await ask(a, { type: "SignIn", server_url: api.url, email, password: "wrong password" });
    assert.ok(bad.error, `a wrong password is an error: ${JSON.stringify(bad)}`);
    const up = await ask(a, { type: "SignUp", server_url: api.url, tenant_name: "Acme Robotics", email, password: PASSWORD });
    assert.equal(up.status?.signed_in, true, JSON.stringify(up));
    assert.equal(up.status.account.email, email);
    token = await api.login(email, PASSWORD); // refreshed by api.leads when it expires

    const { page, client } = await open(a, "team-grid-us");
    try {
      await saveFromPage(page, client, "jane.doe@acme-robotics.com");
      const stored = await idbLeads(a);
      const jane = stored.find((l) => l.lead.fields.email?.value === "jane.doe@acme-robotics.com");
      assert.ok(jane, "the lead is in IndexedDB");
      assert.equal(jane.lead.fields.name.value, "Jane Doe");

      const onServer = await waitFor("Jane on the server", async () => {
        const leads = await api.leads(token);
        return leads.find((l) => l.email === "jane.doe@acme-robotics.com") || null;
      });
      assert.equal(onServer.name, "Jane Doe");
      assert.equal(onServer.phone, "+14157234568");
      assert.equal(onServer.status, "new");
      assert.equal(onServer.id, jane.lead.id, "the id the extension made is the server's id");
      assert.ok(onServer.source_url.startsWith(pages.origin), onServer.source_url);

      // Capturing the same person again (from the phone badge) updates, never duplicates.
      await saveFromPage(page, client, "+14157234568", /^Already in leadsync · New/);
      await waitFor("the sync to settle", async () => {
        const st = (await ask(a, { type: "GetStatus" })).status;
        return st.pending === 0 && st.pending_events === 0 && !st.syncing;
      });
      const leads = await api.leads(token);
      assert.equal(leads.filter((l) => l.email === "jane.doe@acme-robotics.com").length, 1);
      assert.equal(leads.length, 1);

      // The activity went to the server too (captures are events).
      const st = await ask(a, { type: "GetStatus" });
      assert.equal(st.status.pending_events, 0, JSON.stringify(st));
      assert.equal(st.status.online, true);
      assert.equal(st.status.last_error, null);
    } finally {
      await page.close();
    }
  });

  it("offline: with the server stopped, three captures wait on the device, then arrive exactly once", async () => {
    await api.stop();
    const { page, client } = await open(a, "team-grid-us");
    try {
      const three = ["marcus.liu@acme-robotics.com", "priya.natarajan@acme-robotics.com", "tom.reilly@acme-robotics.com"];
      for (const e of three) await saveFromPage(page, client, e);
      const offline = await waitFor("the offline state", async () => {
        const s = (await ask(a, { type: "GetStatus" })).status;
        return s.pending === 3 && !s.online && s.last_error ? s : null;
      });
      assert.equal(offline.last_error.code, "offline");
      assert.match(offline.last_error.message, /Cannot reach the leadsync server/);
      assert.equal((await idbLeads(a)).length, 4, "all four leads are on the device");
      // The popup says so, with the reason and a Retry button.
      const popup = await openPopup(a, page);
      await waitFor("the popup's offline state", async () => (await textOf(popup, "[data-testid=sync-state]")) === "Offline");
      assert.equal(await textOf(popup, "[data-testid=sync-pending]"), "3 change(s) waiting");
      assert.match(await textOf(popup, "[data-testid=sync-error]"), /^Cannot reach the leadsync server at .*Retry$/);
      await popup.screenshot({ path: join(ARTIFACTS, "popup-offline.png") });
      await popup.close();

      await api.start();
      // No button pressed: the backoff retry (or the alarm) brings them over by itself.
      await waitFor("the three captures on the server", async () => {
        const leads = await api.leads(token);
        return three.every((e) => leads.some((l) => l.email === e)) ? leads : null;
      }, { timeout: 90_000 });
      await waitFor("nothing pending", async () => (await ask(a, { type: "GetStatus" })).status.pending === 0, { timeout: 30_000 });
      const leads = await api.leads(token);
      assert.deepEqual(emailsOf(leads), ["jane.doe@acme-robotics.com", ...three].sort(), "each exactly once");
    } finally {
      await api.start(); // whatever failed above, the next tests get a running server
      await page.close();
    }
  });

  it("two profiles on one account: an edit in one shows in the other within 2 s; concurrent offline edits of different fields both survive", async () => {
    const b = await browser();
    const signIn = await ask(b, { type: "SignIn", server_url: api.url, email, password: PASSWORD });
    assert.equal(signIn.status?.signed_in, true, JSON.stringify(signIn));
    const listed = await waitFor("B's copy of the team's leads", async () => {
      const r = await ask(b, { type: "ListLeads", query: { q: "jane" } });
      return r.leads.items.length === 1 ? r.leads.items[0] : null;
    });
    await waitFor("B live", async () => (await ask(b, { type: "GetStatus" })).status.live);
    await waitFor("A live", async () => (await ask(a, { type: "GetStatus" })).status.live);

    const edited = await ask(a, { type: "UpdateLead", id: listed.id, edit: { fields: { status: "qualified" } } });
    assert.equal(edited.lead?.status, "qualified", JSON.stringify(edited));
    await waitFor("the edit in profile B", async () => (await ask(b, { type: "GetLead", id: listed.id })).lead?.status === "qualified", { timeout: 2_000, interval: 50 });

    // Both offline, each edits another field of the same lead.
    await api.stop();
    const ea = await ask(a, { type: "UpdateLead", id: listed.id, edit: { fields: { title: "VP Engineering" } } });
    const eb = await ask(b, { type: "UpdateLead", id: listed.id, edit: { fields: { notes: "Met at RoboExpo" }, add_tags: ["expo"] } });
    assert.ok(ea.lead && eb.lead, JSON.stringify({ ea, eb }));
    await api.start();
    await ask(a, { type: "SyncNow" });
    await ask(b, { type: "SyncNow" });
    await ask(a, { type: "SyncNow" });
    for (const [name, ext] of [["A", a], ["B", b]]) {
      const l = await waitFor(`both edits in ${name}`, async () => {
        const r = (await ask(ext, { type: "GetLead", id: listed.id })).lead;
        return r && r.fields.title === "VP Engineering" && r.fields.notes === "Met at RoboExpo" ? r : null;
      }, { timeout: 20_000 });
      assert.deepEqual(l.tags, ["expo"]);
      assert.equal(l.status, "qualified");
    }
    const server = (await api.leads(token)).find((l) => l.id === listed.id);
    assert.equal(server.title, "VP Engineering");
    assert.equal(server.notes, "Met at RoboExpo");
  });

  it("the worker is stopped in the middle of a sync, and nothing is lost", async () => {
    // A profile DevTools does not attach to, so Chrome restarts its worker as it would for a user.
    const c = await browser({ attachWorker: false });
    const signIn = await ask(c, { type: "SignIn", server_url: api.url, email, password: PASSWORD });
    assert.equal(signIn.status?.signed_in, true, JSON.stringify(signIn));
    // Twenty captures, each acknowledged (so stored); then the worker is stopped while it pushes them.
    const names = Array.from({ length: 20 }, (_, i) => `Worker Kill ${i}`);
    const candidate = (i, n) => ({ kind: "person", confidence: 0.9, values: [
      { field: "name", value: n, provenance: "selection", confidence: 0.9 },
      { field: "email", value: `kill${i}@brightlane.io`, provenance: "selection", confidence: 0.9 },
    ] });
    // The server is down while they are captured, so all twenty wait in the outbox.
    await api.stop();
    const saved = await Promise.all(names.map((n, i) => ask(c, { type: "SaveLead", candidate: candidate(i, n) })));
    assert.ok(saved.every((r) => r.saved?.created), JSON.stringify(saved.find((r) => !r.saved)));
    await waitFor("twenty waiting", async () => (await ask(c, { type: "GetStatus" })).status.pending === 20);
    // Server back; Retry starts a sync, and the worker is stopped while it runs.
    await api.start();
    const retry = ask(c, { type: "SyncNow" }).catch(() => null);
    await new Promise((r) => setTimeout(r, 30));
    await stopWorker(c.browser, c.extensionId);
    await retry;
    // Wake it again the way a user would: a page with contacts talks to it.
    const { page } = await open(c, "team-grid-us");
    try {
      await waitFor("badges after the restart", async () => (await badges(page)).length > 0, { timeout: 30_000 });
      await waitFor("all twenty on the server", async () => {
        const leads = await api.leads(token);
        return names.every((n) => leads.some((l) => l.name === n)) ? leads : null;
      }, { timeout: 90_000 });
      const leads = await api.leads(token);
      for (const n of names) assert.equal(leads.filter((l) => l.name === n).length, 1, `${n} exactly once`);
      await waitFor("the device's outbox to empty", async () => (await ask(c, { type: "GetStatus" })).status.pending === 0);
    } finally {
      await page.close();
    }
  });

  it("the popup: sign in through its form; Save selection as lead; This page with Save all; My leads search and filter; lead detail edits", async () => {
    const d = await browser();
    const { page } = await open(d, "team-grid-us");
    try {
      await waitFor("badges", async () => (await badges(page)).length >= 10);
      let popup = await openPopup(d, page);
      await popup.waitForSelector("[data-testid=auth-form]");
      await popup.screenshot({ path: join(ARTIFACTS, "popup-sign-in.png") });
      const server = await popup.$("input[name=server]");
      await server.click({ clickCount: 3 });
      await server.type(api.url);
      await popup.type("input[name=email]", email);
      await popup.type("input[name=password]", "not the password");
      await popup.click("[data-testid=auth-submit]");
      const refused = await popup.waitForSelector("[data-testid=auth-error]");
      assert.match(await refused.evaluate((e) => e.textContent), /password/i, "a wrong password says so");
      await popup.$eval("input[name=password]", (e) => { e.value = ""; });
      await popup.type("input[name=password]", PASSWORD);
      await popup.click("[data-testid=auth-submit]");
      await waitFor("signed in", async () => (await textOf(popup, "[data-testid=account]")) === email);
      await popup.close();

      // Context menu "Save selection as lead": the background asks the shim to read the selection.
      await page.evaluate(() => {
        const card = [...document.querySelectorAll(".team-card")].find((c) => c.textContent.includes("Daniel Okoro"));
        const range = document.createRange();
        range.selectNodeContents(card);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      });
      await d.worker.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
        await chrome.tabs.sendMessage(tab.id, { type: "CaptureSelection" });
      });
      await waitFor("Daniel on the server", async () => (await api.leads(token)).some((l) => l.name === "Daniel Okoro" && l.phone === "+14157234579"));

      // This page: every reachable contact, and Save all.
      popup = await openPopup(d, page);
      await popup.waitForSelector("[data-testid=page-contact]");
      const count = await popup.$$eval("[data-testid=page-contact]", (els) => els.length);
      assert.ok(count >= 9, `${count} contacts listed`);
      await popup.screenshot({ path: join(ARTIFACTS, "popup-this-page.png") });
      await popup.click("[data-testid=save-all]");
      await waitFor("every contact saved", async () => (await popup.$$("[data-testid=open-saved]")).length === count);
      await waitFor("the team's leads on the server", async () => {
        const leads = await api.leads(token);
        return ["ben.adler@acme-robotics.com", "grace.kim@acme-robotics.com", "sofia.herrera@acme-robotics.com"].every((e) => leads.some((l) => l.email === e));
      });
      const leads = await api.leads(token);
      assert.equal(leads.filter((l) => l.name === "Daniel Okoro").length, 1, "Save all did not duplicate the selection's lead");
      assert.equal(leads.filter((l) => l.email === "jane.doe@acme-robotics.com").length, 1);

      // My leads: search and status filter.
      await popup.click("[data-testid=tab-leads]");
      await popup.waitForSelector("[data-testid=lead]");
      await popup.type("[data-testid=search]", "grace");
      await waitFor("the search result", async () => (await popup.$$("[data-testid=lead]")).length === 1 && /Grace/.test(await textOf(popup, "[data-testid=lead]")));
      await popup.$eval("[data-testid=search]", (e) => { e.value = ""; e.dispatchEvent(new InputEvent("input", { bubbles: true })); });
      await popup.select("[data-testid=status-filter]", "qualified");
      await waitFor("only qualified leads", async () => {
        const st = await popup.$$eval("[data-testid=lead-status]", (els) => els.map((e) => e.textContent));
        return st.length === 1 && st[0] === "Qualified";
      });
      await popup.select("[data-testid=status-filter]", "");
      await waitFor("every lead again", async () => (await popup.$$("[data-testid=lead]")).length > 5);
      await popup.screenshot({ path: join(ARTIFACTS, "popup-my-leads.png") });

      // Detail: change the status and a field; a bad value is explained and nothing is saved.
      const grace = leads.find((l) => l.email === "grace.kim@acme-robotics.com");
      await popup.click(`[data-testid=lead][data-id="${grace.id}"]`);
      await popup.waitForSelector("[data-testid=lead-detail]");
      // Typing starts once the form holds the lead (never into a form still being filled).
      await waitFor("the form filled with Grace's lead", async () => (await popup.$eval("input[name=email]", (e) => e.value)) === grace.email);
      assert.equal(await textOf(popup, "[data-testid=detail-owner]"), `Owner: you (${email})`, "captured leads belong to who captured them");
      await popup.select("[data-testid=detail-status]", "contacted");
      const phone = await popup.$("input[name=phone]");
      await phone.click({ clickCount: 3 });
      await phone.type("12");
      await popup.click("[data-testid=detail-save]");
      await waitFor("the phone error", async () => /phone/.test((await textOf(popup, "[data-testid=detail-note]")) || ""));
      assert.equal((await api.leads(token)).find((l) => l.id === grace.id).status, "new", "nothing was saved");
      await phone.click({ clickCount: 3 });
      await phone.type("+1 415 723 4599");
      await popup.type("input[name=title]", " (EMEA)");
      // A refresh while the form is being edited (the title still has the focus, nothing committed
      // by a blur): a teammate changes the notes on the server; the poke, the pull and the form's
      // reload bring their note into the untouched field and leave every typed field as typed.
      const teammate = await api.login(email, PASSWORD);
      const patched = await api.request("PATCH", `/v1/leads/${grace.id}`, teammate.access_token, { notes: "Prefers email" });
      assert.equal(patched.status, 200, patched.text);
      const form = () => popup.evaluate(() => {
        const v = (sel) => document.querySelector(sel)?.value;
        return { status: v("select[name=status]"), phone: v("input[name=phone]"), title: v("input[name=title]"), notes: v("textarea[name=notes]"), focus: document.activeElement?.name };
      });
      const typedKept = (f) => f.status === "contacted" && f.phone === "+1 415 723 4599" && f.title.endsWith(" (EMEA)");
      let seen;
      await waitFor("the teammate's note in the form being edited", async () => {
        seen = await form();
        return !typedKept(seen) || seen.notes === "Prefers email";
      });
      assert.ok(typedKept(seen), `a refresh overwrote what was being typed: ${JSON.stringify(seen)}`);
      assert.equal(seen.focus, "title", "the refresh left the focus where the person types");
      await popup.click("[data-testid=detail-save]");
      await waitFor("Saved.", async () => (await textOf(popup, "[data-testid=detail-note]")) === "Saved.");
      await popup.screenshot({ path: join(ARTIFACTS, "popup-lead-detail.png") });
      const after = await waitFor("the edit on the server", async () => {
        const l = (await api.leads(token)).find((x) => x.id === grace.id);
        return l.status === "contacted" ? l : null;
      });
      assert.equal(after.phone, "+14157234599");
      assert.match(after.title, /\(EMEA\)$/);
      assert.equal(after.notes, "Prefers email", "saving the form kept the teammate's note (only edited fields are sent)");
      await popup.close();
    } finally {
      await page.close();
    }
  });

  it("the options page: export as CSV and JSON; sign-out pushes pending work first, or warns before discarding it", async () => {
    const e = await browser();
    const signIn = await ask(e, { type: "SignIn", server_url: api.url, email, password: PASSWORD });
    assert.equal(signIn.status?.signed_in, true, JSON.stringify(signIn));
    const downloads = await mkdtemp(join(tmpdir(), "leadsync-downloads-"));
    const options = await e.browser.newPage();
    try {
      const cdp = await options.createCDPSession();
      await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
      await options.goto(`chrome-extension://${e.extensionId}/options.html`, { waitUntil: "load" });
      await options.waitForSelector("[data-testid=options-account]");
      assert.match(await textOf(options, "[data-testid=options-account]"), new RegExp(`Signed in as ${email} \\(admin\\) on ${api.url}`));

      // Export: the files a spreadsheet (or a script) opens, with every lead on the device.
      const count = (await ask(e, { type: "GetStatus" })).status.leads;
      assert.ok(count > 10, `${count} leads pulled`);
      await options.click("[data-testid=export-csv]");
      await options.click("[data-testid=export-json]");
      const csv = await waitFor("the CSV download", async () => readFile(join(downloads, "leadsync-leads.csv"), "utf8").catch(() => null));
      const json = await waitFor("the JSON download", async () => readFile(join(downloads, "leadsync-leads.json"), "utf8").then(JSON.parse).catch(() => null));
      const lines = csv.trim().split("\r\n");
      assert.match(lines[0], /^"id","name","email","phone",/);
      assert.equal(lines.length, count + 1, "a header and one row per lead");
      assert.ok(lines.some((l) => l.includes('"jane.doe@acme-robotics.com"') && l.includes('"qualified"')), "Jane's row");
      assert.equal(json.length, count);
      assert.ok(json.some((l) => l.fields.email === "grace.kim@acme-robotics.com" && l.status === "contacted"));

      // Offline with a pending change: sign-out refuses to lose it, and says what to do.
      await api.stop();
      const candidate = { kind: "person", confidence: 0.9, values: [
        { field: "name", value: "Pending Person", provenance: "selection", confidence: 0.9 },
        { field: "email", value: "pending.person@brightlane.io", provenance: "selection", confidence: 0.9 },
      ] };
      assert.ok((await ask(e, { type: "SaveLead", candidate })).saved);
      await options.click("[data-testid=sign-out]");
      const warning = await options.waitForSelector("[data-testid=discard-warning]", { timeout: 30_000 });
      assert.match(await warning.evaluate((el) => el.textContent), /1 change\(s\).*not on the server yet.*sync first, or sign out anyway and discard them/);
      await options.screenshot({ path: join(ARTIFACTS, "options-sign-out-pending.png") });
      assert.equal((await ask(e, { type: "GetStatus" })).status.signed_in, true, "still signed in");

      // Back online: sign-out pushes the change, then forgets the account's data on this device.
      await api.start();
      await options.reload({ waitUntil: "load" });
      await options.waitForSelector("[data-testid=sign-out]");
      await options.click("[data-testid=sign-out]");
      await waitFor("signed out", async () => /^Signed out/.test((await textOf(options, "[data-testid=options-note]")) || ""), { timeout: 30_000 });
      assert.ok((await api.leads(token)).some((l) => l.email === "pending.person@brightlane.io"), "the pending change reached the server first");
      const after = (await ask(e, { type: "GetStatus" })).status;
      assert.equal(after.signed_in, false);
      assert.equal(after.leads, 0, "the account's leads left this device");
      assert.equal((await idbLeads(e)).length, 0);
      await options.waitForSelector("[data-testid=auth-form]");
    } finally {
      await api.start();
      await options.close();
      await rm(downloads, { recursive: true, force: true });
    }
  });

  it("the capture command (Alt+Shift+L) saves every contact of a page, and a second capture duplicates none", async () => {
    const labels = JSON.parse(await readFile(join(FIXTURES, "obfuscated-brackets-lab.json"), "utf8"));
    const { page, client } = await open(a, "obfuscated-brackets-lab");
    try {
      await waitFor("badges", async () => (await badges(page)).length >= labels.emails.length);
      // What the command's listener does: tell the active tab's shim to capture the page.
      const capture = async () => {
        await page.evaluate(() => document.querySelector("leadsync-toast")?.remove());
        await page.bringToFront();
        await a.worker.evaluate(async () => {
          const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
          await chrome.tabs.sendMessage(tab.id, { type: "CapturePage" });
        });
        return waitFor("the capture toast", async () => {
          const host = (await domTree(client)).find(({ node }) => node.localName === "leadsync-toast");
          const said = host ? text(host.node).trim() : "";
          return /^Saved \d+ new lead/.test(said) ? said : null;
        });
      };
      const first = (await capture()).match(/^Saved (\d+) new lead\(s\); (\d+) already in leadsync\.$/);
      assert.ok(first, "the toast counts new and known leads");
      assert.ok(Number(first[2]) >= 1, "Jane Doe (on this page too) was already a lead");
      await waitFor("every labelled email on the server", async () => {
        const leads = await api.leads(token);
        return labels.emails.every((e) => leads.some((l) => l.email === e));
      });
      const again = (await capture()).match(/^Saved (\d+) new lead\(s\); (\d+) already in leadsync\.$/);
      assert.equal(Number(again[1]), 0, "nothing new the second time");
      assert.equal(Number(again[2]), Number(first[1]) + Number(first[2]));
      await waitFor("nothing pending", async () => (await ask(a, { type: "GetStatus" })).status.pending === 0);
      const leads = await api.leads(token);
      for (const e of labels.emails) assert.equal(leads.filter((l) => l.email === e).length, 1, `${e} exactly once`);
    } finally {
      await page.close();
    }
  });

  it("in a French browser the popup, the badge menu and the background's errors speak French", async () => {
    const f = await browser({ lang: "fr" });
    const { page, client } = await open(f, "team-grid-us");
    try {
      await waitFor("badges", async () => (await badges(page)).length > 0);
      let popup = await openPopup(f, page);
      await popup.waitForSelector("[data-testid=auth-form]");
      assert.equal(await textOf(popup, "[data-testid=auth-submit]"), "Se connecter");
      assert.equal(await textOf(popup, "[data-testid=sync-state]"), "Non connecté");
      // A worker error, localised from its code and params: the server is unreachable.
      const server = await popup.$("input[name=server]");
      await server.click({ clickCount: 3 });
      await server.type("http://127.0.0.1:9");
      await popup.type("input[name=email]", email);
      await popup.type("input[name=password]", PASSWORD);
      await popup.click("[data-testid=auth-submit]");
      const err = await popup.waitForSelector("[data-testid=auth-error]");
      assert.match(await err.evaluate((e) => e.textContent), /^Impossible de joindre un serveur leadsync à http:\/\/127\.0\.0\.1:9 .*Vérifiez l'adresse/);
      await popup.screenshot({ path: join(ARTIFACTS, "popup-fr-sign-in-error.png") });
      await popup.close();
      const menu = await openMenu(page, client, "jane.doe@acme-robotics.com");
      for (const label of ["Enregistrer le prospect", "Appeler", "Copier"]) assert.ok(item(menu, label), label);
    } finally {
      await page.close();
    }
  });
});
