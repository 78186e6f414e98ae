//! E-mail addresses in running text, as people write them on web pages.
//!
//! Two scans, both linear in the text (each looks a bounded distance around an `@` or an "at"
//! marker), whose results are merged (earliest, then longest, wins):
//!
//! - **plain**: every `@` with a local part before it and a domain after it. The edges are cut the
//!   way text wraps an address: `(jane@acme.com)`, `<jane@acme.com>`, `mailto:jane@acme.com`,
//!   `jane@acme.com.` and `'jane@acme.com'` give `jane@acme.com`.
//! - **obfuscated**: `jane [at] acme [dot] com`, `jane(at)acme(dot)com`, `jane {at} acme {dot} com`,
//!   `jane @ acme.com`, `jane@acme [dot] com`, `jane@acme dot com`, the bare-word forms
//!   `jane at acme dot com` / `jane AT acme DOT com` / `jane at acme.com`, and words wrapped in
//!   hyphens or underscores, with or without spaces: `ravi -at- acme -dot- io`,
//!   `ravi-at-acme-dot-io`, `ravi_at_acme_dot_io`. The local part may be dot-joined too
//!   (`tom dot reyes at …`, `jane [dot] doe [at] …`, `tom-dot-reyes-at-…`): it extends backwards
//!   only across a dot marker, never across plain spaces ("write to tom dot reyes at …" gives
//!   `tom.reyes`), and a dot marker with nothing readable before it gives nothing rather than the
//!   tail (`reyes@…`) of the address. Spelled-out words (bare or wrapped) are only taken when the
//!   whole thing looks like an address: tokens joined by markers, a top-level domain from a list
//!   of real ones, consistent case for the marker words, no everyday English word as a piece of
//!   the local part or a label ("look at google dot com", "meet me at the park dot com", "go to
//!   dot reyes at …" are prose), no capitalised piece ("Tom dot Reyes at …" is a sentence), and no
//!   `www` first label. A plain `@` address is not extended across a bare "dot" word ("polka dot
//!   jane@acme.com"). These get a lower confidence and `obfuscated = true`.
//!
//! Every candidate must pass [`Email::parse`] (so reserved TLDs such as `.test` or `.example` are
//! never reported). Decisions on look-alikes:
//! - `image@2x.png`, `logo@3x.jpg`, `bundle@1.2.3.min.js`: a file extension as the TLD, or a
//!   `2x`-style retina label, is a file name, not an address.
//! - `package@1.2.3`, `@scope/pkg`, `@jane`: not addresses (numeric TLD, no local part).
//! - `[email protected]` (Cloudflare's placeholder): has no `@` and no marker, so nothing is found;
//!   the real address is in the element's `data-cfemail`, which the structured scanners decode.
//! - `git@github.com:org/repo.git`: syntactically an address, but an address followed by `:` and
//!   more text is an SSH remote (`user@host:path`), never a contact; it is skipped. Likewise an
//!   address inside a URL (`https://user@host/…`, `site.com/@jane.doe`) is skipped.
//! - `a@b@acme.com` and other runs with several `@`: nothing is reported (no sub-address is carved
//!   out of a malformed token).
//! - In the middle of CJK text (`連絡先jane@acme.comまで`) the address is cut where the script
//!   changes from one written without spaces to ASCII.

use std::sync::LazyLock;

use crate::email::Email;
use crate::text::is_intl_word_char;

use super::{char_at, char_before, without_overlaps, TextMatch};

/// Longest local part accepted (RFC 5321) and so the farthest a scan goes left of an `@`.
const MAX_LOCAL: usize = 64;
/// Longest domain (RFC 1035) and so the farthest a scan goes right of an `@`.
const MAX_DOMAIN: usize = 253;
/// At most this many labels in an obfuscated domain.
const MAX_LABELS: usize = 10;

const CONFIDENCE_PLAIN: f32 = 0.95;
const CONFIDENCE_MAILTO: f32 = 0.97;
const CONFIDENCE_ODD_LOCAL: f32 = 0.85;
const CONFIDENCE_BRACKETED: f32 = 0.8;
const CONFIDENCE_WORDS_UPPER: f32 = 0.7;
const CONFIDENCE_WORDS_LOWER: f32 = 0.6;

/// Find every e-mail address in `text`. See the module documentation for what is and is not found.
pub fn find_emails(text: &str) -> Vec<TextMatch> {
    // Both scans in one pass over the text; plain matches go first, as if the scans ran one
    // after the other (it decides between matches with the same span).
    let mut found = Vec::new();
    let mut obfuscated = Vec::new();
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if !MARKER_START[usize::from(b)] {
            continue;
        }
        if b == b'@' {
            if let Some(m) = plain_at(text, i) {
                found.push(m);
            }
        }
        if may_start_at_marker(bytes, i) {
            if let Some(m) = obfuscated_at(text, i) {
                obfuscated.push(m);
            }
        }
    }
    if found.is_empty() && obfuscated.is_empty() {
        return found;
    }
    found.append(&mut obfuscated);
    without_overlaps(found)
}

/// RFC 5322 `atext` symbols besides letters and digits.
const ATEXT_SYMBOLS: &str = "!#$%&'*+-/=?^_`{|}~";

/// A character of a dot-atom local part (RFC 5322 / RFC 6531).
fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || ATEXT_SYMBOLS.contains(c) || is_intl_word_char(c)
}

/// A local-part character people actually use in addresses they publish.
fn is_common_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-'".contains(c) || is_intl_word_char(c)
}

/// A character of a domain label.
fn is_label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || is_intl_word_char(c)
}

fn is_domain_char(c: char) -> bool {
    is_label_char(c) || c == '.'
}

/// Scripts written without spaces between words: an address in such text is cut where the script
/// changes to ASCII.
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0E7F      // Thai
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF) // CJK compatibility ideographs
}

/// Characters that may stand right before an address taken as a whole token (which may then hold
/// the rarer `atext` symbols, `customer/department=shipping@…`).
fn is_token_opener(c: char) -> bool {
    c.is_whitespace() || "<([\"'“‘«;,>".contains(c)
}

/// File extensions that are not top-level domains people have addresses under, sorted.
const FILE_EXTENSIONS: &[&str] = &[
    "7z", "apk", "asp", "aspx", "avi", "avif", "bak", "bin", "bmp", "bz2", "cfg", "cjs", "conf",
    "css", "csv", "deb", "dll", "dmg", "doc", "docx", "eot", "eps", "exe", "flv", "gif", "gz",
    "heic", "heif", "htm", "html", "ico", "ini", "iso", "jar", "jpe", "jpeg", "jpg", "js", "json",
    "jsp", "jsx", "less", "lock", "log", "m4a", "m4v", "map", "min", "mjs", "mkv", "mov", "mp3",
    "mp4", "msi", "odt", "oga", "ogg", "ogv", "otf", "pdf", "php", "png", "ppt", "pptx", "psd",
    "rar", "raw", "rpm", "rtf", "sass", "scss", "svelte", "svg", "svgz", "swf", "tar", "tgz",
    "tif", "tiff", "tmp", "toml", "ts", "tsx", "ttf", "txt", "vue", "wasm", "wav", "webm", "webp",
    "wmv", "woff", "woff2", "xls", "xlsx", "xml", "xz", "yaml", "yml", "zip",
];

fn is_file_extension(tld: &str) -> bool {
    // None is longer than `svelte` and all are ASCII (every address found is checked): the
    // lower-cased TLD as a number, looked up among the extensions' numbers.
    static PACKED: LazyLock<Vec<u64>> = LazyLock::new(|| {
        let mut packed: Vec<u64> = FILE_EXTENSIONS
            .iter()
            .filter_map(|e| packed_lowercase(e))
            .collect();
        packed.sort_unstable();
        packed
    });
    packed_lowercase(tld).is_some_and(|t| PACKED.binary_search(&t).is_ok())
}

/// An ASCII word of at most six bytes, lower-cased, as one number (distinct words, distinct
/// numbers: the length is packed with the bytes).
fn packed_lowercase(word: &str) -> Option<u64> {
    if word.len() > 6 || !word.is_ascii() {
        return None;
    }
    Some(word.bytes().fold(word.len() as u64, |acc, b| {
        (acc << 8) | u64::from(b.to_ascii_lowercase())
    }))
}

/// A retina / density suffix label such as `2x` or `3x` (`logo@2x.png`).
fn is_density_label(label: &str) -> bool {
    label.len() >= 2
        && (label.ends_with('x') || label.ends_with('X'))
        && label[..label.len() - 1].bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// Plain addresses
// ---------------------------------------------------------------------------------------------

/// Start of the run of local-part characters ending at `at`, or `None` when the run is empty or
/// longer than any local part (then it is a long token, not an address).
fn local_run_start(text: &str, at: usize, is_char: impl Fn(char) -> bool) -> Option<usize> {
    let mut start = at;
    for (i, c) in text[..at].char_indices().rev() {
        if !is_char(c) {
            break;
        }
        if at - i > MAX_LOCAL * 2 {
            return None;
        }
        start = i;
    }
    (start < at).then_some(start)
}

/// End of the run of `is_char` characters starting at `from`, at most `max` bytes long (`None` if
/// the run is longer).
fn run_end(text: &str, from: usize, max: usize, is_char: impl Fn(char) -> bool) -> Option<usize> {
    let mut end = from;
    for (i, c) in text[from..].char_indices() {
        if !is_char(c) {
            break;
        }
        if i > max {
            return None;
        }
        end = from + i + c.len_utf8();
    }
    Some(end)
}

fn plain_at(text: &str, at: usize) -> Option<TextMatch> {
    // The domain: domain characters after the `@`, without trailing dots and hyphens.
    let mut dom_end = run_end(text, at + 1, MAX_DOMAIN + 8, is_domain_char)?;
    dom_end = at + 1 + text[at + 1..dom_end].trim_end_matches(['.', '-']).len();
    dom_end = cut_at_script_change_forward(text, at + 1, dom_end);
    if dom_end <= at + 1 {
        return None;
    }
    let domain = &text[at + 1..dom_end];

    // The whole run of local-part characters, then the part of it that belongs to the address.
    let full_run_start = local_run_start(text, at, is_local_char)?;
    let run_start = cut_at_script_change_backward(text, full_run_start, at);
    let script_cut = run_start > full_run_start;
    if char_before(text, run_start) == Some('@') || char_at(text, dom_end) == Some('@') {
        return None; // several `@` in one token
    }
    let run = &text[run_start..at];
    let mut local_start = if let Some(value_start) = query_value_start(run) {
        run_start + value_start // a query parameter: …?email=jane@acme.com
    } else if run.contains("//") || text[..run_start].ends_with("//") {
        return None; // URL user info: https://user@host/…
    } else if run
        .find('/')
        .is_some_and(|slash| run[..slash].contains('.'))
    {
        return None; // a path after a host: site.com/@jane.doe
    } else if (script_cut || char_before(text, run_start).is_none_or(is_token_opener))
        && !run.ends_with('/')
    {
        run_start
    } else {
        local_run_start(text, at, is_common_local_char)?.max(run_start)
    };
    // Wrappers: `'jane@acme.com'`, `*jane@acme.com*`, `{jane@acme.com}`, and leading dots.
    let mut after = dom_end;
    while let Some(first) = char_at(text, local_start).filter(|_| local_start < at) {
        let closer = match first {
            '\'' | '`' | '*' | '_' | '|' | '~' | '=' | '/' | '+' | '-' | '#' => Some(first),
            '{' => Some('}'),
            _ => None,
        };
        if first == '.' {
            local_start += 1;
        } else if closer.is_some() && closer == char_at(text, after) {
            local_start += first.len_utf8();
            after += closer.map_or(0, char::len_utf8);
        } else {
            break;
        }
    }
    if local_start >= at {
        return None;
    }
    let local = &text[local_start..at];

    // An SSH remote (`git@github.com:org/repo.git`) or a file name (`logo@2x.png`).
    if text[dom_end..].starts_with(':')
        && char_at(text, dom_end + 1).is_some_and(|c| !c.is_whitespace())
    {
        return None;
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    if is_file_extension(tld) || domain.split('.').any(is_density_label) {
        return None;
    }
    // `local`, the `@` and `domain` are one stretch of the text.
    let email = Email::parse(&text[local_start..dom_end]).ok()?;
    let after_mailto = local_start >= 7
        && text
            .get(local_start - 7..local_start)
            .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"));
    let confidence = if after_mailto {
        CONFIDENCE_MAILTO
    } else if local.chars().all(is_common_local_char) {
        CONFIDENCE_PLAIN
    } else {
        CONFIDENCE_ODD_LOCAL
    };
    Some(TextMatch {
        start: local_start,
        end: dom_end,
        value: email.into_string(),
        confidence,
        obfuscated: false,
    })
}

/// Where the value of a URL query parameter starts in `run` (`?email=jane` → the `j`), if `run`
/// ends with one.
fn query_value_start(run: &str) -> Option<usize> {
    let eq = run.rfind('=')?;
    let key_start = run[..eq]
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || "_-.[]".contains(c)))
        .unwrap_or(0);
    let opener = run[key_start..].chars().next()?;
    (matches!(opener, '?' | '&') && key_start + 1 < eq && eq + 1 < run.len()).then_some(eq + 1)
}

/// Where, going right through `text[start..end]`, ASCII letters or digits give way to a run of an
/// unspaced script of two characters or more, or one that reaches `end` (`acme.comまで` → after
/// `acme.com`); `end` if nowhere. A single such character inside ASCII (`m端ller`) is kept.
fn cut_at_script_change_forward(text: &str, start: usize, end: usize) -> usize {
    let part = &text[start..end];
    let mut prev_ascii = false;
    for (i, c) in part.char_indices() {
        if prev_ascii && is_unspaced_script(c) {
            let mut run = part[i..].chars().take_while(|c| is_unspaced_script(*c));
            let long = run.nth(1).is_some() || part[i..].chars().all(is_unspaced_script);
            if long {
                return start + i;
            }
        }
        prev_ascii = c.is_ascii_alphanumeric();
    }
    end
}

/// Where, going left through `text[start..end]`, ASCII letters or digits are preceded by a run of
/// an unspaced script of two characters or more, or one that reaches `start` (`連絡先jane` →
/// `jane`); `start` if nowhere.
fn cut_at_script_change_backward(text: &str, start: usize, end: usize) -> usize {
    let part = &text[start..end];
    let mut next_ascii = false;
    for (i, c) in part.char_indices().rev() {
        if next_ascii && is_unspaced_script(c) {
            let head = &part[..i + c.len_utf8()];
            let mut run = head.chars().rev().take_while(|c| is_unspaced_script(*c));
            let long = run.nth(1).is_some() || head.chars().all(is_unspaced_script);
            if long {
                return start + i + c.len_utf8();
            }
        }
        next_ascii = c.is_ascii_alphanumeric();
    }
    start
}

// ---------------------------------------------------------------------------------------------
// Obfuscated addresses
// ---------------------------------------------------------------------------------------------

/// How an "at" or a "dot" was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marker {
    /// The character itself, no spaces: `@`, `.`.
    Literal,
    /// The character with spaces around it: `jane @ acme.com`.
    Spaced,
    /// In brackets: `[at]`, `(dot)`, `{at}`, `<dot>`, `[@]`, `(.)`.
    Bracketed,
    /// A bare lower-case word: ` at `, ` dot `.
    WordLower,
    /// A bare upper-case word: ` AT `, ` DOT `.
    WordUpper,
    /// A lower-case word wrapped in hyphens or underscores, spaces around or not: `-at-`,
    /// ` -dot- `, `_at_`.
    WrappedLower,
    /// The same in capitals: `-AT-`, `_DOT_`.
    WrappedUpper,
}

impl Marker {
    /// A bare word: ` at `, ` DOT `.
    fn is_word(self) -> bool {
        matches!(self, Marker::WordLower | Marker::WordUpper)
    }

    /// Spelled out in letters (a bare or a wrapped word), which prose can look like.
    fn is_spelled(self) -> bool {
        matches!(
            self,
            Marker::WordLower | Marker::WordUpper | Marker::WrappedLower | Marker::WrappedUpper
        )
    }

    fn is_upper(self) -> bool {
        matches!(self, Marker::WordUpper | Marker::WrappedUpper)
    }
}

/// Horizontal spaces (a marker never spans a line break).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{A0}' | '\u{2009}' | '\u{202F}')
}

/// Spaces a marker may have around it (`jane [at] acme`): at most `max` horizontal spaces.
fn skip_spaces(text: &str, mut i: usize, max: usize) -> usize {
    for _ in 0..max {
        match char_at(text, i) {
            Some(c) if is_space(c) => i += c.len_utf8(),
            _ => break,
        }
    }
    i
}

/// Spaces before `i`, at most `max` characters; returns where they start.
fn skip_spaces_back(text: &str, mut i: usize, max: usize) -> usize {
    for _ in 0..max {
        match char_before(text, i) {
            Some(c) if is_space(c) => i -= c.len_utf8(),
            _ => break,
        }
    }
    i
}

fn closing_bracket(open: char) -> Option<char> {
    match open {
        '[' => Some(']'),
        '(' => Some(')'),
        '{' => Some('}'),
        '<' => Some('>'),
        // The full-width brackets of Japanese and Chinese pages: `（アットマーク）`, `［at］`, `【@】`.
        '（' => Some('）'),
        '［' => Some('］'),
        '【' => Some('】'),
        '〔' => Some('〕'),
        '｛' => Some('｝'),
        '＜' => Some('＞'),
        _ => None,
    }
}

/// Words written in brackets for "at", in the languages people disguise addresses in: `[at]`,
/// `[ät]`, `(arobase)`, `(arroba)`, `(chiocciola)`, `(klammeraffe)`, Dutch `(apenstaartje)`,
/// Scandinavian `(snabel-a)`, Polish `(małpa)`, Czech `(zavináč)`, Hungarian `(kukac)`, Japanese
/// `（アットマーク）`. Longer words first: a word is matched by its start.
const AT_WORDS: &[&str] = &[
    "apenstaartje",
    "apestaartje",
    "apenstaart",
    "アットマーク",
    "あっとまーく",
    "snabel-a",
    "snabela",
    "zavináč",
    "zavinac",
    "małpa",
    "malpa",
    "kukac",
    "アット",
    "at",
    "ät",
    "Ät",
    "arobase",
    "arobas",
    "arroba",
    "chiocciola",
    "klammeraffe",
    "aet",
];
/// Words written in brackets for "dot": `[dot]`, `(punkt)`, `[point]`, `(punto)`.
/// Dutch `(punt)`, Danish `(punktum)`, Swedish `(prick)`, Polish `(kropka)`, Czech `(tečka)`,
/// Hungarian `(pont)`, Japanese `（ドット）`. Longer words first.
const DOT_WORDS: &[&str] = &[
    "punktum",
    "punkt",
    "point",
    "punto",
    "ponto",
    "punt",
    "pont",
    "prick",
    "kropka",
    "tečka",
    "tecka",
    "ドット",
    "dot",
    "pkt",
];

/// A bracketed marker `[word]` / `( word )` / `[sym]` starting at `i` (after optional spaces),
/// `word` one of `words`: returns its end.
fn bracketed(text: &str, i: usize, words: &[&str], sym: char) -> Option<usize> {
    let open = char_at(text, i)?;
    let close = closing_bracket(open)?;
    let j = skip_spaces(text, i + open.len_utf8(), 2);
    let rest = text.get(j..)?;
    let word = words.iter().find(|w| {
        rest.get(..w.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(w))
    });
    let k = if let Some(word) = word {
        j + word.len()
    } else if rest.starts_with(sym) {
        j + sym.len_utf8()
    } else {
        return None;
    };
    let k = skip_spaces(text, k, 2);
    (char_at(text, k) == Some(close)).then_some(k + close.len_utf8())
}

/// Whether `w` is the lower-case marker word `word` (`Some(false)`), the same in capitals
/// (`Some(true)`), or neither.
fn marker_case(w: &str, word: &str) -> Option<bool> {
    if w == word {
        Some(false)
    } else if w.len() == word.len()
        && w.bytes()
            .zip(word.bytes())
            .all(|(a, b)| a == b.to_ascii_uppercase())
    {
        Some(true)
    } else {
        None
    }
}

/// A bare marker word (`at`, `AT`, `dot`, `DOT`) between whitespace, starting at `i`.
fn word_marker(text: &str, i: usize, word: &str) -> Option<(usize, Marker)> {
    let w = text.get(i..i + word.len())?;
    let kind = match marker_case(w, word)? {
        false => Marker::WordLower,
        true => Marker::WordUpper,
    };
    let before_ok = char_before(text, i).is_some_and(is_space);
    let after_ok = char_at(text, i + word.len()).is_some_and(is_space);
    (before_ok && after_ok).then_some((i + word.len(), kind))
}

/// A marker word wrapped in hyphens or underscores (`-at-`, `_DOT_`) starting at `i`: returns its
/// end and kind. The same character must close it as opens it.
fn wrapped(text: &str, i: usize, word: &str) -> Option<(usize, Marker)> {
    let sep = char_at(text, i).filter(|c| matches!(c, '-' | '_'))?;
    let w = text.get(i + 1..i + 1 + word.len())?;
    let kind = match marker_case(w, word)? {
        false => Marker::WrappedLower,
        true => Marker::WrappedUpper,
    };
    let end = i + 1 + word.len();
    (char_at(text, end) == Some(sep)).then_some((end + 1, kind))
}

/// An "at" marker at byte `i`: returns (marker start, marker end, kind). The marker's start
/// includes the spaces before it, its end the spaces after it.
fn at_marker(text: &str, i: usize) -> Option<(usize, usize, Marker)> {
    let c = char_at(text, i)?;
    match c {
        '@' => {
            let before = skip_spaces_back(text, i, 2);
            let after = skip_spaces(text, i + 1, 2);
            match (before == i, after == i + 1) {
                (true, true) => Some((i, i + 1, Marker::Literal)),
                // `jane @ acme.com`; a space on one side only (`jane @acme.com`) is a typo or a
                // handle, not a disguise.
                (false, false) => Some((before, after, Marker::Spaced)),
                _ => None,
            }
        }
        '[' | '(' | '{' | '<' | '（' | '［' | '【' | '〔' | '｛' | '＜' => {
            let end = bracketed(text, i, AT_WORDS, '@')?;
            Some((
                skip_spaces_back(text, i, 2),
                skip_spaces(text, end, 2),
                Marker::Bracketed,
            ))
        }
        'a' | 'A' => {
            let (end, kind) = word_marker(text, i, "at")?;
            Some((
                skip_spaces_back(text, i, 1),
                skip_spaces(text, end, 1),
                kind,
            ))
        }
        '-' | '_' => {
            let (end, kind) = wrapped(text, i, "at")?;
            Some((
                skip_spaces_back(text, i, 2),
                skip_spaces(text, end, 2),
                kind,
            ))
        }
        // The full-width `＠` of Japanese and Chinese pages.
        '＠' => Some((
            skip_spaces_back(text, i, 1),
            skip_spaces(text, i + c.len_utf8(), 1),
            Marker::Bracketed,
        )),
        // A symbol written for `@` ("send to info★acme.co.jp, ★ replaced by @"): only right
        // between the local part and the domain.
        c if is_at_stand_in(c) => Some((i, i + c.len_utf8(), Marker::Bracketed)),
        _ => None,
    }
}

/// Symbols pages write instead of `@` to keep scrapers off: `★ ☆ ◆ ◇ ■ ●`.
fn is_at_stand_in(c: char) -> bool {
    matches!(c, '★' | '☆' | '◆' | '◇' | '■' | '●')
}

/// A "dot" marker right after a label ending at `i`: returns (end of marker incl. spaces, kind).
fn dot_marker(text: &str, i: usize) -> Option<(usize, Marker)> {
    if char_at(text, i) == Some('.') {
        return char_at(text, i + 1)
            .filter(|c| is_label_char(*c))
            .map(|_| (i + 1, Marker::Literal));
    }
    // The full-width `．`.
    if char_at(text, i) == Some('．') {
        let next = i + '．'.len_utf8();
        return char_at(text, next)
            .filter(|c| is_label_char(*c))
            .map(|_| (next, Marker::Bracketed));
    }
    let j = skip_spaces(text, i, 2);
    // `ateliernoroit . fr`: a dot with spaces on both sides (only ever read in an address whose
    // "at" is disguised too, see `obfuscated_at`).
    if j > i && char_at(text, j) == Some('.') {
        let k = skip_spaces(text, j + 1, 2);
        if k > j + 1 && char_at(text, k).is_some_and(is_label_char) {
            return Some((k, Marker::Spaced));
        }
    }
    if let Some(end) = bracketed(text, j, DOT_WORDS, '.') {
        return Some((skip_spaces(text, end, 2), Marker::Bracketed));
    }
    if let Some((end, kind)) = wrapped(text, j, "dot") {
        return Some((skip_spaces(text, end, 2), kind));
    }
    if j > i {
        if let Some((end, kind)) = word_marker(text, j, "dot") {
            return Some((skip_spaces(text, end, 1), kind));
        }
    }
    None
}

/// The bytes an address's `@` or an "at" marker starts with (see [`may_start_at_marker`]).
static MARKER_START: [bool; 256] = {
    let mut table = [false; 256];
    // 0xEF starts the full-width `＠`; 0xE2 the `★`-like stand-ins.
    // 0xE3 starts `【` and `〔`.
    let starts = b"@[({<aA-_\xEF\xE2\xE3";
    let mut k = 0;
    while k < starts.len() {
        table[starts[k] as usize] = true;
        k += 1;
    }
    table
};

/// Whether an "at" marker may start at byte `i` — what [`at_marker`] needs to see first, checked
/// on the bytes, so that it is called on the few places that can start one, not on every `a`.
fn may_start_at_marker(bytes: &[u8], i: usize) -> bool {
    let next = bytes.get(i + 1).copied();
    match bytes[i] {
        b'@' | b'[' | b'(' | b'{' | b'<' => true,
        // A bare word: exactly `at` or `AT`.
        b'a' => next == Some(b't'),
        b'A' => next == Some(b'T'),
        // A wrapped word: `-at-`, `_AT_`.
        b'-' | b'_' => matches!(next, Some(b'a' | b'A')),
        // `＠` (EF BC A0), `★ ☆` (E2 98 85/86), `◆ ◇` (E2 97 86/87), `■` (E2 96 A0), `●` (E2 97 8F).
        // Full-width brackets: `（` EF BC 88, `［` EF BC BB, `＜` EF BC 9C, `｛` EF BD 9B.
        0xEF => matches!(
            (next, bytes.get(i + 2)),
            (Some(0xBC), Some(0xA0 | 0x88 | 0xBB | 0x9C)) | (Some(0xBD), Some(0x9B))
        ),
        // `【` E3 80 90, `〔` E3 80 94.
        0xE3 => next == Some(0x80) && matches!(bytes.get(i + 2), Some(0x90 | 0x94)),
        0xE2 => matches!(
            (next, bytes.get(i + 2)),
            (Some(0x98), Some(0x85 | 0x86))
                | (Some(0x97), Some(0x86 | 0x87 | 0x8F))
                | (Some(0x96), Some(0xA0))
        ),
        _ => false,
    }
}

/// A "dot" marker ending right before `i` (the start of a local-part token, spaces before it
/// allowed): ` dot `, `[dot]`, `(.)`, `-dot-`. Returns where the marker starts (its spaces
/// included) and its kind. `words` allows bare words.
fn dot_marker_before(text: &str, i: usize, words: bool) -> Option<(usize, Marker)> {
    let j = skip_spaces_back(text, i, 2);
    let head = &text[..j];
    // Bracketed: `[dot]`, `( . )`.
    if let Some(close) = head
        .chars()
        .next_back()
        .filter(|c| matches!(c, ']' | ')' | '}' | '>'))
    {
        let k = skip_spaces_back(text, j - close.len_utf8(), 2);
        let inner = if text[..k].ends_with('.') {
            Some(k - 1)
        } else {
            DOT_WORDS.iter().find_map(|d| {
                text[..k]
                    .get(k.saturating_sub(d.len())..)
                    .filter(|w| w.eq_ignore_ascii_case(d))
                    .map(|_| k - d.len())
            })
        };
        if let Some(inner) = inner {
            let open_at = skip_spaces_back(text, inner, 2);
            if char_before(text, open_at).and_then(closing_bracket) == Some(close) {
                return Some((skip_spaces_back(text, open_at - 1, 2), Marker::Bracketed));
            }
        }
        return None;
    }
    // Wrapped: `-dot-`, `_DOT_`.
    if let Some(k) = j.checked_sub(5) {
        if let Some((_, kind)) = wrapped(text, k, "dot").filter(|(end, _)| *end == j) {
            return Some((skip_spaces_back(text, k, 2), kind));
        }
    }
    // A bare word between single spaces: ` dot `.
    if !words {
        return None;
    }
    let space = char_before(text, i).filter(|c| is_space(*c))?;
    let k = (i - space.len_utf8()).checked_sub(3)?;
    let (end, kind) = word_marker(text, k, "dot")?;
    (end + space.len_utf8() == i).then(|| (skip_spaces_back(text, k, 1), kind))
}

/// Splits `token` on the wrapped dot markers written with `sep` inside it (`tom-dot-reyes`),
/// pushing the pieces and the markers' kinds; `None` if a piece is empty.
fn split_wrapped_dots<'a>(
    token: &'a str,
    sep: char,
    pieces: &mut Vec<&'a str>,
    kinds: &mut Vec<Marker>,
) -> Option<()> {
    let mut piece_start = 0;
    let mut k = 0;
    while k < token.len() {
        match wrapped(token, k, "dot").filter(|_| token[k..].starts_with(sep)) {
            Some((end, kind)) => {
                pieces.push(token.get(piece_start..k).filter(|p| !p.is_empty())?);
                kinds.push(kind);
                piece_start = end;
                k = end;
            }
            None => k += token[k..].chars().next().map_or(1, char::len_utf8),
        }
    }
    pieces.push(token.get(piece_start..).filter(|p| !p.is_empty())?);
    Some(())
}

/// Whether the domain starting at `pos` may go on past a dot marker that is not a plain `.`: the
/// labels joined by plain dots are walked as [`obfuscated_at`] walks them, and the first place that
/// is not a plain dot is looked at. `true` when unsure (a label longer than a label can be, more
/// labels than are read).
fn domain_may_have_dot_marker(text: &str, mut pos: usize) -> bool {
    for _ in 0..MAX_LABELS {
        let Some(label_end) = run_end(text, pos, 63, is_label_char) else {
            return true;
        };
        if label_end == pos {
            return false;
        }
        pos = label_end;
        match dot_marker(text, pos) {
            Some((next, Marker::Literal)) => pos = next,
            // A spaced dot after a plain `@` ends a sentence ("jane@acme.com . Thanks").
            Some((_, Marker::Spaced)) | None => return false,
            Some(_) => return true,
        }
    }
    true
}

fn obfuscated_at(text: &str, i: usize) -> Option<TextMatch> {
    let (marker_start, marker_end, at_kind) = at_marker(text, i)?;
    // The separator of a wrapped "at" (`-at-`): the same words wrapped the same way may join the
    // labels without spaces (`ravi-at-brightlane-dot-io`).
    let wrap_sep =
        char_at(text, i).filter(|_| matches!(at_kind, Marker::WrappedLower | Marker::WrappedUpper));

    // The local part: one token of common characters right before the marker, or several joined
    // by dot markers (`tom dot reyes at …`, `jane [dot] doe [at] …`). It only extends backwards
    // across a dot marker, never across plain spaces ("write to tom dot reyes at …" is `tom.reyes`).
    let local_end = marker_start;
    let mut local_start = local_run_start(text, local_end, is_common_local_char)?;
    let mut tokens: Vec<(usize, usize)> = vec![(local_start, local_end)];
    let mut local_dots: Vec<Marker> = Vec::new();
    while let Some((dot_start, kind)) =
        dot_marker_before(text, local_start, at_kind != Marker::Literal)
    {
        // A dot marker with no token before it, or too many: not an address we can read whole.
        if tokens.len() >= MAX_LABELS {
            return None;
        }
        let token_start = local_run_start(text, dot_start, is_common_local_char)?;
        tokens.push((token_start, dot_start));
        local_dots.push(kind);
        local_start = token_start;
    }
    // A plain `@` with no dot marker before it is only this scan's business if the domain has a
    // disguised dot (`jane@acme [dot] com`); every plain address would otherwise be read twice.
    if at_kind == Marker::Literal
        && local_dots.is_empty()
        && !domain_may_have_dot_marker(text, marker_end)
    {
        return None;
    }
    if !char_before(text, local_start).is_none_or(|c| {
        c.is_whitespace() || "<([\"'“‘«:;,>：（「『【、".contains(c) || is_unspaced_script(c)
    }) {
        return None;
    }
    tokens.reverse();
    local_dots.reverse();
    while text[local_start..tokens[0].1].starts_with(['.', '\'', '-', '+']) {
        local_start += 1;
    }
    tokens[0].0 = local_start;
    let mut local_pieces: Vec<&str> = Vec::with_capacity(tokens.len());
    let mut dots_between: Vec<Marker> = Vec::new();
    for (n, &(s, e)) in tokens.iter().enumerate() {
        let token = &text[s..e];
        match wrap_sep {
            Some(sep) => split_wrapped_dots(token, sep, &mut local_pieces, &mut dots_between)?,
            None if token.is_empty() => return None,
            None => local_pieces.push(token),
        }
        if let Some(kind) = local_dots.get(n) {
            dots_between.push(*kind);
        }
    }
    if !local_pieces
        .iter()
        .all(|p| p.chars().any(char::is_alphanumeric))
    {
        return None;
    }

    // The domain: labels joined by dot markers.
    let mut labels: Vec<&str> = Vec::new();
    let mut dot_kinds: Vec<Marker> = dots_between;
    let mut pos = marker_end;
    loop {
        let mut label_end = run_end(text, pos, 63, is_label_char)?;
        if wrap_sep == Some('-') {
            // `brightlane-dot-io`: the label ends where a wrapped "dot" starts.
            label_end = (pos + 1..label_end)
                .find(|&k| wrapped(text, k, "dot").is_some())
                .unwrap_or(label_end);
        }
        if label_end == pos {
            if labels.is_empty() {
                return None;
            }
            break;
        }
        labels.push(&text[pos..label_end]);
        pos = label_end;
        if labels.len() == MAX_LABELS {
            break;
        }
        match dot_marker(text, pos) {
            Some((next, kind))
                if (kind != Marker::Spaced || at_kind != Marker::Literal)
                    && run_end(text, next, 63, is_label_char).is_some_and(|e| e > next) =>
            {
                dot_kinds.push(kind);
                pos = next;
            }
            _ => break,
        }
    }
    // Where the address ends: after the last label (not after trailing spaces).
    let end = pos;
    if labels.len() < 2 {
        return None;
    }
    let obfuscated = at_kind != Marker::Literal || dot_kinds.iter().any(|k| *k != Marker::Literal);
    if !obfuscated {
        return None; // the plain scan's business
    }
    if matches!(char_at(text, end), Some('@')) || char_before(text, local_start) == Some('@') {
        return None;
    }
    let tld = labels[labels.len() - 1];
    if is_file_extension(tld)
        || labels.iter().any(|l| is_density_label(l))
        || labels
            .iter()
            .any(|l| l.starts_with('-') || l.ends_with('-'))
    {
        return None;
    }
    // "… written with (at) and (dot): replace them by @ and ." is prose about the disguise.
    if local_pieces
        .iter()
        .chain(labels.iter())
        .any(|p| is_function_word(p))
    {
        return None;
    }
    let words: Vec<Marker> = std::iter::once(at_kind)
        .chain(dot_kinds.iter().copied())
        .filter(|k| k.is_spelled())
        .collect();
    if !words.is_empty() && !plausible_in_words(&local_pieces, &labels, &words) {
        return None;
    }
    // "placed an order at shop.com", "system status at status.acme.io": a bare "at" after one plain
    // word, with every dot written as a dot, is a sentence pointing at a website. Someone
    // disguising an address disguises its dot too, brackets the "at", or writes a local part no
    // sentence has (`jane.doe at acme.com`, `j_doe at acme.com`).
    if at_kind.is_word()
        && dot_kinds.iter().all(|k| *k == Marker::Literal)
        && local_pieces.len() == 1
        && local_pieces[0].chars().all(char::is_alphabetic)
    {
        return None;
    }
    let email = Email::parse(&undisguised(&local_pieces, &labels)).ok()?;
    // Bare words are what prose is made of; wrapped ones (`-at-`) are as deliberate as brackets.
    let confidence = match words.iter().find(|k| k.is_word()) {
        Some(Marker::WordUpper) => CONFIDENCE_WORDS_UPPER,
        Some(_) => CONFIDENCE_WORDS_LOWER,
        None => CONFIDENCE_BRACKETED,
    };
    Some(TextMatch {
        start: local_start,
        end,
        value: email.into_string(),
        confidence,
        obfuscated: true,
    })
}

/// `local.pieces@domain.labels`, in one string.
fn undisguised(local: &[&str], labels: &[&str]) -> String {
    let mut out = String::with_capacity(local.iter().chain(labels).map(|p| p.len() + 1).sum());
    for (i, piece) in local.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(piece);
    }
    out.push('@');
    for (i, label) in labels.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(label);
    }
    out
}

/// Bare "at" / "dot" words make prose look like addresses ("look at google dot com"); take them
/// only when the rest is clearly an address. `local` holds the local part's pieces between dot
/// markers (`tom`, `reyes` for `tom dot reyes`).
fn plausible_in_words(local: &[&str], labels: &[&str], words: &[Marker]) -> bool {
    let same_case = words.iter().all(|w| w.is_upper() == words[0].is_upper());
    let tld = labels[labels.len() - 1].to_ascii_lowercase();
    // "Jane at Acme dot com" is a sentence about Jane; people who disguise their address write it
    // in lower case (or all in capitals).
    let capitalised = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(|c| c.is_lowercase())
    };
    same_case
        && !local.iter().any(|l| capitalised(l))
        && !labels.iter().any(|l| capitalised(l))
        && !local.iter().any(|l| is_prose_word(l))
        && !labels.iter().any(|l| is_prose_word(l))
        && !labels[0].eq_ignore_ascii_case("www")
        && (KNOWN_TLDS.contains(&tld.as_str())
            || tld.len() == 2 && tld.bytes().all(|b| b.is_ascii_lowercase()))
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// Short function words of English, French, German, Spanish and Italian prose, never a whole
/// local part or domain label of a disguised address.
fn is_function_word(piece: &str) -> bool {
    const WORDS: &[&str] = &[
        "and", "or", "by", "with", "the", "to", "for", "of", "in", "et", "ou", "avec", "par",
        "les", "des", "une", "un", "le", "la", "und", "oder", "durch", "mit", "bzw", "ein",
        "einen", "eine", "der", "die", "das", "y", "o", "con", "por", "el", "los", "e", "per",
        "il",
    ];
    piece.len() <= 6 && WORDS.iter().any(|w| piece.eq_ignore_ascii_case(w))
}

fn is_prose_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    PROSE_WORDS.binary_search(&lower.as_str()).is_ok()
}

/// Generic top-level domains accepted after a bare "dot" word (two-letter country codes are
/// accepted too).
const KNOWN_TLDS: &[&str] = &[
    "com",
    "org",
    "net",
    "edu",
    "gov",
    "mil",
    "int",
    "info",
    "biz",
    "name",
    "pro",
    "aero",
    "coop",
    "museum",
    "jobs",
    "travel",
    "mobi",
    "asia",
    "tel",
    "app",
    "dev",
    "io",
    "ai",
    "co",
    "me",
    "tv",
    "xyz",
    "online",
    "site",
    "tech",
    "store",
    "shop",
    "blog",
    "cloud",
    "agency",
    "company",
    "email",
    "digital",
    "design",
    "studio",
    "solutions",
    "services",
    "consulting",
    "group",
    "global",
    "world",
    "life",
    "live",
    "media",
    "news",
    "network",
    "systems",
    "team",
    "work",
    "works",
    "academy",
    "school",
    "university",
    "law",
    "legal",
    "health",
    "care",
    "clinic",
    "finance",
    "capital",
    "partners",
    "ventures",
    "holdings",
    "international",
    "london",
    "berlin",
    "paris",
    "nyc",
    "tokyo",
    "eu",
    "uk",
];

/// Everyday English words that appear around a bare "at" or "dot" in prose, sorted.
const PROSE_WORDS: &[&str] = &[
    "a",
    "aimed",
    "all",
    "am",
    "an",
    "and",
    "are",
    "arrive",
    "arrived",
    "arrives",
    "as",
    "at",
    "ate",
    "available",
    "based",
    "be",
    "been",
    "best",
    "both",
    "but",
    "by",
    "call",
    "called",
    "came",
    "come",
    "comes",
    "coming",
    "did",
    "do",
    "does",
    "done",
    "dot",
    "down",
    "eat",
    "end",
    "ended",
    "ends",
    "even",
    "find",
    "first",
    "for",
    "found",
    "from",
    "get",
    "go",
    "goes",
    "gone",
    "good",
    "got",
    "great",
    "he",
    "held",
    "her",
    "here",
    "him",
    "his",
    "home",
    "hosted",
    "i",
    "in",
    "is",
    "it",
    "its",
    "just",
    "last",
    "least",
    "live",
    "lived",
    "lives",
    "located",
    "look",
    "looked",
    "looking",
    "looks",
    "made",
    "me",
    "meet",
    "met",
    "more",
    "most",
    "my",
    "no",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "our",
    "out",
    "park",
    "play",
    "played",
    "playing",
    "price",
    "priced",
    "rate",
    "rated",
    "see",
    "seen",
    "she",
    "shop",
    "sit",
    "sold",
    "stand",
    "start",
    "started",
    "starts",
    "stay",
    "stayed",
    "still",
    "stop",
    "stopped",
    "studied",
    "study",
    "studying",
    "taught",
    "teach",
    "teaches",
    "teaching",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "time",
    "times",
    "to",
    "up",
    "us",
    "was",
    "we",
    "went",
    "were",
    "which",
    "who",
    "with",
    "work",
    "worked",
    "working",
    "works",
    "you",
    "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        find_emails(text).into_iter().map(|m| m.value).collect()
    }

    fn spans(text: &str) -> Vec<&str> {
        find_emails(text)
            .into_iter()
            .map(|m| &text[m.start..m.end])
            .collect()
    }

    #[test]
    fn file_extensions_are_short() {
        assert!(FILE_EXTENSIONS
            .iter()
            .all(|e| e.len() <= 6 && e.is_ascii() && e.bytes().all(|b| !b.is_ascii_uppercase())));
        assert!(
            FILE_EXTENSIONS.windows(2).all(|w| w[0] < w[1]),
            "FILE_EXTENSIONS must stay sorted"
        );
        assert!(
            is_file_extension("SVELTE") && is_file_extension("png") && !is_file_extension("io")
        );
    }

    #[test]
    fn prose_words_are_sorted() {
        assert!(
            PROSE_WORDS.windows(2).all(|w| w[0] < w[1]),
            "PROSE_WORDS must stay sorted"
        );
    }

    /// The disguises of more languages: Dutch, Scandinavian, Polish, Czech, Japanese (in
    /// full-width brackets), and a spaced dot after a spaced `@`.
    #[test]
    fn disguises_in_more_languages() {
        assert_eq!(
            values("Mail sanne.devries (apenstaartje) tandarts-zuid (punt) nl"),
            ["sanne.devries@tandarts-zuid.nl"]
        );
        assert_eq!(
            values("kontakt (snabel-a) bygg-ab (punkt) se"),
            ["kontakt@bygg-ab.se"]
        );
        assert_eq!(values("biuro[małpa]firma[kropka]pl"), ["biuro@firma.pl"]);
        assert_eq!(
            values("メール：m.nakamura（アットマーク）minato-eng.co.jp"),
            ["m.nakamura@minato-eng.co.jp"]
        );
        assert_eq!(
            values("お問い合わせ info【@】minato-eng（ドット）co（ドット）jp まで"),
            ["info@minato-eng.co.jp"]
        );
        assert_eq!(
            values("Écrire à mathieu.roussel @ ateliernoroit . fr"),
            ["mathieu.roussel@ateliernoroit.fr"]
        );
        // A spaced dot after a plain address ends a sentence; it is not part of the address.
        assert_eq!(values("Mail jane@acme.com . Thanks"), ["jane@acme.com"]);
        assert!(values("We meet at noon . Then lunch").is_empty());
    }

    #[test]
    fn plain_addresses_with_wrapping_punctuation() {
        assert_eq!(
            spans("Write to jane.doe@acme.com today"),
            ["jane.doe@acme.com"]
        );
        assert_eq!(spans("Write to jane@acme.com."), ["jane@acme.com"]);
        assert_eq!(spans("Write to jane@acme.com, or call."), ["jane@acme.com"]);
        assert_eq!(spans("(jane@acme.com)"), ["jane@acme.com"]);
        assert_eq!(spans("Jane <jane@acme.com>"), ["jane@acme.com"]);
        assert_eq!(spans("mailto:jane@acme.com?subject=hi"), ["jane@acme.com"]);
        assert_eq!(spans("'jane@acme.com'"), ["jane@acme.com"]);
        assert_eq!(spans("\"jane@acme.com\""), ["jane@acme.com"]);
        assert_eq!(spans("**jane@acme.com**"), ["jane@acme.com"]);
        assert_eq!(spans("{jane@acme.com}"), ["jane@acme.com"]);
        assert_eq!(spans("Email:jane@acme.com"), ["jane@acme.com"]);
        assert_eq!(spans("…jane@acme.com…"), ["jane@acme.com"]);
        assert_eq!(spans("see ...jane@acme.com"), ["jane@acme.com"]);
        assert_eq!(values("Jane.Doe@ACME.Co.UK"), ["Jane.Doe@acme.co.uk"]);
        assert_eq!(
            values("a@b.co and c+tag@d.org; e_f@g-h.io"),
            ["a@b.co", "c+tag@d.org", "e_f@g-h.io"]
        );
        assert_eq!(values("José.Núñez@bücher.de"), ["José.Núñez@bücher.de"]);
        assert_eq!(values("O'Brien@acme.ie"), ["O'Brien@acme.ie"]);
        let m = &find_emails("mailto:jane@acme.com")[0];
        assert!(m.confidence > CONFIDENCE_PLAIN && !m.obfuscated);
    }

    #[test]
    fn rare_atext_only_as_a_whole_token() {
        assert_eq!(
            spans("Contact: customer/department=shipping@iana.org for details"),
            ["customer/department=shipping@iana.org"]
        );
        assert_eq!(
            spans("x !def!xyz%abc@iana.org y"),
            ["!def!xyz%abc@iana.org"]
        );
        assert_eq!(spans("price:$5/jane@acme.com"), ["jane@acme.com"]);
        assert_eq!(spans("?email=jane@acme.com&x=1"), ["jane@acme.com"]);
    }

    #[test]
    fn cjk_text_around_an_address() {
        assert_eq!(spans("連絡先jane@acme.comまで"), ["jane@acme.com"]);
        assert_eq!(
            spans("メール：jane@acme.co.jp（担当）"),
            ["jane@acme.co.jp"]
        );
        assert_eq!(
            values("hans.m端ller@m端ller.com"),
            ["hans.m端ller@m端ller.com"]
        );
        let repeated = "連絡先jane@acme.comまで".repeat(3);
        assert_eq!(
            values(&repeated),
            ["jane@acme.com", "jane@acme.com", "jane@acme.com"]
        );
        assert_eq!(values("葉士豪@臺網中心.台灣"), ["葉士豪@臺網中心.台灣"]);
    }

    #[test]
    fn obfuscated_forms() {
        let cases = [
            ("jane [at] acme [dot] com", "jane [at] acme [dot] com"),
            ("Mail: jane(at)acme(dot)com.", "jane(at)acme(dot)com"),
            ("jane {at} acme {dot} com", "jane {at} acme {dot} com"),
            ("jane <at> acme <dot> com", "jane <at> acme <dot> com"),
            (
                "jane [ at ] acme [ dot ] co [ dot ] uk",
                "jane [ at ] acme [ dot ] co [ dot ] uk",
            ),
            ("jane[at]acme.com", "jane[at]acme.com"),
            ("jane (at) acme.com", "jane (at) acme.com"),
            ("jane [@] acme [.] com", "jane [@] acme [.] com"),
            ("jane AT acme DOT com", "jane AT acme DOT com"),
            ("write to jane at acme dot com!", "jane at acme dot com"),
            ("jane.doe at acme.com", "jane.doe at acme.com"),
            ("jane@acme dot com", "jane@acme dot com"),
            ("jane@acme [dot] com", "jane@acme [dot] com"),
            ("jane @ acme.com", "jane @ acme.com"),
        ];
        for (text, span) in cases {
            let found = find_emails(text);
            assert_eq!(found.len(), 1, "{text:?}: {found:?}");
            let m = &found[0];
            assert_eq!(&text[m.start..m.end], span, "{text:?}");
            assert!(
                m.value.starts_with("jane") && m.value.contains("@acme."),
                "{text:?}: {m:?}"
            );
            assert!(
                m.obfuscated && m.confidence < CONFIDENCE_PLAIN,
                "{text:?}: {m:?}"
            );
        }
        assert_eq!(
            values("jane [at] acme [dot] co [dot] uk"),
            ["jane@acme.co.uk"]
        );
        assert_eq!(values("jane@acme.co [dot] uk"), ["jane@acme.co.uk"]);
    }

    #[test]
    fn dotted_local_parts_in_words() {
        let text = "Send feedback to tom dot reyes at brightlane dot io — he answers everything";
        assert_eq!(spans(text), ["tom dot reyes at brightlane dot io"]);
        assert_eq!(values(text), ["tom.reyes@brightlane.io"]);
        assert_eq!(
            values("go to tom dot m dot reyes at brightlane dot co dot uk"),
            ["tom.m.reyes@brightlane.co.uk"]
        );
        assert_eq!(
            values("TOM DOT REYES AT BRIGHTLANE DOT IO"),
            ["TOM.REYES@brightlane.io"]
        );
        assert_eq!(
            values("jane [dot] doe [at] acme [dot] com"),
            ["jane.doe@acme.com"]
        );
        assert_eq!(
            values("jane(dot)doe(at)acme(dot)com"),
            ["jane.doe@acme.com"]
        );
        assert_eq!(
            values("jane [.] doe [at] acme [.] com"),
            ["jane.doe@acme.com"]
        );
        assert_eq!(
            values("jane dot doe [at] acme [dot] com"),
            ["jane.doe@acme.com"]
        );
        assert_eq!(values("jane [dot] doe@acme.com"), ["jane.doe@acme.com"]);
        // A plain address is not extended across a bare "dot" word.
        assert_eq!(values("polka dot jane@acme.com"), ["jane@acme.com"]);
        let m = &find_emails(text)[0];
        assert!(m.obfuscated && m.confidence < CONFIDENCE_PLAIN);
    }

    #[test]
    fn dotted_local_parts_that_are_not_readable_whole() {
        for text in [
            // A prose word joined by "dot": the whole is not an address, and a tail of it is a
            // wrong one.
            "go to dot reyes at brightlane dot io",
            "the dot reyes at brightlane dot io",
            "Tom dot Reyes at brightlane dot io",
            "tom DOT reyes at brightlane dot io",
            "[dot] reyes [at] brightlane [dot] io",
            "go to tom dot reyes",
            "talk to tom dot reyes at the office",
            "meet me at the station dot com",
        ] {
            assert_eq!(values(text), Vec::<String>::new(), "{text:?}");
        }
        // Plain spaces never join tokens of the local part.
        assert_eq!(values("write to jane at acme dot com"), ["jane@acme.com"]);
    }

    #[test]
    fn wrapped_markers() {
        let text = "connectors: ravi -at- brightlane -dot- io. Speaking at Data Council";
        assert_eq!(spans(text), ["ravi -at- brightlane -dot- io"]);
        assert_eq!(values(text), ["ravi@brightlane.io"]);
        for text in [
            "ravi-at-brightlane-dot-io",
            "ravi -at- brightlane.io",
            "ravi-AT-brightlane-DOT-io",
            "ravi_at_brightlane_dot_io",
            "ravi _at_ brightlane _dot_ io",
            "ravi -at-brightlane -dot-io!",
        ] {
            assert_eq!(values(text), ["ravi@brightlane.io"], "{text:?}");
            let m = &find_emails(text)[0];
            assert!(m.obfuscated && m.confidence < CONFIDENCE_PLAIN, "{text:?}");
        }
        assert_eq!(
            values("tom -dot- reyes -at- brightlane -dot- co -dot- uk"),
            ["tom.reyes@brightlane.co.uk"]
        );
        assert_eq!(
            values("tom-dot-reyes-at-brightlane-dot-io"),
            ["tom.reyes@brightlane.io"]
        );
        assert_eq!(
            values("tom_dot_reyes_at_brightlane_dot_io"),
            ["tom.reyes@brightlane.io"]
        );
        for text in [
            "look-at-google-dot-com",
            "Ravi -at- Brightlane -dot- io",
            "ravi -at- brightlane -DOT- io",
            "state-of-the-art-at-scale",
            "ravi -at- brightlane",
            "created_at_timestamp",
            "tom-dot--at-brightlane-dot-io",
            "ravi -at- brightlane -dot- png",
            "-at- brightlane -dot- io",
        ] {
            assert_eq!(values(text), Vec::<String>::new(), "{text:?}");
        }
    }

    #[test]
    fn prose_is_not_an_address() {
        for text in [
            "meet me at the park dot com",
            "Look at google dot com for answers",
            "we met at acme dot com headquarters",
            "she works at acme.com",
            "find us at www.acme.com",
            "Jane at Acme dot com",
            "jane at acme DOT com",
            "dinner at eight dot thirty",
            "the dot com bubble",
            "at at at dot dot",
            "jane at acme dot",
            "jane [at] acme",
            "You placed an order at shopsupply.com on May 3.",
            "Check the system status at status.quillbase.io first",
            "prices at 5 dot 99",
            "first.last @acme.com",
            "jane\n@acme.com",
            "jane\n[at]\nacme [dot] com",
        ] {
            assert_eq!(values(text), Vec::<String>::new(), "{text:?}");
        }
    }

    #[test]
    fn look_alikes_are_not_addresses() {
        for text in [
            "<img src=\"/img/logo@2x.png\">",
            "image@2x.png",
            "logo@3x.jpg and icon@1.5x.webp",
            "hero@2x.jpeg banner@2x.avif sprite@2x.svg style@1.css app@2.js",
            "npm i package@1.2.3",
            "npm i @scope/pkg@4.17.21",
            "follow @jane on X",
            "[email protected]",
            "[email\u{a0}protected]",
            "git clone git@github.com:org/repo.git",
            "https://user@example.com/path",
            "https://medium.com/@jane.doe",
            "a@b@acme.com",
            "jane@localhost",
            "jane@acme.test and bob@example.example",
            "jane@acme",
            "@",
            "@@@",
            "x@y.c",
            "video@clip.mp4",
        ] {
            assert_eq!(values(text), Vec::<String>::new(), "{text:?}");
        }
        // A real address right after a colon and space is fine.
        assert_eq!(values("Git: git@github.com: ask there"), ["git@github.com"]);
    }

    #[test]
    fn long_runs_do_not_become_addresses() {
        let long = format!("{}@acme.com", "a".repeat(200));
        assert!(find_emails(&long).is_empty());
        let many = "a@".repeat(10_000);
        assert!(find_emails(&many).is_empty());
        let many_dots = format!("jane@{}com", "a.".repeat(5000));
        assert!(find_emails(&many_dots).is_empty());
        // Dot markers before the local part: each "at" looks back a bounded number of tokens.
        let many_words = format!("{}reyes at acme dot com", "tom dot ".repeat(20_000));
        assert!(find_emails(&many_words).is_empty());
        let many_brackets = format!("{}reyes [at] acme [dot] com", "tom [dot] ".repeat(20_000));
        assert!(find_emails(&many_brackets).is_empty());
        let wrapped = "a-at-b-dot-".repeat(20_000);
        assert!(find_emails(&wrapped).len() <= 20_000);
        let dashes = "-at-_at_-dot-_dot_".repeat(20_000);
        assert!(find_emails(&dashes).is_empty());
    }
}
