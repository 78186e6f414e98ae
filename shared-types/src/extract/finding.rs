//! A single value found by one source, before grouping into candidates. Every source module (text
//! scanners, links, JSON-LD, microdata, microformats, meta) produces these; [`super::group`] turns
//! them into [`super::LeadCandidate`]s.

use super::candidate::{Anchor, CandidateField, ContactKind, Provenance};

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub field: CandidateField,
    /// Already normalised: canonical email, E.164 phone, canonical profile URL, trimmed text.
    pub value: String,
    pub provenance: Provenance,
    pub confidence: f32,
    /// Where to badge it, if it is visible text.
    pub anchor: Option<Anchor>,
    /// The element it came from, for grouping by position in the page.
    pub node: Option<u32>,
    /// Values of one structured object (a JSON-LD Person, an h-card, a microdata item) share an
    /// object id and always end up in the same candidate.
    pub object: Option<u32>,
    /// What a structured object says it is (Person vs Organization); `None` for loose findings.
    pub kind: Option<ContactKind>,
    /// For a number read from an extension written alone (`x4312`): its digits. Such a number is
    /// the page's main line, shared, so it tells nobody apart.
    pub extension: Option<u32>,
}

impl Finding {
    pub fn new(
        field: CandidateField,
        value: impl Into<String>,
        provenance: Provenance,
        confidence: f32,
    ) -> Self {
        Finding {
            field,
            value: value.into(),
            provenance,
            confidence,
            anchor: None,
            node: None,
            object: None,
            kind: None,
            extension: None,
        }
    }

    pub fn at_node(mut self, node: u32) -> Self {
        self.node = Some(node);
        self
    }

    pub fn anchored(mut self, anchor: Anchor) -> Self {
        self.node = Some(anchor.node);
        self.anchor = Some(anchor);
        self
    }

    pub fn in_object(mut self, object: u32, kind: Option<ContactKind>) -> Self {
        self.object = Some(object);
        self.kind = kind;
        self
    }
}

/// Hands out object ids unique within one extraction run.
#[derive(Debug, Default)]
pub struct ObjectIds(u32);

impl ObjectIds {
    pub fn allocate(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}
