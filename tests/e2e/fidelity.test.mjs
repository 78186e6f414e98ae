// End-to-end capture fidelity: every labelled page (tests/fixtures/pages) served under its own host
// name with a strict CSP, the built extension in headless Chromium, the popup's "This page" → Save
// all, the sync, then the server's leads compared with what the extension's extractor found on the
// page: no email or phone lost between the page and the server, each person under their own name,
// and the popup's messages ("Saved", "Added to <lead>", "Already in <lead>") true.
//
//   LEADSYNC_FIDELITY_PAGES=team-grid-us,team-list-uk   only these pages (while working on them)
//   LEADSYNC_FIDELITY_ALL_LATE=1                        every page rendered late, as a single-page app
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { launch, TIMEOUT_MS } from "./lib/browser.mjs";
import { startLeadsync } from "./lib/leadsync.mjs";
import { startSites } from "./lib/sites.mjs";
import { domTree, text, waitFor } from "./lib/shadow.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const FIXTURES = join(ROOT, "tests/fixtures/pages");
const DIST = resolve(ROOT, process.env.LEADSYNC_DIST || "dist/chrome");
const ONLY = (process.env.LEADSYNC_FIDELITY_PAGES || "").split(",").map((s) => s.trim()).filter(Boolean);
const EMAIL = "fidelity@leadsync-e2e.org";
const PASSWORD = "correct horse battery staple";

let sites;
let api;
let ext;
let auth;

before(async () => {
  sites = await startSites(FIXTURES, { allLate: process.env.LEADSYNC_FIDELITY_ALL_LATE === "1" });
  api = await startLeadsync(ROOT);
  ext = await launch(DIST, { proxy: sites.proxy });
  const up = await ext.ask({ type: "SignUp", server_url: api.url, tenant_name: "Fidelity", email: EMAIL, password: PASSWORD });
  assert.equal(up.status?.signed_in, true, JSON.stringify(up));
  auth = await api.login(EMAIL, PASSWORD);
});

after(async () => {
  if (ext) await ext.close();
  if (api) await api.close();
  if (sites) await sites.close();
});

// --- what a lead holds -----------------------------------------------------------------------

const normEmail = (v) => String(v).trim().toLowerCase();
const normPhone = (v) => String(v).trim().replace(/^tel:/i, "").replace(/[\s().-]/g, "").toLowerCase();

/** A server lead's emails and phones: `email`, `phone` and `other_contacts` (`mailto:…`, `tel:…`). */
function reachOf(lead) {
  const emails = new Set();
  const phones = new Set();
  if (lead.email) emails.add(normEmail(lead.email));
  if (lead.phone) phones.add(normPhone(lead.phone));
  const others = Array.isArray(lead.other_contacts) ? lead.other_contacts : [];
  for (const c of others) {
    const m = /^(mailto|tel):(.*)$/i.exec(String(c));
    if (!m) continue;
    let v = m[2];
    try { v = decodeURIComponent(v); } catch (_) { /* as written */ }
    if (m[1].toLowerCase() === "mailto") emails.add(normEmail(v));
    else phones.add(normPhone(v));
  }
  return { emails, phones };
}

const valuesOf = (c, field) => c.values.filter((v) => v.field === field).map((v) => v.value);
const best = (c, field) => valuesOf(c, field)[0];
const reachable = (c) => Boolean(best(c, "email") || best(c, "phone"));

/** The popup's message for a contact, read: {kind: saved|added|already|error|none, name}. */
function readMessage(item) {
  if (item.error) return { kind: "error", text: item.error };
  const said = (item.action || "").trim();
  if (!item.saved) return { kind: "none", text: said };
  let m = /^Added to (.+?)(?: — open)?$/.exec(said);
  if (m) return { kind: "added", name: m[1], text: said };
  m = /^Already in (.+?)(?: — open)?$/.exec(said);
  if (m) return { kind: "already", name: m[1], text: said };
  if (/^Saved\b/.test(said)) return { kind: "saved", text: said };
  return { kind: "unknown", text: said };
}

// --- driving the extension -------------------------------------------------------------------

async function activeTabId() {
  return ext.worker.evaluate(async () => (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id);
}

/** Send `msg` to the content shim of tab `id` (as the background and the popup do). */
function toShim(id, msg) {
  return ext.worker.evaluate((tab, m) => chrome.tabs.sendMessage(tab, m), id, msg);
}

/** The real toolbar popup for the tab `page`, once the Yew app has rendered. */
async function openPopup(page) {
  await page.bringToFront();
  const opened = await ext.worker.evaluate(() => chrome.action.openPopup().then(() => "ok", (e) => e.message));
  assert.equal(opened, "ok", `chrome.action.openPopup: ${opened}`);
  const target = await ext.browser.waitForTarget((t) => t.url() === `chrome-extension://${ext.extensionId}/popup.html`, { timeout: TIMEOUT_MS });
  const popup = await target.asPage();
  await popup.waitForSelector("[data-testid=sync-status]", { timeout: TIMEOUT_MS });
  return popup;
}

/** The This page list as shown: one entry per contact, in order. */
function listed(popup) {
  return popup.$$eval("[data-testid=page-contact]", (els) => els.map((li) => {
    const button = li.querySelector("button");
    const saved = li.querySelector("[data-testid=open-saved]");
    return {
      name: li.querySelector(".name")?.textContent.trim() || "",
      reach: li.querySelector(".who .muted")?.textContent.trim() || "",
      action: button?.textContent.trim() || "",
      saved: Boolean(saved),
      lead: saved?.getAttribute("data-lead") || null,
      error: li.querySelector(".error")?.textContent.trim() || null,
    };
  }));
}

async function synced() {
  return waitFor("the device to sync (nothing pending)", async () => {
    const s = (await ext.ask({ type: "GetStatus" })).status;
    return s.pending === 0 && s.pending_events === 0 && !s.syncing ? s : null;
  }, { timeout: 60_000 });
}

/**
 * One page through the real path. Resolves to what was found, what the popup said and what the
 * server holds, compared.
 */
async function capture(site) {
  const before = new Set((await api.leads(auth)).map((l) => l.id));
  const page = await ext.browser.newPage();
  const client = await page.createCDPSession();
  try {
    await page.goto(site.url, { waitUntil: "load", timeout: TIMEOUT_MS });
    assert.equal(new URL(page.url()).host, new URL(site.url).host, "the page is at its own address");
    if (site.late) {
      await waitFor(`${site.name}: its body, rendered late`, () => page.evaluate(() => !document.querySelector('script[src^="/__leadsync-late/"]') && document.body.childElementCount > 0));
    }
    await page.bringToFront();
    const tab = await activeTabId();
    // A scan of the page as it is now (the popup lists what the shim's last scan found): the toast
    // that says how many contacts it found is its end.
    await waitFor(`${site.name}: the shim to take a scan`, async () => (await toShim(tab, { type: "ScanNow" }))?.accepted === "ScanNow");
    await waitFor(`${site.name}: the scan's toast`, async () => {
      const host = (await domTree(client)).find(({ node }) => node.localName === "leadsync-toast");
      return host && /^(Contacts found on this page|No contacts found)/.test(text(host.node).trim());
    });
    const found = await toShim(tab, { type: "GetCandidates" });
    const contacts = found.candidates.filter(reachable);

    const popup = await openPopup(page);
    let shown = [];
    let pre = [];
    try {
      await popup.waitForSelector("[data-testid=page-contacts], [data-testid=page-none]", { timeout: TIMEOUT_MS });
      pre = await listed(popup);
      if (pre.length && pre.some((i) => !i.saved)) {
        await popup.click("[data-testid=save-all]");
        await waitFor(`${site.name}: every contact saved or refused`, async () => (await listed(popup)).every((i) => i.saved || i.error));
      }
      shown = await listed(popup);
    } finally {
      await popup.close();
    }
    const status = await synced();
    const leads = await api.leads(auth);
    return { ...compare(site, contacts, pre, shown, before, leads), syncError: status.last_error };
  } finally {
    await page.close();
  }
}

/** What the popup listed and said, against what the server holds. */
function compare(site, contacts, pre, shown, before, leads) {
  const held = leads.map((l) => ({ lead: l, ...reachOf(l) }));
  const holders = (field, v) => held.filter((h) => (field === "email" ? h.emails.has(normEmail(v)) : h.phones.has(normPhone(v))));
  const r = {
    name: site.name, late: site.late, emails: new Set(), phones: new Set(), onServer: 0, lost: [],
    persons: 0, namesWrong: [], messages: 0, messagesFalse: [], problems: [],
  };
  for (const c of contacts) {
    for (const e of valuesOf(c, "email")) r.emails.add(normEmail(e));
    for (const p of valuesOf(c, "phone")) r.phones.add(normPhone(p));
  }
  for (const e of r.emails) (holders("email", e).length ? r.onServer++ : r.lost.push(e));
  for (const p of r.phones) (holders("phone", p).length ? r.onServer++ : r.lost.push(p));

  if (shown.length !== contacts.length) {
    r.problems.push(`the popup listed ${shown.length} contacts, the shim found ${contacts.length}`);
  }
  const claimed = new Set(); // new leads a "Saved" of this page accounts for
  contacts.forEach((c, i) => {
    const item = shown[i];
    const reach = [best(c, "email"), best(c, "phone")].filter(Boolean).join(" · ");
    if (!item || item.reach !== reach) {
      r.problems.push(`contact ${i} (${reach}) is shown as ${item ? item.reach : "nothing"}`);
      return;
    }
    const emails = valuesOf(c, "email");
    const phones = valuesOf(c, "phone");
    // The lead this contact is: the one holding its email, else its phone (phones are shared).
    const key = emails.length ? ["email", emails[0]] : ["phone", phones[0]];
    const keyHolders = holders(...key);
    const name = best(c, "name");
    const holdsAll = (h) => emails.every((e) => h.emails.has(normEmail(e))) && phones.every((p) => h.phones.has(normPhone(p)));
    const message = readMessage(item);
    const wasKnown = pre[i]?.saved;
    r.messages++;
    let truth = true;
    let why = "";
    if (wasKnown) {
      // Listed as a lead when the popup opened (Save all leaves it alone): true only if a lead
      // from before holds all of it, else what this page adds is dropped under a "saved".
      const earlier = keyHolders.filter((h) => before.has(h.lead.id));
      truth = message.kind !== "none" && message.kind !== "error" && earlier.some(holdsAll);
      const lacking = (h) => [...emails.filter((e) => !h.emails.has(normEmail(e))), ...phones.filter((p) => !h.phones.has(normPhone(p)))];
      why = earlier.length
        ? `"${message.text}" when the popup opened, but its lead lacks ${lacking(earlier[0]).join(", ")}`
        : `"${message.text}" when the popup opened, but no earlier lead holds ${key[1]}`;
    } else if (message.kind === "saved") {
      const fresh = keyHolders.filter((h) => !before.has(h.lead.id) && !claimed.has(h.lead.id) && (!item.lead || h.lead.id === item.lead));
      const mine = fresh.find((h) => h.lead.name === name) || fresh[0];
      truth = Boolean(mine);
      if (mine) claimed.add(mine.lead.id);
      why = keyHolders.length ? `"Saved", but ${key[1]} is on ${keyHolders.map((h) => `"${h.lead.name ?? h.lead.company ?? h.lead.email ?? h.lead.phone ?? h.lead.id}"`).join(", ")}, no new lead of its own` : `"Saved", but ${key[1]} is on no lead`;
    } else if (message.kind === "added" || message.kind === "already") {
      const target = held.filter((h) => (item.lead ? h.lead.id === item.lead : true) && [h.lead.name, h.lead.company, h.lead.email, h.lead.phone].includes(message.name));
      truth = target.some(holdsAll);
      why = `"${message.text}", but no lead "${message.name}" holds ${[...emails, ...phones].join(", ")}`;
    } else {
      truth = false;
      why = `no message of saving (${message.kind}: ${message.text})`;
    }
    if (!truth) r.messagesFalse.push(`${reach}: ${why}`);

    if (c.kind === "person" && name && emails.length) {
      r.persons++;
      const names = keyHolders.map((h) => h.lead.name);
      const told = (message.kind === "added" || message.kind === "already") ? message.name : null;
      if (!names.includes(name) && !(told && names.includes(told))) {
        r.namesWrong.push(`${name} <${key[1]}> is on ${names.length ? names.map((n) => `"${n}"`).join(", ") : "no lead"}`);
      }
    }
  });
  return r;
}

describe("capture fidelity through the real extension, popup and server", () => {
  it("every email and phone the extractor finds on the labelled pages reaches the server, under the right name, and the popup says what happened", { timeout: 20 * 60_000 }, async () => {
    const pages = sites.pages.filter((p) => !ONLY.length || ONLY.includes(p.name));
    assert.ok(pages.length > 0, "labelled pages to capture");
    const rows = [];
    const started = Date.now();
    for (const site of pages) {
      let row;
      try {
        row = await capture(site);
      } catch (err) {
        row = { name: site.name, late: site.late, emails: new Set(), phones: new Set(), onServer: 0, lost: [], persons: 0, namesWrong: [], messages: 0, messagesFalse: [], problems: [`failed: ${err.message}`] };
      }
      rows.push(row);
      const found = row.emails.size + row.phones.size;
      console.log(`${row.name}${row.late ? " (late)" : ""}: found ${found} (${row.emails.size} emails, ${row.phones.size} phones), on server ${row.onServer}, lost ${row.lost.length}, ` +
        `names wrong ${row.namesWrong.length}/${row.persons}, messages false ${row.messagesFalse.length}/${row.messages}`);
      for (const v of row.lost) console.log(`    lost: ${v}`);
      for (const n of row.namesWrong) console.log(`    name: ${n}`);
      for (const m of row.messagesFalse) console.log(`    message: ${m}`);
      for (const p of row.problems) console.log(`    problem: ${p}`);
      if (row.syncError) console.log(`    sync error: ${JSON.stringify(row.syncError)}`);
    }
    const sum = (f) => rows.reduce((n, r) => n + f(r), 0);
    const total = {
      pages: rows.length,
      found: sum((r) => r.emails.size + r.phones.size),
      onServer: sum((r) => r.onServer),
      lost: sum((r) => r.lost.length),
      persons: sum((r) => r.persons),
      namesWrong: sum((r) => r.namesWrong.length),
      messages: sum((r) => r.messages),
      messagesFalse: sum((r) => r.messagesFalse.length),
      problems: sum((r) => r.problems.length),
    };
    console.log(`TOTAL ${total.pages} pages in ${Math.round((Date.now() - started) / 1000)} s: found ${total.found}, on server ${total.onServer}, lost ${total.lost}, ` +
      `names wrong ${total.namesWrong}/${total.persons}, messages false ${total.messagesFalse}/${total.messages}, problems ${total.problems}`);
    assert.equal(total.problems, 0, "every page went through the popup and the sync");
    assert.equal(total.lost, 0, "no email or phone lost between the page and the server");
    assert.equal(total.messagesFalse, 0, "the popup's messages are true");
  });
});
