//! leadsync browser extension — the Rust core of the background worker.
//!
//! The background script (`extension/js/background.js`) is only a router: it loads this crate as
//! wasm and hands every `chrome.runtime` message to [`bindings::handle_message`]. All logic lives
//! here (and in `leadsync-types`). Table of contents:
//!
//! - [`api`]: the typed message API — [`Request`] in, [`Response`] out, as JSON objects tagged by
//!   `type`. The contract with the content shim, and later the popup and options pages.
//! - [`error`]: [`ApiError`], the `{error: {code, message}}` every failure turns into.
//! - [`dispatch`]: what each request does ([`dispatch::handle`]): pure Rust, tested natively.
//! - [`json`]: request parsing and response encoding, with errors a person can act on.
//! - `bindings` (wasm32 only): the `#[wasm_bindgen]` entry point.
//!
//! The content shim (`extension/js/content.js`) is plain JavaScript on purpose: pages with a strict
//! CSP (`script-src 'self'`) forbid compiling wasm in content scripts, so it only snapshots the page
//! and draws badges for the candidates this crate returns.

pub mod api;
pub mod dispatch;
pub mod error;
pub mod json;

#[cfg(target_arch = "wasm32")]
pub mod bindings;

pub use api::{Request, Response};
pub use error::ApiError;
pub use leadsync_types as types;
