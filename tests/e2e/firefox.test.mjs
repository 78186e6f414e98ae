// End-to-end in Firefox: the built extension (dist/firefox) installed as a temporary add-on in real
// headless Firefox ESR (driven by geckodriver over WebDriver classic), on fixture pages served from
// 127.0.0.1 with `Content-Security-Policy: script-src 'self'`. A badge only appears when all of it
// works in Firefox: the content script runs (the install granted its host permissions, as a user's
// install does — the profile sets no permission pref), the module background script loaded the
// Rust core (wasm), and the two talk through runtime messaging. Then the badge menu, opened by a
// real click and read through Firefox's WebDriver, which reaches into closed shadow roots.
//
// Then sync, in a second Firefox: the real leadsync server (target/debug/leadsync-server) on a
// fresh Postgres database from DATABASE_URL; a team created through the add-on's own options page
// (moz-extension://…/options.html, opened with WebDriver system access — the only way WebDriver may
// navigate there, see launchFirefox), "Save lead" clicked in a badge menu, and the lead read back
// from the server's HTTP API: there exactly once, and still once after a second Save of the same
// person from another of her badges.
//
// Run through tests/e2e/run.sh (installs what is missing, builds, runs), or directly (after
// scripts/build-extension.sh and cargo build -p leadsync-server):
//   DATABASE_URL=postgres://… LEADSYNC_FIREFOX_DIST=dist/firefox node --test tests/e2e/firefox.test.mjs
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { KEY_ESCAPE, launchFirefox } from "./lib/firefox.mjs";
import { startLeadsync } from "./lib/leadsync.mjs";
import { startServer } from "./lib/server.mjs";
import { waitFor } from "./lib/shadow.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const FIXTURES = join(ROOT, "tests/fixtures/pages");
const DIST = resolve(ROOT, process.env.LEADSYNC_FIREFOX_DIST || "dist/firefox");
const ARTIFACTS = join(ROOT, "artifacts/e2e");
/** Generous: the first page also waits for the background to compile the wasm. */
const BADGE_WAIT_MS = 45_000;

let server;
let ff;

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startServer([FIXTURES, join(HERE, "pages")]);
});

after(async () => {
  if (server) await server.close();
});

/** The labels of a fixture page (emails lower-cased: the label keeps the local part as written). */
async function labels(name) {
  const l = JSON.parse(await readFile(join(FIXTURES, `${name}.json`), "utf8"));
  return { ...l, emails: l.emails.map((e) => e.toLowerCase()) };
}

const expectedBadges = (l) => [...l.emails.map((v) => `email:${v}`), ...l.phones.map((v) => `phone:${v}`)].sort();

/** Every badge host on the page as "field:value" (emails lower-cased), sorted. */
async function badges() {
  const list = await ff.execute(() => [...document.querySelectorAll("leadsync-badge")].map((h) => ({ field: h.dataset.field, value: h.dataset.value })));
  return list.map((b) => `${b.field}:${b.field === "email" ? b.value.toLowerCase() : b.value}`).sort();
}

/** Lines of Firefox's console output (on its stdout) that come from the add-on. */
function addonConsole() {
  return ff.output().split("\n").filter((l) => /leadsync: |moz-extension:\/\/|WebAssembly/.test(l));
}

/** Open a fixture page and wait until its badges are exactly the labelled emails and phones. */
async function openAndWaitForBadges(name) {
  const want = expectedBadges(await labels(name));
  await ff.navigate(`${server.origin}/${name}.html`);
  let seen = [];
  try {
    await waitFor(`${want.length} badges on ${name}`, async () => {
      seen = await badges();
      return JSON.stringify(seen) === JSON.stringify(want);
    }, { timeout: BADGE_WAIT_MS, interval: 250 });
  } catch (err) {
    const missing = want.filter((b) => !seen.includes(b));
    const extra = seen.filter((b) => !want.includes(b));
    const hint = seen.length ? "" : "\n  no badge at all: did the content script run (the add-on's host permissions on http://127.0.0.1) " +
      "and did the background load the wasm core?";
    throw new Error(`${err.message}\n  missing: ${JSON.stringify(missing)}\n  unexpected: ${JSON.stringify(extra)}${hint}` +
      `\n  Firefox console lines about the add-on:\n    ${addonConsole().slice(-20).join("\n    ") || "(none)"}`);
  }
  return want;
}

describe("the add-on in headless Firefox ESR, page CSP script-src 'self'", () => {
  // A browser without system access: everything here is what an ordinary WebDriver session sees.
  before(async () => {
    ff = await launchFirefox(DIST);
  });
  after(async () => {
    if (ff) await ff.close();
    ff = null;
  });

  it("installs as a temporary add-on with its own id", () => {
    assert.equal(ff.addonId, "{6f1d3a52-8c4e-4b7a-9e21-3d5c0b7f4a19}");
    assert.equal(ff.capabilities.browserName, "firefox");
    assert.ok(ff.capabilities["moz:headless"], "Firefox runs headless");
  });

  it("team-grid-us: one badge next to every labelled email and phone, drawn small and visible", async () => {
    await openAndWaitForBadges("team-grid-us");
    // The mailto link's text is just "Email": the badge follows that link, on the same line.
    const jane = await ff.execute((v) => {
      const host = document.querySelector(`leadsync-badge[data-value="${v}"]`);
      host.scrollIntoView({ block: "center" });
      let prev = host.previousSibling;
      while (prev && prev.localName === "leadsync-badge") prev = prev.previousSibling;
      const pr = prev.getBoundingClientRect();
      const hr = host.getBoundingClientRect();
      return {
        kind: prev.nodeType === Node.TEXT_NODE ? "text" : prev.localName,
        href: prev.href || null,
        text: prev.textContent.trim(),
        gap: hr.left - pr.right,
        overlap: Math.min(hr.bottom, pr.bottom) - Math.max(hr.top, pr.top),
        width: hr.width,
        height: hr.height,
        // A closed shadow root: the page sees the host, never what is inside.
        shadowVisible: host.shadowRoot !== null,
      };
    }, "jane.doe@acme-robotics.com");
    assert.equal(jane.kind, "a");
    assert.equal(jane.href, "mailto:jane.doe@acme-robotics.com");
    assert.equal(jane.text, "Email");
    assert.ok(jane.gap >= 0 && jane.gap <= 8 && jane.overlap > 0, `badge right after the link: ${JSON.stringify(jane)}`);
    assert.ok(jane.width > 10 && jane.width <= 20 && jane.height > 10 && jane.height <= 20, `badge is drawn, and small: ${JSON.stringify(jane)}`);
    assert.equal(jane.shadowVisible, false, "the badge's shadow root is closed");

    const png = await ff.screenshot();
    assert.equal(png.subarray(0, 8).toString("hex"), "89504e470d0a1a0a", "the screenshot is a PNG");
    await writeFile(join(ARTIFACTS, "firefox-team-grid-us-badges.png"), png);
  });

  it("the badge menu opens on a click: it names the contact, Email → mailto:, Call → tel:, Copy writes the clipboard, Escape closes it", async () => {
    // On the page team-grid-us left open, with its badges drawn. (The clipboard is not read back:
    // Firefox asks the user before a page reads it; the note appears only once writeText resolved.)
    const email = "jane.doe@acme-robotics.com";
    const host = await ff.find(`leadsync-badge[data-value="${email}"]`);
    const shadow = await ff.shadowRoot(host);
    const [button] = await ff.findInShadow(shadow, "button.badge");
    assert.ok(button, "the badge host holds its button");
    const [menu] = await ff.findInShadow(shadow, "[role=menu]");
    assert.equal(await ff.displayed(menu), false, "the menu is closed at first");

    await ff.click(button);
    const items = await waitFor("the menu's items", async () => {
      const list = await ff.findInShadow(shadow, "[role=menu] > [role=menuitem]");
      return list.length && (await ff.displayed(list[0])) ? list : null;
    });
    assert.equal(await ff.attribute(button, "aria-expanded"), "true");
    const byLabel = {};
    for (const el of items) byLabel[(await ff.text(el)).split("\n")[0].trim()] = el;
    assert.deepEqual(Object.keys(byLabel), ["Save lead", "Call", "Email", "Copy", "Set status"]);
    assert.equal(await ff.attribute(byLabel.Email, "href"), `mailto:${email}`);
    assert.equal(await ff.attribute(byLabel.Call, "href"), "tel:+14157234568", "Call uses the same person's phone");
    assert.match(await ff.text(menu), /Jane Doe/, "the menu names the contact");
    await writeFile(join(ARTIFACTS, "firefox-team-grid-us-badge-menu.png"), await ff.screenshot());

    await ff.click(byLabel.Copy);
    const [note] = await ff.findInShadow(shadow, "[role=menu] [role=status]");
    await waitFor("the Copied note", async () => (await ff.text(note)).trim() === `Copied ${email}`, { timeout: 10_000 })
      .catch(async (err) => assert.fail(`${err.message}; the note says: ${JSON.stringify(await ff.text(note))}`));

    await ff.pressKey(KEY_ESCAPE);
    await waitFor("the menu to close", async () => !(await ff.displayed(menu)), { timeout: 10_000 });
    assert.equal(await ff.attribute(button, "aria-expanded"), "false");
    assert.equal(await ff.execute(() => document.activeElement?.localName), "leadsync-badge", "focus is back on the badge");
  });

  for (const name of ["obfuscated-brackets-lab", "cloudflare-protected-team", "company-profile-ja", "global-offices-international"]) {
    it(`${name}: one badge for every labelled email and phone`, async () => {
      const want = await openAndWaitForBadges(name);
      assert.ok(want.length > 0);
    });
  }

  it("the content shim and the background logged no error on those pages", () => {
    const errors = addonConsole().filter((l) => /leadsync: (could not read this page|background error)|error/i.test(l));
    assert.deepEqual(errors, []);
  });
});

/** Open the badge menu of `value` on the current page; resolves to {button, menu, note, items: {label: element}}. */
async function openBadgeMenu(value) {
  const host = await ff.find(`leadsync-badge[data-value="${value}"]`);
  await ff.execute((v) => document.querySelector(`leadsync-badge[data-value="${v}"]`).scrollIntoView({ block: "center" }), value);
  const shadow = await ff.shadowRoot(host);
  const [button] = await ff.findInShadow(shadow, "button.badge");
  const [menu] = await ff.findInShadow(shadow, "[role=menu]");
  await ff.click(button);
  const list = await waitFor(`the menu of ${value}`, async () => {
    const l = await ff.findInShadow(shadow, "[role=menu] > [role=menuitem]");
    return l.length && (await ff.displayed(l[0])) ? l : null;
  });
  const items = {};
  for (const el of list) items[(await ff.text(el)).split("\n")[0].trim()] = el;
  const [note] = await ff.findInShadow(shadow, "[role=menu] [role=status]");
  return { button, menu, note, items };
}

/** Click "Save lead" in the menu of `value` and wait until its note matches `want`; resolves to the note. */
async function saveFromBadge(value, want) {
  const m = await openBadgeMenu(value);
  assert.ok(m.items["Save lead"], `a "Save lead" item in ${JSON.stringify(Object.keys(m.items))}`);
  await ff.click(m.items["Save lead"]);
  let said = "";
  await waitFor(`the note ${want} in the menu of ${value}`, async () => want.test((said = (await ff.text(m.note)).trim())), { timeout: 30_000 })
    .catch((err) => assert.fail(`${err.message}; the note says: ${JSON.stringify(said)}\n  Firefox console lines about the add-on:\n    ${addonConsole().slice(-20).join("\n    ")}`));
  return m;
}

describe("the add-on in headless Firefox ESR with the real server and Postgres: sign in on the options page, Save lead in the page, the lead on the server once", () => {
  const PASSWORD = "correct horse battery staple";
  const email = "owner@firefox-robotics.com";
  const jane = { email: "jane.doe@acme-robotics.com", name: "Jane Doe", phone: "+14157234568" };
  let api;
  let token;
  let optionsTab;
  let pageTab;

  before(async () => {
    api = await startLeadsync(ROOT);
    // System access only to open the add-on's own options page (see launchFirefox for why).
    ff = await launchFirefox(DIST, { systemAccess: true });
  });
  after(async () => {
    if (ff) await ff.close();
    ff = null;
    if (api) await api.close();
  });

  it("creates a team through the options page's form and is signed in there", async () => {
    pageTab = await ff.handle();
    optionsTab = await ff.newTab();
    await ff.switchTo(optionsTab);
    const url = ff.extensionURL("options.html");
    await ff.navigate(url);
    assert.equal(await ff.url(), url);
    await waitFor("the options page's sign-in form", async () => (await ff.findAll("[data-testid=auth-form]")).length === 1, { timeout: BADGE_WAIT_MS });

    const [signUpTab] = await ff.findAll("[data-testid=auth-form] [role=tab]:nth-child(2)");
    assert.equal((await ff.text(signUpTab)).trim(), "Create a team");
    await ff.click(signUpTab);
    const team = await waitFor("the team field", async () => (await ff.findAll("input[name=team]"))[0] || null);
    const server = await ff.find("input[name=server]");
    await ff.clear(server);
    await ff.type(server, api.url);
    await ff.type(team, "Firefox Robotics");
    await ff.type(await ff.find("input[name=email]"), email);
    await ff.type(await ff.find("input[name=password]"), PASSWORD);
    await ff.click(await ff.find("[data-testid=auth-submit]"));

    let account = "";
    await waitFor("signed in on the options page", async () => {
      const [el] = await ff.findAll("[data-testid=options-account]");
      if (!el) {
        const [error] = await ff.findAll("[data-testid=auth-error]");
        if (error) throw new Error(`the form says: ${await ff.text(error)}`);
        return false;
      }
      account = (await ff.text(el)).trim();
      return true;
    }, { timeout: 30_000 }).catch((err) => assert.fail(`${err.message}\n  Firefox console lines about the add-on:\n    ${addonConsole().slice(-20).join("\n    ")}`));
    assert.equal(account, `Signed in as ${email} (admin) on ${api.url}.`);
    // The account really is on the server: the password the form sent signs in over HTTP too.
    token = (await api.login(email, PASSWORD)).access_token;
    assert.deepEqual(await api.leads(token), [], "a new team has no leads");
    // The status bar: the background reached the server (and opens its live WebSocket).
    await waitFor("the options page's status bar to say Live", async () => (await ff.text(await ff.find("[data-testid=sync-state]"))).trim() === "Live", { timeout: 30_000 })
      .catch(async (err) => assert.fail(`${err.message}; it says: ${JSON.stringify(await ff.text(await ff.find("[data-testid=sync-status]")))}`));
    await writeFile(join(ARTIFACTS, "firefox-options-signed-in.png"), await ff.screenshot());
  });

  it("team-grid-us: Save lead in Jane's badge menu; the lead reaches the server exactly once; saving her again from her phone badge adds no duplicate", async () => {
    assert.ok(token, "signed in (the test before)");
    await ff.switchTo(pageTab);
    await openAndWaitForBadges("team-grid-us");

    await saveFromBadge(jane.email, /^Saved · in leadsync · New$/);
    await writeFile(join(ARTIFACTS, "firefox-team-grid-us-saved-menu.png"), await ff.screenshot());
    const onServer = await waitFor("Jane on the server", async () => {
      const leads = await api.leads(token);
      return leads.some((l) => l.email === jane.email) ? leads : null;
    }, { timeout: 30_000 });
    const hers = onServer.filter((l) => l.email === jane.email);
    assert.equal(hers.length, 1, `Jane exactly once: ${JSON.stringify(onServer)}`);
    assert.equal(hers[0].name, jane.name);
    assert.equal(hers[0].phone, jane.phone);
    assert.equal(hers[0].status, "new");
    assert.ok(hers[0].source_url.startsWith(server.origin), hers[0].source_url);
    await ff.pressKey(KEY_ESCAPE);

    // The same person again, from her phone's badge: the device knows her, and so does the server.
    const again = await saveFromBadge(jane.phone, /^Already in leadsync · New/);
    await ff.pressKey(KEY_ESCAPE);
    await waitFor("the menu to close", async () => !(await ff.displayed(again.menu)), { timeout: 10_000 });
    // Nothing waits on the device any more (the options page's status bar, loaded again so that
    // nothing it shows predates the second save; it refreshes every 2 s) …
    await ff.switchTo(optionsTab);
    await ff.navigate(ff.extensionURL("options.html"));
    await waitFor("all synced", async () => (await ff.text(await ff.find("[data-testid=sync-pending]"))).trim() === "all synced", { timeout: 30_000 })
      .catch(async (err) => assert.fail(`${err.message}; it says: ${JSON.stringify(await ff.text(await ff.find("[data-testid=sync-status]")))}`));
    // … and the server still has her once, and nobody else.
    const leads = await api.leads(token);
    assert.deepEqual(leads.map((l) => l.email), [jane.email], JSON.stringify(leads));
    assert.equal(leads[0].name, jane.name);
    assert.equal(leads[0].id, hers[0].id);
  });

  it("the popup (popup.html, here in a tab) shows the account and Jane under My leads", async () => {
    assert.ok(token, "signed in (the first test)");
    await ff.switchTo(optionsTab);
    await ff.navigate(ff.extensionURL("popup.html"));
    const account = await waitFor("the popup's account", async () => (await ff.findAll("[data-testid=account]"))[0] || null, { timeout: 30_000 });
    assert.equal((await ff.text(account)).trim(), email);
    await ff.click(await ff.find("[data-testid=tab-leads]"));
    const rows = await waitFor("the popup's lead list", async () => {
      const l = await ff.findAll("[data-testid=lead]");
      return l.length ? l : null;
    }, { timeout: 30_000 });
    assert.equal(rows.length, 1, "one lead on the device");
    assert.match(await ff.text(rows[0]), /Jane Doe/);
    await writeFile(join(ARTIFACTS, "firefox-popup-my-leads.png"), await ff.screenshot());
  });

  it("the add-on logged no error while signing in, saving and syncing", () => {
    const errors = addonConsole().filter((l) => /leadsync: (could not read this page|background error)|error/i.test(l));
    assert.deepEqual(errors, []);
  });
});
