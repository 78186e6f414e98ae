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
//! - [`profile_url`]: [`ProfileUrl`], a LinkedIn / X / GitHub profile link in canonical form.
//! - [`dedup`]: [`DedupKey`], [`dedup_keys`] and [`same_person`]: the one rule that recognises the same person.
//! - [`extract`]: the extraction core — a page snapshot in, lead candidates out.
//! - [`validate`]: [`normalize_field`], [`normalize_tag`] and [`normalize_other_contact`], the one gate a value passes before it is stored.

pub mod dedup;
pub mod email;
pub mod extract;
pub mod hlc;
pub mod lead;
pub mod phone;
pub mod profile_url;
pub mod register;
pub mod sync;
pub mod validate;
pub mod ws;

/// Free-form phone text rewritten the way current libphonenumber reads it, before `phonenumber` parses it.
mod phone_input;
/// RFC 3339 timestamp shape check, by hand (no date library in this crate).
mod rfc3339;
/// Helpers the parsers share: quoting input in messages, naming bad characters, letter classes.
mod text;

pub use dedup::{dedup_keys, same_person, DedupKey, DedupKeyError};
pub use email::{Email, EmailError};
pub use hlc::{Hlc, HlcClock, HlcError, TimeSource, MAX_FUTURE_SKEW_MS};
pub use lead::{Field, Lead, LeadStatus};
pub use phone::{Phone, PhoneError};
pub use profile_url::{ProfileKind, ProfileUrl, ProfileUrlError};
pub use register::Register;
pub use validate::{normalize_field, normalize_other_contact, normalize_tag, FieldError};
