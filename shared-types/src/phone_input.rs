//! Turns free-form phone text into what the `phonenumber` crate parses reliably.
//!
//! Why this exists: `phonenumber` 0.3 ports an older libphonenumber front end. Measured against
//! libphonenumber's own test cases (the phone corpus), it misses RFC 3966 `phone-context`, long and
//! Cyrillic extension labels (`доб. 100`), auto-dialling extensions (`,,123#`), full-width and
//! non-Latin digits, and stray letters (`(0xx) 11…`). This module redoes those steps the way
//! current libphonenumber does (`buildNationalNumberForParsing`, `extractPossibleNumber`,
//! `maybeStripExtension`, the alpha-number rule) and hands the crate a plain number; the numbering
//! metadata, country-code handling and validity checks stay the crate's.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use icu_properties::props::GeneralCategory;
use icu_properties::CodePointMapData;
use phonenumber::country::Id;
use phonenumber::metadata::{Descriptor, DATABASE};
use phonenumber::Metadata;
use regex::Regex;

/// A number ready for the crate, and the extension taken off it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Prepared {
    pub number: String,
    pub extension: Option<String>,
}

/// Nothing in the text can be a phone number (libphonenumber's NOT_A_NUMBER).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct NotANumber;

const PHONE_CONTEXT: &str = ";phone-context=";
const TEL_PREFIX: &str = "tel:";
const ISDN_SUBADDRESS: &str = ";isub=";

pub(crate) fn prepare(input: &str) -> Result<Prepared, NotANumber> {
    let text = fold_to_ascii(input);
    let mut number = national_number_for_parsing(&text)?;
    if let Some(i) = number.find(ISDN_SUBADDRESS).filter(|&i| i > 0) {
        number.truncate(i);
    }
    let (mut number, extension) = strip_extension(&number);
    drop_stray_letters(&mut number);
    Ok(Prepared { number, extension })
}

/// The number as `+<country code><national number>` when it is written internationally — with a
/// `+`, or with the default region's international dialling prefix (`011` from the US, `00` from
/// most of Europe) — else `None`, meaning "a national number of the default region".
///
/// Why: given a default region, `phonenumber` 0.3 strips *that region's* national prefix from
/// foreign numbers too (`+39 02 …` read from NZ loses Milan's `0`; `011 800 1234 5678` read from
/// the US loses a `1`). libphonenumber ignores the default region once the country code is known, so
/// international numbers are handed over as `+…` with no region.
pub(crate) fn international_form(number: &str, region: Option<Id>) -> Option<String> {
    let number = number.trim_start();
    let (plus, body) = match number.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let compact: String = body.chars().filter(char::is_ascii_alphanumeric).collect();
    let idd = region
        .and_then(|r| DATABASE.by_id(r.as_ref()))
        .and_then(|meta| meta.international_prefix());
    let after_idd = idd
        .and_then(|re| match_end_at_start(re, re.as_str(), &compact))
        .map(|end| &compact[end..])
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit() && c != '0'));
    match after_idd {
        Some(rest) => Some(format!("+{rest}")),
        None if plus => Some(format!("+{compact}")),
        None => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The numbering metadata's patterns, matched without the crate's regex cache
// ---------------------------------------------------------------------------------------------

/// Hashes a pointer-sized key with one multiplication (the keys are addresses, already unique).
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type CompiledPatterns = HashMap<usize, Option<Regex>, BuildHasherDefault<AddressHasher>>;

thread_local! {
    /// The metadata's patterns compiled anchored at the start, by the address of the crate's
    /// `CachedRegex` in the static [`DATABASE`] (which lives as long as the program, so an address
    /// always names the same pattern).
    static COMPILED: RefCell<CompiledPatterns> = RefCell::new(CompiledPatterns::default());
}

/// Where a match of the metadata pattern `re` (a `CachedRegex` of [`DATABASE`], written with
/// `source`) that starts at the beginning of `s` ends — what `re.find(s).filter(|m| m.start() == 0)`
/// gives, leftmost-first.
///
/// Why: the crate's `CachedRegex` looks each pattern up in a shared LRU cache on every use, hashing
/// and comparing the whole pattern text (some are kilobytes long) under a mutex; validating one
/// number takes a dozen such look-ups, which made it the costliest step of a page's extraction.
/// Here a pattern is compiled once per thread, anchored, with the crate's options (whitespace
/// ignored, its size limits), and found by the pattern's address.
pub(crate) fn match_end_at_start<R>(re: &R, source: &str, s: &str) -> Option<usize> {
    let key = re as *const R as usize;
    COMPILED.with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        let anchored = compiled.entry(key).or_insert_with(|| {
            // A line break before the closing bracket: the pattern is read with whitespace (and
            // `#` comments) ignored.
            regex::RegexBuilder::new(&format!("^(?:{source}\n)"))
                .ignore_whitespace(true)
                .size_limit(10 * (1 << 20))
                .dfa_size_limit(2 * (1 << 20))
                .build()
                .ok()
        });
        anchored.as_ref().and_then(|re| re.find(s)).map(|m| m.end())
    })
}

/// Whether the metadata pattern `re` matches at the start of `s` (see [`match_end_at_start`]).
fn matches_at_start<R>(re: &R, source: &str, s: &str) -> bool {
    let key = re as *const R as usize;
    COMPILED.with(|compiled| {
        let compiled = compiled.borrow();
        if let Some(anchored) = compiled.get(&key) {
            return anchored.as_ref().is_some_and(|re| re.is_match(s));
        }
        drop(compiled);
        match_end_at_start(re, source, s).is_some()
    })
}

/// `Descriptor::is_match` of the crate: a possible length (in bytes) and the pattern matching at
/// the start.
fn descriptor_matches(desc: &Descriptor, national: &str) -> bool {
    let lengths = desc.possible_length();
    if !lengths.is_empty() && !lengths.contains(&(national.len() as u16)) {
        return false;
    }
    let re = desc.national_number();
    matches_at_start(re, re.as_str(), national)
}

/// Whether the crate's `validator::number_type` would give anything but `Type::Unknown`: the
/// general pattern and then any one type's pattern match (the order the crate tries them in only
/// decides *which* type, not whether there is one).
fn has_number_type(meta: &Metadata, national: &str) -> bool {
    let d = meta.descriptors();
    descriptor_matches(d.general(), national)
        && [
            d.fixed_line(),
            d.mobile(),
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ]
        .into_iter()
        .flatten()
        .any(|desc| descriptor_matches(desc, national))
}

/// The metadata a number of country `code` with national number `national` belongs to: the
/// crate's `validator::source_for` and the look-up after it (the first region of a shared code
/// whose leading digits, or else whose number patterns, fit).
pub(crate) fn metadata_for(code: u16, national: &str) -> Option<&'static Metadata> {
    let regions = DATABASE.region(&code)?;
    if let [only] = regions[..] {
        return if only == "001" {
            DATABASE.by_code(&code).and_then(|m| m.into_iter().next())
        } else {
            only.parse::<Id>()
                .ok()
                .and_then(|id| DATABASE.by_id(id.as_ref()))
        };
    }
    for region in regions {
        let Some(meta) = DATABASE.by_id(region) else {
            continue;
        };
        let fits = match meta.leading_digits() {
            Some(re) => matches_at_start(re, re.as_str(), national),
            None => has_number_type(meta, national),
        };
        if fits {
            return region
                .parse::<Id>()
                .ok()
                .and_then(|id| DATABASE.by_id(id.as_ref()));
        }
    }
    None
}

/// The crate's `PhoneNumber::is_valid`, without its regex cache.
pub(crate) fn is_valid_number(number: &phonenumber::PhoneNumber) -> bool {
    let national = number.national().to_string();
    metadata_for(number.code().value(), &national)
        .is_some_and(|meta| has_number_type(meta, &national))
}

/// The crate's `number.country().id()`: the region of a parsed number, if it has one.
pub(crate) fn region_of(number: &phonenumber::PhoneNumber) -> Option<Id> {
    metadata_for(
        number.code().value(),
        &number.national().value().to_string(),
    )
    .and_then(|m| m.id().parse().ok())
}

/// Full-width forms, other scripts' decimal digits, and the many dashes, spaces and tildes
/// libphonenumber accepts, written as their ASCII counterparts. Other characters are kept.
fn fold_to_ascii(input: &str) -> String {
    let gc = CodePointMapData::<GeneralCategory>::new();
    input
        .chars()
        .map(|c| match c {
            c if !c.is_ascii() && gc.get(c) == GeneralCategory::DecimalNumber => {
                // Unicode lays out each script's digits 0-9 contiguously, so a digit's value is its
                // distance from the start of its run of digits.
                char::from(b'0' + (digit_offset(c, &gc) % 10) as u8)
            }
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' => '-',
            '\u{00A0}' | '\u{3000}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => ' ',
            '\u{2053}' | '\u{223C}' => '~',
            c => c,
        })
        .collect()
}

/// Position of a decimal digit within its script's run of digits, by walking back to the run's
/// start (at most a few dozen steps: the longest run, mathematical digits, is 50).
fn digit_offset(
    c: char,
    gc: &icu_properties::CodePointMapDataBorrowed<'static, GeneralCategory>,
) -> u32 {
    let mut offset = 0;
    let mut cp = c as u32;
    while let Some(before) = cp.checked_sub(1).and_then(char::from_u32) {
        if gc.get(before) != GeneralCategory::DecimalNumber {
            break;
        }
        offset += 1;
        cp -= 1;
    }
    offset
}

/// libphonenumber's `buildNationalNumberForParsing`: an RFC 3966 `phone-context` that is a global
/// number is put in front of the number; one that is a domain is dropped; a malformed one means the
/// text is not a number. Without a context, the number is cut out of the surrounding text.
fn national_number_for_parsing(text: &str) -> Result<String, NotANumber> {
    let Some(ctx_at) = text.find(PHONE_CONTEXT) else {
        return extract_possible_number(text).ok_or(NotANumber);
    };
    let ctx_start = ctx_at + PHONE_CONTEXT.len();
    let ctx = text[ctx_start..].split(';').next().unwrap_or_default();
    if !(is_global_number(ctx) || is_domain_name(ctx)) {
        return Err(NotANumber);
    }
    let number_start = text.find(TEL_PREFIX).map_or(0, |i| i + TEL_PREFIX.len());
    let mut number = if ctx.starts_with('+') {
        ctx.to_string()
    } else {
        String::new()
    };
    number.push_str(text.get(number_start..ctx_at).unwrap_or_default());
    Ok(number)
}

/// RFC 3966 global-number-digits: `+` then digits and visual separators, at least one digit.
fn is_global_number(ctx: &str) -> bool {
    ctx.strip_prefix('+').is_some_and(|rest| {
        rest.chars()
            .all(|c| c.is_ascii_digit() || "-.()".contains(c))
            && rest.chars().any(|c| c.is_ascii_digit())
    })
}

/// RFC 3966 domainname: alphanumeric labels with inner hyphens, the last one starting with a
/// letter, an optional trailing dot.
fn is_domain_name(ctx: &str) -> bool {
    let ctx = ctx.strip_suffix('.').unwrap_or(ctx);
    let labels: Vec<&str> = ctx.split('.').collect();
    let label_ok = |l: &str| {
        l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && l.starts_with(|c: char| c.is_ascii_alphanumeric())
            && l.ends_with(|c: char| c.is_ascii_alphanumeric())
    };
    labels.iter().all(|l| label_ok(l))
        && labels
            .last()
            .is_some_and(|top| top.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// libphonenumber's `extractPossibleNumber`: from the first `+` or digit, without trailing
/// punctuation (a `#` stays: it can end an extension), and before a second number (`/ x…`).
fn extract_possible_number(text: &str) -> Option<String> {
    let start = text.find(|c: char| c == '+' || c.is_ascii_digit())?;
    let rest = &text[start..];
    let rest = rest.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '#'));
    let end = second_number_start(rest).unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

/// Where `\ x` or `/x` (a second number written after the first) begins.
fn second_number_start(s: &str) -> Option<usize> {
    s.char_indices().find_map(|(i, c)| {
        let after = s.get(i + 1..)?.trim_start_matches(' ');
        ((c == '/' || c == '\\') && after.starts_with('x')).then_some(i)
    })
}

/// libphonenumber's extension pattern for parsing (PhoneNumberUtil.createExtnPattern(true)).
static EXTENSION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let digits = |n: u32| format!(r"(\p{{Nd}}{{1,{n}}})");
    let explicit_labels =
        "(?:e?xt(?:ensi(?:o\u{0301}?|\u{00F3}))?n?|\u{FF45}?\u{FF58}\u{FF54}\u{FF4E}?|\u{0434}\u{043E}\u{0431}|anexo)";
    let ambiguous_labels = "(?:[x\u{FF58}#\u{FF03}~\u{FF5E}]|int|\u{FF49}\u{FF4E}\u{FF54})";
    let before_label = "[ \u{00A0}\\t,]*";
    let before_label_no_comma = "[ \u{00A0}\\t]*";
    let after_label = "[:\\.\u{FF0E}]?[ \u{00A0}\\t,-]*";
    let alternatives = [
        format!(";ext={}", digits(20)),
        format!(
            "{before_label}{explicit_labels}{after_label}{}#?",
            digits(20)
        ),
        format!(
            "{before_label}{ambiguous_labels}{after_label}{}#?",
            digits(9)
        ),
        format!("[- ]+{}#", digits(6)),
        format!(
            "{before_label_no_comma}(?:,{{2}}|;){after_label}{}#?",
            digits(15)
        ),
        format!("{before_label_no_comma}(?:,)+{after_label}{}#?", digits(9)),
    ];
    Regex::new(&format!("(?i)(?:{})$", alternatives.join("|"))).ok()
});

/// libphonenumber's `maybeStripExtension`: take a trailing extension off if what is left still
/// looks like a number.
fn strip_extension(number: &str) -> (String, Option<String>) {
    // Most numbers have no extension: a plain search says so faster than a search for groups.
    let Some(caps) = EXTENSION
        .as_ref()
        .filter(|re| re.is_match(number))
        .and_then(|re| re.captures(number))
    else {
        return (number.to_string(), None);
    };
    let (Some(whole), Some(ext)) = (caps.get(0), caps.iter().skip(1).flatten().next()) else {
        return (number.to_string(), None);
    };
    let rest = &number[..whole.start()];
    if !phonenumber::is_viable(rest) {
        return (number.to_string(), None);
    }
    (rest.to_string(), Some(ext.as_str().to_string()))
}

/// libphonenumber reads letters as keypad digits only in vanity numbers (three letters or more,
/// `1-800-FLOWERS`); fewer letters are noise (`(0xx)` carrier placeholders, typos) and are dropped.
fn drop_stray_letters(number: &mut String) {
    if number.chars().filter(char::is_ascii_alphabetic).count() < 3 {
        number.retain(|c| !c.is_ascii_alphabetic());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prep(s: &str) -> (String, Option<String>) {
        let p = prepare(s).unwrap_or_else(|_| panic!("{s:?} should prepare"));
        (p.number, p.extension)
    }

    #[test]
    fn phone_context_global_number_goes_in_front() {
        assert_eq!(prep("tel:331-6005;phone-context=+64-3").0, "+64-3331-6005");
        assert_eq!(
            prep("My number is tel:03-331-6005;phone-context=+64").0,
            "+6403-331-6005"
        );
        assert_eq!(
            prep("tel:03-331-6005;isub=12345;phone-context=+64").0,
            "+6403-331-6005"
        );
        assert_eq!(prep("tel:033316005;phone-context=abc.nz").0, "033316005");
        assert_eq!(prepare("tel:555-1234;phone-context=1-331"), Err(NotANumber));
        assert_eq!(prepare(";phone-context="), Err(NotANumber));
    }

    #[test]
    fn extensions_are_split_off() {
        assert_eq!(
            prep("8 (423) 202-25-11, доб. 100"),
            ("8 (423) 202-25-11".into(), Some("100".into()))
        );
        assert_eq!(
            prep("+12679000000,,123456789012345#"),
            ("+12679000000".into(), Some("123456789012345".into()))
        );
        assert_eq!(
            prep("(212)123-1234 x508/x1234"),
            ("212)123-1234".into(), Some("508".into()))
        );
        assert_eq!(
            prep("tel:+6433316005;ext=0"),
            ("+6433316005".into(), Some("0".into()))
        );
        assert_eq!(
            prep("+1 (645) 123 1234-910#"),
            ("+1 (645) 123 1234".into(), Some("910".into()))
        );
        assert_eq!(prep("+14155550100").1, None);
    }

    #[test]
    fn unicode_digits_and_punctuation_fold_to_ascii() {
        assert_eq!(
            prep("＋１\u{3000}（６５０）\u{3000}２５３ー００００").0,
            "+1 (650) 253-0000"
        );
        assert_eq!(prep("᠑ ᠖᠕᠐ ᠒᠕᠓ ᠐᠐᠐᠐").0, "1 650 253 0000");
        assert_eq!(prep("٠١٢٣٤٥٦٧٨٩").0, "0123456789");
    }

    #[test]
    fn stray_letters_drop_but_vanity_numbers_stay() {
        assert_eq!(prep("(0xx) 1187654321").0, "0) 1187654321");
        assert_eq!(prep("1800 SIX FLAGS").0, "1800 SIX FLAGS");
        assert_eq!(prep("Tel: 0900 332 6005a").0, "0900 332 6005");
    }

    #[test]
    fn international_numbers_lose_their_dialling_prefix() {
        assert_eq!(
            international_form("011 800 1234 5678", Some(Id::US)).as_deref(),
            Some("+80012345678")
        );
        assert_eq!(
            international_form("+39 02-36618 300", Some(Id::NZ)).as_deref(),
            Some("+390236618300")
        );
        assert_eq!(
            international_form("+01164 3 331 6005", Some(Id::US)).as_deref(),
            Some("+6433316005")
        );
        assert_eq!(
            international_form("0064 3 331 6005", Some(Id::NZ)).as_deref(),
            Some("+6433316005")
        );
        assert_eq!(international_form("03 331 6005", Some(Id::NZ)), None);
        assert_eq!(international_form("0011 ...", None), None);
    }

    #[test]
    fn no_digits_is_not_a_number() {
        assert_eq!(prepare("call me"), Err(NotANumber));
    }
}
