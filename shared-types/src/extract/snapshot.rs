//! The page snapshot: the contract between the content-script shim (plain JS, in the page) and the
//! extraction core (Rust, in the background worker or natively).
//!
//! The shim cannot run wasm (the page's CSP forbids compiling it), so it sends a cheap, flat copy of
//! what matters on the page: the element tree *restricted to* elements that carry text, links or
//! structured-data attributes (and their ancestors, so grouping can find the card a contact sits
//! in), the text of each visible text node, the `application/ld+json` bodies, and meta tags. Element
//! ids are indices into `nodes`, listed in document order (a depth-first pre-order walk): a parent
//! comes before its children and every subtree is a contiguous range of ids. `texts` are in
//! document order too.
//!
//! Example (a one-person card):
//!
//! ```json
//! {
//!   "url": "https://acme.example/team",
//!   "title": "Our team — Acme",
//!   "lang": "en-GB",
//!   "nodes": [
//!     {"tag": "body"},
//!     {"parent": 0, "tag": "div", "attrs": {"class": "h-card"}},
//!     {"parent": 1, "tag": "h3", "attrs": {"class": "p-name"}},
//!     {"parent": 1, "tag": "a", "attrs": {"class": "u-email", "href": "mailto:jane@acme.example"}}
//!   ],
//!   "texts": [
//!     {"node": 2, "text": "Jane Doe"},
//!     {"node": 3, "text": "jane@acme.example"}
//!   ],
//!   "json_ld": ["{\"@type\": \"Organization\", \"name\": \"Acme\"}"],
//!   "meta": [{"name": "og:site_name", "content": "Acme"}]
//! }
//! ```
//!
//! Offsets in anchors ([`crate::extract::Anchor`]) count UTF-16 code units inside one text node's
//! `text`, as JavaScript strings do, so the shim can build a DOM `Range` from them directly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Attributes the shim copies (everything else is dropped): enough for links, microdata,
/// microformats (v1 and v2) and hidden-value conventions.
pub const KEPT_ATTRIBUTES: &[&str] = &[
    "class",
    "href",
    "src",
    "title",
    "alt",
    "rel",
    "type",
    "content",
    "value",
    "datetime",
    "itemscope",
    "itemtype",
    "itemprop",
    "itemid",
    "itemref",
    "id",
    "lang",
    "aria-label",
    "data-cfemail",
    "data-mailto-token",
];

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSnapshot {
    pub url: String,
    #[serde(default)]
    pub title: String,
    /// The document language (`<html lang>`), e.g. `en-GB`: a hint for the default phone region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(default)]
    pub nodes: Vec<ElementNode>,
    #[serde(default)]
    pub texts: Vec<TextNode>,
    /// Bodies of `<script type="application/ld+json">`, unparsed (the core tolerates bad JSON).
    #[serde(default)]
    pub json_ld: Vec<String>,
    #[serde(default)]
    pub meta: Vec<MetaTag>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementNode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<u32>,
    /// Lower-case tag name.
    pub tag: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attrs: BTreeMap<String, String>,
}

/// One visible text node (white space collapsed by the shim), inside element `node`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextNode {
    pub node: u32,
    pub text: String,
}

/// `<meta name|property=… content=…>`; `name` is whichever of name/property/itemprop was set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaTag {
    pub name: String,
    pub content: String,
}

impl ElementNode {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    pub fn classes(&self) -> impl Iterator<Item = &str> {
        self.attr("class").unwrap_or("").split_ascii_whitespace()
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.classes().any(|c| c == class)
    }
}

impl PageSnapshot {
    pub fn node(&self, id: u32) -> Option<&ElementNode> {
        self.nodes.get(id as usize)
    }

    /// Ancestors of `id`, nearest first, including `id` itself. Bounded by the node count, so a
    /// malformed snapshot with a parent cycle cannot loop forever.
    pub fn ancestors(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        let mut next = Some(id).filter(|i| (*i as usize) < self.nodes.len());
        let mut left = self.nodes.len();
        std::iter::from_fn(move || {
            let cur = next?;
            left = left.checked_sub(1)?;
            next = self
                .nodes
                .get(cur as usize)
                .and_then(|n| n.parent)
                .filter(|p| (*p as usize) < self.nodes.len() && *p != cur);
            Some(cur)
        })
    }
}
