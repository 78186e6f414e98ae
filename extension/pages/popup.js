// Loads the Rust/Yew popup (the same wasm as the background worker) and renders it into #app.
import init, { start_popup } from "./wasm/leadsync_extension.js";

document.documentElement.lang = chrome.i18n.getUILanguage();
init({ module_or_path: chrome.runtime.getURL("wasm/leadsync_extension_bg.wasm") })
  .then(() => start_popup())
  .catch((err) => {
    document.getElementById("app").textContent = `leadsync could not start: ${err && err.message ? err.message : err}`;
  });
