//! What the extraction core returns: lead candidates with per-value provenance, confidence and
//! anchors the shim uses to put a badge next to the text.

use serde::{Deserialize, Serialize};

/// Where a value was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    Mailto,
    Tel,
    JsonLd,
    Microdata,
    HCard,
    Vcard,
    Text,
    Meta,
    Selection,
    /// A profile or website link (`<a href="https://www.linkedin.com/in/…">`).
    Link,
}

/// What a found value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateField {
    Name,
    Email,
    /// E.164.
    Phone,
    Company,
    Title,
    Website,
    /// Canonical LinkedIn / X / GitHub profile URL.
    Profile,
    Location,
}

/// A place in the page: `[start, end)` in UTF-16 code units of the text node `text` (index into
/// `PageSnapshot::texts`), whose element is `node`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Anchor {
    pub node: u32,
    pub text: u32,
    pub start: u32,
    pub end: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FoundValue {
    pub field: CandidateField,
    pub value: String,
    pub provenance: Provenance,
    /// 0.0–1.0: how sure the core is that this value is what `field` says.
    pub confidence: f32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<Anchor>,
}

/// A person, or a company contact (a role address such as info@ or sales@, or an organisation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Person,
    Company,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadCandidate {
    pub kind: ContactKind,
    /// Best value first within each field.
    pub values: Vec<FoundValue>,
    /// The strongest dedup key (`email:…`, `profile:…`, `phone:…`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedup_key: Option<String>,
    pub confidence: f32,
}

impl LeadCandidate {
    /// The best value of `field`, if any.
    pub fn best(&self, field: CandidateField) -> Option<&str> {
        self.values
            .iter()
            .find(|v| v.field == field)
            .map(|v| v.value.as_str())
    }
}
