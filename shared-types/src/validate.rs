//! [`normalize_field`] and [`normalize_tag`]: the one gate a lead value passes before it is stored,
//! used alike by the server (API writes) and the extension (captures and edits).
//!
//! Why one gate: both sides write the same registers and merge them; if they normalised
//! differently, the same edit made on two devices would look like two different values. Each
//! field gets its parser (email, phone, profile link, URL, status, user id, timestamp) or a text
//! rule, and every refusal says which field and how to fix it.

use std::str::FromStr;

use url::Url;
use uuid::Uuid;

use crate::email::Email;
use crate::lead::{Field, LeadStatus};
use crate::phone::Phone;
use crate::profile_url::{ProfileKind, ProfileUrl};
use crate::rfc3339;
use crate::text::{describe_char, shown};

/// Longest single-line text value (name, company, title, location, source title), in characters.
pub const MAX_SHORT_TEXT_CHARS: usize = 300;
/// Longest notes value, in characters.
pub const MAX_NOTES_CHARS: usize = 10_000;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 64;
/// Longest URL accepted for website and source_url (what browsers reliably handle).
pub const MAX_URL_CHARS: usize = 2048;

/// A value refused for a field: which field (`email`, `source_url`, `tag`, …) and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field's wire name ([`Field::as_str`]), or `tag`.
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    fn new(field: Field, message: impl Into<String>) -> Self {
        FieldError {
            field: field.as_str(),
            message: message.into(),
        }
    }
}

/// Check and normalise `value` for `field`. Surrounding white space is trimmed first; an empty value
/// is refused (clearing a field is a `null` write, not an empty string). `default_region` (ISO 3166
/// alpha-2, e.g. `"US"`) is how a phone number written without `+` is read.
pub fn normalize_field(
    field: Field,
    value: &str,
    default_region: Option<&str>,
) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::new(
            field,
            "is empty: send null to clear the field instead of an empty string",
        ));
    }
    let err = |message: String| FieldError::new(field, message);
    match field {
        Field::Email => Email::parse(v)
            .map(|e| e.as_str().to_string())
            .map_err(|e| err(e.to_string())),
        Field::Phone => phone(v, default_region).map_err(err),
        Field::Linkedin => linkedin(v).map_err(err),
        Field::Website => web_url(v, true).map_err(err),
        Field::SourceUrl => web_url(v, false).map_err(err),
        Field::Status => LeadStatus::from_str(&v.to_ascii_lowercase())
            .map(|s| s.as_str().to_string())
            .map_err(err),
        Field::Owner => owner(v).map_err(err),
        Field::CapturedAt => rfc3339::normalize(v).ok_or_else(|| {
            err(format!(
                "`{}` is not an RFC 3339 timestamp: write it like 2024-05-01T13:45:00Z",
                shown(v)
            ))
        }),
        Field::Notes => notes(v).map_err(err),
        Field::Name | Field::Company | Field::Title | Field::Location | Field::SourceTitle => {
            short_text(v).map_err(err)
        }
    }
}

/// Check and normalise a tag: trimmed, lowercased (so `VIP` and `vip` are one tag), 1 to 64
/// characters, no control characters and no commas (tags are often typed as a comma list).
pub fn normalize_tag(tag: &str) -> Result<String, FieldError> {
    let err = |message: String| FieldError {
        field: "tag",
        message,
    };
    let t = tag.trim().to_lowercase();
    if t.is_empty() {
        return Err(err("is empty: write at least one character".to_string()));
    }
    if let Some(c) = t.chars().find(|&c| c.is_control() || c == ',') {
        let what = if c == ',' {
            "a comma".to_string()
        } else {
            describe_char(c)
        };
        return Err(err(format!(
            "`{}` contains {what}: write one tag at a time, without commas",
            shown(&t)
        )));
    }
    let n = t.chars().count();
    if n > MAX_TAG_CHARS {
        return Err(err(format!(
            "`{}` is {n} characters long; the limit is {MAX_TAG_CHARS}: shorten it",
            shown(&t)
        )));
    }
    Ok(t)
}

/// Check and normalise one of a lead's other contacts to its set member form: `mailto:<email>`
/// (the e-mail as [`Field::Email`] stores it) or `tel:+<E.164>`, with `;ext=<digits>` when an
/// extension was written (`tel:+14155550100;ext=204`: a direct line on a switchboard). Accepts the
/// member form itself, or a bare address or number (`jane@acme.com`, `+1 415 555 0100 ext. 204`;
/// a number without `+` is read in `default_region`).
pub fn normalize_other_contact(
    value: &str,
    default_region: Option<&str>,
) -> Result<String, FieldError> {
    let err = |message: String| FieldError {
        field: "other_contacts",
        message,
    };
    let v = value.trim();
    if v.is_empty() {
        return Err(err("is empty: give an e-mail address (mailto:jane@acme.com) or a phone number (tel:+14155550100)".into()));
    }
    let lower = v.get(..7).map(str::to_ascii_lowercase);
    let (kind, rest) = match lower.as_deref() {
        Some("mailto:") => ("mailto", &v[7..]),
        _ if v.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("tel:")) => ("tel", &v[4..]),
        _ if v.contains('@') => ("mailto", v),
        _ => ("tel", v),
    };
    if kind == "mailto" {
        let email = Email::parse(rest.trim()).map_err(|e| err(e.to_string()))?;
        return Ok(format!("mailto:{}", email.as_str()));
    }
    // RFC 3966 writes the extension as `;ext=`; the phone parser reads `ext.` in any spelling.
    let rest = rest.trim().replace(";ext=", " ext. ");
    let p = Phone::parse(&rest, default_region).map_err(|e| err(e.to_string()))?;
    Ok(match p.extension() {
        Some(ext) => format!("tel:{};ext={ext}", p.as_str()),
        None => format!("tel:{}", p.as_str()),
    })
}

fn phone(v: &str, default_region: Option<&str>) -> Result<String, String> {
    let p = Phone::parse(v, default_region).map_err(|e| e.to_string())?;
    match p.extension() {
        // The field holds E.164 only; dropping the extension quietly would lose what the user typed.
        Some(ext) => Err(format!(
            "`{}` has extension {ext}, which the phone field cannot hold: save {} and put the extension in notes",
            shown(v),
            p.as_str()
        )),
        None => Ok(p.as_str().to_string()),
    }
}

fn linkedin(v: &str) -> Result<String, String> {
    let p = ProfileUrl::parse(v).map_err(|e| e.to_string())?;
    match p.kind() {
        ProfileKind::LinkedIn | ProfileKind::LinkedInCompany => Ok(p.as_str().to_string()),
        ProfileKind::X | ProfileKind::GitHub => Err(format!(
            "`{}` is {} profile: this field takes a LinkedIn link, linkedin.com/in/<name> or linkedin.com/company/<name>",
            shown(v),
            if p.kind() == ProfileKind::X { "an X" } else { "a GitHub" }
        )),
    }
}

/// An http(s) URL in the `url` crate's normal form (lower-case host, punycode, no default port).
/// A website may be typed bare (`acme.com` means `https://acme.com/`) and must name a real-looking
/// host; a source URL comes from the browser and must carry its scheme.
fn web_url(v: &str, is_website: bool) -> Result<String, String> {
    if v.chars().count() > MAX_URL_CHARS {
        return Err(format!(
            "`{}` is longer than {MAX_URL_CHARS} characters: shorten the link",
            shown(v)
        ));
    }
    let bare = !v.contains("://");
    let text = if is_website && bare {
        format!("https://{}", v.trim_start_matches('/'))
    } else {
        v.to_string()
    };
    let example = if is_website {
        "https://acme.com"
    } else {
        "https://acme.com/team"
    };
    let not_url = || {
        format!(
            "`{}` is not a web address: write it like {example}",
            shown(v)
        )
    };
    let url = Url::parse(&text).map_err(|_| not_url())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`{}` is not an http(s) link: write it like {example}",
            shown(v)
        ));
    }
    let host = url.host_str().ok_or_else(not_url)?;
    if is_website
        && url
            .domain()
            .is_some_and(|d| !d.trim_end_matches('.').contains('.'))
    {
        return Err(format!(
            "`{}` has no full domain name: write it like {example}",
            shown(v)
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "`{}` contains a user name or password: remove the part before `{host}`",
            shown(v)
        ));
    }
    Ok(url.to_string())
}

fn owner(v: &str) -> Result<String, String> {
    match Uuid::parse_str(v) {
        Ok(id) if !id.is_nil() => Ok(id.hyphenated().to_string()),
        _ => Err(format!(
            "`{}` is not a user id: expected a UUID such as 0190a5b8-7c1d-7e2f-8a3b-4c5d6e7f8091",
            shown(v)
        )),
    }
}

fn short_text(v: &str) -> Result<String, String> {
    if let Some(c) = v.chars().find(|c| c.is_control()) {
        return Err(format!(
            "`{}` contains {}: keep it on one line, without tabs",
            shown(v),
            describe_char(c)
        ));
    }
    let n = v.chars().count();
    if n > MAX_SHORT_TEXT_CHARS {
        return Err(format!(
            "is {n} characters long; the limit is {MAX_SHORT_TEXT_CHARS}: shorten it"
        ));
    }
    Ok(v.to_string())
}

/// Notes keep line breaks and tabs; Windows and old-Mac line ends become `\n` so the same text
/// typed on two systems is one value.
fn notes(v: &str) -> Result<String, String> {
    let v = v.replace("\r\n", "\n").replace('\r', "\n");
    if let Some(c) = v
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(format!(
            "contains {}: remove it (line breaks and tabs are fine)",
            describe_char(c)
        ));
    }
    let n = v.chars().count();
    if n > MAX_NOTES_CHARS {
        return Err(format!(
            "is {n} characters long; the limit is {MAX_NOTES_CHARS}: shorten it"
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(field: Field, v: &str) -> String {
        normalize_field(field, v, Some("US"))
            .unwrap_or_else(|e| panic!("{field} {v:?} should pass: {e}"))
    }

    fn err(field: Field, v: &str) -> String {
        match normalize_field(field, v, Some("US")) {
            Ok(got) => panic!("{field} {v:?} should be refused, got {got:?}"),
            Err(e) => {
                assert_eq!(e.field, field.as_str());
                e.to_string()
            }
        }
    }

    #[test]
    fn empty_values_say_use_null() {
        for field in Field::ALL {
            assert!(err(field, "   ").contains("send null to clear"), "{field}");
        }
    }

    #[test]
    fn other_contacts_take_member_or_bare_form_and_keep_extensions() {
        let ok = |v: &str| {
            normalize_other_contact(v, Some("US")).unwrap_or_else(|e| panic!("{v:?}: {e}"))
        };
        assert_eq!(ok("MAILTO:Jane@ACME.com"), "mailto:Jane@acme.com");
        assert_eq!(ok(" jane@acme.com "), "mailto:jane@acme.com");
        assert_eq!(ok("tel:+1-415-555-0100"), "tel:+14155550100");
        assert_eq!(ok("(415) 555-0100 ext. 204"), "tel:+14155550100;ext=204");
        assert_eq!(ok("tel:+14155550100;ext=204"), "tel:+14155550100;ext=204");
        // The member form is a fixed point: what is stored normalises to itself.
        for v in [
            "mailto:Jane@acme.com",
            "tel:+14155550100",
            "tel:+14155550100;ext=204",
        ] {
            assert_eq!(ok(v), v);
        }
        for bad in ["", "mailto:jane", "tel:12", "not a contact"] {
            let e = normalize_other_contact(bad, Some("US")).unwrap_err();
            assert_eq!(e.field, "other_contacts", "{bad:?}");
        }
        assert!(
            normalize_other_contact("4155550100", None).is_err(),
            "a national number needs a region"
        );
    }

    #[test]
    fn email() {
        assert_eq!(ok(Field::Email, "  Jane@ACME.com "), "Jane@acme.com");
        assert!(err(Field::Email, "jane").starts_with("email: email `jane` has no `@`"));
    }

    #[test]
    fn phone() {
        assert_eq!(ok(Field::Phone, "(415) 555-0100"), "+14155550100");
        assert_eq!(
            normalize_field(Field::Phone, "020 7946 0958", Some("GB")).unwrap(),
            "+442079460958"
        );
        assert!(err(Field::Phone, "555").contains("phone"));
        assert!(err(Field::Phone, "(415) 555-0100 ext. 12").contains("put the extension in notes"));
        let no_region = normalize_field(Field::Phone, "020 7946 0958", None).unwrap_err();
        assert!(
            no_region.message.contains("set a default region"),
            "{no_region}"
        );
        let bad_region = normalize_field(Field::Phone, "020 7946 0958", Some("UK")).unwrap_err();
        assert!(bad_region.message.contains("US, GB or FR"), "{bad_region}");
    }

    #[test]
    fn linkedin() {
        assert_eq!(
            ok(Field::Linkedin, "uk.linkedin.com/in/Jane/"),
            "https://www.linkedin.com/in/jane"
        );
        assert_eq!(
            ok(Field::Linkedin, "linkedin.com/company/acme"),
            "https://www.linkedin.com/company/acme"
        );
        assert!(err(Field::Linkedin, "https://x.com/jack").contains("is an X profile"));
        assert!(err(Field::Linkedin, "https://github.com/octocat").contains("is a GitHub profile"));
        assert!(err(Field::Linkedin, "https://www.linkedin.com/feed").contains("not a profile"));
    }

    #[test]
    fn website_and_source_url() {
        assert_eq!(ok(Field::Website, "acme.com"), "https://acme.com/");
        assert_eq!(
            ok(Field::Website, "HTTP://WWW.Acme.COM:80/About"),
            "http://www.acme.com/About"
        );
        assert_eq!(
            ok(Field::Website, "https://bücher.de"),
            "https://xn--bcher-kva.de/"
        );
        assert!(err(Field::Website, "acme").contains("no full domain name"));
        assert!(err(Field::Website, "ftp://acme.com").contains("not an http(s) link"));
        assert!(err(Field::Website, "https://user:pw@acme.com").contains("user name or password"));
        assert!(err(Field::Website, "not a url at all").contains("not a web address"));
        assert_eq!(
            ok(Field::SourceUrl, "https://acme.com/team#jane"),
            "https://acme.com/team#jane"
        );
        assert_eq!(
            ok(Field::SourceUrl, "http://localhost:8080/x"),
            "http://localhost:8080/x"
        );
        assert!(err(Field::SourceUrl, "acme.com/team").contains("not a web address"));
        assert!(err(Field::SourceUrl, "javascript:alert(1)").contains("not an http(s) link"));
        assert!(err(Field::SourceUrl, "file:///etc/passwd").contains("not an http(s) link"));
        assert!(err(
            Field::SourceUrl,
            &format!("https://acme.com/{}", "a".repeat(3000))
        )
        .contains("longer than"));
    }

    #[test]
    fn status() {
        assert_eq!(ok(Field::Status, "qualified"), "qualified");
        assert_eq!(ok(Field::Status, " Contacted "), "contacted");
        assert!(err(Field::Status, "won")
            .contains("use one of new, contacted, qualified, converted, lost"));
    }

    #[test]
    fn owner() {
        assert_eq!(
            ok(Field::Owner, "0190A5B8-7C1D-7E2F-8A3B-4C5D6E7F8091"),
            "0190a5b8-7c1d-7e2f-8a3b-4c5d6e7f8091"
        );
        assert_eq!(
            ok(Field::Owner, "0190a5b87c1d7e2f8a3b4c5d6e7f8091"),
            "0190a5b8-7c1d-7e2f-8a3b-4c5d6e7f8091"
        );
        assert!(err(Field::Owner, "jane").contains("not a user id"));
        assert!(err(Field::Owner, "00000000-0000-0000-0000-000000000000").contains("not a user id"));
    }

    #[test]
    fn captured_at() {
        assert_eq!(
            ok(Field::CapturedAt, "2024-05-01t13:45:00.5z"),
            "2024-05-01T13:45:00.5Z"
        );
        assert_eq!(
            ok(Field::CapturedAt, "2024-05-01T13:45:00+02:00"),
            "2024-05-01T13:45:00+02:00"
        );
        assert!(err(Field::CapturedAt, "yesterday").contains("write it like 2024-05-01T13:45:00Z"));
        assert!(err(Field::CapturedAt, "2024-02-30T00:00:00Z").contains("RFC 3339"));
    }

    #[test]
    fn short_text_fields() {
        for field in [
            Field::Name,
            Field::Company,
            Field::Title,
            Field::Location,
            Field::SourceTitle,
        ] {
            assert_eq!(
                ok(field, "  Zoë O'Brien — 株式会社  "),
                "Zoë O'Brien — 株式会社"
            );
            ok(field, &"é".repeat(300));
            assert!(err(field, &"é".repeat(301)).contains("limit is 300"));
            assert!(err(field, "Jane\nDoe").contains("a line break"));
            assert!(err(field, "Jane\tDoe").contains("a tab"));
            assert!(err(field, "Jane\u{7}").contains("U+0007"));
        }
    }

    #[test]
    fn notes() {
        assert_eq!(
            ok(Field::Notes, "  line one\r\n\tline two\rthree  "),
            "line one\n\tline two\nthree"
        );
        ok(Field::Notes, &"x".repeat(10_000));
        assert!(err(Field::Notes, &"x".repeat(10_001)).contains("limit is 10000"));
        assert!(err(Field::Notes, "bell \u{7}").contains("U+0007"));
        assert!(err(Field::Notes, "esc \u{1b}[31m").contains("U+001B"));
    }

    #[test]
    fn normalised_values_are_fixed_points() {
        let samples = [
            (Field::Email, "Jane@Bücher.DE"),
            (Field::Phone, "(415) 555-0100"),
            (Field::Linkedin, "fr.linkedin.com/in/José-García/"),
            (Field::Website, "WWW.Acme.com"),
            (Field::SourceUrl, "https://acme.com/a b?q=1#x"),
            (Field::Status, "LOST"),
            (Field::Owner, "0190A5B87C1D7E2F8A3B4C5D6E7F8091"),
            (Field::CapturedAt, "2024-05-01 13:45:00z"),
            (Field::Notes, "a\r\nb"),
            (Field::Name, " Jane "),
        ];
        for (field, input) in samples {
            let once = ok(field, input);
            assert_eq!(ok(field, &once), once, "{field} {input:?}");
        }
    }

    #[test]
    fn tags() {
        assert_eq!(normalize_tag("  VIP ").unwrap(), "vip");
        assert_eq!(normalize_tag("Série A").unwrap(), "série a");
        assert_eq!(normalize_tag(&"t".repeat(64)).unwrap().len(), 64);
        let e = normalize_tag(&"t".repeat(65)).unwrap_err();
        assert_eq!(e.field, "tag");
        assert!(e.message.contains("limit is 64"));
        assert!(normalize_tag("   ")
            .unwrap_err()
            .message
            .contains("is empty"));
        assert!(normalize_tag("a,b")
            .unwrap_err()
            .message
            .contains("a comma"));
        assert!(normalize_tag("a\nb")
            .unwrap_err()
            .message
            .contains("a line break"));
    }
}

#[cfg(test)]
mod no_panic {
    use proptest::prelude::*;

    use super::{normalize_field, normalize_tag};
    use crate::lead::Field;

    proptest! {
        /// Any text for any field either normalises to a value that normalises to itself, or is
        /// refused — never a panic, and never a value that would change on a second pass.
        #[test]
        fn any_text_any_field(s in any::<String>(), i in 0..Field::ALL.len()) {
            let field = Field::ALL[i];
            if let Ok(v) = normalize_field(field, &s, Some("US")) {
                prop_assert_eq!(normalize_field(field, &v, Some("US")), Ok(v.clone()));
            }
            if let Ok(t) = normalize_tag(&s) {
                prop_assert_eq!(normalize_tag(&t), Ok(t.clone()));
            }
        }
    }
}
