//! Phone numbers in running text, found the way libphonenumber's `PhoneNumberMatcher` finds them at
//! leniency VALID, with the numbering metadata of the `phonenumber` crate (through [`Phone`]).
//!
//! The steps are the matcher's:
//! 1. a linear candidate scan (`PATTERN`): up to two leading `(`/`[`/`+`, then digit blocks joined
//!    by at most four separators (`-x‐―−ー－／ ()（）［］./~` and spaces), at most 21 blocks of 20
//!    digits, and an optional extension (`ext. 12`, `x12`, `#12`, `;ext=12`, `доб 12`…); a second
//!    number written after `/x` is cut off;
//! 2. rejections of the whole candidate: a slash-separated date (`3/10/2011`), a time stamp
//!    followed by minutes (`2012-01-02 08:00`);
//! 3. parse-and-verify of the candidate, and if that fails of its "inner matches" (the parts after
//!    a slash, a bracket, a spaced hyphen, a wide dash, a full stop, a space): brackets must pair
//!    up, no publication-page pattern (`12-15 (2009`), no Latin letter, `%` or currency symbol
//!    touching it, a *valid* number (not just a possible one) for the default region — or for the
//!    number's own country when it is written with `+` or an international prefix, whatever the
//!    region —, an `x` only where an extension or a carrier code starts, and the national prefix
//!    present when the country's format requires it (`(20) 3346 1234` is not a London number
//!    without its `0`).
//!
//! Where leadsync departs from the matcher:
//! - it refuses what web pages are full of and a CRM must never store: numbers that are part of a
//!   longer digit run, of an e-mail address or of a URL path; dates (`2024-01-15`, `15/01/2024`,
//!   `01.02.2024`); times (`10:30`); IPv4 addresses; 13–19 digit runs written like a payment card
//!   that pass the Luhn check; amounts next to a currency sign or code; ids introduced by a keyword
//!   (`order`, `invoice`, `#`, `No.`, `ref`, `id`, `ticket`, `zip`, `PLZ`, `version`…) — but
//!   `Tel. No.` and `Phone #` stay phone numbers;
//! - a candidate with a date with a four-digit year anywhere inside it (`05.08.2024 – 23.08.2024`,
//!   `2024-01-15 – 2024-02-01`, `10.05.2024-12.05.2024`) is never read through the date: the part
//!   before the date is tried on its own and the scan resumes after it, so two dates joined by a
//!   dash are not one long number while `15.01.2024 030 1234567` still gives the number (only
//!   libphonenumber's time-stamp shape `2012-01-02 08` keeps the matcher's own rule);
//! - a phone label among the few words before a number (`Tel.`, `call us on`, `Fax`, `Mobile`…)
//!   excuses a missing national prefix (`Tel. 20 7946 0958` on a British page), since the label
//!   already says what the prefix rule is there to make sure of; it also raises the confidence;
//! - vanity numbers on toll-free and premium prefixes are read, their letters in capitals or
//!   joined by hyphens (`1-800-FLOWERS`, `0800 DDA 005`, `1800 six-flag`);
//! - `tel:` URIs written in the text (`tel:+1-415-555-0100`) and RFC 3966 numbers with a
//!   `;phone-context=` are read whole, through [`tel_number`](super::tel_number) and [`Phone::parse`].
//!
//! Work is linear in the text: each search of the candidate pattern looks at most a fixed window
//! ahead, each candidate is at most a few hundred characters and gets at most
//! `MAX_PARSES_PER_CANDIDATE` parse attempts, candidates with fewer digits than the region's
//! shortest number are never parsed, and a text may spend one failed parse per 32 bytes (plus 256)
//! — successful ones are free, so a directory page is read whole while digit-dense junk stops
//! costing time.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::str::FromStr;
use std::sync::LazyLock;

use icu_properties::props::GeneralCategory;
use icu_properties::CodePointMapData;
use phonenumber::country::{Id, Source};
use phonenumber::metadata::DATABASE;
use phonenumber::Metadata;
use regex::Regex;

use crate::phone::{parse_detailed, ParsedPhone, Phone};
use crate::phone_input::{international_form, match_end_at_start, prepare};

use super::links::tel_number;
use super::{ceil_boundary, char_at, char_before, floor_boundary, without_overlaps, TextMatch};

/// Parse attempts (each a full libphonenumber parse) spent on one candidate and its inner matches.
const MAX_PARSES_PER_CANDIDATE: u32 = 12;
/// Fewer digits than this are never a valid number anywhere (skips the parse of `3` or `2024`).
const MIN_DIGITS: usize = 4;
/// More digits than this (a number with its international prefix, and an extension) are not one
/// number.
const MAX_DIGITS: usize = 30;

const CONFIDENCE_TEL_URI: f32 = 0.95;
const CONFIDENCE_INTERNATIONAL: f32 = 0.92;
const CONFIDENCE_NATIONAL: f32 = 0.85;
const CONFIDENCE_BARE_DIGITS: f32 = 0.7;
const KEYWORD_BONUS: f32 = 0.06;

/// libphonenumber's VALID_PUNCTUATION (a character class body; `x` is a separator too).
const PUNCT: &str = r"\-x\x{2010}-\x{2015}\x{2212}\x{30FC}\x{FF0D}-\x{FF0F} \x{A0}\x{AD}\x{200B}\x{2060}\x{3000}()\x{FF08}\x{FF09}\x{FF3B}\x{FF3D}.\[\]/~\x{2053}\x{223C}\x{FF5E}";
const OPENING_PARENS: &str = r"(\[\x{FF08}\x{FF3B}";
const CLOSING_PARENS: &str = r")\]\x{FF09}\x{FF3D}";
const PLUS_CHARS: &str = r"+\x{FF0B}";

/// libphonenumber's extension patterns for matching (`createExtnPattern(false)`).
fn extension_pattern() -> String {
    let explicit = r"(?:e?xt(?:ensi(?:o\x{301}?|\x{F3}))?n?|\x{FF45}?\x{FF58}\x{FF54}\x{FF4E}?|\x{434}\x{43E}\x{431}|anexo)";
    let ambiguous = r"(?:[x\x{FF58}#\x{FF03}~\x{FF5E}]|int|\x{FF49}\x{FF4E}\x{FF54})";
    let before = r"[ \x{A0}\t,]*";
    let after = r"[:\.\x{FF0E}]?[ \x{A0}\t,-]*";
    [
        r";ext=\p{Nd}{1,20}".to_string(),
        format!(r"{before}{explicit}{after}\p{{Nd}}{{1,20}}#?"),
        format!(r"{before}{ambiguous}{after}\p{{Nd}}{{1,9}}#?"),
        r"[- ]+\p{Nd}{1,6}#".to_string(),
    ]
    .join("|")
}

fn regex(pattern: &str) -> Option<Regex> {
    regex::RegexBuilder::new(pattern)
        .size_limit(64 << 20)
        .build()
        .ok()
}

/// The candidate scan: libphonenumber's PATTERN with its block limits (at most 21 blocks of at
/// most 20 digits) lifted, which keeps the automaton small; [`block_limited_len`] puts the limits
/// back on each match. (With the limits written into the expression, 420 copies of `\p{Nd}` make
/// an automaton whose lazy DFA cache thrashes on digit-heavy text.)
#[cfg(test)]
static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| regex(&pattern_source()));

/// [`PATTERN`] anchored at the start of the haystack: the scan finds where a match can start
/// itself (a digit, or a `(`, `[`, `+` or their full-width forms), and only asks where it ends —
/// a forward search of a few characters instead of a search for the start, forwards and back.
static PATTERN_AT_START: LazyLock<Option<Regex>> =
    LazyLock::new(|| regex(&format!("^(?:{})", pattern_source())));

fn pattern_source() -> String {
    let lead = format!("[{OPENING_PARENS}{PLUS_CHARS}]");
    let punct = format!("[{PUNCT}]{{0,4}}");
    format!(
        r"(?i)(?:{lead}{punct}){{0,2}}\p{{Nd}}+(?:{punct}\p{{Nd}}+)*(?:{})?",
        extension_pattern()
    )
}

/// What `PATTERN.find_at(hay, from)` gives, as a byte span, using [`PATTERN_AT_START`]: every
/// match starts with a digit or a lead character (see [`pattern_source`]), and the pattern looks
/// at nothing before a match, so the leftmost match is the anchored match at the first such place
/// that has one (at a digit there always is one).
fn find_candidate(anchored: &Regex, hay: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = hay.as_bytes();
    let mut p = from;
    while p < bytes.len() {
        let b = bytes[p];
        let (digit, lead, len) = if b.is_ascii() {
            (b.is_ascii_digit(), matches!(b, b'(' | b'[' | b'+'), 1)
        } else {
            let c = char_at(hay, p).unwrap_or(char::REPLACEMENT_CHARACTER);
            let lead = matches!(c, '\u{FF08}' | '\u{FF3B}' | '\u{FF0B}');
            (
                general_category(c) == GeneralCategory::DecimalNumber,
                lead,
                c.len_utf8(),
            )
        };
        if b.is_ascii_digit() {
            if let Some(end) = bare_digit_run(bytes, p) {
                return Some((p, end));
            }
        }
        // A lead character (`[at]`, `(see`) with no digit in reach starts nothing: skip the search.
        if digit || lead && digit_within_reach(&hay[p..]) {
            if let Some(m) = anchored.find(&hay[p..]) {
                return Some((p, p + m.end()));
            }
        }
        p += len;
    }
    None
}

/// The end of the match at `p` (an ASCII digit) without the search, when it is plainly the run
/// of ASCII digits there: the run reaches the end of the text, or is followed by an ASCII
/// character that neither a separator, a digit nor an extension can start with (`10:30`,
/// `team0@`). `None` when only the pattern can tell.
fn bare_digit_run(bytes: &[u8], p: usize) -> Option<usize> {
    let end = p + bytes[p..].iter().take_while(|b| b.is_ascii_digit()).count();
    match bytes.get(end) {
        None => Some(end),
        // Separators (`x` in any case), then the first characters of extensions (`;ext=`, a
        // space, tab or comma before a label, `ext`/`anexo`/`int`, `#`, `~`, `- 12#`).
        Some(b' ' | b'-' | b'x' | b'X' | b'(' | b')' | b'.' | b'[' | b']' | b'/' | b'~') => None,
        Some(b';' | b'\t' | b',' | b'e' | b'E' | b'a' | b'A' | b'i' | b'I' | b'#') => None,
        Some(b) if b.is_ascii() => Some(end),
        Some(_) => None,
    }
}

/// Characters after a match's first lead character within which its first digit comes: at most
/// one more lead and four separators after each (see [`pattern_source`]).
const LEAD_REACH: usize = 10;

/// Whether a decimal digit follows the first character of `s` within [`LEAD_REACH`] characters.
fn digit_within_reach(s: &str) -> bool {
    s.chars().skip(1).take(LEAD_REACH).any(|c| {
        c.is_ascii_digit() || !c.is_ascii() && general_category(c) == GeneralCategory::DecimalNumber
    })
}

/// How far one search of `PATTERN` looks. A match of libphonenumber's bounded pattern is at most
/// about 2,100 bytes (10 lead characters, 21 blocks of 20 four-byte digits with four separators
/// between them, an extension), so a match that reaches the window's end is longer than that and
/// gets cut by [`block_limited_len`] before the window's end anyway; and each search costs at most
/// the window, which keeps digit-heavy text linear.
const SEARCH_WINDOW: usize = 2304;

/// A first, shorter search window: most matches end (or reach their 21st block) well within it.
const SMALL_WINDOW: usize = 256;
/// Bytes a match needs to see past its end to know it is over (separators, an extension label).
const LOOKAHEAD: usize = 64;

/// The next `PATTERN` match at or after `index`, searching one window at a time: a small window
/// first; the large one when a match in the small one might have been cut short by its end.
fn next_candidate(pattern: &Regex, text: &str, mut index: usize) -> Option<(usize, usize)> {
    loop {
        let small_end = ceil_boundary(text, index + SMALL_WINDOW);
        match find_candidate(pattern, &text[..small_end], index) {
            Some((start, end))
                if small_end == text.len()
                    || end + LOOKAHEAD < small_end
                    || block_limited_len(&text[start..end]) < end - start =>
            {
                return Some((start, end));
            }
            Some((start, _)) => {
                let large_end = ceil_boundary(text, start + SEARCH_WINDOW);
                return find_candidate(pattern, &text[..large_end], start);
            }
            None if small_end >= text.len() => return None,
            // A match may start in the window's last characters (a lead `+` or `(` before digits).
            None => {
                index = ceil_boundary(
                    text,
                    floor_boundary(text, small_end - LOOKAHEAD).max(index + 1),
                )
            }
        }
    }
}

/// libphonenumber's digit blocks: at most this many …
const MAX_BLOCKS: usize = 21;
/// … of at most this many digits each.
const MAX_BLOCK_DIGITS: usize = 20;

/// The length of the part of a `PATTERN` match that libphonenumber's bounded pattern would match:
/// every run of digits counts as one block per 20 digits, and the match ends after the 21st block
/// (dropping what follows, as the bounded pattern cannot reach it). The whole match if it is
/// within the limits.
fn block_limited_len(m: &str) -> usize {
    let mut blocks = 0;
    let mut run = 0;
    for (i, c) in m.char_indices() {
        if c.is_ascii_digit()
            || !c.is_ascii() && general_category(c) == GeneralCategory::DecimalNumber
        {
            if run % MAX_BLOCK_DIGITS == 0 {
                blocks += 1;
                if blocks > MAX_BLOCKS {
                    return i;
                }
            }
            run += 1;
        } else {
            run = 0;
        }
    }
    m.len()
}

/// Whether `c` is one of [`OPENING_PARENS`] or [`CLOSING_PARENS`].
fn is_bracket(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '\u{FF08}' | '\u{FF3B}' | ')' | ']' | '\u{FF09}' | '\u{FF3D}'
    )
}

/// Whether `s` starts with one of [`OPENING_PARENS`] or [`PLUS_CHARS`] (what [`LEAD_CLASS`] matches).
fn starts_with_lead(s: &str) -> bool {
    s.starts_with(['(', '[', '\u{FF08}', '\u{FF3B}', '+', '\u{FF0B}'])
}

#[cfg(test)]
static LEAD_CLASS: LazyLock<Option<Regex>> =
    LazyLock::new(|| regex(&format!("^[{OPENING_PARENS}{PLUS_CHARS}]")));
static MATCHING_BRACKETS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let (o, c) = (format!("[{OPENING_PARENS}]"), format!("[{CLOSING_PARENS}]"));
    let non = format!("[^{OPENING_PARENS}{CLOSING_PARENS}]");
    regex(&format!(
        "^(?:{o})?(?:{non}+{c})?{non}+(?:{o}{non}+{c}){{0,3}}{non}*$"
    ))
});
static PUB_PAGES: LazyLock<Option<Regex>> =
    LazyLock::new(|| regex(r"[0-9]{1,5}-+[0-9]{1,5}[ \t\n\x0B\x0C\r]{0,4}\([0-9]{1,4}"));
static SLASH_SEPARATED_DATES: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex(r"(?:(?:[0-3]?[0-9]/[01]?[0-9])|(?:[01]?[0-9]/[0-3]?[0-9]))/(?:[12][0-9])?[0-9]{2}")
});
static TIME_STAMPS: LazyLock<Option<Regex>> =
    LazyLock::new(|| regex(r"[12][0-9]{3}[-/]?[01][0-9][-/]?[0-3][0-9] +[0-2][0-9]$"));
static TIME_STAMPS_SUFFIX: LazyLock<Option<Regex>> = LazyLock::new(|| regex(r"^:[0-5][0-9]"));
static SECOND_NUMBER_START: LazyLock<Option<Regex>> = LazyLock::new(|| regex(r"[\\/] *x"));
static UNWANTED_END_CHARS: LazyLock<Option<Regex>> = LazyLock::new(|| regex(r"[^\p{N}\p{L}#]+$"));
/// An inner-match pattern, where its group starts, and a test every text it matches passes.
type InnerMatch = (Regex, GroupStart, fn(&str) -> bool);

/// libphonenumber's INNER_MATCHES, each with how its capture group starts inside a match (the
/// group is the rest of the match, so `find_iter` — no capture machinery — is enough), and a
/// character test every match needs (so the search is skipped where it would find nothing).
static INNER_MATCHES: LazyLock<Vec<InnerMatch>> = LazyLock::new(|| {
    [
        // Breaks on the slash: "651-234-2345/332-445-1234".
        (
            r"/+(.*)",
            GroupStart::After("/"),
            (|s: &str| s.contains('/')) as fn(&str) -> bool,
        ),
        // A bracket starts a number: "(650) 223 3345 (754) 223 3321".
        (r"(\([^(]*)", GroupStart::Whole, |s: &str| s.contains('(')),
        // A hyphen with a space on either side: "12345 - 332-445-1234 is my number".
        (
            r"(?:\p{Z}-|-\p{Z})\p{Z}*(.+)",
            GroupStart::SkipThenSpaces(2),
            |s: &str| s.contains('-') && has_separator(s),
        ),
        // Wide dashes.
        (
            r"[\x{2012}-\x{2015}\x{FF0D}]\p{Z}*(.+)",
            GroupStart::SkipThenSpaces(1),
            |s: &str| s.contains(['\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{FF0D}']),
        ),
        // A full stop: "12345. 332-445-1234 is my number".
        (
            r"\.+\p{Z}*([^.]+)",
            GroupStart::AfterThenSpaces("."),
            |s: &str| s.contains('.'),
        ),
        // A space: "3324451234 8002341234".
        (r"\p{Z}+(\P{Z}+)", GroupStart::AfterSpaces, has_separator),
    ]
    .into_iter()
    .filter_map(|(p, g, may_match)| regex(p).map(|re| (re, g, may_match)))
    .collect()
});

/// Where the capture group of an inner-match pattern starts within the pattern's match.
#[derive(Clone, Copy)]
enum GroupStart {
    Whole,
    /// After a run of these characters.
    After(&'static str),
    /// After a run of these characters and then separators.
    AfterThenSpaces(&'static str),
    /// After `n` characters and then separators.
    SkipThenSpaces(usize),
    /// After separators.
    AfterSpaces,
}

impl GroupStart {
    /// The group of match `m` (non-empty when the pattern's group is).
    fn group(self, m: &str) -> (usize, &str) {
        let skip_z = |s: &str| -> usize {
            // `\p{Z}*` before a group of at least one character gives that character back.
            let rest = s.trim_start_matches(is_separator);
            let start = s.len() - rest.len();
            if rest.is_empty() {
                s.char_indices().next_back().map_or(0, |(i, _)| i)
            } else {
                start
            }
        };
        let start = match self {
            GroupStart::Whole => 0,
            GroupStart::After(chars) => m.len() - m.trim_start_matches(|c| chars.contains(c)).len(),
            GroupStart::AfterThenSpaces(chars) => {
                let a = m.len() - m.trim_start_matches(|c| chars.contains(c)).len();
                a + skip_z(&m[a..])
            }
            GroupStart::SkipThenSpaces(n) => {
                let a = m.char_indices().nth(n).map_or(m.len(), |(i, _)| i);
                a + skip_z(&m[a..])
            }
            GroupStart::AfterSpaces => m.len() - m.trim_start_matches(is_separator).len(),
        };
        (start, &m[start..])
    }
}

/// Whether `s` has a `\p{Z}` character.
fn has_separator(s: &str) -> bool {
    s.contains(is_separator)
}

/// Unicode `\p{Z}`: space, line and paragraph separators.
fn is_separator(c: char) -> bool {
    matches!(
        general_category(c),
        GeneralCategory::SpaceSeparator
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
}

static URI_MARKERS: LazyLock<Option<Regex>> = LazyLock::new(|| regex(r"(?i)tel:|;phone-context="));

/// Whether `text` may hold a match of [`URI_MARKERS`]: a `tel:` or a `;phone-context=` in any
/// case (neither word has a letter with a non-ASCII case variant, so an ASCII comparison is exact).
/// Most texts have neither, and this look at their `:` and `;` is cheaper than the search.
fn may_have_uri_marker(text: &str) -> bool {
    let bytes = text.as_bytes();
    let tel = text
        .match_indices(':')
        .any(|(i, _)| i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"tel"));
    tel || text.match_indices(';').any(|(i, _)| {
        bytes
            .get(i + 1..i + 15)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"phone-context="))
    })
}

fn is_match(re: &LazyLock<Option<Regex>>, s: &str) -> bool {
    re.as_ref().is_some_and(|re| re.is_match(s))
}

/// `s` cut before the first match of `re`.
fn trim_after_first_match<'a>(re: &LazyLock<Option<Regex>>, s: &'a str) -> &'a str {
    match re.as_ref().and_then(|re| re.find(s)) {
        Some(m) => &s[..m.start()],
        None => s,
    }
}

/// The scanning context shared by the steps.
struct Scan<'t> {
    text: &'t str,
    region: Option<Id>,
    /// Fewest digits a national number of the region is written with (its shortest valid length).
    min_national_digits: usize,
    /// Whether the region's formats ever require the national prefix.
    prefix_rules: bool,
    /// Failed parse attempts left for this text: [`PARSE_BUDGET_BASE`] plus one per
    /// [`BYTES_PER_PARSE`] bytes, so that digit-dense junk costs a bounded time per byte.
    parses_left: Cell<usize>,
}

/// Failed parse attempts every text may spend, however short.
const PARSE_BUDGET_BASE: usize = 256;
/// One more failed parse attempt per this many bytes of text (successful parses cost nothing, so
/// a directory page full of numbers is read whole).
const BYTES_PER_PARSE: usize = 32;

/// The shortest national significant number of `region`, over all its number types.
fn shortest_number(region: Id) -> usize {
    let Some(meta) = DATABASE.by_id(region.as_ref()) else {
        return MIN_DIGITS;
    };
    let d = meta.descriptors();
    [
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
    ]
    .into_iter()
    .flatten()
    .flat_map(|desc| desc.possible_length().iter().copied())
    .min()
    .map_or(MIN_DIGITS, |n| usize::from(n).max(MIN_DIGITS))
}

fn digit_count(s: &str) -> usize {
    if s.is_ascii() {
        return s.bytes().filter(u8::is_ascii_digit).count();
    }
    s.chars().filter(|c| c.is_numeric()).count()
}

/// Fewest digits of anything [`find_phones`] finds: a vanity number's prefix (`800`).
const MIN_VANITY_DIGITS: usize = 3;

/// Whether `text` has at least `n` numeric characters (as [`digit_count`] counts them).
fn has_digits(text: &str, n: usize) -> bool {
    let bytes = text.as_bytes();
    let mut count = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_digit() {
            count += 1;
            if count >= n {
                return true;
            }
        } else if !b.is_ascii() {
            // Everything before is ASCII, so `i` is a char boundary; the rest is counted by chars.
            return count
                + text[i..]
                    .chars()
                    .filter(|c| c.is_numeric())
                    .take(n - count)
                    .count()
                >= n;
        }
    }
    count >= n
}

/// A default region as [`find_phones`] takes it (ISO 3166 alpha-2, any case, spaces around).
fn parse_region_id(region: &str) -> Option<Id> {
    let region = region.trim();
    if let &[a, b] = region.as_bytes() {
        if a.is_ascii_uppercase() && b.is_ascii_uppercase() {
            // A page's texts all share one region: remember the last one read.
            if let Some((_, id)) = LAST_REGION
                .with(Cell::get)
                .filter(|(key, _)| *key == [a, b])
            {
                return id;
            }
            let id = Id::from_str(region).ok();
            LAST_REGION.with(|c| c.set(Some(([a, b], id))));
            return id;
        }
    }
    Id::from_str(&region.to_ascii_uppercase()).ok()
}

thread_local! {
    /// [`parse_region_id`] of the last two capital letters asked about.
    static LAST_REGION: Cell<Option<([u8; 2], Option<Id>)>> = const { Cell::new(None) };
}

thread_local! {
    /// [`region_facts`] of the last region asked about (a page's texts all share one).
    static REGION_FACTS: Cell<Option<(Option<Id>, usize, bool)>> = const { Cell::new(None) };
}

/// The region's shortest national number ([`shortest_number`], `usize::MAX` without a region) and
/// whether its formats ever require the national prefix ([`region_has_prefix_rules`]).
fn region_facts(region: Option<Id>) -> (usize, bool) {
    if let Some((_, min, rules)) = REGION_FACTS
        .with(Cell::get)
        .filter(|(r, _, _)| *r == region)
    {
        return (min, rules);
    }
    let facts = (
        region.map_or(usize::MAX, shortest_number),
        region.is_some_and(region_has_prefix_rules),
    );
    REGION_FACTS.with(|c| c.set(Some((region, facts.0, facts.1))));
    facts
}

/// Find every phone number in `text`. National numbers (no `+`, no international prefix) are read
/// as numbers of `default_region` (ISO 3166 alpha-2, case-insensitive); without a region (or with
/// an unknown one) only international numbers are found. `value` is E.164; an extension written
/// after the number is inside the match's span.
pub fn find_phones(text: &str, default_region: Option<&str>) -> Vec<TextMatch> {
    // Most texts of a page (names, titles, prose) have too few digits for any number: a vanity
    // number has at least three (`800` before its letters), every other match four.
    if !has_digits(text, MIN_VANITY_DIGITS) {
        return Vec::new();
    }
    let region = default_region.and_then(parse_region_id);
    let (min_national_digits, prefix_rules) = region_facts(region);
    let scan = Scan {
        text,
        region,
        min_national_digits,
        prefix_rules,
        parses_left: Cell::new(PARSE_BUDGET_BASE + text.len() / BYTES_PER_PARSE),
    };
    let mut found = scan.uri_numbers();
    let Some(pattern) = PATTERN_AT_START.as_ref() else {
        return found;
    };
    let mut index = 0;
    while index < text.len() {
        let Some((start, end)) = next_candidate(pattern, text, index) else {
            break;
        };
        let whole = &text[start..end];
        let limit = block_limited_len(whole);
        let limited = match limit < whole.len() {
            true => whole[..limit].trim_end_matches(|c: char| !c.is_numeric()),
            false => whole,
        };
        let mut candidate = match limited.contains(['/', '\\']) {
            true => trim_after_first_match(&SECOND_NUMBER_START, limited),
            false => limited,
        };
        // A date is never part of a number (`05.08.2024 – 23.08.2024` is not one long number):
        // what comes before it is read on its own, and the scan goes on after it. The one
        // exception is libphonenumber's own time-stamp shape, a whole candidate `2012-01-02 08`,
        // which the matcher keeps unless minutes follow (see `extract_match`).
        let mut resume = start + candidate.len().max(1);
        // Opening hours (`08.00 – 17.00`, `9:30-18:00`) are a time range, never a number, even
        // where the digits would dial (NL `0800 1700`).
        if is_time_range(candidate) {
            candidate = "";
        }
        if let Some((date_start, date_end)) =
            date_span(candidate).filter(|_| !is_time_stamp_shape(candidate))
        {
            candidate = candidate[..date_start].trim_end_matches(|c: char| !c.is_numeric());
            resume = start + date_end;
        }
        let mut budget = MAX_PARSES_PER_CANDIDATE;
        let matched = match candidate.is_empty() {
            true => None,
            false => scan
                .extract_match(candidate, start, &mut budget)
                .or_else(|| scan.vanity_match(candidate, start, &mut budget)),
        };
        match matched {
            Some(found_match) => {
                index = found_match.end.max(start + 1);
                found.push(found_match);
            }
            None => index = resume,
        }
        index = ceil_boundary(text, index);
    }
    without_overlaps(found)
}

impl Scan<'_> {
    fn region_code(&self) -> Option<&str> {
        self.region.as_ref().map(|r| r.as_ref())
    }

    /// Whether `s` has enough digits to hold a valid number: a national number of the region at
    /// least, or with a `+` at least [`MIN_DIGITS`]. Without a region only `+` numbers qualify.
    fn enough_digits(&self, s: &str) -> bool {
        let digits = digit_count(s);
        digits >= self.fewest_digits(s) && digits <= MAX_DIGITS
    }

    /// The fewest digits [`Scan::enough_digits`] asks of `s`.
    fn fewest_digits(&self, s: &str) -> usize {
        if s.contains(['+', '\u{FF0B}']) {
            MIN_DIGITS
        } else {
            self.min_national_digits
        }
    }

    /// [`Phone::parse`] within the text's parse budget.
    fn parse(&self, s: &str) -> Option<Rc<ParsedPhone>> {
        let left = self.parses_left.get();
        if left == 0 {
            return None;
        }
        let phone = parse_memo(s, self.region);
        if phone.is_none() {
            self.parses_left.set(left - 1); // only failures are charged: a page of numbers is read whole
        }
        phone
    }

    /// `tel:` URIs and `…;phone-context=…` numbers, read whole.
    fn uri_numbers(&self) -> Vec<TextMatch> {
        let text = self.text;
        let mut found: Vec<TextMatch> = Vec::new();
        let Some(markers) = URI_MARKERS.as_ref().filter(|_| may_have_uri_marker(text)) else {
            return found;
        };
        for m in markers.find_iter(text) {
            let is_tel = m.as_str().eq_ignore_ascii_case("tel:");
            if is_tel && char_before(text, m.start()).is_some_and(|c| c.is_alphanumeric()) {
                continue; // `hotel:` is not a URI
            }
            let start = if is_tel {
                m.start()
            } else {
                token_start(text, m.start(), 64)
            };
            if found.last().is_some_and(|last| start < last.end) {
                continue; // the phone-context of a `tel:` URI already read
            }
            let end = token_end(text, m.end(), 256);
            let token =
                text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '"']);
            let end = start + token.len();
            if digit_count(token) < MIN_DIGITS || self.parses_left.get() == 0 {
                continue;
            }
            let value = if is_tel
                || token
                    .get(..4)
                    .is_some_and(|t| t.eq_ignore_ascii_case("tel:"))
            {
                tel_number(token, self.region_code())
            } else {
                Phone::parse(token, self.region_code())
                    .ok()
                    .map(|p| p.as_str().to_string())
            };
            match value {
                Some(value) => found.push(TextMatch {
                    start,
                    end,
                    value,
                    confidence: CONFIDENCE_TEL_URI,
                    obfuscated: false,
                }),
                None => self.parses_left.set(self.parses_left.get() - 1),
            }
        }
        found
    }

    /// libphonenumber's `extractMatch`.
    fn extract_match(&self, candidate: &str, offset: usize, budget: &mut u32) -> Option<TextMatch> {
        // Inner matches are parts of the candidate: none has more digits than the whole, or a `+`
        // the whole has not, so if the whole has too few digits for a number nothing is parsed.
        if digit_count(candidate) < self.fewest_digits(candidate)
            || candidate.contains('/') && is_match(&SLASH_SEPARATED_DATES, candidate)
        {
            return None;
        }
        if ends_like_time_stamp(candidate)
            && is_match(&TIME_STAMPS, candidate)
            && is_match(&TIME_STAMPS_SUFFIX, &self.text[offset + candidate.len()..])
        {
            return None;
        }
        self.parse_and_verify(candidate, offset, budget)
            .or_else(|| self.extract_inner_match(candidate, offset, budget))
    }

    /// libphonenumber's `extractInnerMatch`: a number inside a candidate that is not one as a whole.
    fn extract_inner_match(
        &self,
        candidate: &str,
        offset: usize,
        budget: &mut u32,
    ) -> Option<TextMatch> {
        for (inner, group_start, may_match) in INNER_MATCHES.iter() {
            if !may_match(candidate) {
                continue;
            }
            let mut first = true;
            for whole in inner.find_iter(candidate) {
                if *budget == 0 {
                    return None;
                }
                if first {
                    first = false;
                    let before = &candidate[..whole.start()];
                    if self.enough_digits(before) {
                        let before = trim_after_first_match(&UNWANTED_END_CHARS, before);
                        if let Some(m) = self.parse_and_verify(before, offset, budget) {
                            return Some(m);
                        }
                    }
                }
                let (group_offset, group) = group_start.group(whole.as_str());
                if self.enough_digits(group) {
                    let group_text = trim_after_first_match(&UNWANTED_END_CHARS, group);
                    if let Some(m) = self.parse_and_verify(
                        group_text,
                        offset + whole.start() + group_offset,
                        budget,
                    ) {
                        return Some(m);
                    }
                }
            }
        }
        None
    }

    /// libphonenumber's `parseAndVerify` at leniency VALID, plus leadsync's own rejections.
    fn parse_and_verify(
        &self,
        candidate: &str,
        offset: usize,
        budget: &mut u32,
    ) -> Option<TextMatch> {
        let text = self.text;
        // Without brackets, `MATCHING_BRACKETS` holds for any non-empty text and `PUB_PAGES` (which
        // needs a `(`) never does: the searches are only run when a bracket is there.
        let brackets = candidate.contains(is_bracket);
        if !self.enough_digits(candidate)
            || brackets
                && (!is_match(&MATCHING_BRACKETS, candidate) || is_match(&PUB_PAGES, candidate))
        {
            return None;
        }
        let end = offset + candidate.len();
        let before = char_before(text, offset);
        let after = char_at(text, end);
        if !starts_with_lead(candidate)
            && before.is_some_and(|c| is_invalid_punctuation(c) || is_latin_letter(c))
        {
            return None;
        }
        if after.is_some_and(|c| is_invalid_punctuation(c) || is_latin_letter(c)) {
            return None;
        }
        if self.looks_like_something_else(candidate, offset, end) || *budget == 0 {
            return None;
        }
        *budget -= 1;
        let parsed = self.parse(candidate)?;
        if !self.contains_only_valid_x_chars(&parsed.phone, candidate) {
            return None;
        }
        let confidence = self.verified_confidence(candidate, offset, &parsed)?;
        Some(TextMatch {
            start: offset,
            end,
            value: parsed.phone.as_str().to_string(),
            confidence,
            obfuscated: false,
        })
    }

    /// The last check of a valid number — its national prefix, unless a phone label excuses it —
    /// and then its confidence: international writing, separators and a label raise it.
    /// `parsed` is what parsing `candidate` gave.
    fn verified_confidence(
        &self,
        candidate: &str,
        offset: usize,
        parsed: &ParsedPhone,
    ) -> Option<f32> {
        // The parse read the candidate trimmed: the same text as here unless it has spaces around.
        let untrimmed;
        let (international, prepared) = if candidate.trim() == candidate {
            (parsed.international, parsed.prepared.as_str())
        } else {
            untrimmed = prepare(candidate).ok()?;
            (
                international_form(&untrimmed.number, self.region).is_some(),
                untrimmed.number.as_str(),
            )
        };
        let labelled = self.labelled_as_phone(offset);
        if !international
            && !labelled
            && self.prefix_rules
            && !self.national_prefix_present(prepared)
        {
            return None;
        }
        let bare = candidate.chars().all(|c| c.is_numeric());
        let base = if international {
            CONFIDENCE_INTERNATIONAL
        } else if bare {
            CONFIDENCE_BARE_DIGITS
        } else {
            CONFIDENCE_NATIONAL
        };
        Some(if labelled {
            (base + KEYWORD_BONUS).min(0.98)
        } else {
            base
        })
    }

    /// Whether one of the last few words before `start` labels a phone number (`Tel.:`, `call us
    /// on`, `Phone #`). A labelled number may omit its national prefix (`Tel. 20 7946 0958` on a
    /// British page): the label says what it is, which is all the prefix rule guards against.
    fn labelled_as_phone(&self, start: usize) -> bool {
        let before = words_before(self.text, start, 32);
        // The last four words, in order.
        let mut last = [""; 4];
        let mut n = 0;
        let words = before
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '.'))
            .map(|w| w.trim_matches('.'));
        for w in words.filter(|w| !w.is_empty()).take(4) {
            n += 1;
            last[4 - n] = w;
        }
        let recent = &last[4 - n..];
        // Words have no spaces, so a two-word label `a b` is the pair (`a`, `b`).
        recent.iter().any(|w| PHONE_WORDS.contains(w))
            || recent.windows(2).any(|p| {
                PHONE_WORDS
                    .iter()
                    .any(|label| label.split_once(' ') == Some((p[0], p[1])))
            })
    }

    /// A vanity number on a toll-free or premium-rate prefix, its letters in capitals or joined by
    /// hyphens: `1-800-FLOWERS`, `0800 DDA 005`, `1800 six-flag`. The letters are read as keypad
    /// digits by [`Phone::parse`]; the number must be valid. Tried after the digits alone fail.
    fn vanity_match(&self, candidate: &str, start: usize, budget: &mut u32) -> Option<TextMatch> {
        let text = self.text;
        let end = start + candidate.len();
        let letter_follows = text[end..]
            .trim_start_matches([' ', '-'])
            .starts_with(|c: char| c.is_ascii_alphabetic());
        if !letter_follows || !matches!(char_at(text, end), Some(' ' | '-')) {
            return None;
        }
        // At most eight digits, gathered on the stack (most candidates tried here are not vanity
        // numbers).
        let mut buf = [0u8; 8];
        let mut len = 0;
        for d in candidate.bytes().filter(u8::is_ascii_digit) {
            *buf.get_mut(len)? = d;
            len += 1;
        }
        if !std::str::from_utf8(&buf[..len]).is_ok_and(is_vanity_prefix) {
            return None;
        }
        let ends = vanity_group_ends(text, start + candidate.len());
        for &end in ends.iter().rev() {
            let whole = &text[start..end];
            let letters = whole.chars().filter(char::is_ascii_alphabetic).count();
            if !(3..=10).contains(&letters) || char_at(text, end).is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            if *budget == 0
                || !self.enough_digits(&format!(
                    "{}{}",
                    "0".repeat(digit_count(whole)),
                    "0".repeat(letters)
                ))
            {
                return None;
            }
            *budget -= 1;
            let Some(parsed) = self.parse(whole) else {
                continue;
            };
            if self.looks_like_something_else(whole, start, end) {
                continue;
            }
            let Some(confidence) = self.verified_confidence(whole, start, &parsed) else {
                continue;
            };
            let confidence = confidence - 0.05;
            return Some(TextMatch {
                start,
                end,
                value: parsed.phone.as_str().to_string(),
                confidence,
                obfuscated: false,
            });
        }
        None
    }

    /// libphonenumber's `containsOnlyValidXChars`: an `x` may only start the extension, or (`xx`) a
    /// carrier code written before the national number.
    fn contains_only_valid_x_chars(&self, phone: &Phone, candidate: &str) -> bool {
        if !candidate.contains(['x', 'X']) {
            return true;
        }
        let chars: Vec<(usize, char)> = candidate.char_indices().collect();
        let mut k = 0;
        while k + 1 < chars.len() {
            let (i, c) = chars[k];
            if c == 'x' || c == 'X' {
                let next = chars[k + 1].1;
                if next == 'x' || next == 'X' {
                    k += 1;
                    let rest = &candidate[chars[k].0..];
                    if Phone::parse(rest, self.region_code())
                        .ok()
                        .is_none_or(|p| p.as_str() != phone.as_str())
                    {
                        return false;
                    }
                } else {
                    let rest_digits: String =
                        candidate[i..].chars().filter(|c| c.is_numeric()).collect();
                    let rest_digits = ascii_digits(&rest_digits);
                    if phone.extension().is_none_or(|ext| ext != rest_digits) {
                        return false;
                    }
                }
            }
            k += 1;
        }
        true
    }

    /// libphonenumber's `isNationalPrefixPresentIfRequired` for a number written without `+` or
    /// an international prefix (`number` as [`prepare`] leaves it): it must carry the national
    /// prefix when the country's formatting rule for it has one that is not optional (`020 3346
    /// 1234` in GB, not `20 3346 1234`).
    fn national_prefix_present(&self, number: &str) -> bool {
        if let Some(present) = with_memo(self.region, |m| m.prefix_present.get(number).copied()) {
            return present;
        }
        let present = self.national_prefix_present_uncached(number);
        with_memo(self.region, |m| {
            if m.prefix_present.len() >= MEMO_ENTRIES {
                m.prefix_present.clear();
            }
            m.prefix_present.insert(number.to_string(), present);
        });
        present
    }

    fn national_prefix_present_uncached(&self, number: &str) -> bool {
        let Ok(parsed) = phonenumber::parse(self.region, number) else {
            return false;
        };
        if parsed.code().source() != Source::Default {
            return true;
        }
        let Some(meta) = DATABASE
            .by_code(&parsed.code().value())
            .and_then(|m| m.into_iter().next())
        else {
            return true;
        };
        let national = parsed.national().to_string();
        if !requires_prefix(meta, &national) {
            return true;
        }
        // Anything written before the national significant number (a national prefix, a carrier
        // code) makes the raw digits longer than it.
        let written = number.chars().filter(char::is_ascii_alphanumeric).count();
        written > national.len()
    }

    /// Leadsync's rejections of things that are not phone numbers even when their digits are.
    fn looks_like_something_else(&self, candidate: &str, start: usize, end: usize) -> bool {
        let text = self.text;
        let before = char_before(text, start);
        let after = char_at(text, end);
        // Part of a longer digit run, an e-mail address, an identifier or a URL path.
        if before.is_some_and(|c| c.is_numeric() || c == '@' || c == '_')
            || after.is_some_and(|c| c.is_numeric() || c == '@' || c == '_')
        {
            return true;
        }
        let before2 = before.and_then(|c| char_before(text, start - c.len_utf8()));
        // The tail of a code joined by a hyphen: `TF-2024-118734`, `#HF-2024-881734`.
        if before == Some('-') && before2.is_some_and(|c| c.is_alphanumeric()) {
            return true;
        }
        if matches!(before, Some('/' | '=' | '&' | '?'))
            && before2.is_some_and(|c| !c.is_whitespace())
        {
            return true;
        }
        // A decimal or dotted run continuing on either side: `12.4155550100`, `10.0.0.1`.
        if matches!(before, Some('.' | ',')) && before2.is_some_and(|c| c.is_ascii_digit()) {
            return true;
        }
        let after2 = after.and_then(|c| char_at(text, end + c.len_utf8()));
        if matches!(after, Some('.' | ',')) && after2.is_some_and(|c| c.is_ascii_digit()) {
            return true;
        }
        // A time: `10:30`, `08:00:00`.
        if after == Some(':') && after2.is_some_and(|c| c.is_ascii_digit()) {
            return true;
        }
        if before == Some(':') && before2.is_some_and(|c| c.is_ascii_digit()) {
            return true;
        }
        is_date(candidate)
            || is_ipv4(candidate)
            || is_card_number(candidate)
            || self.is_amount(start, end)
            || self.is_labelled_id(start)
    }

    /// A currency sign or code right before or after: `$ 1 234 567 890`, `EUR 1234567890`.
    fn is_amount(&self, start: usize, end: usize) -> bool {
        let text = self.text;
        let before = text[floor_boundary(text, start.saturating_sub(8))..start].trim_end();
        let after = text[end..ceil_boundary(text, end + 8)].trim_start();
        if before.chars().next_back().is_some_and(is_currency)
            || after.chars().next().is_some_and(is_currency)
        {
            return true;
        }
        let word_before = before
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or_default();
        let word_after = after
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or_default();
        [word_before, word_after]
            .iter()
            .any(|w| w.len() == 3 && CURRENCY_CODES.iter().any(|c| w.eq_ignore_ascii_case(c)))
            || word_before.eq_ignore_ascii_case("rs")
    }

    /// An id, reference, postal code or version introduced by a keyword or `#`.
    fn is_labelled_id(&self, start: usize) -> bool {
        let words = words_before(self.text, start, 48);
        let hash = char_before(self.text, start) == Some('#');
        id_label(&words, hash)
    }
}

/// Whether `label` (the lower-cased words right before a number, or the text of the label cell
/// before it) introduces a document number rather than a phone: an invoice, order, ticket,
/// reference, case, customer or account number, a VAT/USt-IdNr./TVA/SIRET, an IBAN, a tracking
/// number… in English, French, German, Japanese and more. `hash`: a `#` right before the number.
/// `Tel. No.`, `Phone #`, `Telefon Nr.` and `電話番号` stay phone labels.
pub fn id_label(label: &str, hash: bool) -> bool {
    let is_trim = |c: char| c.is_whitespace() || ":#.-=(：（".contains(c);
    let mut trimmed = label.trim_end_matches(is_trim);
    // A sentence states the number: "my account number is …", "le numéro client est …", "die
    // Kundennummer lautet …". The verb is not part of the label.
    if let Some((head, verb)) = trimmed.rsplit_once(' ') {
        if matches!(
            verb,
            "is" | "was" | "est" | "ist" | "lautet" | "es" | "è" | "é"
        ) {
            trimmed = head.trim_end_matches(is_trim);
        }
    }
    // A country prefix and check digits of a VAT number: `TVA : FR 40 …`, `USt-IdNr. DE 123…`.
    let mut head = trimmed;
    for _ in 0..2 {
        let Some((h, last)) = head.rsplit_once(|c: char| c.is_whitespace()) else {
            break;
        };
        if !((1..=3).contains(&last.len()) && last.bytes().all(|b| b.is_ascii_alphanumeric())) {
            break;
        }
        head = h.trim_end_matches(is_trim);
        if VAT_WORDS_BY_LAST_BYTE.ends_with_any(head) {
            trimmed = head;
            break;
        }
    }
    let hash = hash || label.trim_end().ends_with('#');
    if japanese_id_label(trimmed) {
        return true;
    }
    // `Tel. No.`, `Phone #`, `Telefon Nr.`: the id marker belongs to a phone label.
    let marker_only = [
        "no", "nr", "n°", "nº", "num", "number", "numéro", "numero", "nummer", "#", "",
    ];
    let last = trimmed
        .rsplit(|c: char| c.is_whitespace() || c == '.')
        .next()
        .unwrap_or_default();
    let marked = hash || marker_only.contains(&last);
    let rest = match marker_only.contains(&last) {
        true => trimmed[..trimmed.len() - last.len()]
            .trim_end_matches(|c: char| c.is_whitespace() || ":#.-".contains(c)),
        false => trimmed,
    };
    let rest = rest
        .strip_suffix(" de")
        .or_else(|| rest.strip_suffix(" du"))
        .unwrap_or(rest);
    let labelled = hash
        || ID_WORDS_BY_LAST_BYTE.ends_with_any(trimmed)
        || marked && ID_WORDS_BY_LAST_BYTE.ends_with_any(rest);
    labelled && !(marked && PHONE_WORDS_BY_LAST_BYTE.ends_with_any(rest))
}

/// A Japanese document-number label: `…番号` (`注文番号`, `請求書番号`, `登録番号`) that is not a phone
/// or fax number's (`電話番号`, `携帯番号`, `FAX番号`), or `伝票`, `受付`, `管理` and the like.
fn japanese_id_label(label: &str) -> bool {
    let Some(head) = label
        .strip_suffix("番号")
        .or_else(|| label.strip_suffix("番号は"))
    else {
        return [
            "伝票",
            "受付no",
            "管理no",
            "請求書no",
            "注文no",
            "インボイス",
        ]
        .iter()
        .any(|w| label.ends_with(w));
    };
    ![
        "電話",
        "携帯",
        "fax",
        "ファックス",
        "ファクス",
        "直通",
        "代表",
        "連絡先",
        "内線",
    ]
    .iter()
    .any(|w| head.ends_with(w))
}

/// Whether the formatting rule that applies to `national` requires the national prefix.
fn requires_prefix(meta: &Metadata, national: &str) -> bool {
    let format = meta.formats().iter().find(|f| {
        let leading_ok = f
            .leading_digits()
            .last()
            .is_none_or(|re| match_end_at_start(re, re.as_str(), national).is_some());
        leading_ok
            && match_end_at_start(f.pattern(), f.pattern().as_str(), national)
                == Some(national.len())
    });
    format.is_some_and(format_requires_prefix)
}

/// A format whose national-prefix rule is set, not optional, and more than the first group maybe
/// in brackets (`$FG`, `($FG)` need no prefix).
fn format_requires_prefix(format: &phonenumber::metadata::Format) -> bool {
    let Some(rule) = format.national_prefix().filter(|r| !r.is_empty()) else {
        return false;
    };
    let stripped: String = rule.chars().filter(|c| !"()".contains(*c)).collect();
    !format.is_national_prefix_optional() && stripped.trim() != "$FG"
}

/// Whether any format of `region`'s country requires a national prefix (if none does, e.g. the
/// US, the per-number check is skipped).
fn region_has_prefix_rules(region: Id) -> bool {
    let Some(code) = DATABASE.by_id(region.as_ref()).map(|m| m.country_code()) else {
        return false;
    };
    DATABASE
        .by_code(&code)
        .and_then(|m| m.into_iter().next())
        .is_some_and(|meta| meta.formats().iter().any(format_requires_prefix))
}

/// Toll-free and premium-rate prefixes vanity numbers are sold on, after a `+`, `00` or `011`.
fn is_vanity_prefix(digits: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "800", "888", "877", "866", "855", "844", "833", "822", "900", "1800", "1300", "1900",
        "0800", "0900", "0508", "0808", "0500", "0870",
    ];
    let d = digits
        .strip_prefix("011")
        .or_else(|| digits.strip_prefix("00"))
        .unwrap_or(digits);
    let nanp = d.strip_prefix('1').unwrap_or(d);
    PREFIXES
        .iter()
        .any(|p| d.starts_with(p) || nanp.starts_with(p))
}

/// Ends of the letter groups that may follow a vanity number's digits at `from`: groups of
/// capitals and digits joined by spaces or hyphens (`DDA 005`, `GOT-JUNK`), or lower-case groups
/// joined by hyphens (`six-flag`). At most four groups, nearest first.
fn vanity_group_ends(text: &str, from: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut pos = from;
    let mut lower_mode: Option<bool> = None;
    let mut hyphen_inside = false;
    let mut groups = 0;
    while groups < 4 {
        let rest = &text[pos..];
        let sep_len = rest.len() - rest.trim_start_matches([' ', '-']).len();
        let sep = &rest[..sep_len];
        if sep.is_empty() || sep.len() > 2 {
            break;
        }
        let group_start = pos + sep_len;
        let group_len = text[group_start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(text.len() - group_start);
        let group = &text[group_start..group_start + group_len];
        if group.is_empty() || group.len() > 8 {
            break;
        }
        let has_lower = group.chars().any(|c| c.is_ascii_lowercase());
        let has_upper = group.chars().any(|c| c.is_ascii_uppercase());
        let lower = match (has_lower, has_upper) {
            (true, true) => break,
            (true, false) => true,
            (false, _) => false,
        };
        if lower_mode.is_some_and(|m| m != lower) || lower && groups > 0 && sep != "-" {
            break;
        }
        if lower && groups > 0 {
            hyphen_inside = true;
        }
        lower_mode = Some(lower);
        groups += 1;
        pos = group_start + group_len;
        if !lower || hyphen_inside {
            ends.push(pos);
        }
    }
    ends
}

/// The text before `start`, at most about `max` bytes, lowercased.
fn words_before(text: &str, start: usize, max: usize) -> Cow<'_, str> {
    let before = &text[floor_boundary(text, start.saturating_sub(max))..start];
    if !before.is_ascii() {
        return Cow::Owned(before.to_lowercase());
    }
    match before.bytes().any(|b| b.is_ascii_uppercase()) {
        true => Cow::Owned(before.to_ascii_lowercase()),
        false => Cow::Borrowed(before),
    }
}

/// Whether `s` ends with one of `words` as a whole word.
fn ends_with_any_word(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        s.strip_suffix(w).is_some_and(|head| {
            head.chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

/// A word list by the last byte of its words, so that [`ends_with_any_word`] compares only the
/// words that can end `s`.
struct WordsByLastByte(Vec<Vec<&'static str>>);

impl WordsByLastByte {
    fn new(words: &[&'static str]) -> Self {
        let mut by_byte = vec![Vec::new(); 256];
        for w in words {
            if let Some(&last) = w.as_bytes().last() {
                by_byte[usize::from(last)].push(*w);
            }
        }
        WordsByLastByte(by_byte)
    }

    /// [`ends_with_any_word`] with the whole list (which has no empty word).
    fn ends_with_any(&self, s: &str) -> bool {
        s.as_bytes()
            .last()
            .is_some_and(|&last| ends_with_any_word(s, &self.0[usize::from(last)]))
    }
}

static ID_WORDS_BY_LAST_BYTE: LazyLock<WordsByLastByte> =
    LazyLock::new(|| WordsByLastByte::new(ID_WORDS));
static PHONE_WORDS_BY_LAST_BYTE: LazyLock<WordsByLastByte> =
    LazyLock::new(|| WordsByLastByte::new(PHONE_WORDS));
static VAT_WORDS_BY_LAST_BYTE: LazyLock<WordsByLastByte> =
    LazyLock::new(|| WordsByLastByte::new(VAT_WORDS));

/// Words that label a phone number (lowercase).
const PHONE_WORDS: &[&str] = &[
    "tel",
    "tél",
    "tel.",
    "telephone",
    "téléphone",
    "telefon",
    "telefono",
    "teléfono",
    "telefone",
    "phone",
    "ph",
    "mobile",
    "mob",
    "mobil",
    "cell",
    "cellphone",
    "fax",
    "call",
    "contact",
    "whatsapp",
    "hotline",
    "helpline",
    "handy",
    "portable",
    "móvil",
    "movil",
    "celular",
    "tfn",
    "tlf",
    "direct",
    "dial",
    "ring",
    "sms",
    "text",
    "telephone number",
    "phone number",
    "tel no",
    "fon",
    "téléphone portable",
    "mobiel",
    "telefoon",
    "puhelin",
    "телефон",
    "тел",
    "電話",
    "电话",
    "전화",
];

/// Words that introduce an id, a reference, a postal code or a version (lowercase).
const ID_WORDS: &[&str] = &[
    "order",
    "order no",
    "order number",
    "invoice",
    "invoice no",
    "id",
    "ref",
    "reference",
    "ticket",
    "case",
    "account",
    "acct",
    "customer",
    "customer no",
    "sku",
    "item",
    "part",
    "serial",
    "tracking",
    "isbn",
    "issn",
    "ean",
    "upc",
    "gtin",
    "ein",
    "vat",
    "tax",
    "tin",
    "siret",
    "siren",
    "iban",
    "bic",
    "swift",
    "po",
    "zip",
    "zip code",
    "zipcode",
    "postcode",
    "postal code",
    "plz",
    "cp",
    "cep",
    "pin code",
    "pincode",
    "no",
    "nr",
    "n°",
    "nº",
    "num",
    "patent",
    "model",
    "version",
    "ver",
    "v",
    "release",
    "build",
    "rev",
    "revision",
    "license",
    "licence",
    "reg",
    "registration",
    "kvk",
    "abn",
    "acn",
    "gst",
    "uid",
    "pin",
    "otp",
    "code",
    "ssn",
    "passport",
    "policy",
    "claim",
    "confirmation",
    "receipt",
    "transaction",
    "txn",
    "batch",
    "lot",
    "booking",
    "booking ref",
    "pnr",
    "flight",
    "member",
    "membership",
    "employee",
    "student",
    "user",
    "uuid",
    "hash",
    "commit",
    "issue",
    "pr",
    "bestellung",
    "bestellnummer",
    "rechnung",
    "rechnungsnummer",
    "kundennummer",
    "auftrag",
    "commande",
    "facture",
    "référence",
    "pedido",
    "factura",
    "ordine",
    "fattura",
    "ust-idnr",
    "steuernummer",
    "handelsregister",
    "hrb",
    "hra",
    // More document numbers, in English, French and German.
    "invoice number",
    "order id",
    "vat number",
    "vat no",
    "vat reg",
    "company number",
    "company no",
    "crn",
    "utr",
    "sort code",
    "rma",
    "awb",
    "consignment",
    "parcel",
    "shipment",
    "waybill",
    "quotation no",
    "purchase order",
    "docket",
    "incident",
    "dossier",
    "contrat",
    "colis",
    "numéro client",
    "n° client",
    "no client",
    "réf",
    "réf. client",
    "tva",
    "tva intracommunautaire",
    "intracommunautaire",
    "rcs",
    "naf",
    "ape",
    "ust-id",
    "ust-idnr.",
    "ustidnr",
    "ust.-idnr",
    "umsatzsteuer-id",
    "umsatzsteuer-identifikationsnummer",
    "mwst",
    "mwst-nr",
    "steuer-nr",
    "st.-nr",
    "stnr",
    "kundennr",
    "kunden-nr",
    "auftragsnummer",
    "auftragsnr",
    "vorgangsnummer",
    "vorgang",
    "ticketnummer",
    "aktenzeichen",
    "az",
    "sendungsnummer",
    "sendungsverfolgung",
    "trackingnummer",
    "referenz",
    "referenznummer",
    "kontonummer",
    "konto",
    "blz",
    "registernummer",
    "rechnungsnr",
    "bestellnr",
    "lieferschein",
    "belegnummer",
    "beleg",
    "vertragsnummer",
    "versicherungsnummer",
    "mitgliedsnummer",
    "partita iva",
    "p.iva",
    "iva",
    "btw",
    "nif",
    "cif",
    "numéro de facture",
    "numéro de commande",
    "numéro de suivi",
];

/// Words a VAT number's country prefix follows (`TVA FR 40 …`), lowercase.
const VAT_WORDS: &[&str] = &[
    "vat",
    "vat no",
    "vat number",
    "vat reg",
    "tva",
    "intracommunautaire",
    "ust-idnr",
    "ust-id",
    "ustidnr",
    "uid",
    "mwst",
    "iva",
    "btw",
    "nif",
    "tax id",
    "numéro de tva",
    "n° tva",
    "p.iva",
    "partita iva",
    "iban",
];

const CURRENCY_CODES: &[&str] = &[
    "usd", "eur", "gbp", "chf", "jpy", "cad", "aud", "nzd", "inr", "sek", "nok", "dkk", "pln",
    "czk", "huf", "brl", "mxn", "cny", "rmb", "zar", "rub", "try", "krw", "sgd", "hkd", "aed",
    "sar", "ils", "thb", "idr", "php", "myr", "ars", "clp", "cop", "pen", "uah", "ron", "bgn",
    "btc", "eth",
];

fn general_category(c: char) -> GeneralCategory {
    CodePointMapData::<GeneralCategory>::new().get(c)
}

fn is_currency(c: char) -> bool {
    general_category(c) == GeneralCategory::CurrencySymbol
}

/// libphonenumber's `isInvalidPunctuationSymbol`.
fn is_invalid_punctuation(c: char) -> bool {
    c == '%' || is_currency(c)
}

/// libphonenumber's `isLatinLetter`: a letter or non-spacing mark of the Latin blocks.
fn is_latin_letter(c: char) -> bool {
    if !c.is_alphabetic() && general_category(c) != GeneralCategory::NonspacingMark {
        return false;
    }
    matches!(c as u32, 0x0000..=0x024F | 0x0300..=0x036F | 0x1E00..=0x1EFF)
}

/// Digits of any script written as ASCII digits.
fn ascii_digits(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            c.to_digit(10)
                .map(|d| char::from(b'0' + d as u8))
                .or_else(|| decimal_value(c))
        })
        .collect()
}

/// The ASCII digit for a non-ASCII decimal digit (full-width and other scripts).
fn decimal_value(c: char) -> Option<char> {
    if general_category(c) != GeneralCategory::DecimalNumber {
        return None;
    }
    prepare(&c.to_string())
        .ok()
        .and_then(|p| p.number.chars().next())
        .filter(char::is_ascii_digit)
}

/// Digit groups of an ASCII-digit candidate, split on anything else.
fn digit_groups(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect()
}

/// A calendar date: `2024-01-15`, `2024/1/5`, `15.01.2024`, `01/02/24`, `15-01-2024`.
fn is_date(candidate: &str) -> bool {
    let s = candidate.trim();
    // Exactly two separators, the same one, a `-`, `/` or `.` (checked first without allocating).
    let mut others = s.chars().filter(|c| !c.is_ascii_digit());
    let (Some(first), Some(second), None) = (others.next(), others.next(), others.next()) else {
        return false;
    };
    if first != second || !matches!(first, '-' | '/' | '.') {
        return false;
    }
    let groups = digit_groups(s);
    let [a, b, c] = groups[..] else { return false };
    date_groups(a, b, c, true)
}

/// Whether three digit groups read as a date: year, month, day with a four-digit year
/// (`2024-01-15`), or day and month either way round and then the year (`15.01.2024`,
/// `01/15/2024`) — a two-digit year too when `short_year` (`01/02/24`).
fn date_groups(a: &str, b: &str, c: &str, short_year: bool) -> bool {
    let num = |g: &str| g.parse::<u32>().unwrap_or(u32::MAX);
    let year4 = |g: &str| g.len() == 4 && (1900..=2099).contains(&num(g));
    let day_month = |d: &str, m: &str| {
        d.len() <= 2 && m.len() <= 2 && (1..=31).contains(&num(d)) && (1..=12).contains(&num(m))
    };
    if year4(a) {
        return day_month(c, b);
    }
    (year4(c) || short_year && c.len() == 2) && (day_month(a, b) || day_month(b, a))
}

/// Whether `s` ends the way [`TIME_STAMPS`] matches end, in a space and an hour (` 08`): a
/// check on three bytes before the search.
fn ends_like_time_stamp(s: &str) -> bool {
    matches!(s.as_bytes(), [.., b' ', b'0'..=b'2', b'0'..=b'9'])
}

/// Whether the whole of `candidate` is libphonenumber's time-stamp shape, a date and an hour
/// (`2012-01-02 08`): the matcher decides on it by what follows (`:00` makes it a time).
fn is_time_stamp_shape(candidate: &str) -> bool {
    TIME_STAMPS
        .as_ref()
        .and_then(|re| re.find(candidate))
        .is_some_and(|m| m.start() == 0)
}

/// The first date with a four-digit year written anywhere in `candidate` (`dd.mm.yyyy`,
/// `dd/mm/yyyy`, `mm/dd/yyyy`, `yyyy-mm-dd`, the same separator twice): its byte span. Two-digit
/// years are left out here: `06.12.20.19.45` is a French number, not a date and two more groups.
/// Whether `candidate` is two clock times joined by a dash: `08.00 – 17.00`, `9:30-18:00`,
/// `8.30 — 12.30` (hours up to 24, minutes up to 59, `.` or `:` inside each time).
fn is_time_range(candidate: &str) -> bool {
    let mut groups: Vec<&str> = Vec::with_capacity(4);
    let mut seps: Vec<&str> = Vec::with_capacity(3);
    let mut rest = candidate.trim_matches(|c: char| !c.is_ascii_digit());
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 || groups.len() == 4 {
            return false;
        }
        groups.push(&rest[..digits]);
        rest = &rest[digits..];
        let sep = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        if sep > 0 {
            seps.push(&rest[..sep]);
        }
        rest = &rest[sep..];
    }
    let time = |h: &str, m: &str| {
        (1..=2).contains(&h.len())
            && m.len() == 2
            && h.parse::<u32>().is_ok_and(|h| h <= 24)
            && m.parse::<u32>().is_ok_and(|m| m <= 59)
    };
    let dash = |s: &str| {
        let t = s.trim();
        matches!(t, "-" | "–" | "—" | "‒" | "−")
    };
    groups.len() == 4
        && seps.len() == 3
        && matches!(seps[0], "." | ":")
        && seps[0] == seps[2]
        && dash(seps[1])
        && time(groups[0], groups[1])
        && time(groups[2], groups[3])
}

fn date_span(candidate: &str) -> Option<(usize, usize)> {
    let bytes = candidate.as_bytes();
    // The last three runs of ASCII digits, as byte spans.
    let mut groups = [(0, 0); 3];
    let mut seen = 0;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        groups = [groups[1], groups[2], (start, i)];
        seen += 1;
        if seen < 3 {
            continue;
        }
        let [(s0, e0), (s1, e1), (s2, e2)] = groups;
        let sep = &candidate[e0..s1];
        let joined = matches!(sep, "." | "/" | "-") && &candidate[e1..s2] == sep;
        if joined
            && date_groups(
                &candidate[s0..e0],
                &candidate[s1..e1],
                &candidate[s2..e2],
                false,
            )
        {
            return Some((s0, e2));
        }
    }
    None
}

/// A dotted IPv4 address.
fn is_ipv4(candidate: &str) -> bool {
    if candidate.bytes().filter(|&b| b == b'.').count() != 3 {
        return false;
    }
    let parts: Vec<&str> = candidate.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            (1..=3).contains(&p.len())
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// A payment-card number: 13–19 digits, no `+`, written in one run or in groups of four (or the
/// 4-6-5 of American Express), passing the Luhn check.
fn is_card_number(candidate: &str) -> bool {
    // 13 to 19 digits, all of them ASCII (checked first without allocating).
    if candidate.contains(['+', '\u{FF0B}']) || !(13..=19).contains(&digit_count(candidate)) {
        return false;
    }
    let groups = digit_groups(candidate);
    let digits: String = groups.concat();
    if !(13..=19).contains(&digits.len())
        || digits.len() != candidate.chars().filter(|c| c.is_numeric()).count()
    {
        return false;
    }
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let grouped = lens.len() == 1
        || lens[..lens.len() - 1].iter().all(|l| *l == 4)
            && (1..=4).contains(&lens[lens.len() - 1])
        || lens == [4, 6, 5];
    grouped && luhn(&digits)
}

fn luhn(digits: &str) -> bool {
    // The sum is kept modulo 10 as it goes: the number is valid when it ends at 0.
    let check = digits.bytes().rev().enumerate().fold(0u32, |acc, (i, b)| {
        let d = u32::from(b - b'0');
        let d = if i % 2 == 1 {
            (d * 2) / 10 + (d * 2) % 10
        } else {
            d
        };
        (acc + d) % 10
    });
    check == 0
}

/// Start of the non-space token that ends at `end` (at most `max` bytes back).
fn token_start(text: &str, end: usize, max: usize) -> usize {
    let mut start = end;
    for (i, c) in text[..end].char_indices().rev() {
        if c.is_whitespace() || "\"'<>(".contains(c) || end - i > max {
            break;
        }
        start = i;
    }
    start
}

/// End of the non-space token that starts at `start` (at most `max` bytes on).
fn token_end(text: &str, start: usize, max: usize) -> usize {
    let mut end = start;
    for (i, c) in text[start..].char_indices() {
        if c.is_whitespace() || "\"'<>".contains(c) || i > max {
            break;
        }
        end = start + i + c.len_utf8();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, region: Option<&str>) -> Vec<(String, String)> {
        find_phones(text, region)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.value))
            .collect()
    }

    fn one(text: &str, region: Option<&str>) -> (String, String) {
        let f = found(text, region);
        assert_eq!(f.len(), 1, "{text:?} ({region:?}): {f:?}");
        f.into_iter().next().unwrap_or_default()
    }

    fn none(text: &str, region: Option<&str>) {
        let f = found(text, region);
        assert!(
            f.is_empty(),
            "{text:?} ({region:?}) should have no number: {f:?}"
        );
    }

    #[test]
    fn opening_hours_are_no_number() {
        none("Maandag t/m vrijdag 08.00 – 17.00 uur", Some("NL"));
        none("Lun.–ven. 9:30-18:00", Some("FR"));
        none("Mo–Fr 08.00-12.30 und 13.30 – 17.00 Uhr", Some("DE"));
        assert!(is_time_range("8.30 — 12.30") && is_time_range("08:00 - 17:00"));
        assert!(!is_time_range("0800 1700") && !is_time_range("020 624 1896"));
        assert!(!is_time_range("08.00 – 17.61") && !is_time_range("08.00.17.00"));
        // A number next to the hours is still read.
        assert_eq!(
            one("Bel 020 624 1896 (08.00 – 17.00)", Some("NL")).1,
            "+31206241896"
        );
    }

    #[test]
    fn regexes_compile() {
        assert!(
            PATTERN.is_some()
                && LEAD_CLASS.is_some()
                && MATCHING_BRACKETS.is_some()
                && PUB_PAGES.is_some()
        );
        assert!(
            SLASH_SEPARATED_DATES.is_some()
                && TIME_STAMPS.is_some()
                && TIME_STAMPS_SUFFIX.is_some()
        );
        assert!(
            SECOND_NUMBER_START.is_some() && UNWANTED_END_CHARS.is_some() && URI_MARKERS.is_some()
        );
        assert_eq!(INNER_MATCHES.len(), 6);
        assert_eq!(GroupStart::After("/").group("//x1"), (2, "x1"));
        assert_eq!(GroupStart::SkipThenSpaces(2).group(" -  12"), (4, "12"));
        assert_eq!(
            GroupStart::SkipThenSpaces(2).group("- \u{3000}"),
            (2, "\u{3000}")
        );
        assert_eq!(GroupStart::AfterThenSpaces(".").group(".. 12"), (3, "12"));
        assert_eq!(GroupStart::AfterSpaces.group("\u{A0} 12"), (3, "12"));
    }

    /// `requires_prefix` matches the metadata's formats without the crate's regex cache: the same
    /// answers as through it, for every region's example numbers.
    #[test]
    fn requires_prefix_agrees_with_the_crate() {
        let by_crate = |meta: &Metadata, national: &str| {
            let format = meta.formats().iter().find(|f| {
                let leading_ok = f
                    .leading_digits()
                    .last()
                    .is_none_or(|re| re.find(national).is_some_and(|m| m.start() == 0));
                leading_ok
                    && f.pattern()
                        .find(national)
                        .is_some_and(|m| m.start() == 0 && m.end() == national.len())
            });
            format.is_some_and(format_requires_prefix)
        };
        let mut checked = 0;
        for meta in DATABASE.iter() {
            let d = meta.descriptors();
            for desc in [
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.voip(),
                d.uan(),
            ]
            .into_iter()
            .flatten()
            {
                let Some(example) = desc.example() else {
                    continue;
                };
                for national in [
                    example.to_string(),
                    format!("{example}1"),
                    example[1..].to_string(),
                ] {
                    assert_eq!(
                        requires_prefix(meta, &national),
                        by_crate(meta, &national),
                        "{} {national}",
                        meta.id()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    /// The anchored candidate search finds what the unanchored one does, from every position.
    #[test]
    fn candidate_search_agrees_with_the_pattern() {
        let (Some(pattern), Some(anchored)) = (PATTERN.as_ref(), PATTERN_AT_START.as_ref()) else {
            panic!("patterns")
        };
        let texts = [
            "Call (415) 555-0100 ext. 12 or +44 20 7946 0958, order #100123 shipped 2024-03-05 at 10:30",
            "((( [[ ++ ( + [ 1 x 2 ;ext=5 доб 7 anexo 8 ＋１（６５０）２５３ー００００ ٠١٢٣ ((1",
            "a(b[c+d1e2)f3]g +-x 4 -- 5 .. 6 // 7 ~~ 8 #9# x10 int 11 ext:12 , 13",
            "+ 1", "(", "1", "", "abc", "+(+(+(1", "１２３", "x1", "ext. 5",
            // A lead's first digit at the edge of its reach, and just past it.
            "+----+----1", "+----+-----1", "(    (    ١", "[at] [dot] (see 1)", "(          1",
            // Digit runs ended by every ASCII character.
            &(32u8..127).map(|b| format!("12{}3 ", b as char)).collect::<String>(),
            "10:30", "team0@acme", "1\n2", "1\r\u{b}2", "1\t2", "1;ext=2", "1,ext 2", "1ext2", "1anexo2", "1int2", "1#", "1~2", "1- 12#", "1E2", "1I2", "12",
        ];
        for text in texts {
            for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let expected = pattern.find_at(text, from).map(|m| (m.start(), m.end()));
                assert_eq!(
                    find_candidate(anchored, text, from),
                    expected,
                    "{text:?} from {from}"
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, failure_persistence: None, ..Default::default() })]
        #[test]
        fn candidate_search_agrees_on_phone_shaped_text(text in r"[0-9０-９٠-٩ ()\[\]+＋（［.\-/x#;=a-z~,:\t]{0,40}") {
            let (Some(pattern), Some(anchored)) = (PATTERN.as_ref(), PATTERN_AT_START.as_ref()) else { panic!("patterns") };
            for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let expected = pattern.find_at(&text, from).map(|m| (m.start(), m.end()));
                proptest::prop_assert_eq!(find_candidate(anchored, &text, from), expected);
            }
        }
    }

    #[test]
    fn word_lists_by_last_byte() {
        assert!(ID_WORDS.iter().chain(PHONE_WORDS).all(|w| !w.is_empty()));
        for s in [
            "order", "my order", "border", "", "n°", "tel no", "ust-idnr", "zip code", "telefon",
            "x",
        ] {
            assert_eq!(
                ID_WORDS_BY_LAST_BYTE.ends_with_any(s),
                ends_with_any_word(s, ID_WORDS),
                "{s:?}"
            );
            assert_eq!(
                PHONE_WORDS_BY_LAST_BYTE.ends_with_any(s),
                ends_with_any_word(s, PHONE_WORDS),
                "{s:?}"
            );
        }
    }

    #[test]
    fn fast_checks_agree_with_the_patterns() {
        for s in [
            "(415) 555",
            "+1 415",
            "\u{FF08}1",
            "\u{FF0B}1",
            "[1]",
            "\u{FF3B}2",
            "415",
            "x1",
            ")1",
            "",
        ] {
            assert_eq!(starts_with_lead(s), is_match(&LEAD_CLASS, s), "{s:?}");
        }
        for s in ["415 555 0100", "415-555-0100 ext. 12", "1", "\u{A0}12"] {
            assert!(
                !s.contains(is_bracket)
                    && is_match(&MATCHING_BRACKETS, s)
                    && !is_match(&PUB_PAGES, s),
                "{s:?}"
            );
        }
        for text in ["tel:+1", "TEL:1", "x;Phone-Context=+1", "a hotel:1"] {
            assert!(may_have_uri_marker(text), "{text:?}");
        }
        for text in ["10:30", "a;b", "te:l", "phone-context=+1", ";phone-context"] {
            assert!(!may_have_uri_marker(text), "{text:?}");
        }
        assert!(
            has_digits("a1b2c3", 3)
                && !has_digits("a1b2", 3)
                && has_digits("１２３", 3)
                && has_digits("é12３", 3)
        );
        assert_eq!(parse_region_id(" gb "), Some(Id::GB));
        assert_eq!(parse_region_id("GB"), Some(Id::GB));
        assert_eq!(parse_region_id("XX"), None);
    }

    #[test]
    fn national_and_international_numbers() {
        assert_eq!(
            one("Call us at (415) 555-0100 today.", Some("US")),
            ("(415) 555-0100".into(), "+14155550100".into())
        );
        assert_eq!(one("Tel: +44 20 7946 0958", Some("US")).1, "+442079460958");
        assert_eq!(one("Tel: +44 20 7946 0958", None).1, "+442079460958");
        assert_eq!(one("Tél. 01 42 68 53 00", Some("FR")).1, "+33142685300");
        assert_eq!(one("Telefon: 030 1234567", Some("DE")).1, "+49301234567");
        assert_eq!(one("Ruf an: 030/1234567", Some("de")).1, "+49301234567");
        assert_eq!(one("0044 20 7946 0958", Some("DE")).1, "+442079460958");
        assert_eq!(one("phone 415.555.0100.", Some("US")).0, "415.555.0100");
        assert_eq!(one("Ring 020 7946 0958!", Some("GB")).1, "+442079460958");
        // National numbers need a region.
        none("Call 020 7946 0958", None);
    }

    #[test]
    fn extensions_stay_in_the_span() {
        assert_eq!(
            one("(415) 555-0100 ext. 12 is me", Some("US")),
            ("(415) 555-0100 ext. 12".into(), "+14155550100".into())
        );
        assert_eq!(one("+1 415 555 0100 x123", None).0, "+1 415 555 0100 x123");
        assert_eq!(one("03 3316005 #3456", Some("NZ")).0, "03 3316005 #3456");
    }

    #[test]
    fn tel_uris_in_text() {
        assert_eq!(
            one("see tel:+1-415-555-0100.", None),
            ("tel:+1-415-555-0100".into(), "+14155550100".into())
        );
        assert_eq!(
            one("My number is tel:03-331-6005;phone-context=+64", Some("NZ")).1,
            "+6433316005"
        );
        assert_eq!(
            one("dial 331-6005;phone-context=+64-3 now", Some("US")).1,
            "+6433316005"
        );
    }

    #[test]
    fn neighbours_that_make_it_something_else() {
        for (text, region) in [
            ("abc4155550100", Some("US")),
            ("4155550100def", Some("US")),
            ("id_4155550100", Some("US")),
            ("4155550100@vtext.com", Some("US")),
            ("https://acme.com/products/4155550100", Some("US")),
            ("$4155550100", Some("US")),
            ("4155550100%", Some("US")),
            ("99914155550100", Some("US")),
        ] {
            none(text, region);
        }
    }

    #[test]
    fn dates_times_and_ids_are_not_numbers() {
        for (text, region) in [
            ("2024-01-15", Some("DE")),
            ("on 15/01/2024 we", Some("GB")),
            ("am 01.02.2024 um", Some("DE")),
            ("am 15.01.2024 10:30 Uhr", Some("DE")),
            ("at 10:30", Some("US")),
            ("2012-01-02 08:00", Some("US")),
            ("20120102 08:00", Some("US")),
            ("3/10/1984", Some("CA")),
            ("Order #4155550100", Some("US")),
            ("Order number: 4155550100", Some("US")),
            ("My account number is 01614960882 and", Some("GB")),
            ("Your customer number was 02079460958.", Some("GB")),
            ("Votre numéro client est 0142345678.", Some("FR")),
            ("Ihre Kundennummer lautet 0301234567.", Some("DE")),
            ("I've checked account 01614960882: the", Some("GB")),
            ("Invoice 415-555-0100", Some("US")),
            ("ID: 4155550100", Some("US")),
            ("Ref. 0301234567", Some("DE")),
            ("No. 4155550100", Some("US")),
            ("Ticket #415 555 0100", Some("US")),
            ("ZIP 94105", Some("US")),
            ("PLZ 10115", Some("DE")),
            ("10115 Berlin", Some("DE")),
            ("price $415 555 0100", Some("US")),
            ("EUR 0301234567", Some("DE")),
            ("0301234567 EUR", Some("DE")),
            ("server 192.168.100.200", Some("US")),
            ("version 4.155.550.100", Some("US")),
            ("v4155550100", Some("US")),
            ("card 4111 1111 1111 1111", Some("US")),
            ("4111111111111111", Some("US")),
            ("12345", Some("US")),
            ("650x2531234", Some("US")),
            ("1650 x 253 - 1234", Some("US")),
            ("(20) 3346 1234", Some("GB")),
        ] {
            none(text, region);
        }
    }

    #[test]
    fn a_sentence_stating_a_phone_number_keeps_it() {
        for (text, region, e164) in [
            (
                "Our phone number is 0161 496 0882.",
                Some("GB"),
                "+441614960882",
            ),
            ("The number is 0113 496 0421", Some("GB"), "+441134960421"),
            (
                "Unsere Telefonnummer lautet 030 1234567.",
                Some("DE"),
                "+49301234567",
            ),
        ] {
            assert_eq!(one(text, region).1, e164, "{text}");
        }
    }

    #[test]
    fn dates_inside_a_candidate_are_not_numbers() {
        for (text, region) in [
            ("<td>05.08.2024 – 23.08.2024</td>", Some("DE")),
            ("Betriebsferien 05.08.2024 – 23.08.2024", Some("DE")),
            ("05.08.2024 - 23.08.2024", Some("DE")),
            ("05.08.2024–23.08.2024", Some("AT")),
            ("10.05.2024-12.05.2024", Some("DE")),
            ("2024-01-15 – 2024-02-01", Some("US")),
            ("2024-01-15 - 2024-02-01", Some("GB")),
            ("2024-01-15/2024-02-01", Some("DE")),
            ("15/01/2024 - 20/01/2024", Some("GB")),
            ("01/15/2024 – 01/20/2024", Some("US")),
            ("closed 24.12.2024 31.12.2024", Some("DE")),
            ("2024.01.15 2024.02.01", Some("DE")),
            ("30 05.08.2024", Some("DE")),
            ("+49 05.08.2024", Some("DE")),
        ] {
            none(text, region);
        }
        // A number next to a date in the same run of digits and separators is still read.
        assert_eq!(
            one("15.01.2024 030 1234567", Some("DE")),
            ("030 1234567".into(), "+49301234567".into())
        );
        assert_eq!(
            one("030 1234567 15.01.2024", Some("DE")),
            ("030 1234567".into(), "+49301234567".into())
        );
        assert_eq!(
            one("2024-01-15 (415) 555-0100", Some("US")).1,
            "+14155550100"
        );
        // Numbers that only look a little like dates stay numbers.
        assert_eq!(one("01.42.68.53.00", Some("FR")).1, "+33142685300");
        assert_eq!(one("06.12.20.19.45", Some("FR")).1, "+33612201945");
        assert_eq!(one("+1-415-555-2012", None).1, "+14155552012");
        assert_eq!(date_span("05.08.2024 – 23.08.2024"), Some((0, 10)));
        assert_eq!(date_span("Tel 030 1234567 / 2024-01-15"), Some((18, 28)));
        assert_eq!(date_span("06.12.20.19.45"), None);
        assert_eq!(date_span("415-555-0100"), None);
        assert_eq!(date_span("2024-13-45"), None);
        assert_eq!(date_span("05.08-2024"), None);
        // libphonenumber's time-stamp shape is left to the matcher's own rule: a time when minutes
        // follow, a number (201-201-0208) when not.
        none("2012-01-02 08:00", Some("US"));
        assert_eq!(one("2012-01-02 08", Some("US")).1, "+12012010208");
        assert!(
            is_time_stamp_shape("2012-01-02 08") && !is_time_stamp_shape("05.08.2024 – 23.08.2024")
        );
        assert!(ends_like_time_stamp("2012-01-02 08") && ends_like_time_stamp("20120102  23"));
        assert!(
            !ends_like_time_stamp("2012-01-02 31")
                && !ends_like_time_stamp("2012-01-02 8")
                && !ends_like_time_stamp("08")
        );
    }

    #[test]
    fn phone_labels_beat_id_markers() {
        assert_eq!(one("Tel. No. 020 7946 0958", Some("GB")).1, "+442079460958");
        assert_eq!(one("Phone #: 415-555-0100", Some("US")).1, "+14155550100");
        assert_eq!(
            one("Telefon Nr.: 030 1234567", Some("DE")).1,
            "+49301234567"
        );
    }

    #[test]
    fn libphonenumber_contexts() {
        let number = "415-666-7777";
        for (before, after) in [
            ("", ""),
            ("   ", "\t"),
            ("Hello ", ""),
            ("", " to call me!"),
            ("Hi there, call ", " to reach me!"),
            ("Hi there, call ", ", or don't"),
            ("It's cheap! Call ", " before 6:30"),
            ("Call ", " or +1800-123-4567!"),
            ("As quoted by Alfonso 12-15 (2009), you may call me at ", ""),
            (
                "As quoted by Alfonso et al. 12-15 (2009), you may call me at ",
                "",
            ),
            ("As I said on 03/10/2011, you may call me at ", ""),
            ("", ", 45 days a year"),
            ("", ";x 7246433"),
            ("Call ", "/x12 more"),
            ("It's only 9.99! Call ", " to buy"),
            ("Call me on 21.6.1984 at ", ""),
            ("Call me on 06/21 at ", ""),
            ("Call me on 21.6. at ", ""),
            ("Call me on 06/21/84 at ", ""),
        ] {
            let text = format!("{before}{number}{after}");
            let first = find_phones(&text, Some("US")).into_iter().next();
            let got = first.map(|m| (m.start, m.end, m.value));
            assert_eq!(
                got,
                Some((
                    before.len(),
                    before.len() + number.len(),
                    "+14156667777".to_string()
                )),
                "{text:?}"
            );
        }
    }

    #[test]
    fn several_numbers() {
        let text = "Sales: +1 415 555 0100, Support: (415) 555-0199 / Fax 415-555-0142";
        let values: Vec<String> = find_phones(text, Some("US"))
            .into_iter()
            .map(|m| m.value)
            .collect();
        assert_eq!(values, ["+14155550100", "+14155550199", "+14155550142"]);
    }

    #[test]
    fn confidence_reflects_the_writing() {
        let intl = &find_phones("+1 415 555 0100", None)[0];
        let national = &find_phones("(415) 555-0100", Some("US"))[0];
        let bare = &find_phones("4155550100", Some("US"))[0];
        let labelled = &find_phones("Phone: (415) 555-0100", Some("US"))[0];
        assert!(intl.confidence > national.confidence && national.confidence > bare.confidence);
        assert!(labelled.confidence > national.confidence);
    }

    #[test]
    fn slash_separated_numbers() {
        for text in [
            "pages 12/345",
            "1/2",
            "see 3/4 of them",
            "12/34/56",
            "score 2024/2025",
        ] {
            none(text, Some("US"));
        }
        assert_eq!(one("415/666-7777", Some("US")).1, "+14156667777");
        assert_eq!(one("650/253/1234", Some("US")).1, "+16502531234");
        assert_eq!(
            one("651-234-2345/332-445-1234", Some("US")).0,
            "651-234-2345"
        );
    }

    #[test]
    fn a_directory_page_is_read_whole() {
        let page = "(415) 555-0100, ".repeat(3000);
        assert_eq!(find_phones(&page, Some("US")).len(), 3000);
    }

    #[test]
    fn vanity_numbers() {
        assert_eq!(
            one("Call 1-800-FLOWERS today", Some("US")),
            ("1-800-FLOWERS".into(), "+18003569377".into())
        );
        assert_eq!(one("Call 1800 six-flag now", Some("US")).1, "+18007493524");
        assert_eq!(one("0800 DDA 005", Some("NZ")).1, "+64800332005");
        none("In 1800 the town had 300 houses", Some("US"));
        none("Call 1800 six flags", Some("US"));
        none("In 2015 SEASON", Some("US"));
    }

    #[test]
    fn a_phone_label_excuses_a_missing_national_prefix() {
        none("(20) 3346 1234", Some("GB"));
        assert_eq!(one("Tel: (20) 3346 1234", Some("GB")).1, "+442033461234");
        none("33316005", Some("NZ"));
        assert_eq!(one("Call us on 33316005.", Some("NZ")).1, "+6433316005");
    }

    #[test]
    fn block_limits_of_the_candidate_scan() {
        assert_eq!(block_limited_len("415-666-7777"), 12);
        let long = "1".repeat(500);
        assert_eq!(block_limited_len(&long), 420);
        let spaced = "1 ".repeat(30);
        assert_eq!(block_limited_len(&spaced), 42);
        // A table row of small numbers, then a phone number: the phone number starts a new candidate.
        let row = format!("{}(415) 555-0100", "7 ".repeat(25));
        assert_eq!(one(&row, Some("US")).1, "+14155550100");
    }

    #[test]
    fn helpers() {
        assert!(
            is_date("2024-01-15")
                && is_date("15/01/2024")
                && is_date("01.02.2024")
                && is_date("1/2/24")
        );
        assert!(!is_date("415-555-0100") && !is_date("03-12-3456") && !is_date("2024-13-45"));
        assert!(is_ipv4("192.168.1.1") && !is_ipv4("415.555.0100") && !is_ipv4("300.1.1.1"));
        assert!(is_card_number("4111 1111 1111 1111") && is_card_number("4111111111111111"));
        assert!(!is_card_number("+44 2079 4609 5800 00") && !is_card_number("4155550100"));
        assert!(luhn("79927398713") && !luhn("79927398710"));
        assert_eq!(ascii_digits("４１５"), "415");
    }

    #[test]
    fn unknown_region_only_finds_international_numbers() {
        assert_eq!(
            found("(415) 555-0100 or +1 415 555 0199", Some("XX")).len(),
            1
        );
        assert_eq!(
            found("(415) 555-0100 or +1 415 555 0199", Some("")).len(),
            1
        );
    }

    #[test]
    fn long_digit_runs_are_linear_and_empty() {
        let run = "1".repeat(100_000);
        none(&run, Some("US"));
        let spaced = "1234 ".repeat(20_000);
        none(&spaced, Some("US"));
    }
}

/// Remembered results for one region (a page's texts share one).
#[derive(Default)]
struct ParseMemo {
    region: Option<Id>,
    /// Parse results by candidate text.
    parsed: HashMap<String, Option<Rc<ParsedPhone>>>,
    /// [`Scan::national_prefix_present`] by prepared number.
    prefix_present: HashMap<String, bool>,
}

thread_local! {
    /// Recent parse results: pages repeat numbers (a switchboard on every card, a footer on every
    /// listing), and metadata validation is the costliest step of the scan.
    static PARSED: RefCell<ParseMemo> = RefCell::new(ParseMemo::default());
}

/// Bound on the memo so a page of unique junk cannot grow it without limit.
const MEMO_ENTRIES: usize = 4096;

/// Forget remembered parses: each extraction starts cold, so one page's cost does not depend on the
/// pages before it.
pub fn reset_parse_memo() {
    PARSED.with(|m| {
        let mut m = m.borrow_mut();
        m.parsed.clear();
        m.prefix_present.clear();
    });
}

/// The memo for `region`, emptied first if it held another region's results.
fn with_memo<T>(region: Option<Id>, f: impl FnOnce(&mut ParseMemo) -> T) -> T {
    PARSED.with(|m| {
        let mut m = m.borrow_mut();
        if m.region != region {
            m.parsed.clear();
            m.prefix_present.clear();
            m.region = region;
        }
        f(&mut m)
    })
}

fn parse_memo(s: &str, region: Option<Id>) -> Option<Rc<ParsedPhone>> {
    if let Some(hit) = with_memo(region, |m| m.parsed.get(s).cloned()) {
        return hit;
    }
    let parsed = parse_detailed(s, region).ok().map(Rc::new);
    with_memo(region, |m| {
        if m.parsed.len() >= MEMO_ENTRIES {
            m.parsed.clear();
        }
        m.parsed.insert(s.to_string(), parsed.clone());
    });
    parsed
}
