//! leadsync browser extension. For now it only re-exports the shared model so the workspace layout
//! of DESIGN.md builds for wasm32 and native; the background worker, popup and options land with the
//! extension issue.

pub use leadsync_types as types;
