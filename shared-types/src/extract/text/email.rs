//! E-mail addresses in running text, as people write them on web pages.
//!
//! Two scans, both linear in the text (each looks a bounded distance around an `@` or an "at"
//! marker), whose results are merged (earliest, then longest, wins):
//!
//! - **plain**: every `@` with a local part before it and a domain after it. The edges are cut the
//!   way text wraps an address: `(jane@acme.com)`, `<jane@acme.com>`, `mailto:jane@acme.com`,
//!   `jane@acme.com.` and `'jane@acme.com'` give `jane@acme.com`.
//! - **obfuscated**: `jane [at] acme [dot] com`, `jane(at)acme(dot)com`, `jane {at} acme {dot} com`,
//!   `jane @ acme.com`, `jane@acme [dot] com`, `jane@acme dot com`, and the bare-word forms
//!   `jane at acme dot com` / `jane AT acme DOT com` / `jane at acme.com`. Bare words are only taken
//!   when the whole thing looks like an address: one token before "at", labels joined by dot
//!   markers, a top-level domain from a list of real ones, consistent case for the marker words,
//!   no everyday English word as the local part or a label ("look at google dot com", "meet me at
//!   the park dot com" are prose), and no `www` first label. These get a lower confidence and
//!   `obfuscated = true`.
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
    let mut found = Vec::new();
    plain_addresses(text, &mut found);
    obfuscated_addresses(text, &mut found);
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

/// File extensions that are not top-level domains people have addresses under.
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "jpe", "gif", "svg", "svgz", "webp", "avif", "heic", "heif", "ico", "bmp", "tif", "tiff",
    "psd", "eps", "raw", "css", "scss", "sass", "less", "js", "mjs", "cjs", "jsx", "ts", "tsx", "map", "json", "xml",
    "yml", "yaml", "toml", "html", "htm", "php", "asp", "aspx", "jsp", "txt", "csv", "log", "pdf", "doc", "docx",
    "xls", "xlsx", "ppt", "pptx", "odt", "rtf", "mp3", "mp4", "m4a", "m4v", "wav", "ogg", "oga", "ogv", "webm",
    "mov", "avi", "mkv", "flv", "wmv", "woff", "woff2", "ttf", "otf", "eot", "zip", "gz", "tgz", "rar", "7z", "tar",
    "bz2", "xz", "exe", "dmg", "apk", "msi", "deb", "rpm", "iso", "bin", "dll", "jar", "wasm", "swf", "vue", "svelte",
    "lock", "ini", "cfg", "conf", "bak", "tmp", "min",
];

fn is_file_extension(tld: &str) -> bool {
    FILE_EXTENSIONS.iter().any(|e| tld.eq_ignore_ascii_case(e))
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

fn plain_addresses(text: &str, found: &mut Vec<TextMatch>) {
    for (at, _) in text.match_indices('@') {
        if let Some(m) = plain_at(text, at) {
            found.push(m);
        }
    }
}

/// Start of the run of local-part characters ending at `at`, or `None` when the run is empty or
/// longer than any local part (then it is a long token, not an address).
fn local_run_start(text: &str, at: usize, is_char: fn(char) -> bool) -> Option<usize> {
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
fn run_end(text: &str, from: usize, max: usize, is_char: fn(char) -> bool) -> Option<usize> {
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
    } else if run.find('/').is_some_and(|slash| run[..slash].contains('.')) {
        return None; // a path after a host: site.com/@jane.doe
    } else if (script_cut || char_before(text, run_start).is_none_or(is_token_opener)) && !run.ends_with('/') {
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
    if text[dom_end..].starts_with(':') && char_at(text, dom_end + 1).is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    let tld = domain.rsplit('.').next().unwrap_or_default();
    if is_file_extension(tld) || domain.split('.').any(is_density_label) {
        return None;
    }
    let email = Email::parse(&format!("{local}@{domain}")).ok()?;
    let after_mailto = local_start >= 7 && text.get(local_start - 7..local_start).is_some_and(|p| p.eq_ignore_ascii_case("mailto:"));
    let confidence = if after_mailto {
        CONFIDENCE_MAILTO
    } else if local.chars().all(is_common_local_char) {
        CONFIDENCE_PLAIN
    } else {
        CONFIDENCE_ODD_LOCAL
    };
    Some(TextMatch { start: local_start, end: dom_end, value: email.as_str().to_string(), confidence, obfuscated: false })
}

/// Where the value of a URL query parameter starts in `run` (`?email=jane` → the `j`), if `run`
/// ends with one.
fn query_value_start(run: &str) -> Option<usize> {
    let eq = run.rfind('=')?;
    let key_start = run[..eq].rfind(|c: char| !(c.is_ascii_alphanumeric() || "_-.[]".contains(c))).unwrap_or(0);
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
}

impl Marker {
    fn is_word(self) -> bool {
        matches!(self, Marker::WordLower | Marker::WordUpper)
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
        _ => None,
    }
}

/// A bracketed marker `[word]` / `( word )` / `[sym]` starting at `i` (after optional spaces):
/// returns its end.
fn bracketed(text: &str, i: usize, word: &str, sym: char) -> Option<usize> {
    let open = char_at(text, i)?;
    let close = closing_bracket(open)?;
    let j = skip_spaces(text, i + 1, 2);
    let rest = text.get(j..)?;
    let k = if rest.get(..word.len()).is_some_and(|w| w.eq_ignore_ascii_case(word)) {
        j + word.len()
    } else if rest.starts_with(sym) {
        j + sym.len_utf8()
    } else {
        return None;
    };
    let k = skip_spaces(text, k, 2);
    (char_at(text, k) == Some(close)).then_some(k + close.len_utf8())
}

/// A bare marker word (`at`, `AT`, `dot`, `DOT`) between whitespace, starting at `i`.
fn word_marker(text: &str, i: usize, word: &str) -> Option<(usize, Marker)> {
    let w = text.get(i..i + word.len())?;
    let kind = if w == word {
        Marker::WordLower
    } else if w == word.to_ascii_uppercase() {
        Marker::WordUpper
    } else {
        return None;
    };
    let before_ok = char_before(text, i).is_some_and(is_space);
    let after_ok = char_at(text, i + word.len()).is_some_and(is_space);
    (before_ok && after_ok).then_some((i + word.len(), kind))
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
        '[' | '(' | '{' | '<' => {
            let end = bracketed(text, i, "at", '@')?;
            Some((skip_spaces_back(text, i, 2), skip_spaces(text, end, 2), Marker::Bracketed))
        }
        'a' | 'A' => {
            let (end, kind) = word_marker(text, i, "at")?;
            Some((skip_spaces_back(text, i, 1), skip_spaces(text, end, 1), kind))
        }
        _ => None,
    }
}

/// A "dot" marker right after a label ending at `i`: returns (end of marker incl. spaces, kind).
fn dot_marker(text: &str, i: usize) -> Option<(usize, Marker)> {
    if char_at(text, i) == Some('.') {
        return char_at(text, i + 1).filter(|c| is_label_char(*c)).map(|_| (i + 1, Marker::Literal));
    }
    let j = skip_spaces(text, i, 2);
    if let Some(end) = bracketed(text, j, "dot", '.') {
        return Some((skip_spaces(text, end, 2), Marker::Bracketed));
    }
    if j > i {
        if let Some((end, kind)) = word_marker(text, j, "dot") {
            return Some((skip_spaces(text, end, 1), kind));
        }
    }
    None
}

fn obfuscated_addresses(text: &str, found: &mut Vec<TextMatch>) {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'@' | b'[' | b'(' | b'{' | b'<' | b'a' | b'A') {
            if let Some(m) = obfuscated_at(text, i) {
                found.push(m);
            }
        }
    }
}

fn obfuscated_at(text: &str, i: usize) -> Option<TextMatch> {
    let (marker_start, marker_end, at_kind) = at_marker(text, i)?;
    // The local part: one token of common characters right before the marker.
    let local_end = marker_start;
    let mut local_start = local_run_start(text, local_end, is_common_local_char)?;
    if !char_before(text, local_start).is_none_or(|c| c.is_whitespace() || "<([\"'“‘«:;,>".contains(c)) {
        return None;
    }
    while text[local_start..local_end].starts_with(['.', '\'', '-', '+']) {
        local_start += 1;
    }
    let local = text.get(local_start..local_end).filter(|l| l.chars().any(char::is_alphanumeric))?;

    // The domain: labels joined by dot markers.
    let mut labels: Vec<&str> = Vec::new();
    let mut dot_kinds: Vec<Marker> = Vec::new();
    let mut pos = marker_end;
    loop {
        let label_end = run_end(text, pos, 63, is_label_char)?;
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
            Some((next, kind)) if run_end(text, next, 63, is_label_char).is_some_and(|e| e > next) => {
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
    if is_file_extension(tld) || labels.iter().any(|l| is_density_label(l)) || labels.iter().any(|l| l.starts_with('-') || l.ends_with('-')) {
        return None;
    }
    let words: Vec<Marker> = std::iter::once(at_kind).chain(dot_kinds.iter().copied()).filter(|k| k.is_word()).collect();
    if !words.is_empty() && !plausible_in_words(local, &labels, &words) {
        return None;
    }
    let email = Email::parse(&format!("{local}@{}", labels.join("."))).ok()?;
    let confidence = match (words.first(), at_kind) {
        (Some(Marker::WordUpper), _) => CONFIDENCE_WORDS_UPPER,
        (Some(_), _) => CONFIDENCE_WORDS_LOWER,
        (None, _) => CONFIDENCE_BRACKETED,
    };
    Some(TextMatch { start: local_start, end, value: email.as_str().to_string(), confidence, obfuscated: true })
}

/// Bare "at" / "dot" words make prose look like addresses ("look at google dot com"); take them
/// only when the rest is clearly an address.
fn plausible_in_words(local: &str, labels: &[&str], words: &[Marker]) -> bool {
    let same_case = words.iter().all(|w| *w == words[0]);
    let tld = labels[labels.len() - 1].to_ascii_lowercase();
    // "Jane at Acme dot com" is a sentence about Jane; people who disguise their address write it
    // in lower case (or all in capitals).
    let capitalised = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(|c| c.is_lowercase())
    };
    same_case
        && !capitalised(local)
        && !labels.iter().any(|l| capitalised(l))
        && !is_prose_word(local)
        && !labels.iter().any(|l| is_prose_word(l))
        && !labels[0].eq_ignore_ascii_case("www")
        && (KNOWN_TLDS.contains(&tld.as_str()) || tld.len() == 2 && tld.bytes().all(|b| b.is_ascii_lowercase()))
        && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

fn is_prose_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    PROSE_WORDS.binary_search(&lower.as_str()).is_ok()
}

/// Generic top-level domains accepted after a bare "dot" word (two-letter country codes are
/// accepted too).
const KNOWN_TLDS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "aero", "coop", "museum", "jobs",
    "travel", "mobi", "asia", "tel", "app", "dev", "io", "ai", "co", "me", "tv", "xyz", "online", "site", "tech",
    "store", "shop", "blog", "cloud", "agency", "company", "email", "digital", "design", "studio", "solutions",
    "services", "consulting", "group", "global", "world", "life", "live", "media", "news", "network", "systems",
    "team", "work", "works", "academy", "school", "university", "law", "legal", "health", "care", "clinic", "finance",
    "capital", "partners", "ventures", "holdings", "international", "london", "berlin", "paris", "nyc", "tokyo",
    "eu", "uk",
];

/// Everyday English words that appear around a bare "at" or "dot" in prose, sorted.
const PROSE_WORDS: &[&str] = &[
    "a", "aimed", "all", "am", "an", "and", "are", "arrive", "arrived", "arrives", "as", "at", "ate", "available",
    "based", "be", "been", "best", "both", "but", "by", "call", "called", "came", "come", "comes", "coming", "did",
    "do", "does", "done", "dot", "down", "eat", "end", "ended", "ends", "even", "find", "first", "for", "found",
    "from", "get", "go", "goes", "gone", "good", "got", "great", "he", "held", "her", "here", "him", "his", "home",
    "hosted", "i", "in", "is", "it", "its", "just", "last", "least", "live", "lived", "lives", "located", "look",
    "looked", "looking", "looks", "made", "me", "meet", "met", "more", "most", "my", "no", "not", "now", "of", "off",
    "on", "once", "only", "or", "our", "out", "park", "play", "played", "playing", "price", "priced", "rate", "rated",
    "see", "seen", "she", "shop", "sit", "sold", "stand", "start", "started", "starts", "stay", "stayed", "still",
    "stop", "stopped", "studied", "study", "studying", "taught", "teach", "teaches", "teaching", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "time", "times", "to", "up", "us", "was", "we",
    "went", "were", "which", "who", "with", "work", "worked", "working", "works", "you", "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        find_emails(text).into_iter().map(|m| m.value).collect()
    }

    fn spans(text: &str) -> Vec<&str> {
        find_emails(text).into_iter().map(|m| &text[m.start..m.end]).collect()
    }

    #[test]
    fn prose_words_are_sorted() {
        assert!(PROSE_WORDS.windows(2).all(|w| w[0] < w[1]), "PROSE_WORDS must stay sorted");
    }

    #[test]
    fn plain_addresses_with_wrapping_punctuation() {
        assert_eq!(spans("Write to jane.doe@acme.com today"), ["jane.doe@acme.com"]);
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
        assert_eq!(values("a@b.co and c+tag@d.org; e_f@g-h.io"), ["a@b.co", "c+tag@d.org", "e_f@g-h.io"]);
        assert_eq!(values("José.Núñez@bücher.de"), ["José.Núñez@bücher.de"]);
        assert_eq!(values("O'Brien@acme.ie"), ["O'Brien@acme.ie"]);
        let m = &find_emails("mailto:jane@acme.com")[0];
        assert!(m.confidence > CONFIDENCE_PLAIN && !m.obfuscated);
    }

    #[test]
    fn rare_atext_only_as_a_whole_token() {
        assert_eq!(spans("Contact: customer/department=shipping@iana.org for details"), ["customer/department=shipping@iana.org"]);
        assert_eq!(spans("x !def!xyz%abc@iana.org y"), ["!def!xyz%abc@iana.org"]);
        assert_eq!(spans("price:$5/jane@acme.com"), ["jane@acme.com"]);
        assert_eq!(spans("?email=jane@acme.com&x=1"), ["jane@acme.com"]);
    }

    #[test]
    fn cjk_text_around_an_address() {
        assert_eq!(spans("連絡先jane@acme.comまで"), ["jane@acme.com"]);
        assert_eq!(spans("メール：jane@acme.co.jp（担当）"), ["jane@acme.co.jp"]);
        assert_eq!(values("hans.m端ller@m端ller.com"), ["hans.m端ller@m端ller.com"]);
        let repeated = "連絡先jane@acme.comまで".repeat(3);
        assert_eq!(values(&repeated), ["jane@acme.com", "jane@acme.com", "jane@acme.com"]);
        assert_eq!(values("葉士豪@臺網中心.台灣"), ["葉士豪@臺網中心.台灣"]);
    }

    #[test]
    fn obfuscated_forms() {
        let cases = [
            ("jane [at] acme [dot] com", "jane [at] acme [dot] com"),
            ("Mail: jane(at)acme(dot)com.", "jane(at)acme(dot)com"),
            ("jane {at} acme {dot} com", "jane {at} acme {dot} com"),
            ("jane <at> acme <dot> com", "jane <at> acme <dot> com"),
            ("jane [ at ] acme [ dot ] co [ dot ] uk", "jane [ at ] acme [ dot ] co [ dot ] uk"),
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
            assert!(m.value.starts_with("jane") && m.value.contains("@acme."), "{text:?}: {m:?}");
            assert!(m.obfuscated && m.confidence < CONFIDENCE_PLAIN, "{text:?}: {m:?}");
        }
        assert_eq!(values("jane [at] acme [dot] co [dot] uk"), ["jane@acme.co.uk"]);
        assert_eq!(values("jane@acme.co [dot] uk"), ["jane@acme.co.uk"]);
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
    }
}
