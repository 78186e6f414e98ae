//! Small text helpers shared by the parsers: how to show untrusted input inside an error message,
//! how to name a bad character, and which non-ASCII characters count as "letters" in an address.

use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
use icu_properties::CodePointMapData;

/// Longest slice of user input echoed back in an error message; the rest is cut off with `…`, so a
/// megabyte of pasted junk does not become a megabyte of error.
const SHOWN_CHARS: usize = 80;

/// `input` made safe to quote in a message: at most [`SHOWN_CHARS`] characters, control characters
/// escaped (`\n`, `\u{1b}`) so the message stays on one line.
pub(crate) fn shown(input: &str) -> String {
    let mut out = String::new();
    for (i, c) in input.chars().enumerate() {
        if i == SHOWN_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// A human name for a character that was refused: "a space", "a line break", "`;`",
/// "the invisible character U+200B".
pub(crate) fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\n' | '\r' => "a line break".to_string(),
        '\t' => "a tab".to_string(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c if c.is_whitespace() => format!("the space character U+{:04X}", c as u32),
        c if is_invisible(c) => format!("the invisible character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

/// Format characters (zero-width space, joiners, BOM, bidi controls) print as nothing.
fn is_invisible(c: char) -> bool {
    CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
}

/// A non-ASCII character that may appear in an internationalised address (RFC 6531 local part,
/// IDN label, LinkedIn slug): a letter, a combining mark or a decimal digit of some script.
///
/// Compatibility look-alikes are refused even though Unicode calls them letters — full-width
/// `ｇｍａｉｌ`, presentation forms, mathematical `𝐚` — because they are the classic spoofing and
/// copy-paste accidents, and no mail system treats them as the plain letters they resemble.
pub(crate) fn is_intl_word_char(c: char) -> bool {
    if c.is_ascii() || is_compatibility_form(c) {
        return false;
    }
    let gc = CodePointMapData::<GeneralCategory>::new().get(c);
    GeneralCategoryGroup::Letter.contains(gc)
        || GeneralCategoryGroup::Mark.contains(gc)
        || gc == GeneralCategory::DecimalNumber
}

fn is_compatibility_form(c: char) -> bool {
    matches!(
        c as u32,
        0xFB00..=0xFDFF          // alphabetic and Arabic presentation forms A
            | 0xFE70..=0xFEFF    // Arabic presentation forms B
            | 0xFF00..=0xFFEF    // half-width and full-width forms
            | 0x1D400..=0x1D7FF  // mathematical alphanumeric symbols
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_cuts_long_input_and_escapes_controls() {
        assert_eq!(shown("a\nb"), "a\\nb");
        let long = "x".repeat(500);
        let s = shown(&long);
        assert_eq!(s.chars().count(), SHOWN_CHARS + 1);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn intl_word_chars() {
        for c in ['é', 'ñ', '臺', 'ж', 'λ', 'क', '\u{094D}', '٣'] {
            assert!(is_intl_word_char(c), "{c:?}");
        }
        for c in [
            'a', '＠', 'ｇ', '⒈', '©', '\u{00A0}', '\u{200B}', '🍈', '𝐚', '．',
        ] {
            assert!(!is_intl_word_char(c), "{c:?}");
        }
    }

    #[test]
    fn describe_names_invisible_things() {
        assert_eq!(describe_char(' '), "a space");
        assert_eq!(describe_char('\u{200B}'), "the invisible character U+200B");
        assert_eq!(describe_char('\u{3000}'), "the space character U+3000");
        assert_eq!(describe_char(';'), "`;`");
    }
}
