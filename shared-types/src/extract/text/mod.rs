//! Scanners for unstructured text and link targets: emails (with the usual obfuscations), phone
//! numbers (through libphonenumber metadata), `mailto:`/`tel:` links, and the default phone region
//! of a page.
//!
//! Everything here is a pure function of its input: no panics on any input, and work linear in the
//! input's size (every scan looks a bounded distance around each position, and the regular
//! expressions are the `regex` crate's, which never backtrack).
//!
//! - [`find_emails`]: addresses in running text, plain or obfuscated (`jane [at] acme [dot] com`).
//! - [`find_phones`]: phone numbers in running text, the way libphonenumber's `PhoneNumberMatcher`
//!   finds them at leniency VALID, plus rules against dates, times, ids, amounts and addresses.
//! - [`mailto_addresses`] and [`tel_number`]: the values behind `mailto:` and `tel:` links.
//! - [`default_region`] and [`region_from_url`]: which country a page's national numbers belong to.
//! - [`role_address`]: whether a mailbox is a company's (`info@`, `sales@`) rather than a person's.
//!
//! Offsets in a [`TextMatch`] are byte offsets into the `&str` that was scanned, always on char
//! boundaries; the caller converts them to the UTF-16 offsets of an [`crate::extract::Anchor`].

mod email;
mod links;
mod phone;
mod region;
mod role;

pub use email::find_emails;
pub use links::{mailto_addresses, tel_number, typo3_token_addresses};
pub use phone::{find_phones, id_label, reset_parse_memo};
pub use region::{default_region, region_from_url};
pub use role::{no_reply_address, role_address};

/// One value found in a text: where (`text[start..end]`), what (`value`, normalised), and how sure.
#[derive(Clone, Debug, PartialEq)]
pub struct TextMatch {
    /// Byte offset of the first character of the match, on a char boundary.
    pub start: usize,
    /// Byte offset just past the match, on a char boundary; `start < end <= text.len()`.
    pub end: usize,
    /// Normalised value: the canonical address of [`crate::Email`] (domain lowercased), or the
    /// E.164 text of [`crate::Phone`] (an extension written in the text is inside the span but not
    /// in the value).
    pub value: String,
    /// 0.0–1.0: how sure the scanner is that this is what the caller asked for.
    pub confidence: f32,
    /// True when the text disguised the value (`jane [at] acme [dot] com`).
    pub obfuscated: bool,
}

/// Keep the earliest, then longest, of overlapping matches (a scanner may find both
/// `jane@acme.co` and `jane@acme.co [dot] uk`); the result is sorted by position.
fn without_overlaps(mut found: Vec<TextMatch>) -> Vec<TextMatch> {
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    // Kept in place: a match stays when it starts at or after the end of the last one kept.
    let mut kept_end: Option<usize> = None;
    found.retain(|m| {
        let keep = kept_end.is_none_or(|end| m.start >= end);
        if keep {
            kept_end = Some(m.end);
        }
        keep
    });
    found
}

/// The char ending at byte `i` of `text`, if any.
fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

/// The char starting at byte `i` of `text`, if any.
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

/// The largest char boundary `<= i`.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary `>= i`.
fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: usize, end: usize) -> TextMatch {
        TextMatch {
            start,
            end,
            value: String::new(),
            confidence: 1.0,
            obfuscated: false,
        }
    }

    #[test]
    fn overlaps_keep_earliest_then_longest() {
        let kept = without_overlaps(vec![m(5, 9), m(0, 3), m(0, 6), m(6, 8), m(9, 12)]);
        let spans: Vec<_> = kept.iter().map(|k| (k.start, k.end)).collect();
        assert_eq!(spans, vec![(0, 6), (6, 8), (9, 12)]);
    }

    #[test]
    fn boundaries() {
        let s = "aé漢b";
        assert_eq!(floor_boundary(s, 2), 1);
        assert_eq!(ceil_boundary(s, 2), 3);
        assert_eq!(ceil_boundary(s, 100), s.len());
        assert_eq!(char_before(s, 3), Some('é'));
        assert_eq!(char_at(s, 3), Some('漢'));
        assert_eq!(char_before(s, 2), None);
        assert_eq!(char_before(s, 0), None);
    }
}

#[cfg(test)]
mod no_panic {
    use proptest::prelude::*;

    use super::*;

    fn check(text: &str, found: &[TextMatch]) -> Result<(), TestCaseError> {
        for m in found {
            prop_assert!(m.start < m.end && m.end <= text.len(), "{m:?} in {text:?}");
            prop_assert!(
                text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
                "{m:?} in {text:?}"
            );
            prop_assert!((0.0..=1.0).contains(&m.confidence));
        }
        for pair in found.windows(2) {
            prop_assert!(pair[0].end <= pair[1].start, "overlap {pair:?}");
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn any_text(s in any::<String>()) {
            check(&s, &find_emails(&s))?;
            check(&s, &find_phones(&s, Some("US")))?;
            check(&s, &find_phones(&s, None))?;
            let _ = mailto_addresses(&s);
            let _ = tel_number(&s, Some("DE"));
            let _ = region_from_url(&s);
            let _ = role_address(&s);
        }

        #[test]
        fn contact_shaped_text(s in r"([a-zA-Z0-9 .@()\[\]{}<>+\-/:#,;~xé漢＋０-９]|at|dot|AT|DOT| at | dot |ext\. |tel:|mailto:|;phone-context=|%4[0-9]){0,40}",
                               region in prop::sample::select(vec![None, Some("US"), Some("GB"), Some("DE"), Some("FR"), Some("NZ"), Some("AR"), Some("xx")])) {
            check(&s, &find_emails(&s))?;
            check(&s, &find_phones(&s, region))?;
            let _ = mailto_addresses(&s);
            let _ = tel_number(&s, region);
        }
    }
}
