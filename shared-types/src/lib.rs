//! leadsync-types: the data model shared by the sync server (native) and the extension (wasm).
//!
//! Pure Rust, no I/O. Table of contents:
//! - [`hlc`]: hybrid logical clock, its sortable wire form and the future-skew bound.
//! - [`register`]: a last-writer-wins register `{value, hlc}`.
//! - [`lead`]: a lead made of registers, and [`merge`](lead::Lead::merge) — the one merge function.
//! - [`sync`]: push/pull request and response bodies.
//! - [`ws`]: WebSocket messages.
//! - [`email`]: [`Email`], a plain deliverable address, parsed once where text enters.
//! - [`phone`]: [`Phone`], a valid number in E.164 form (extension kept apart).

pub mod hlc;
pub mod lead;
pub mod register;
pub mod sync;
pub mod ws;
pub mod email;
pub mod phone;

/// Helpers the parsers share: quoting input in messages, naming bad characters, letter classes.
mod text;

pub use hlc::{Hlc, HlcClock, HlcError, TimeSource, MAX_FUTURE_SKEW_MS};
pub use lead::{Field, Lead, LeadStatus};
pub use register::Register;
pub use email::{Email, EmailError};
pub use phone::{Phone, PhoneError};
