//! leadsync browser extension — the Rust core of the background worker.
//!
//! The background script (`extension/js/background.js`) is only a router: it loads this crate as
//! wasm and hands every `chrome.runtime` message to [`bindings::handle_message`]. All logic lives
//! here (and in `leadsync-types`). Table of contents:
//!
//! - [`api`]: the typed message API — [`Request`] in, [`Response`] out, as JSON objects tagged by
//!   `type`. The contract with the content shim, the popup and the options page.
//! - [`error`]: [`ApiError`], the `{error: {code, message}}` every failure turns into.
//! - [`dispatch`]: extraction requests (pure Rust, tested natively); the rest go to `worker`.
//! - [`json`]: request parsing and response encoding, with errors a person can act on.
//! - [`capture`]: what saving a found contact writes (new lead, or only what is missing).
//! - [`local`]: the local lead record, its view, search, and edits.
//! - [`status`]: the sync state shown in the popup, the session, backoff, server URLs.
//! - [`export`]: CSV export.
//! - `worker` (wasm32 only): IndexedDB store, sync engine, live WebSocket, request handlers.
//! - `ui` (wasm32 only): the popup and options pages in Yew, talking to the worker by messages.
//! - `bindings` (wasm32 only): the `#[wasm_bindgen]` entry point.
//!
//! The content shim (`extension/js/content.js`) is plain JavaScript on purpose: pages with a strict
//! CSP (`script-src 'self'`) forbid compiling wasm in content scripts, so it only snapshots the page
//! and draws badges for the candidates this crate returns.

pub mod api;
pub mod capture;
pub mod dispatch;
pub mod error;
pub mod export;
pub mod json;
pub mod local;
pub mod status;

#[cfg(target_arch = "wasm32")]
pub mod bindings;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
mod worker;

pub use api::{Request, Response};
pub use error::ApiError;
pub use leadsync_types as types;
