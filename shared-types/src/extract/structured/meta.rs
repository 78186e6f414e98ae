//! Meta tags: what a page says about the site it is on, and about the person a profile page shows.
//!
//! - The site: `og:site_name` → an object of kind company named so. Its website is the origin of
//!   `og:url`, else of the canonical link, else of the page URL; `twitter:site` (`@handle`) is its X
//!   profile; the old Open Graph contact tags (`og:email`, `og:phone_number`, `og:locality`,
//!   `og:region`, `og:country-name`) add its email, phone and location. No `og:site_name`, no object:
//!   a domain alone does not name a company.
//! - A profile page: `og:type=profile`, or `profile:first_name`/`profile:last_name` → an object of
//!   kind person named `first last` (else, for `og:type=profile`, the `og:title`, less surely);
//!   `og:url` when it is a LinkedIn/X/GitHub profile, and `twitter:creator`, are its profiles.

use super::{confidence, values, Obj, Out, Value};
use crate::extract::candidate::{CandidateField, ContactKind, Provenance};

pub(crate) fn find(out: &mut Out<'_, '_>) {
    let snap = out.page.snap;
    let get = |name: &str| {
        snap.meta
            .iter()
            .find(|m| m.name.trim().eq_ignore_ascii_case(name) && !m.content.trim().is_empty())
            .map(|m| m.content.as_str())
    };
    site(out, &get);
    profile(out, &get);
}

fn push(out: &mut Out<'_, '_>, obj: Obj, field: CandidateField, value: String, conf: f32) {
    out.push(
        Some(obj),
        Value {
            field,
            value,
            raw: None,
            provenance: Provenance::Meta,
            confidence: conf,
            node: None,
        },
    );
}

fn site<'m>(out: &mut Out<'_, '_>, get: &dyn Fn(&str) -> Option<&'m str>) {
    let Some(name) = get("og:site_name").and_then(values::text) else {
        return;
    };
    let obj = out.object(ContactKind::Company);
    push(out, obj, CandidateField::Company, name, 0.9);
    let page_url = out.page.snap.url.as_str();
    let site = [get("og:url"), get("canonical"), Some(page_url)]
        .into_iter()
        .flatten()
        .find_map(values::origin);
    if let Some(w) = site {
        push(out, obj, CandidateField::Website, w, 0.85);
    }
    if let Some(p) = get("twitter:site").and_then(x_profile) {
        push(
            out,
            obj,
            CandidateField::Profile,
            p,
            confidence(CandidateField::Profile),
        );
    }
    if let Some(e) = get("og:email").and_then(values::email) {
        push(
            out,
            obj,
            CandidateField::Email,
            e,
            confidence(CandidateField::Email),
        );
    }
    if let Some(p) = get("og:phone_number").and_then(|p| values::phone(p, out.region)) {
        push(
            out,
            obj,
            CandidateField::Phone,
            p,
            confidence(CandidateField::Phone),
        );
    }
    let parts = ["og:locality", "og:region", "og:country-name"].map(|k| get(k).unwrap_or(""));
    if let Some(l) = values::location(parts) {
        push(
            out,
            obj,
            CandidateField::Location,
            l,
            confidence(CandidateField::Location),
        );
    }
}

fn profile<'m>(out: &mut Out<'_, '_>, get: &dyn Fn(&str) -> Option<&'m str>) {
    let is_profile = get("og:type").is_some_and(|t| t.trim().eq_ignore_ascii_case("profile"));
    let first = get("profile:first_name").unwrap_or("");
    let last = get("profile:last_name").unwrap_or("");
    let named = values::text(&format!("{first} {last}"));
    if !is_profile && named.is_none() {
        return;
    }
    let name = match named {
        Some(n) => Some((n, 0.9)),
        None => get("og:title").and_then(values::text).map(|t| (t, 0.75)),
    };
    let profiles: Vec<String> = [
        get("og:url").and_then(values::profile),
        get("twitter:creator").and_then(x_profile),
    ]
    .into_iter()
    .flatten()
    .collect();
    if name.is_none() && profiles.is_empty() {
        return;
    }
    let obj = out.object(ContactKind::Person);
    if let Some((n, c)) = name {
        push(out, obj, CandidateField::Name, n, c);
    }
    for p in profiles {
        push(
            out,
            obj,
            CandidateField::Profile,
            p,
            confidence(CandidateField::Profile),
        );
    }
}

/// `@acme`, `acme`, `https://twitter.com/acme` → `https://x.com/acme`.
fn x_profile(handle: &str) -> Option<String> {
    let h = handle.trim();
    if h.contains('/') {
        return values::profile(h);
    }
    let h = h.trim_start_matches('@');
    if h.is_empty() {
        return None;
    }
    values::profile(&format!("https://x.com/{h}"))
}
