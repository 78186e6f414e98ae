//! The extraction core: a [`PageSnapshot`] in, [`LeadCandidate`]s out. Pure Rust; the extension's
//! background worker and the server's `extract` command run the same code.
//!
//! - [`snapshot`]: the contract with the content-script shim.
//! - [`candidate`]: the output types.
//! - [`finding`]: one value from one source, before grouping.
//! - [`text`]: emails and phones in running text, `mailto:`/`tel:` links, the page's phone region.
//! - [`structured`]: JSON-LD, microdata, microformats, vCard links, meta tags.

pub mod candidate;
pub mod finding;
pub mod snapshot;
pub mod structured;
pub mod text;

pub use candidate::{Anchor, CandidateField, ContactKind, FoundValue, LeadCandidate, Provenance};
pub use snapshot::{ElementNode, MetaTag, PageSnapshot, TextNode};
