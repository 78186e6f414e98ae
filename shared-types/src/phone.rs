//! [`Phone`]: a valid phone number in E.164 form (`+14155550100`), parsed with Google's numbering
//! metadata through the `phonenumber` crate.
//!
//! Why E.164: it is the one spelling of a number that does not depend on where it was written, so
//! it is what the lead stores (DESIGN.md: phone is E.164), what `tel:` links dial and what dedup
//! compares. Only numbers the metadata calls *valid* are accepted — a possible-length string of
//! digits is not enough, because a CRM full of undialable numbers is worse than an empty field.
//! An extension (`x123`, `ext. 123`) is kept apart from the E.164 text, see [`Phone::extension`].

use std::fmt;
use std::str::FromStr;

use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;
use phonenumber::{ParseError, PhoneNumber};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::phone_input::{
    international_form, is_valid_number, match_end_at_start, metadata_for, prepare, region_of,
    NotANumber,
};
use crate::text::shown;

/// Longest input handed to the parser (libphonenumber's own limit). Longer text is not a phone
/// number, and the cap bounds the work done on untrusted input.
const MAX_INPUT_CHARS: usize = 250;

/// A valid phone number. Its text is E.164; an extension, if one was written, is kept beside it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Phone {
    e164: String,
    extension: Option<String>,
}

/// Why a string is not a [`Phone`]. Each message names the problem and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("phone is empty: write a number such as +1 415 555 0100")]
    Empty,
    #[error("phone `{input}` is longer than {MAX_INPUT_CHARS} characters: write only the number")]
    TooLong { input: String },
    #[error("default region `{region}` is not a known ISO 3166 country code: use two letters such as US, GB or FR")]
    UnknownRegion { region: String },
    #[error("phone `{input}` does not say which country it is in: write it with + and the country code (e.g. +44 20 7946 0958), or set a default region")]
    NoCountry { input: String },
    #[error("phone `{input}` has no phone number in it: write the digits, e.g. +1 415 555 0100")]
    NotANumber { input: String },
    #[error("phone `{input}` starts with an unknown country code: check the digits after the + (e.g. +1 for the US, +44 for the UK)")]
    UnknownCountryCode { input: String },
    #[error("phone `{input}` is too short: check that no digits are missing")]
    TooShort { input: String },
    #[error(
        "phone `{input}` is too long: check for extra digits, and write an extension as `ext. 123`"
    )]
    TooLongNumber { input: String },
    #[error(
        "phone `{input}` is not a valid number{region}: check the digits, or write it with + and the country code"
    )]
    Invalid { input: String, region: String },
}

impl Phone {
    /// Parse a number as a person would write it — `(415) 555-0100`, `+44 20 7946 0958`,
    /// `tel:+33-1-42-68-53-00`, `020 7946 0958 ext. 12` — reading national numbers (no `+`) as
    /// belonging to `default_region`, an ISO 3166 alpha-2 code such as `"US"` (case-insensitive).
    pub fn parse(input: &str, default_region: Option<&str>) -> Result<Phone, PhoneError> {
        let region = default_region.map(parse_region).transpose()?;
        parse_detailed(input, region).map(|parsed| parsed.phone)
    }

    /// The number in E.164 form, e.g. `+14155550100`.
    pub fn as_str(&self) -> &str {
        &self.e164
    }

    /// The extension written after the number (`123` for `… ext. 123`), if any. It is not part of
    /// the E.164 text and is not serialised: the lead's phone field holds E.164 only.
    pub fn extension(&self) -> Option<&str> {
        self.extension.as_deref()
    }
}

/// A [`Phone`] with what its parse found out on the way, for callers that look at how the number
/// was written (the text scanner's confidence and national-prefix checks).
#[derive(Clone, Debug)]
pub(crate) struct ParsedPhone {
    pub phone: Phone,
    /// Written internationally: with a `+` or the region's international dialling prefix.
    pub international: bool,
    /// The number as [`prepare`] left it (extension off, digits and punctuation in ASCII).
    pub prepared: String,
}

/// [`Phone::parse`] with the region already read, keeping what the parse found out.
pub(crate) fn parse_detailed(input: &str, region: Option<Id>) -> Result<ParsedPhone, PhoneError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(PhoneError::Empty);
    }
    // The input as error messages show it, only made when there is an error.
    let shown_input = || shown(s);
    if s.len() > MAX_INPUT_CHARS && s.chars().count() > MAX_INPUT_CHARS {
        return Err(PhoneError::TooLong {
            input: shown_input(),
        });
    }
    let prepared = prepare(s).map_err(|NotANumber| PhoneError::NotANumber {
        input: shown_input(),
    })?;
    let international = international_form(&prepared.number, region);
    let number = match &international {
        Some(international) => parse_international(international),
        None => phonenumber::parse(region, &prepared.number),
    }
    .map_err(|e| parse_error(e, shown_input(), region))?;
    // The crate's `is_valid`, `country().id()` and E.164 formatting, without its regex cache
    // (see `phone_input::match_end_at_start`).
    if !is_valid_number(&number) {
        let region = match (region_of(&number), region) {
            (Some(id), _) | (None, Some(id)) => format!(" in {}", id.as_ref()),
            (None, None) => String::new(),
        };
        return Err(PhoneError::Invalid {
            input: shown_input(),
            region,
        });
    }
    let phone = Phone {
        e164: format!("+{}{}", number.code().value(), number.national()),
        extension: prepared
            .extension
            .or_else(|| number.extension().map(|x| x.to_string())),
    };
    Ok(ParsedPhone {
        phone,
        international: international.is_some(),
        prepared: prepared.number,
    })
}

/// `phonenumber::parse(None, number)` for a number written `+<digits>`, faster.
///
/// Why: without a region the crate finds the number's region itself (`validator::source_for`),
/// trying each region of a shared country code (+1, +44, +7…) through its regex cache, which hashes
/// and compares every pattern's whole text on each use — for a `+44` number about as long as the
/// rest of the parse. That region is found here without the cache (see [`metadata_for`]) and handed
/// to the crate, which then parses exactly as it would have: with a region the crate only uses it
/// for the international prefix (which a `+` number skips, unless its digits start with that
/// prefix — then, and for numbers this does not handle, the crate parses as before) and as the
/// metadata it would have found.
fn parse_international(number: &str) -> Result<PhoneNumber, ParseError> {
    match region_of_international(number) {
        Some(region) => phonenumber::parse(Some(region), number),
        None => phonenumber::parse(None, number),
    }
}

/// The region `phonenumber::parse(None, number)` reads `number` (`+` and ASCII digits) with, when
/// it is a region (not a non-geographic code) whose international prefix does not start the digits.
fn region_of_international(number: &str) -> Option<Id> {
    /// The crate's `consts::MIN_LENGTH_FOR_NSN` and `MAX_LENGTH_FOR_COUNTRY_CODE`.
    const MIN_LENGTH_FOR_NSN: usize = 2;
    const MAX_LENGTH_FOR_COUNTRY_CODE: usize = 3;
    let digits = number.strip_prefix('+')?;
    if digits.len() <= MIN_LENGTH_FOR_NSN
        || digits.starts_with('0')
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // The crate's `helper::country_code`: the shortest prefix of the digits that is a country code.
    let (code, national) = (1..=MAX_LENGTH_FOR_COUNTRY_CODE).find_map(|len| {
        let code = digits[..len].parse::<u16>().ok()?;
        DATABASE.by_code(&code).map(|_| (code, &digits[len..]))
    })?;
    // The crate's `parser::parse_with` without a region: `source_for` on the digits after the
    // country code, leading zeros dropped.
    let meta = metadata_for(code, national.trim_start_matches('0'))?;
    let region = meta.id().parse::<Id>().ok()?;
    let idd = meta.international_prefix();
    if idd.is_some_and(|re| match_end_at_start(re, re.as_str(), digits).is_some()) {
        return None;
    }
    Some(region)
}

fn parse_region(region: &str) -> Result<Id, PhoneError> {
    let upper = region.trim().to_ascii_uppercase();
    let unknown = || PhoneError::UnknownRegion {
        region: shown(region),
    };
    if upper.len() != 2 || !upper.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(unknown());
    }
    Id::from_str(&upper).map_err(|_| unknown())
}

fn parse_error(e: ParseError, input: String, region: Option<Id>) -> PhoneError {
    match e {
        ParseError::InvalidCountryCode if region.is_none() && !input.contains('+') => {
            PhoneError::NoCountry { input }
        }
        ParseError::InvalidCountryCode => PhoneError::UnknownCountryCode { input },
        ParseError::TooShortAfterIdd | ParseError::TooShortNsn => PhoneError::TooShort { input },
        ParseError::TooLong => PhoneError::TooLongNumber { input },
        ParseError::NoNumber | ParseError::MalformedInteger(_) => PhoneError::NotANumber { input },
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e164)
    }
}

impl AsRef<str> for Phone {
    fn as_ref(&self) -> &str {
        &self.e164
    }
}

/// Parses with no default region, so only international (`+…`) text is accepted — which is what
/// [`Phone::as_str`] and the wire form are.
impl FromStr for Phone {
    type Err = PhoneError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phone::parse(s, None)
    }
}

impl Serialize for Phone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.e164)
    }
}

impl<'de> Deserialize<'de> for Phone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Phone::parse(&s, None).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(input: &str, region: Option<&str>) -> String {
        match Phone::parse(input, region) {
            Ok(p) => p.as_str().to_string(),
            Err(e) => panic!("{input:?} ({region:?}) should parse: {e}"),
        }
    }

    fn err(input: &str, region: Option<&str>) -> PhoneError {
        match Phone::parse(input, region) {
            Ok(p) => panic!("{input:?} ({region:?}) should be refused, got {p}"),
            Err(e) => e,
        }
    }

    #[test]
    fn national_and_international_forms_give_e164() {
        assert_eq!(e164("(415) 555-0100", Some("US")), "+14155550100");
        assert_eq!(e164("415.555.0100", Some("us")), "+14155550100");
        assert_eq!(e164("+1 415 555 0100", None), "+14155550100");
        assert_eq!(e164("+44 20 7946 0958", Some("FR")), "+442079460958");
        assert_eq!(e164("020 7946 0958", Some("GB")), "+442079460958");
        assert_eq!(e164("01 42 68 53 00", Some("FR")), "+33142685300");
        assert_eq!(e164("tel:+33-1-42-68-53-00", None), "+33142685300");
        assert_eq!(e164("0044 20 7946 0958", Some("DE")), "+442079460958");
    }

    #[test]
    fn extension_is_kept_apart() {
        let p = Phone::parse("(415) 555-0100 ext. 123", Some("US")).unwrap();
        assert_eq!(p.as_str(), "+14155550100");
        assert_eq!(p.extension(), Some("123"));
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"+14155550100\"");
        assert_eq!(
            Phone::parse("+14155550100", None).unwrap().extension(),
            None
        );
    }

    #[test]
    fn refusals_say_what_to_do() {
        assert_eq!(err("  ", Some("US")), PhoneError::Empty);
        assert!(matches!(
            err("4155550100", Some("XX")),
            PhoneError::UnknownRegion { .. }
        ));
        assert!(matches!(
            err("4155550100", Some("USA")),
            PhoneError::UnknownRegion { .. }
        ));
        assert!(err("4155550100", Some("Zz"))
            .to_string()
            .contains("US, GB or FR"));
        assert!(matches!(
            err("020 7946 0958", None),
            PhoneError::NoCountry { .. }
        ));
        assert!(matches!(
            err("call me maybe", Some("US")),
            PhoneError::NotANumber { .. }
        ));
        assert!(matches!(
            err("+999 1234 5678", None),
            PhoneError::UnknownCountryCode { .. }
        ));
        assert!(matches!(
            err("123-456-7890", Some("US")),
            PhoneError::Invalid { .. }
        ));
        assert!(err("123-456-7890", Some("US"))
            .to_string()
            .contains("not a valid number in US"));
        assert!(matches!(
            err(&"5".repeat(300), Some("US")),
            PhoneError::TooLong { .. }
        ));
    }

    /// The crate's own validation, region and E.164 text, and its parse without a region, against
    /// what `parse_detailed` does instead, on every example number of the metadata and on numbers
    /// near them (one digit more, one less, another first digit), written nationally and
    /// internationally.
    #[test]
    fn fast_paths_agree_with_the_crate() {
        let mut checked = 0;
        for meta in DATABASE.iter() {
            let d = meta.descriptors();
            let descriptors = [
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.shared_cost(),
                d.personal_number(),
                d.voip(),
                d.pager(),
                d.uan(),
                d.voicemail(),
                d.emergency(),
                d.short_code(),
            ];
            for example in descriptors
                .into_iter()
                .flatten()
                .filter_map(|desc| desc.example())
            {
                let shorter = &example[..example.len().saturating_sub(1)];
                let other_first = format!(
                    "{}{}",
                    if example.starts_with('9') { '2' } else { '9' },
                    example.get(1..).unwrap_or("")
                );
                for national in [
                    example.to_string(),
                    format!("{example}7"),
                    shorter.to_string(),
                    other_first,
                ] {
                    let international = format!("+{}{national}", meta.country_code());
                    let region = meta.id().parse::<Id>().ok();
                    for (region, input) in
                        [(region, national.as_str()), (None, international.as_str())]
                    {
                        let by_crate = phonenumber::parse(region, input);
                        if region.is_none() {
                            let fast = parse_international(input);
                            assert_eq!(format!("{fast:?}"), format!("{by_crate:?}"), "{input}");
                        }
                        let Ok(number) = by_crate else { continue };
                        let valid = number.is_valid();
                        assert_eq!(is_valid_number(&number), valid, "{input} ({region:?})");
                        assert_eq!(
                            region_of(&number),
                            number.country().id(),
                            "{input} ({region:?})"
                        );
                        if valid {
                            let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
                            assert_eq!(
                                format!("+{}{}", number.code().value(), number.national()),
                                e164
                            );
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 5000, "{checked}");
        // The fast path is taken where it matters: codes shared by several regions.
        assert_eq!(region_of_international("+442079460958"), Some(Id::GB));
        assert_eq!(region_of_international("+14155550100"), Some(Id::US));
        assert_eq!(region_of_international("+16135550123"), Some(Id::CA));
        assert_eq!(region_of_international("+79123456789"), Some(Id::RU));
        // Not for a non-geographic code (`+800`), or digits the crate reads differently.
        assert_eq!(region_of_international("+80012345678"), None);
        assert_eq!(region_of_international("+0044"), None);
        assert_eq!(region_of_international("+44"), None);
    }

    #[test]
    fn serde_round_trip_and_deserialize_checks() {
        let p = Phone::parse("+14155550100", None).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Phone>(&json).unwrap(), p);
        assert!(serde_json::from_str::<Phone>("\"4155550100\"").is_err());
        assert_eq!("+14155550100".parse::<Phone>().unwrap(), p);
    }
}

#[cfg(test)]
mod no_panic {
    use proptest::prelude::*;

    use super::Phone;

    /// Inputs that panicked earlier versions of the `phonenumber` crate (its issues #32 and #43).
    #[test]
    fn known_crate_panics() {
        let _ = Phone::parse("003-836-4618x3001", Some("CH"));
        let _ = Phone::parse("  2 22#:", None);
        let _ = Phone::parse("  2 22#:", Some("US"));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// Untrusted text never panics the parser (the crate underneath has had panics on junk).
        #[test]
        fn any_text(s in any::<String>(), region in prop::sample::select(vec![None, Some("US"), Some("GB"), Some("RU"), Some("AR"), Some("xx")])) {
            let _ = Phone::parse(&s, region);
        }

        #[test]
        fn phone_shaped_text(s in r"[+＋ ]{0,2}[0-9０-９()\-. x#~,;:*a-zA-Zдоб]{0,40}(;ext=|;phone-context=|;isub=|tel:)?[0-9+a-z.\-]{0,12}",
                             region in prop::sample::select(vec![None, Some("US"), Some("NZ"), Some("DE"), Some("BR"), Some("CH"), Some("MX")])) {
            let _ = Phone::parse(&s, region);
        }
    }
}
