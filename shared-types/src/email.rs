//! [`Email`]: a plain, deliverable mailbox address `local@domain`, checked once where text enters.
//!
//! Why this is stricter than RFC 5322: addresses come from scraped pages and from people typing,
//! and go to a CRM and into dedup keys. Those need the bare mailbox someone can write to, so the
//! legal-but-exotic forms are refused with a message saying what to write instead: display names
//! (`Jane <jane@acme.com>`), quoted local parts (`"jane doe"@acme.com`), comments
//! (`jane(work)@acme.com`), IP literals (`jane@[10.0.0.1]`), single-label hosts (`jane@localhost`),
//! numeric or otherwise impossible top-level domains, and reserved names (`.test`, `.invalid`, …).
//!
//! What is accepted: a dot-atom local part of RFC 5322 `atext` plus letters, marks and digits of any
//! script (RFC 6531), at most 64 octets; a domain of letter-digit-hyphen labels (Unicode letters or
//! punycode for IDNs, checked with UTS 46), at most 63 octets per label and 253 in all once in ASCII
//! form; at most 254 octets overall. The domain is lowercased; the local part keeps its case
//! (servers may treat it as case-sensitive) and [`Email::dedup_form`] lowercases everything.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::{describe_char, is_intl_word_char, shown};

const MAX_LOCAL_OCTETS: usize = 64;
const MAX_LABEL_OCTETS: usize = 63;
const MAX_DOMAIN_OCTETS: usize = 253;
const MAX_ADDRESS_OCTETS: usize = 254;

/// Top-level domains reserved for special use (RFC 2606, RFC 6761, RFC 7686, RFC 6762): no
/// mailbox under them can receive mail from the internet.
const RESERVED_TLDS: [&str; 7] = [
    "arpa",
    "example",
    "invalid",
    "local",
    "localhost",
    "onion",
    "test",
];

/// A checked e-mail address. Its text is `local@domain` with the domain lowercased.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Email {
    address: String,
    /// Byte index of the `@` in `address`.
    at: usize,
    /// The whole address lowercased, with the domain in ASCII (punycode) form.
    dedup: String,
}

/// Why a string is not an [`Email`]. Each message names the problem and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("email is empty: write an address such as name@example.com")]
    Empty,
    #[error("email `{input}` contains {what}: remove it, an address has no spaces or line breaks")]
    Whitespace { input: String, what: String },
    #[error("email `{input}` has no `@`: write it as name@example.com")]
    NoAt { input: String },
    #[error(
        "email `{input}` has more than one `@`: write a single address such as name@example.com"
    )]
    MultipleAt { input: String },
    #[error(
        "email `{input}` starts with `mailto:`: remove the prefix and keep only name@example.com"
    )]
    Mailto { input: String },
    #[error("email `{input}` includes a display name or angle brackets: keep only the address inside `<…>`, e.g. jane@example.com")]
    DisplayName { input: String },
    #[error(
        "email `{input}` has a quoted local part: quoted addresses are not accepted, write the plain form without `\"`"
    )]
    QuotedLocalPart { input: String },
    #[error("email `{input}` contains a comment in parentheses: remove the `(…)` part")]
    Comment { input: String },
    #[error("email `{input}` uses an IP address instead of a domain: write the mail domain, e.g. name@example.com")]
    IpLiteral { input: String },
    #[error("email `{input}` has nothing before the `@`: write it as name@example.com")]
    NoLocalPart { input: String },
    #[error("email `{input}` has a local part of {octets} bytes before the `@`; the limit is 64: shorten it")]
    LocalPartTooLong { input: String, octets: usize },
    #[error(
        "email `{input}` has a dot at the start, at the end or twice in a row before the `@`: remove the extra dot"
    )]
    LocalPartDots { input: String },
    #[error(
        "email `{input}` contains {what} before the `@`, which an address cannot have: remove it"
    )]
    LocalPartChar { input: String, what: String },
    #[error("email `{input}` has nothing after the `@`: add the domain, e.g. name@example.com")]
    NoDomain { input: String },
    #[error("email `{input}` has an empty part in its domain (a dot at the start, at the end or twice in a row): remove the extra dot")]
    DomainDots { input: String },
    #[error(
        "email `{input}` contains {what} after the `@`; a domain has only letters, digits, hyphens and dots: remove it"
    )]
    DomainChar { input: String, what: String },
    #[error("email `{input}` has a domain part `{label}` that starts or ends with `-`: remove the hyphen")]
    LabelHyphen { input: String, label: String },
    #[error("email `{input}` has an invalid internationalised domain ({reason}): check the spelling of the part after the `@`")]
    BadIdn { input: String, reason: String },
    #[error(
        "email `{input}` has no dot after the `@`: write the full domain, e.g. name@example.com"
    )]
    NoDot { input: String },
    #[error("email `{input}` has a domain part `{label}` of {octets} bytes; the limit is 63: check the domain")]
    LabelTooLong {
        input: String,
        label: String,
        octets: usize,
    },
    #[error("email `{input}` has a domain of {octets} bytes; the limit is 253: check the domain")]
    DomainTooLong { input: String, octets: usize },
    #[error("email `{input}` is {octets} bytes long; the limit is 254: check the address")]
    TooLong { input: String, octets: usize },
    #[error("email `{input}` ends in `.{tld}`, which is not a top-level domain (it must be letters, like .com or .fr): check the part after the last dot")]
    BadTld { input: String, tld: String },
    #[error("email `{input}` is under the reserved domain `.{tld}`, which cannot receive mail: use a real address")]
    ReservedTld { input: String, tld: String },
}

impl Email {
    /// Parse one address. Surrounding spaces and tabs are trimmed; anything else that is not part
    /// of a plain `local@domain` (including line breaks) is refused, so a caller that failed to
    /// isolate the address hears about it instead of storing half a sentence.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let s = input.trim_matches([' ', '\t']);
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        let input = || shown(s);
        // Most addresses are plain: then only the `mailto:` check can refuse them here.
        let plain = is_plain_ascii(s);
        refuse_special_forms(s, s, plain)?;
        let space = if plain {
            None
        } else {
            s.chars().find(|c| c.is_whitespace() || c.is_control())
        };
        if let Some(c) = space {
            return Err(EmailError::Whitespace {
                input: input(),
                what: describe_char(c),
            });
        }
        let Some(at) = s.rfind('@') else {
            return Err(EmailError::NoAt { input: input() });
        };
        let (local, domain) = (&s[..at], &s[at + 1..]);
        if local.contains('@') {
            return Err(EmailError::MultipleAt { input: input() });
        }
        if domain.starts_with('[') {
            return Err(EmailError::IpLiteral { input: input() });
        }
        check_local(local, s)?;
        // The address as stored (the domain lower-cased) is built first: the domain is checked
        // in it, so that it is copied once.
        let address = with_lowercase_domain(local, domain);
        let lower = &address[local.len() + 1..];
        let punycode = check_domain(domain, lower, s)?;
        let ascii_domain = punycode.as_deref().unwrap_or(lower);
        let octets = local.len() + 1 + ascii_domain.len().max(lower.len());
        if octets > MAX_ADDRESS_OCTETS {
            return Err(EmailError::TooLong {
                input: input(),
                octets,
            });
        }
        let mut dedup = String::with_capacity(local.len() + 1 + ascii_domain.len());
        if local.is_ascii() {
            dedup.push_str(local);
            dedup.make_ascii_lowercase();
        } else {
            dedup.push_str(&local.to_lowercase());
        }
        dedup.push('@');
        dedup.push_str(ascii_domain);
        Ok(Email {
            at: local.len(),
            address,
            dedup,
        })
    }

    /// The address as stored: local part as written, domain lowercased.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The address as stored ([`Email::as_str`]), without copying it.
    pub fn into_string(self) -> String {
        self.address
    }

    /// The part before the `@`, as written.
    pub fn local_part(&self) -> &str {
        &self.address[..self.at]
    }

    /// The lowercased domain, as written (Unicode or punycode).
    pub fn domain(&self) -> &str {
        &self.address[self.at + 1..]
    }

    /// The form used to recognise the same mailbox twice: everything lowercased and an IDN domain
    /// in its ASCII form, so `Jane@Bücher.de` and `jane@xn--bcher-kva.de` compare equal.
    pub fn dedup_form(&self) -> &str {
        &self.dedup
    }
}

/// `local@domain` with the domain lower-cased, built without the formatting machinery (addresses
/// are parsed by the thousand when a page is scanned).
fn with_lowercase_domain(local: &str, domain: &str) -> String {
    let mut s = String::with_capacity(local.len() + 1 + domain.len());
    s.push_str(local);
    s.push('@');
    if domain.is_ascii() {
        s.push_str(domain);
        s[local.len() + 1..].make_ascii_lowercase();
    } else {
        s.push_str(&domain.to_lowercase());
    }
    s
}

/// Whether `s` is printable ASCII without a space or any of `<>"()`, the characters that
/// [`refuse_special_forms`] (past its `mailto:` check) and the whitespace check look for.
fn is_plain_ascii(s: &str) -> bool {
    s.bytes()
        .all(|b| b > b' ' && b < 0x7F && !matches!(b, b'<' | b'>' | b'"' | b'(' | b')'))
}

/// Legal RFC 5322 forms we refuse on purpose, detected before the character checks so the message
/// names the form rather than complaining about a `<` or a `"`. `plain` is [`is_plain_ascii`].
fn refuse_special_forms(s: &str, input: &str, plain: bool) -> Result<(), EmailError> {
    // The quoted form is built only for an error: parsing is on the hot path of page scans.
    let input = || shown(input);
    if s.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        return Err(EmailError::Mailto { input: input() });
    }
    if plain {
        return Ok(());
    }
    if s.contains(['<', '>']) {
        return Err(EmailError::DisplayName { input: input() });
    }
    if s.contains('"') {
        return Err(EmailError::QuotedLocalPart { input: input() });
    }
    if s.contains(['(', ')']) {
        return Err(EmailError::Comment { input: input() });
    }
    Ok(())
}

/// RFC 5322 `atext` besides ASCII letters and digits.
const ATEXT_SYMBOLS: &str = "!#$%&'*+-/=?^_`{|}~";

fn check_local(local: &str, input: &str) -> Result<(), EmailError> {
    // The quoted form is built only for an error: parsing is on the hot path of page scans.
    let input = || shown(input);
    if local.is_empty() {
        return Err(EmailError::NoLocalPart { input: input() });
    }
    if let Some(c) = local.chars().find(|&c| {
        !(c == '.'
            || c.is_ascii_alphanumeric()
            || ATEXT_SYMBOLS.contains(c)
            || is_intl_word_char(c))
    }) {
        return Err(EmailError::LocalPartChar {
            input: input(),
            what: describe_char(c),
        });
    }
    if local.starts_with('.')
        || local.ends_with('.')
        || local.as_bytes().windows(2).any(|w| w == b"..")
    {
        return Err(EmailError::LocalPartDots { input: input() });
    }
    if local.len() > MAX_LOCAL_OCTETS {
        return Err(EmailError::LocalPartTooLong {
            input: input(),
            octets: local.len(),
        });
    }
    Ok(())
}

/// Check the domain (`domain` as written, `lower` the same lower-cased); returns its ASCII
/// (punycode) form when that differs from `lower`.
fn check_domain(domain: &str, lower: &str, input: &str) -> Result<Option<String>, EmailError> {
    // The quoted form is built only for an error: parsing is on the hot path of page scans.
    let input = || shown(input);
    if domain.is_empty() {
        return Err(EmailError::NoDomain { input: input() });
    }
    if let Some(c) = domain
        .chars()
        .find(|&c| !(c == '.' || c == '-' || c.is_ascii_alphanumeric() || is_intl_word_char(c)))
    {
        return Err(EmailError::DomainChar {
            input: input(),
            what: describe_char(c),
        });
    }
    // One pass over the labels for the three shape errors, reported in this order.
    let (mut labels, mut empty, mut hyphen) = (0, false, None);
    for label in lower.split('.') {
        labels += 1;
        empty |= label.is_empty();
        if hyphen.is_none() && (label.starts_with('-') || label.ends_with('-')) {
            hyphen = Some(label);
        }
    }
    if empty {
        return Err(EmailError::DomainDots { input: input() });
    }
    if let Some(label) = hyphen {
        return Err(EmailError::LabelHyphen {
            input: input(),
            label: label.to_string(),
        });
    }
    if labels < 2 {
        return Err(EmailError::NoDot { input: input() });
    }
    let ascii = to_ascii_domain(lower).map_err(|reason| EmailError::BadIdn {
        input: input(),
        reason,
    })?;
    // (A domain no longer than a label has no label that is too long.)
    let long_label = if ascii.len() > MAX_LABEL_OCTETS {
        ascii.split('.').find(|l| l.len() > MAX_LABEL_OCTETS)
    } else {
        None
    };
    if let Some(label) = long_label {
        return Err(EmailError::LabelTooLong {
            input: input(),
            label: shown(label),
            octets: label.len(),
        });
    }
    if ascii.len() > MAX_DOMAIN_OCTETS {
        return Err(EmailError::DomainTooLong {
            input: input(),
            octets: ascii.len(),
        });
    }
    let tld = last_label(lower);
    let ascii_tld = last_label(&ascii);
    let letters_only = tld
        .chars()
        .all(|c| c.is_ascii_alphabetic() || is_intl_word_char(c) && !c.is_numeric());
    if !(ascii_tld.starts_with("xn--") || letters_only && tld.chars().count() >= 2) {
        return Err(EmailError::BadTld {
            input: input(),
            tld: tld.to_string(),
        });
    }
    if RESERVED_TLDS.contains(&ascii_tld) {
        return Err(EmailError::ReservedTld {
            input: input(),
            tld: tld.to_string(),
        });
    }
    // (A borrowed form as long as `lower` is `lower` itself.)
    let punycode = match ascii {
        Cow::Borrowed(same) if same.len() == lower.len() => None,
        ascii => Some(ascii.into_owned()),
    };
    Ok(punycode)
}

/// The part of a domain after its last dot.
fn last_label(domain: &str) -> &str {
    // (Domains are short: a plain byte loop beats a vectorised search's set-up.)
    domain
        .bytes()
        .rposition(|b| b == b'.')
        .map_or(domain, |dot| &domain[dot + 1..])
}

/// UTS 46 to ASCII with hyphen checks, then back: every label must already be in the form the
/// round trip gives (its own Unicode or its own punycode). That refuses labels UTS 46 would quietly
/// rewrite — full-width letters, `⒈`, unnormalised text — and malformed `xn--` labels.
/// The ASCII form borrows `lower` when it is the same text (no copy for the usual domain).
fn to_ascii_domain(lower: &str) -> Result<Cow<'_, str>, String> {
    let uts46 = Uts46::new();
    let ascii = uts46
        .to_ascii(
            lower.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Check,
            DnsLength::Ignore,
        )
        .map_err(|_| "UTS 46 rejects it".to_string())?;
    if lower.is_ascii() && !lower.as_bytes().windows(4).any(|w| w == b"xn--") {
        return Ok(ascii);
    }
    let (unicode, result) = uts46.to_unicode(ascii.as_bytes(), AsciiDenyList::STD3, Hyphens::Check);
    if result.is_err() {
        return Err("its punycode does not decode".to_string());
    }
    let consistent = lower
        .split('.')
        .zip(ascii.split('.').zip(unicode.split('.')))
        .all(|(mine, (a, u))| mine == a || mine == u);
    if !consistent || lower.split('.').count() != ascii.split('.').count() {
        return Err("it contains characters that are not in their plain form".to_string());
    }
    Ok(ascii)
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.address
    }
}

impl FromStr for Email {
    type Err = EmailError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Email::parse(s)
    }
}

impl Serialize for Email {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.address)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Email::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Email {
        Email::parse(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    fn err(s: &str) -> EmailError {
        match Email::parse(s) {
            Ok(e) => panic!("{s:?} should be refused, got {e}"),
            Err(e) => e,
        }
    }

    #[test]
    fn plain_addresses_parse_and_domain_is_lowercased() {
        let e = ok("  Jane.Doe+crm@ACME.Example.COM\t");
        assert_eq!(e.as_str(), "Jane.Doe+crm@acme.example.com");
        assert_eq!(e.local_part(), "Jane.Doe+crm");
        assert_eq!(e.domain(), "acme.example.com");
        assert_eq!(e.dedup_form(), "jane.doe+crm@acme.example.com");
        assert_eq!(e.to_string(), e.as_str());
        ok("!#$%&'*+-/=?^_`{|}~@example.org");
        ok("x@x.au");
        ok("first.last@3com.com");
    }

    #[test]
    fn international_addresses() {
        let e = ok("Jeff@Bücher.DE");
        assert_eq!(e.as_str(), "Jeff@bücher.de");
        assert_eq!(e.dedup_form(), "jeff@xn--bcher-kva.de");
        assert_eq!(ok("jeff@xn--bcher-kva.de").dedup_form(), e.dedup_form());
        ok("葉士豪@臺網中心.台灣");
        ok("юзер@екзампл.ком");
        ok("उदाहरण.परीक्ष@domain.with.idn.tld");
        ok("test@xn--hxajbheg2az3al.xn--jxalpdlp");
    }

    #[test]
    fn refused_forms_say_what_to_do() {
        let cases: &[(&str, &str)] = &[
            ("", "empty"),
            (
                "jane.example.com",
                "has no `@`: write it as name@example.com",
            ),
            ("Jane Doe <jane@example.com>", "display name"),
            ("\"jane doe\"@example.com", "quoted local part"),
            ("jane(work)@example.com", "comment"),
            ("jane@[10.0.0.1]", "IP address"),
            ("mailto:jane@example.com", "mailto:"),
            ("a@b@example.com", "more than one `@`"),
            ("@example.com", "nothing before the `@`"),
            ("jane@", "nothing after the `@`"),
            (".jane@example.com", "dot at the start"),
            ("ja..ne@example.com", "twice in a row"),
            ("jane;@example.com", "`;` before the `@`"),
            ("jane@localhost", "no dot after the `@`"),
            ("jane@example..com", "empty part in its domain"),
            ("jane@example.com.", "empty part in its domain"),
            ("jane@-example.com", "starts or ends with `-`"),
            ("jane@exa_mple.com", "`_` after the `@`"),
            ("jane@example.123", "not a top-level domain"),
            ("jane@255.255.255.255", "not a top-level domain"),
            ("jane@example.c", "not a top-level domain"),
            ("jane@host.test", "reserved domain `.test`"),
            ("jane doe@example.com", "a space"),
            ("jane@example.com\n", "a line break"),
            ("jane@xn--0.tld", "internationalised domain"),
            ("jane@ｇｍａｉｌ.com", "after the `@`"),
            ("somebody@yy--0.tld", "internationalised domain"),
        ];
        for (input, needle) in cases {
            let msg = err(input).to_string();
            assert!(msg.contains(needle), "{input:?}: {msg}");
        }
    }

    #[test]
    fn length_limits_are_in_octets() {
        ok(&format!("{}@example.com", "a".repeat(64)));
        assert!(matches!(
            err(&format!("{}@example.com", "a".repeat(65))),
            EmailError::LocalPartTooLong { .. }
        ));
        assert!(matches!(
            err(&format!("{}@example.com", "é".repeat(33))),
            EmailError::LocalPartTooLong { .. }
        ));
        ok(&format!("a@{}.com", "b".repeat(63)));
        assert!(matches!(
            err(&format!("a@{}.com", "b".repeat(64))),
            EmailError::LabelTooLong { .. }
        ));
        let long_domain = vec!["d".repeat(60); 5].join(".") + ".com";
        assert!(matches!(
            err(&format!("a@{long_domain}")),
            EmailError::DomainTooLong { .. }
        ));
        let near = vec!["d".repeat(60); 4].join(".") + ".com";
        assert!(matches!(
            err(&format!("{}@{near}", "a".repeat(10))),
            EmailError::TooLong { .. }
        ));
    }

    #[test]
    fn long_input_is_cut_in_messages() {
        let msg = err(&"x".repeat(10_000)).to_string();
        assert!(msg.len() < 300, "{msg}");
    }

    #[test]
    fn serde_is_a_string_and_deserialize_checks() {
        let e = ok("Jane@Example.com");
        assert_eq!(serde_json::to_string(&e).unwrap(), "\"Jane@example.com\"");
        let back: Email = serde_json::from_str("\"Jane@EXAMPLE.com\"").unwrap();
        assert_eq!(back, e);
        let bad = serde_json::from_str::<Email>("\"jane\"").unwrap_err();
        assert!(bad.to_string().contains("no `@`"), "{bad}");
    }
}

#[cfg(test)]
mod no_panic {
    use proptest::prelude::*;

    use super::Email;

    proptest! {
        #[test]
        fn any_text(s in any::<String>()) {
            let _ = Email::parse(&s);
        }

        /// Whatever is accepted is a fixed point: its own text parses back to itself.
        #[test]
        fn address_shaped_text(s in r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~é葉-]{0,20}@[a-zA-Z0-9.éü臺ｇ_-]{0,30}\.[a-zA-Z0-9-]{0,6}") {
            if let Ok(e) = Email::parse(&s) {
                let again = Email::parse(e.as_str()).ok();
                prop_assert_eq!(again.as_ref(), Some(&e));
                prop_assert_eq!(again.map(|a| a.dedup_form().to_string()), Some(e.dedup_form().to_string()));
            }
        }
    }
}
