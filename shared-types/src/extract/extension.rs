//! Extension-only numbers: a firm gives its main number once at the top of the page and each
//! person only an extension (`x4312`, `Ext. 4312`, `Durchwahl -12`, `poste 12`, `内線 123`). The
//! person's phone is then that main number — or, where the main number is written with a final
//! `-0` that the extension replaces (`040 306852-0`, German switchboards), the main number with the
//! extension in place of that `0`, which is the direct line a German reader dials.

use crate::phone::Phone;

/// An extension written alone: `text[start..end]` and its digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtensionOnly {
    pub start: usize,
    pub end: usize,
    pub digits: String,
}

/// Words that introduce an extension, lower-case (an `x` glued to the digits is read apart).
const EXTENSION_WORDS: &[&str] = &[
    "ext",
    "extn",
    "extension",
    "durchwahl",
    "dw",
    "apparat",
    "app",
    "nebenstelle",
    "poste",
    "interno",
    "int",
    "toestel",
    "内線",
    "內線",
];

/// Extensions written without a number before them in `text`. Digit runs inside a phone number the
/// scanner found are the caller's to skip.
pub fn find_extensions(text: &str) -> Vec<ExtensionOnly> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let end = i;
        // 2 to 6 digits, standing alone after them (not `12.5`, `12-34`, `12:30`).
        let next = text[end..].chars().next();
        if !(2..=6).contains(&(end - start))
            || next.is_some_and(|c| {
                c.is_alphanumeric()
                    || matches!(c, '-' | '.' | ':' | '/' | ',')
                        && text[end + 1..].starts_with(|d: char| d.is_ascii_digit())
            })
        {
            continue;
        }
        // Every label ends in one of a few letters (`x`, `ext`, `extn`, `durchwahl`, `dw`, `app`,
        // `poste`, `interno`, `toestel`, `内線`): a cheap look at the byte before the separators
        // spares most digit runs of a page the closer look.
        let before = bytes[..start]
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'-' | b'.' | b':' | b'#'));
        let label_end = before.map(|k| bytes[k].to_ascii_lowercase());
        if !matches!(
            label_end,
            Some(b'x' | b't' | b'n' | b'l' | b'w' | b'p' | b'e' | b'o' | 0x80..=0xFF)
        ) {
            continue;
        }
        if introduced(&text[..start]) {
            out.push(ExtensionOnly {
                start,
                end,
                digits: text[start..end].to_string(),
            });
        }
    }
    out
}

/// Whether `head` ends with an extension label: `x`, `ext. `, `Durchwahl -`, `内線：`.
fn introduced(head: &str) -> bool {
    // `x4312`, `(x4312)`, `x 4312`: an `x` on its own.
    let h = head.trim_end_matches(' ');
    if let Some(before) = h.strip_suffix(['x', 'X']) {
        // Not a size or a count: `30 x 40 cm`, `2 x 30 minutes`.
        let after_number = before
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit());
        return !after_number
            && before.chars().next_back().is_none_or(|c| {
                c.is_whitespace() || matches!(c, '(' | '[' | ',' | ';' | '|' | '/' | '·' | '•')
            });
    }
    let h = h.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '–' | '.' | ':' | '：' | '#')
    });
    // Every label ends in a letter: a date's or a number's digits before are no label.
    if !h.chars().next_back().is_some_and(char::is_alphabetic) {
        return false;
    }
    // The label's last word, compared without copying (the words are ASCII but for `内線`).
    EXTENSION_WORDS.iter().any(|w| {
        let Some(at) = h
            .len()
            .checked_sub(w.len())
            .filter(|&at| h.is_char_boundary(at))
        else {
            return false;
        };
        let tail = &h[at..];
        let same = if w.is_ascii() {
            tail.eq_ignore_ascii_case(w)
        } else {
            tail == *w
        };
        same && (!w.is_ascii()
            || h[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric()))
    })
}

/// Whether `label` (a column header, a `dt`, the words before a number) says "extension".
pub fn extension_label(label: &str) -> bool {
    let l = label.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '–' | '.' | ':' | '：' | '#')
    });
    !l.is_empty() && !l.ends_with(['x', 'X']) && introduced(&[l, " "].concat())
}

/// Words that label a page's main number, lower-case.
const MAIN_WORDS: &[&str] = &[
    "main",
    "switchboard",
    "zentrale",
    "standard",
    "accueil",
    "reception",
    "empfang",
    "central",
    "centralino",
    "hauptnummer",
    "代表",
    "main line",
    "main office",
    "head office",
];

/// Whether `label` (the words before a number) calls it the main number.
pub fn main_label(label: &str) -> bool {
    let l = label.trim_end_matches(|c: char| c.is_whitespace() || ":：.-–(".contains(c));
    let tail_start = l.char_indices().rev().nth(40).map_or(0, |(i, _)| i);
    let tail = &l[tail_start..];
    MAIN_WORDS.iter().any(|w| {
        tail.match_indices(w).any(|(at, _)| {
            let before_ok = !w.is_ascii()
                || tail[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = !w.is_ascii()
                || tail[at + w.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
            before_ok && after_ok
        })
    })
}

/// The phone of a person given `ext` on the main number `main` (E.164), written `main_written` on
/// the page: the main number with the extension in place of a written final `0` (`040 306852-0` +
/// `-211` → `+4940306852211`) when that is a valid number, else the main number itself.
pub fn person_phone(main: &str, main_written: &str, ext: &str) -> String {
    let w = main_written.trim_end();
    let zero_group = w.strip_suffix('0').is_some_and(|h| {
        h.ends_with(['-', ' ', '‐', '–']) && !h.trim_end_matches(['-', ' ', '‐', '–']).is_empty()
    });
    if zero_group {
        if let Some(base) = main.strip_suffix('0') {
            if let Ok(p) = Phone::parse(&[base, ext].concat(), None) {
                return p.as_str().to_string();
            }
        }
    }
    main.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(text: &str) -> Vec<String> {
        find_extensions(text)
            .into_iter()
            .map(|e| e.digits)
            .collect()
    }

    #[test]
    fn extension_only_forms() {
        assert_eq!(digits("Jane Doe, x4312"), ["4312"]);
        assert_eq!(digits("(x 204)"), ["204"]);
        assert_eq!(digits("Ext. 4312"), ["4312"]);
        assert_eq!(digits("Durchwahl -211"), ["211"]);
        assert_eq!(digits("Durchwahl: 12"), ["12"]);
        assert_eq!(digits("Poste 4412"), ["4412"]);
        assert_eq!(digits("内線：123"), ["123"]);
        for none in [
            "30 x 40 cm",
            "2 x 30 minutes",
            "Box 4312",
            "Suite 200",
            "1x2",
            "fax 12",
            "Ext. 4312-5555",
            "x12.5",
            "max 12",
            "Room 12",
        ] {
            assert!(digits(none).is_empty(), "{none}");
        }
    }

    #[test]
    fn extension_labels() {
        for l in ["Extension", "ext.", "Durchwahl", "内線", "Poste"] {
            assert!(extension_label(l), "{l}");
        }
        for l in ["Phone", "Room", "Fax", "x", ""] {
            assert!(!extension_label(l), "{l}");
        }
    }

    #[test]
    fn main_labels() {
        assert!(main_label("main line: "));
        assert!(main_label("unter der zentrale telefon "));
        assert!(main_label("代表電話："));
        assert!(!main_label("mobile "));
        assert!(!main_label("domain "));
    }

    #[test]
    fn the_person_phone_on_a_main_number() {
        assert_eq!(
            person_phone("+49403068520", "040 306852-0", "211"),
            "+4940306852211"
        );
        assert_eq!(
            person_phone("+16046812345", "(604) 681-2345", "204"),
            "+16046812345"
        );
    }
}
