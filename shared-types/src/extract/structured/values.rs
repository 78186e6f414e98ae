//! Normalising raw structured values into what a [`Finding`](crate::extract::finding::Finding)
//! holds: canonical email, E.164 phone, canonical profile URL, normalised website, trimmed text.
//! Each returns `None` for a value that is not what its property claims.

use url::Url;

use crate::extract::candidate::CandidateField;
use crate::lead::Field;
use crate::validate::normalize_field;
use crate::{Email, Phone, ProfileUrl};

/// Collapse white space and check it is a plausible one-line value (the lead's short-text rules:
/// at most 300 characters, no control characters).
pub(crate) fn text(raw: &str) -> Option<String> {
    let collapsed = collapse(raw);
    if collapsed.is_empty() {
        return None;
    }
    normalize_field(Field::Name, &collapsed, None).ok()
}

/// `jane@acme.com`, `mailto:jane@acme.com?subject=Hi`, `mailto:Jane%40acme.com`.
pub(crate) fn email(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = strip_prefix_ci(s, "mailto:").unwrap_or(s);
    let s = s.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(s);
    let first = decoded
        .split([',', ';'])
        .map(str::trim)
        .find(|a| !a.is_empty())?;
    Email::parse(first).ok().map(Email::into_string)
}

/// A phone number as written (`+1 (415) 555-0100`, `tel:+14155550100`) in E.164.
pub(crate) fn phone(raw: &str, region: Option<&str>) -> Option<String> {
    let s = raw.trim();
    let s = ["tel:", "callto:", "phone:"]
        .iter()
        .find_map(|p| strip_prefix_ci(s, p))
        .unwrap_or(s);
    let decoded = percent_decode(s);
    let parse = |region| Phone::parse(&decoded, region).ok();
    // A region the phone library does not know must not cost an explicit international number.
    parse(region)
        .or_else(|| region.and_then(|_| parse(None)))
        .map(|p| p.as_str().to_string())
}

/// A LinkedIn / X / GitHub profile link in canonical form.
pub(crate) fn profile(raw: &str) -> Option<String> {
    ProfileUrl::parse(raw.trim())
        .ok()
        .map(|p| p.as_str().to_string())
}

/// An http(s) website in normal form.
pub(crate) fn website(raw: &str) -> Option<String> {
    let s = raw.trim();
    if !(s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with("HTTP")
        || !s.contains(':'))
    {
        return None;
    }
    normalize_field(Field::Website, s, None).ok()
}

/// A link: a profile if it is one, else a website.
pub(crate) fn url(raw: &str) -> Option<(CandidateField, String)> {
    if let Some(p) = profile(raw) {
        return Some((CandidateField::Profile, p));
    }
    website(raw).map(|w| (CandidateField::Website, w))
}

/// The site a page belongs to: `https://acme.com/` for `https://acme.com/blog/post`.
pub(crate) fn origin(raw: &str) -> Option<String> {
    let u = Url::parse(raw.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    website(&format!("{}://{}/", u.scheme(), u.host_str()?))
}

/// "locality, region, country" from the parts present.
pub(crate) fn location<'s>(parts: impl IntoIterator<Item = &'s str>) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        let p = collapse(p);
        if !p.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&p)) {
            out.push(p);
        }
    }
    if out.is_empty() {
        return None;
    }
    text(&out.join(", "))
}

pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(4096));
    for w in s
        .split(|c: char| c.is_whitespace() || c.is_control() || c == '\u{feff}')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn strip_prefix_ci<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        assert_eq!(
            email(" mailto:Jane%40Acme.COM?subject=hi ").as_deref(),
            Some("Jane@acme.com")
        );
        assert_eq!(
            email("mailto:a@acme.com,b@acme.com").as_deref(),
            Some("a@acme.com")
        );
        assert_eq!(email("%"), None);
        assert_eq!(
            phone("tel:+1-415-555-0100", None).as_deref(),
            Some("+14155550100")
        );
        assert_eq!(
            phone("(415) 555-0100", Some("US")).as_deref(),
            Some("+14155550100")
        );
        assert_eq!(
            phone("+44 20 7946 0958", Some("ZZ")).as_deref(),
            Some("+442079460958")
        );
        assert_eq!(
            url("https://twitter.com/Acme"),
            Some((CandidateField::Profile, "https://x.com/acme".into()))
        );
        assert_eq!(
            url("HTTPS://Acme.com"),
            Some((CandidateField::Website, "https://acme.com/".into()))
        );
        assert_eq!(url("javascript:alert(1)"), None);
        assert_eq!(
            origin("https://acme.com/team?x=1").as_deref(),
            Some("https://acme.com/")
        );
        assert_eq!(
            location(["Paris", " ", "Île-de-France", "paris", "FR"]).as_deref(),
            Some("Paris, Île-de-France, FR")
        );
        assert_eq!(text("  Jane \n Doe "), Some("Jane Doe".into()));
        assert_eq!(text(&"x".repeat(400)), None);
    }
}
