//! Structured data on a page: JSON-LD, microdata, microformats (h-card and classic hCard), `.vcf`
//! links and meta tags, turned into [`Finding`]s grouped by object.
//!
//! [`find`] runs every source over one [`PageSnapshot`]. Each structured object — a JSON-LD or
//! microdata `Person`/`Organization`/`ContactPoint`, an h-card, a vcard, the site named by
//! `og:site_name`, an `og:type=profile` person — gets its own object id, and all its findings carry
//! it (`Finding::in_object`) with the object's kind, so the grouping step keeps them in one
//! candidate. Relations become values, not merged objects: a person who `worksFor` an organisation
//! (or is its `employee`/`member`/`founder`, or whose h-card has a nested `p-org h-card`) gets the
//! organisation's name as company, and the organisation is a separate object of kind company.
//!
//! Every value is normalised before it is returned (canonical email, E.164 phone, canonical profile
//! URL, normal website URL, collapsed text of at most 300 characters); a value that does not
//! normalise is dropped. Values that came from an element carry `node`; when the value's text is
//! visible in one text node it also carries an anchor (UTF-16 offsets in that text node). JSON-LD and
//! meta values are anchored when their text is visible somewhere on the page.
//!
//! Confidence: explicit structured values 0.9–0.97 by field (an email is rarely wrong, a location
//! string more often); a person's company inferred from the organisation listing them 0.9; a site's
//! website from its URL 0.85; a url implied by the microformats rules 0.8; a profile page's name
//! taken from `og:title` 0.75; names implied by the microformats rules 0.7; a `.vcf` link's text 0.6.
//!
//! Sources:
//! - `json_ld`: `<script type="application/ld+json">` bodies, tolerating the usual breakage.
//! - `microdata`: `itemscope`/`itemtype`/`itemprop` attributes.
//! - `microformats`: mf2 `h-card` and classic `vcard`, per the microformats2 parsing spec.
//! - `meta`: Open Graph / Twitter / profile meta tags.
//! - `vcf`: links to `.vcf` files (see that module for what is, and is not, taken from them).
//!
//! All of it is linear in the size of the snapshot and never panics on malformed input.

mod json_ld;
mod meta;
mod microdata;
mod microformats;
mod page;
mod schema;
mod values;
mod vcf;

use std::collections::HashMap;

pub use json_ld::parse_lenient;
pub use schema::is_organization;

use super::candidate::{CandidateField, ContactKind, Provenance};
use super::finding::{Finding, ObjectIds};
use super::snapshot::PageSnapshot;
use page::Page;

/// Every finding from the page's structured data, in source order (JSON-LD, microdata,
/// microformats, meta, vCard links) and, within a source, in document order. `region` (ISO 3166
/// alpha-2) is how phone numbers written without `+` are read.
pub fn find(snapshot: &PageSnapshot, region: Option<&str>, ids: &mut ObjectIds) -> Vec<Finding> {
    let page = Page::new(snapshot);
    let mut out = Out {
        page: &page,
        region,
        ids,
        findings: Vec::new(),
        seen: HashMap::new(),
    };
    json_ld::find(&mut out);
    microdata::find(&mut out);
    microformats::find(&mut out);
    meta::find(&mut out);
    vcf::find(&mut out);
    out.findings
}

/// How sure an explicitly marked-up value is of being what its field says.
pub(crate) fn confidence(field: CandidateField) -> f32 {
    match field {
        CandidateField::Email => 0.97,
        CandidateField::Phone => 0.95,
        CandidateField::Profile => 0.95,
        CandidateField::Name => 0.95,
        CandidateField::Company => 0.93,
        CandidateField::Title => 0.92,
        CandidateField::Website => 0.9,
        CandidateField::Location => 0.9,
    }
}

/// An object being filled: its id and what it says it is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Obj {
    pub id: u32,
    pub kind: ContactKind,
}

/// Collects findings for one run: hands out object ids, anchors values, drops exact duplicates.
pub(crate) struct Out<'p, 'a> {
    pub page: &'p Page<'a>,
    pub region: Option<&'p str>,
    ids: &'p mut ObjectIds,
    pub findings: Vec<Finding>,
    /// Index in `findings` of each (object, node if loose, field, value) already recorded.
    seen: HashMap<(Option<u32>, Option<u32>, CandidateField, String), usize>,
}

/// One value to record.
pub(crate) struct Value<'s> {
    pub field: CandidateField,
    /// Normalised.
    pub value: String,
    /// As written on the page, when it differs (a phone's national format, a mailto's address).
    pub raw: Option<&'s str>,
    pub provenance: Provenance,
    pub confidence: f32,
    /// The element it came from.
    pub node: Option<u32>,
}

impl Out<'_, '_> {
    pub fn object(&mut self, kind: ContactKind) -> Obj {
        Obj {
            id: self.ids.allocate(),
            kind,
        }
    }

    pub fn push(&mut self, obj: Option<Obj>, v: Value<'_>) {
        let key = (
            obj.map(|o| o.id),
            if obj.is_some() { None } else { v.node },
            v.field,
            v.value.clone(),
        );
        if let Some(&i) = self.seen.get(&key) {
            // The same value again (an hCard's `mailto:` link, then the address as text): keep
            // the first, but take a place to badge it if only the repeat is visible.
            if self.findings[i].anchor.is_none() {
                if let Some(a) = self.anchor(&v) {
                    self.findings[i].anchor = Some(a);
                    self.findings[i].node = Some(a.node);
                }
            }
            return;
        }
        self.seen.insert(key, self.findings.len());
        let anchor = self.anchor(&v);
        let mut f = Finding::new(v.field, v.value, v.provenance, v.confidence);
        if let Some(o) = obj {
            f = f.in_object(o.id, Some(o.kind));
        }
        if let Some(n) = v.node {
            f = f.at_node(n);
        }
        if let Some(a) = anchor {
            f = f.anchored(a);
        }
        self.findings.push(f);
    }

    fn anchor(&self, v: &Value<'_>) -> Option<super::candidate::Anchor> {
        let ci = v.field == CandidateField::Email;
        // What the page would show: the raw text first (a phone as written), then the value.
        let raw = v
            .raw
            .map(|r| values::collapse(strip_scheme(r)))
            .filter(|r| !r.is_empty());
        let shown_value = match v.field {
            CandidateField::Phone
            | CandidateField::Website
            | CandidateField::Profile
            | CandidateField::Location => None,
            _ => Some(v.value.as_str()),
        };
        let needles = raw.as_deref().into_iter().chain(shown_value);
        match v.node {
            Some(n) => needles
                .into_iter()
                .find_map(|needle| self.page.anchor_in(n, needle, ci))
                .or_else(|| self.anchor_same_value(n, v)),
            None if v.field != CandidateField::Website && v.field != CandidateField::Profile => {
                needles
                    .into_iter()
                    .find_map(|needle| self.page.anchor_anywhere(needle, ci))
            }
            None => None,
        }
    }
}

impl Out<'_, '_> {
    /// A `tel:`/`mailto:` link whose text writes the same number or address differently
    /// (`(415) 555-0100` for `tel:+14155550100`): anchor that whole text node.
    fn anchor_same_value(&self, n: u32, v: &Value<'_>) -> Option<super::candidate::Anchor> {
        if !matches!(v.field, CandidateField::Phone | CandidateField::Email) {
            return None;
        }
        let texts = self
            .page
            .subtree(n, 8)
            .into_iter()
            .flat_map(|e| self.page.own_texts(e).iter().copied())
            .take(4);
        for t in texts {
            let tn = &self.page.snap.texts[t as usize];
            let same = match v.field {
                CandidateField::Phone => values::phone(&tn.text, self.region),
                _ => values::email(&tn.text),
            };
            if same.as_deref() == Some(v.value.as_str()) {
                let end = tn.text.encode_utf16().count() as u32;
                return Some(super::candidate::Anchor {
                    node: tn.node,
                    text: t,
                    start: 0,
                    end,
                });
            }
        }
        None
    }
}

fn strip_scheme(raw: &str) -> &str {
    let t = raw.trim();
    for p in ["mailto:", "tel:", "MAILTO:", "TEL:"] {
        if let Some(rest) = t.strip_prefix(p) {
            return rest.split('?').next().unwrap_or(rest);
        }
    }
    t
}
