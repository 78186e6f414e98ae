// Loads the Rust/Yew options page (the same wasm as the background worker) and renders it into #app.
import init, { start_options } from "./wasm/leadsync_extension.js";

document.documentElement.lang = chrome.i18n.getUILanguage();
init({ module_or_path: chrome.runtime.getURL("wasm/leadsync_extension_bg.wasm") })
  .then(() => start_options())
  .catch((err) => {
    document.getElementById("app").textContent = `leadsync could not start: ${err && err.message ? err.message : err}`;
  });
