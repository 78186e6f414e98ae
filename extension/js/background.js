// leadsync background worker (Chrome: module service worker; Firefox: module background script).
//
// Routing only: every message goes to the Rust core (`handle_message`, compiled to wasm), and the
// browser events (keyboard command, context menu, sync alarm) are forwarded to the content shim
// of the tab they concern. No logic lives here — see extension/src/lib.rs.

import init, { handle_message } from "./wasm/leadsync_extension.js";

// Start loading the wasm at once; listeners are registered synchronously below (MV3 requires it so
// a message that wakes the worker is not lost) and wait on this promise.
const ready = init({ module_or_path: chrome.runtime.getURL("wasm/leadsync_extension_bg.wasm") });

// The same entry point for the worker's DevTools console (and the e2e test):
//   await leadsync.ready; await leadsync.handle_message({type: "ExtractSelection", text: "…", url: "…"})
globalThis.leadsync = { ready, handle_message };

// A failure the Rust core could not turn into an error object itself (wasm failed to load, a
// panic): still answer, with the same `{error: {code, message}}` shape.
function internalError(err) {
  const detail = err && err.message ? err.message : String(err);
  console.error("leadsync: background error", err);
  return { error: { code: "internal", message: `the leadsync background worker failed: ${detail}` } };
}

// What a content shim may ask for. The shim runs inside arbitrary web pages; if a page ever subverted
// it, it must not be able to read the whole lead list, export it, or sign the user in or out: those
// requests come only from the extension's own pages (popup, options).
const FROM_PAGES = new Set(["ExtractPage", "ExtractSelection", "SaveLead", "LookupContacts", "SetStatus", "QuickAction"]);

// What a shim gets back of a lead: its id and status, never the rest of the record (a capture of a
// known email must not read out what the team has on that person).
function narrowForPage(res) {
  const brief = (lead) => ({ id: lead.id, status: lead.status });
  if (res && res.saved) return { saved: { created: res.saved.created, lead: brief(res.saved.lead) } };
  if (res && res.lead) return { lead: brief(res.lead) };
  return res;
}
const OWN_PAGES = chrome.runtime.getURL("");

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const fromOwnPage = sender.id === chrome.runtime.id && typeof sender.url === "string" && sender.url.startsWith(OWN_PAGES);
  if (!fromOwnPage && !FROM_PAGES.has(msg && msg.type)) {
    sendResponse({ error: { code: "forbidden", message: `${msg && msg.type} can only be asked for by the leadsync popup or options page` } });
    return false;
  }
  ready
    .then(() => handle_message(msg))
    .then((res) => sendResponse(fromOwnPage ? res : narrowForPage(res)), (err) => sendResponse(internalError(err)));
  return true; // sendResponse is called asynchronously
});

// Ask the content shim of `tab` to do something; pages without a shim (chrome://, the Web Store,
// PDFs) cannot be scanned, which is not an error worth more than a log line.
function toShim(tab, type) {
  if (!tab || tab.id === undefined) return;
  chrome.tabs.sendMessage(tab.id, { type }).catch((err) => {
    console.info(`leadsync: no content shim in tab ${tab.id} (${err.message})`);
  });
}

// Sync: a periodic alarm (the service worker may sleep between ticks), and once at every start —
// the worker pulls what changed while it slept and re-opens its live connection.
const SYNC_ALARM = "leadsync-sync";
function tick() {
  ready.then(() => handle_message({ type: "Tick" })).catch((err) => internalError(err));
}
chrome.alarms.get(SYNC_ALARM).then((alarm) => {
  if (!alarm) chrome.alarms.create(SYNC_ALARM, { periodInMinutes: 1 });
});
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SYNC_ALARM) tick();
});
tick();

// Keyboard shortcut (Alt+Shift+L): capture the current page — every reachable contact on it is
// saved (contacts already saved only get what is new). The toolbar button opens the popup.
chrome.commands.onCommand.addListener((command, tab) => {
  if (command === "capture-page") toShim(tab, "CapturePage");
});

// Context menu on selected text. The shim reads the selection itself (it keeps line breaks, which
// `info.selectionText` does not) and asks the core to parse it.
chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({
    id: "save-selection",
    title: chrome.i18n.getMessage("contextSaveSelection"),
    contexts: ["selection"],
  });
});
chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === "save-selection") toShim(tab, "CaptureSelection");
});
