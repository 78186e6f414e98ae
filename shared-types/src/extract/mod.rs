//! The extraction core: a [`PageSnapshot`] in, [`LeadCandidate`]s out. Pure Rust; the extension's
//! background worker and the server's `extract` command run the same code.
//!
//! - [`snapshot`]: the contract with the content-script shim.
//! - [`candidate`]: the output types.
//! - [`finding`]: one value from one source, before grouping.
//! - [`text`]: emails and phones in running text, `mailto:`/`tel:` links, the page's phone region.
//! - [`structured`]: JSON-LD, microdata, microformats, vCard links, meta tags.
//! - [`people`]: names and job titles in loose text. [`tree`]: subtree facts in linear time.
//! - [`group`]: findings → candidates (cards, merging by contact). [`run`]: the pipeline.

pub mod candidate;
pub mod context;
pub mod extension;
pub mod finding;
pub mod group;
#[cfg(feature = "html")]
pub mod html;
pub mod people;
pub mod run;
pub mod snapshot;
pub mod structured;
pub mod text;
pub mod tree;

pub use candidate::{Anchor, CandidateField, ContactKind, FoundValue, LeadCandidate, Provenance};
pub use run::{extract, extract_selection};
pub use snapshot::{ElementNode, MetaTag, PageSnapshot, TextNode};
