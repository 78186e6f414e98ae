//! The extraction pipeline: every source over the snapshot, then grouping.

use std::sync::LazyLock;

use super::candidate::{Anchor, CandidateField, LeadCandidate, Provenance};
use super::context::{
    document_number, example_marker, joins_examples, label_before, label_before_raw, template_email,
};
use super::extension::{extension_label, find_extensions, main_label, person_phone, ExtensionOnly};
use super::finding::{Finding, ObjectIds};
use super::group;
use super::snapshot::{ElementNode, PageSnapshot, TextNode};
use super::structured;
use super::text::{
    default_region, find_emails, find_phones, mailto_addresses, reset_parse_memo, tel_number,
    typo3_token_addresses, TextMatch,
};
use super::tree::{utf16_offsets, Tree};
use crate::email::Email;
use crate::profile_url::ProfileUrl;

/// Every contact on the page, grouped into people and company contacts.
pub fn extract(snapshot: &PageSnapshot) -> Vec<LeadCandidate> {
    run(snapshot, Provenance::Text)
}

/// A text the user selected (context menu "Save selection as lead"), read through the same core.
/// Lines become text nodes of one element, so everything selected belongs to one card.
pub fn extract_selection(selection: &str, url: &str, lang: Option<&str>) -> Vec<LeadCandidate> {
    let snapshot = PageSnapshot {
        url: url.to_string(),
        lang: lang.map(str::to_string),
        nodes: vec![
            ElementNode {
                parent: None,
                tag: "body".into(),
                ..Default::default()
            },
            ElementNode {
                parent: Some(0),
                tag: "div".into(),
                ..Default::default()
            },
        ],
        texts: selection
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| TextNode {
                node: 1,
                text: l.to_string(),
            })
            .collect(),
        ..Default::default()
    };
    run(&snapshot, Provenance::Selection)
}

fn run(snapshot: &PageSnapshot, text_provenance: Provenance) -> Vec<LeadCandidate> {
    reset_parse_memo();
    let tree = Tree::new(snapshot);
    let region = default_region(snapshot);
    let region = region.as_deref();
    let mut ids = ObjectIds::default();
    let mut findings = structured::find(snapshot, region, &mut ids);
    findings.extend(link_findings(&tree, region));
    findings.extend(text_findings(&tree, region, text_provenance));
    // An automated sender (`no-reply@`) is read by nobody: no contact.
    findings
        .retain(|f| f.field != CandidateField::Email || !super::text::no_reply_address(&f.value));
    group::build(&tree, findings)
}

/// The anchor of `needle` inside one of the texts of element `node`'s subtree, if visible there.
fn anchor_in(tree: &Tree, node: u32, needle: &str) -> Option<Anchor> {
    let needle = needle.to_lowercase();
    tree.texts_in(node).find_map(|ti| {
        let t = tree.snap.texts.get(ti as usize)?;
        let start = find_lowercased(&t.text, &needle)?;
        let o = utf16_offsets(&t.text, &[start, start + needle.len()]);
        Some(Anchor {
            node: t.node,
            text: ti,
            start: o[0],
            end: o[1],
        })
    })
}

/// Where lower-cased `needle` is in `text` lower-cased, as a byte offset into `text`. Lower-casing
/// can change byte lengths outside ASCII: then positions are not trusted and there is no answer.
fn find_lowercased(text: &str, needle: &str) -> Option<usize> {
    if !(text.is_ascii() && needle.is_ascii()) {
        let lower = text.to_lowercase();
        return lower.find(needle).filter(|_| lower.len() == text.len());
    }
    // ASCII lower-cases byte for byte: compare in place instead of copying every text.
    let (hay, n) = (text.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return Some(0);
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), hay).find(|&i| {
        hay.get(i..i + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

/// The whole visible text of a link, as its anchor (for `tel:` links written in any format).
fn whole_text_anchor(tree: &Tree, node: u32) -> Option<Anchor> {
    let ti = tree.texts_in(node).next()?;
    let t = tree.snap.texts.get(ti as usize)?;
    let end = t.text.encode_utf16().count() as u32;
    Some(Anchor {
        node: t.node,
        text: ti,
        start: 0,
        end,
    })
}

fn attach(f: Finding, node: u32, anchor: Option<Anchor>) -> Finding {
    match anchor {
        Some(a) => f.anchored(a),
        None => f.at_node(node),
    }
}

/// `mailto:` and `tel:` links, Cloudflare-protected addresses, and profile links.
fn link_findings(tree: &Tree, region: Option<&str>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, node) in tree.snap.nodes.iter().enumerate() {
        let i = i as u32;
        if let Some(email) = cloudflare_email(node) {
            let anchor = anchor_in(tree, i, "[email").map(|mut a| {
                // Cover the whole "[email protected]" placeholder.
                if let Some(t) = tree.snap.texts.get(a.text as usize) {
                    a.end = t.text.encode_utf16().count() as u32;
                }
                a
            });
            out.push(attach(
                Finding::new(CandidateField::Email, email, Provenance::Text, 0.9),
                i,
                anchor,
            ));
        }
        if node.tag != "a" {
            continue;
        }
        // A link's addresses, badged where they are shown, else on the link itself ("Email Jane").
        let link_emails = |addrs: Vec<String>, out: &mut Vec<Finding>| {
            for addr in addrs.into_iter().filter(|a| !template_email(a)) {
                let anchor = anchor_in(tree, i, &addr).or_else(|| whole_text_anchor(tree, i));
                out.push(attach(
                    Finding::new(CandidateField::Email, addr, Provenance::Mailto, 0.97),
                    i,
                    anchor,
                ));
            }
        };
        // TYPO3 11+: `<a href="#" data-mailto-token="…">`, decrypted by the site's script.
        if let Some(token) = node.attr("data-mailto-token") {
            link_emails(typo3_token_addresses(token), &mut out);
        }
        let Some(href) = node.attr("href").map(str::trim) else {
            continue;
        };
        // The schemes are ASCII: their case-insensitive match is one on the first bytes.
        let scheme = |s: &str| {
            href.as_bytes()
                .get(..s.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(s.as_bytes()))
        };
        // A TYPO3 site's addresses are `javascript:linkTo_UnCryptMailto(…)` links.
        if scheme("mailto:") || scheme("javascript:linkTo_UnCryptMailto(") {
            link_emails(mailto_addresses(href), &mut out);
        } else if scheme("tel:") {
            if let Some(phone) = tel_number(href, region) {
                out.push(attach(
                    Finding::new(CandidateField::Phone, phone, Provenance::Tel, 0.95),
                    i,
                    whole_text_anchor(tree, i),
                ));
            }
        } else if let Some(phone) = messenger_number(href, region) {
            out.push(attach(
                Finding::new(CandidateField::Phone, phone, Provenance::Tel, 0.9),
                i,
                whole_text_anchor(tree, i),
            ));
        } else if let Ok(profile) = ProfileUrl::parse(href) {
            out.push(
                Finding::new(
                    CandidateField::Profile,
                    profile.as_str(),
                    Provenance::Link,
                    0.85,
                )
                .at_node(i),
            );
        }
    }
    out
}

/// The number behind a WhatsApp link (`https://wa.me/4915112345678`,
/// `https://api.whatsapp.com/send?phone=…`, `whatsapp://send?phone=…`), always international
/// without its `+`, or an `sms:` link (read like `tel:`).
fn messenger_number(href: &str, region: Option<&str>) -> Option<String> {
    let lower = href.get(..href.len().min(48))?.to_ascii_lowercase();
    if lower.starts_with("sms:") {
        return tel_number(&["tel:", &href[4..]].concat(), region);
    }
    let rest = [
        "https://wa.me/",
        "http://wa.me/",
        "wa.me/",
        "https://www.wa.me/",
    ]
    .iter()
    .find_map(|p| lower.starts_with(p).then(|| &href[p.len()..]))
    .or_else(|| {
        let q = href.find('?')?;
        let host_ok = [
            "https://api.whatsapp.com/send",
            "http://api.whatsapp.com/send",
            "https://web.whatsapp.com/send",
            "whatsapp://send",
        ]
        .iter()
        .any(|p| lower.starts_with(p));
        host_ok.then(|| {
            href[q + 1..]
                .split('&')
                .find_map(|kv| kv.strip_prefix("phone="))
        })?
    })?;
    let number = rest
        .split(['?', '&', '#', '/'])
        .next()
        .unwrap_or_default()
        .replace("%20", "")
        .replace("%2B", "")
        .replace("%2b", "");
    if !number
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')' | '.'))
    {
        return None;
    }
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if !(7..=15).contains(&digits.len()) {
        return None;
    }
    tel_number(&["tel:+", &digits].concat(), None)
}

/// The path of Cloudflare's protected-address links, looked for in every link (so its searcher is
/// built once).
static CLOUDFLARE_PATH: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("/cdn-cgi/l/email-protection#"));

/// Cloudflare's email protection replaces an address with "[email protected]" and keeps it,
/// XOR-encoded, in `data-cfemail` (or the `/cdn-cgi/l/email-protection#…` link): decode it.
fn cloudflare_email(node: &ElementNode) -> Option<String> {
    let hex = node.attr("data-cfemail").or_else(|| {
        let href = node.attr("href")?;
        CLOUDFLARE_PATH
            .find(href.as_bytes())
            .map(|at| &href[at + CLOUDFLARE_PATH.needle().len()..])
    })?;
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .map(|i| {
            hex.get(2 * i..2 * i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect::<Option<_>>()?;
    let (key, rest) = bytes.split_first()?;
    let decoded: Vec<u8> = rest.iter().map(|b| b ^ key).collect();
    let text = String::from_utf8(decoded).ok()?;
    Email::parse(&text).ok().map(Email::into_string)
}

fn text_findings(tree: &Tree, region: Option<&str>, provenance: Provenance) -> Vec<Finding> {
    let snapshot = tree.snap;
    let mut out = Vec::new();
    // Every number found: (text, start, end, index of its finding in `out`).
    let mut numbers: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut example_locals: Vec<String> = Vec::new();
    let mut extensions: Vec<(usize, ExtensionOnly)> = Vec::new();
    // The page's texts joined, for the few searches that are cheaper over the whole page (in a
    // buffer kept between pages: a fresh megabyte would cost its page faults every time).
    thread_local! {
        static JOINED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    let mut starts = Vec::with_capacity(snapshot.texts.len());
    let (named_country, ext_labelled) = JOINED.with(|joined| {
        let mut joined = joined.borrow_mut();
        joined.clear();
        for t in &snapshot.texts {
            starts.push(joined.len());
            joined.push_str(&t.text);
            joined.push('\n');
        }
        let found = (
            texts_matching(HINTS.as_ref(), &joined, &starts),
            texts_matching(EXTENSION_LABELS.as_ref(), &joined, &starts),
        );
        // A huge page's buffer is not kept.
        if joined.capacity() > 8 << 20 {
            *joined = String::new();
        }
        found
    });
    for (ti, t) in snapshot.texts.iter().enumerate() {
        let matches = |field: CandidateField, found: Vec<TextMatch>, out: &mut Vec<Finding>| {
            // Most texts hold nothing.
            if found.is_empty() {
                return;
            }
            // In ASCII text a byte is one UTF-16 unit: the offsets are the anchors.
            if t.text.is_ascii() {
                for m in found {
                    let anchor = Anchor {
                        node: t.node,
                        text: ti as u32,
                        start: m.start as u32,
                        end: m.end as u32,
                    };
                    out.push(
                        Finding::new(field, m.value, provenance, m.confidence).anchored(anchor),
                    );
                }
                return;
            }
            let mut bytes: Vec<usize> = found.iter().flat_map(|m| [m.start, m.end]).collect();
            // The scanners return matches in order, without overlaps: then already sorted.
            if !bytes.is_sorted() {
                bytes.sort_unstable();
            }
            let units = utf16_offsets(&t.text, &bytes);
            let at = |b: usize| {
                bytes
                    .binary_search(&b)
                    .ok()
                    .and_then(|i| units.get(i).copied())
                    .unwrap_or(0)
            };
            for m in found {
                let anchor = Anchor {
                    node: t.node,
                    text: ti as u32,
                    start: at(m.start),
                    end: at(m.end),
                };
                out.push(Finding::new(field, m.value, provenance, m.confidence).anchored(anchor));
            }
        };
        let mut emails = find_emails(&t.text);
        // Examples (`e.g. firstname.lastname@…`), and those listed after one (`… or j.doe@…`).
        let mut example_end = None;
        emails.retain(|m| {
            let listed = example_end
                .is_some_and(|end: usize| t.text.get(end..m.start).is_some_and(joins_examples));
            // A numbered variant of an example (`jane.smith2@…` after `jane.smith@…`).
            let variant =
                !example_locals.is_empty() && example_locals.contains(&numberless_local(&m.value));
            let example = listed
                || variant
                || template_email(&m.value)
                || example_marker(label_before_raw(snapshot, ti, m.start));
            if example {
                example_end = Some(m.end);
                example_locals.push(numberless_local(&m.value));
            }
            !example
        });
        matches(CandidateField::Email, emails, &mut out);
        let mut phones = find_phones(&t.text, region);
        if named_country[ti] {
            phones.extend(numbers_of_a_named_country(&t.text, region, &phones));
        }
        // A label in the same text was read by the scanner; one in the text before (a label
        // cell) is read here.
        phones.retain(|m| {
            t.text[..m.start].chars().any(char::is_alphanumeric)
                || !document_number(&label_before(snapshot, ti, m.start))
        });
        // Extensions written alone (`x4312`, `Durchwahl -12`), outside every number found; a
        // cell of digits under a column header that gives the number's start (`Telefon (0551
        // 39-)`) is the whole number.
        let cell = extension_cell(tree, ti, &t.text, region);
        if let Some(DigitsCell::Extension(e)) = cell {
            extensions.push((ti, e));
        } else if let Some(DigitsCell::Number(m)) = cell {
            if phones.is_empty() {
                phones.push(m);
            }
        } else if ext_labelled[ti] && t.text.len() < 2000 {
            for e in find_extensions(&t.text) {
                if !phones.iter().any(|m| m.start <= e.start && e.end <= m.end) {
                    extensions.push((ti, e));
                }
            }
        }
        let first = out.len();
        numbers.extend(
            phones
                .iter()
                .enumerate()
                .map(|(k, m)| (ti, m.start, m.end, first + k)),
        );
        matches(CandidateField::Phone, phones, &mut out);
    }
    let by_extension = extension_findings(snapshot, &numbers, &out, extensions, provenance);
    out.extend(by_extension);
    out
}

/// What a cell of bare digits is, read with its column header: an extension, or the end of a
/// number whose start the header gives.
enum DigitsCell {
    Extension(ExtensionOnly),
    Number(TextMatch),
}

/// The start of a phone number a column header gives for the digits of its cells, as written:
/// `Telefon (0551 39-)`, `Tel. +49 551 39-`, `Durchwahl (0551 39-…)`, `Phone (020 7946 0…)` —
/// digits ending in a hyphen or an ellipsis.
fn header_number_prefix(header: &str) -> Option<&str> {
    let mut start = header.find(|c: char| c.is_ascii_digit() || c == '+')?;
    // `(0551) 39-`: the bracket that opens the area code belongs to the number.
    if header[..start].ends_with('(') && header[start..].find(')') < header[start..].find('-') {
        start -= 1;
    }
    let run = &header[start..];
    let end = run
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '/' | '(' | ')')))
        .unwrap_or(run.len());
    let after = &run[end..];
    let prefix = run[..end].trim_end_matches([' ', ')']);
    let open = prefix.ends_with('-') || after.starts_with(['…', '.', 'x', 'X']);
    let digits = prefix.bytes().filter(u8::is_ascii_digit).count();
    (open && (3..=10).contains(&digits)).then_some(prefix)
}

/// A cell that is only an extension's digits under an "Extension" column header, or after an
/// "Ext." label (`<dt>Ext.</dt><dd>4312</dd>`); or only the last digits of a number under a header
/// that gives the number's start.
fn extension_cell(tree: &Tree, ti: usize, text: &str, region: Option<&str>) -> Option<DigitsCell> {
    let digits = text.trim();
    if !(2..=6).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let start = text.find(digits)?;
    let found = Some(ExtensionOnly {
        start,
        end: start + digits.len(),
        digits: digits.to_string(),
    });
    if extension_label(&label_before(tree.snap, ti, start)) {
        return found.map(DigitsCell::Extension);
    }
    let node = tree.snap.texts.get(ti)?.node;
    let cell = tree
        .snap
        .ancestors(node)
        .take(3)
        .find(|&a| tree.tag(a) == "td")?;
    let row = tree.parent(cell)?;
    let col = tree
        .children(row)
        .iter()
        .filter(|&&c| matches!(tree.tag(c), "td" | "th"))
        .position(|&c| c == cell)?;
    let table = tree
        .snap
        .ancestors(row)
        .take(4)
        .find(|&a| tree.tag(a) == "table")?;
    // The first row of headers in the table.
    let end = tree.subtree_end.get(table as usize).copied()?;
    let header_row = (table..=end)
        .find(|&n| tree.tag(n) == "tr" && tree.children(n).iter().any(|&c| tree.tag(c) == "th"))?;
    let th = *tree
        .children(header_row)
        .iter()
        .filter(|&&c| matches!(tree.tag(c), "td" | "th"))
        .nth(col)?;
    let header: String = tree
        .texts_in(th)
        .filter_map(|t| tree.snap.texts.get(t as usize))
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(prefix) = header_number_prefix(&header) {
        let whole = format!("{prefix}{digits}");
        let m = find_phones(&whole, region)
            .into_iter()
            .find(|m| m.start == 0 && m.end == whole.len())?;
        return Some(DigitsCell::Number(TextMatch {
            start,
            end: start + digits.len(),
            ..m
        }));
    }
    extension_label(&header.to_lowercase())
        .then_some(found.map(DigitsCell::Extension))
        .flatten()
}

/// Countries a page names right before a national number of theirs ("or in the UK on 020 3318
/// 6604", "en France : 01 42 68 53 00"), lower-case, with their region.
const COUNTRY_HINTS: &[(&str, &str)] = &[
    ("uk", "GB"),
    ("u.k.", "GB"),
    ("united kingdom", "GB"),
    ("great britain", "GB"),
    ("england", "GB"),
    ("london", "GB"),
    ("ireland", "IE"),
    ("dublin", "IE"),
    ("germany", "DE"),
    ("deutschland", "DE"),
    ("allemagne", "DE"),
    ("france", "FR"),
    ("frankreich", "FR"),
    ("paris", "FR"),
    ("spain", "ES"),
    ("españa", "ES"),
    ("italy", "IT"),
    ("italia", "IT"),
    ("netherlands", "NL"),
    ("nederland", "NL"),
    ("belgium", "BE"),
    ("belgique", "BE"),
    ("switzerland", "CH"),
    ("schweiz", "CH"),
    ("suisse", "CH"),
    ("austria", "AT"),
    ("österreich", "AT"),
    ("australia", "AU"),
    ("new zealand", "NZ"),
    ("canada", "CA"),
    ("japan", "JP"),
    ("日本", "JP"),
    ("singapore", "SG"),
    ("india", "IN"),
    ("united states", "US"),
    ("usa", "US"),
    ("u.s.", "US"),
    ("mexico", "MX"),
    ("méxico", "MX"),
    ("brazil", "BR"),
    ("brasil", "BR"),
];

/// Every country name of [`COUNTRY_HINTS`] as written in running text.
static HINTS: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    // As written in running text: capitalised ("United Kingdom"), and the abbreviations in
    // capitals ("UK", "USA"). A small literal set, which the regex crate searches with SIMD.
    let mut words: Vec<String> = Vec::new();
    for (w, _) in COUNTRY_HINTS {
        let v = if w.len() <= 4 && w.is_ascii() {
            w.to_uppercase()
        } else {
            w.split(' ')
                .map(|p| {
                    let mut c = p.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect::<String>())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let v = regex::escape(&v);
        if !words.contains(&v) {
            words.push(v);
        }
    }
    regex::Regex::new(&words.join("|")).ok()
});

/// Labels of an extension written alone (`x4312`, `Ext. 12`, `Durchwahl -12`, `poste 12`,
/// `内線 123`) right before its digits, for [`find_extensions`] to read closely.
static EXTENSION_LABELS: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(r"(?i:x|ext|extn|extension|durchwahl|dw|apparat|app|nebenstelle|poste|interno|int|toestel)[ .:：#–-]{0,3}[0-9]|内線|內線").ok()
});

/// Which texts a regular expression matches, found in one pass over all the page's texts joined
/// (one search instead of one per text, which costs more than it finds on a big page).
fn texts_matching(re: Option<&regex::Regex>, joined: &str, starts: &[usize]) -> Vec<bool> {
    let mut hit = vec![false; starts.len()];
    if let Some(re) = re {
        for m in re.find_iter(joined) {
            let ti = starts
                .partition_point(|&s| s <= m.start())
                .saturating_sub(1);
            if let Some(h) = hit.get_mut(ti) {
                *h = true;
            }
        }
    }
    hit
}

/// National numbers of another country than the page's, written after that country's name: read
/// in that country's region. Only texts that name a country and hold digits are read again.
fn numbers_of_a_named_country(
    text: &str,
    region: Option<&str>,
    found: &[TextMatch],
) -> Vec<TextMatch> {
    let mut out: Vec<TextMatch> = Vec::new();
    // A national number has 9 digits or more: a count (one vectorised pass) spares most texts
    // the closer look.
    if text.len() > 2000 {
        return out;
    }
    // Only a text with a number of 9 digits or more that the page's region left unread is read
    // again (dates, ids and the numbers already found are not).
    if !has_unread_number(text, found) {
        return out;
    }
    let Some(hints) = HINTS.as_ref() else {
        return out;
    };
    for m in hints.find_iter(text) {
        let (at, end) = (m.start(), m.end());
        let whole = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
            && text[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
        // The country's region; the page's own needs no second reading.
        let Some(hint) = COUNTRY_HINTS
            .iter()
            .find(|(w, _)| m.as_str().to_lowercase() == *w)
            .map(|(_, r)| *r)
        else {
            continue;
        };
        if !whole
            || region.is_some_and(|r| r.eq_ignore_ascii_case(hint))
            || !text[end..].bytes().any(|b| b.is_ascii_digit())
        {
            continue;
        }
        for p in find_phones(text, Some(hint)) {
            let near = p.start >= end
                && text[end..p.start].len() <= 24
                && !text[end..p.start].bytes().any(|b| b.is_ascii_digit());
            let new = !found
                .iter()
                .chain(out.iter())
                .any(|f| f.start < p.end && p.start < f.end);
            if near && new {
                out.push(p);
            }
        }
    }
    out
}

/// Whether `text` holds a run of digit groups (joined by spaces, dots, hyphens, brackets) of 9
/// digits or more outside every number in `found`.
fn has_unread_number(text: &str, found: &[TextMatch]) -> bool {
    let bytes = text.as_bytes();
    let (mut start, mut digits, mut last_digit) = (None, 0usize, 0usize);
    let unread = |start: Option<usize>, end: usize, digits: usize| {
        digits >= 9 && start.is_some_and(|s| !found.iter().any(|f| f.start < end && s < f.end))
    };
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_digit() {
            if start.is_none() {
                start = Some(i);
            }
            digits += 1;
            last_digit = i;
        } else if start.is_some()
            && !(matches!(b, b' ' | b'.' | b'-' | b'(' | b')') && i - last_digit <= 2)
        {
            if unread(start, last_digit + 1, digits) {
                return true;
            }
            (start, digits) = (None, 0);
        }
    }
    unread(start, last_digit + 1, digits)
}

/// `jane.smith2@acme.com` → `jane.smith@acme.com`.
fn numberless_local(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => [
            local.trim_end_matches(|c: char| c.is_ascii_digit()),
            "@",
            domain,
        ]
        .concat(),
        None => email.to_string(),
    }
}

/// A phone for each extension written alone: the page's main number (see [`super::extension`]),
/// the one labelled as such, else one written with a final `-0`, else the first number on the
/// page if it comes before the first extension.
fn extension_findings(
    snapshot: &PageSnapshot,
    numbers: &[(usize, usize, usize, usize)],
    found: &[Finding],
    extensions: Vec<(usize, ExtensionOnly)>,
    provenance: Provenance,
) -> Vec<Finding> {
    let Some((first_ext, _)) = extensions.first() else {
        return Vec::new();
    };
    let written = |n: &(usize, usize, usize, usize)| {
        snapshot.texts[n.0].text.get(n.1..n.2).unwrap_or_default()
    };
    let main = numbers
        .iter()
        .find(|n| main_label(&label_before(snapshot, n.0, n.1)))
        .or_else(|| {
            numbers.iter().find(|n| {
                let w = written(n).trim_end();
                w.ends_with("-0") || w.ends_with(" 0")
            })
        })
        .or_else(|| numbers.first().filter(|n| n.0 <= *first_ext));
    let Some(main) = main else { return Vec::new() };
    extensions
        .into_iter()
        .map(|(ti, e)| {
            let t = &snapshot.texts[ti];
            let o = utf16_offsets(&t.text, &[e.start, e.end]);
            let anchor = Anchor {
                node: t.node,
                text: ti as u32,
                start: o[0],
                end: o[1],
            };
            let mut f = Finding::new(
                CandidateField::Phone,
                person_phone(
                    found.get(main.3).map_or("", |f| f.value.as_str()),
                    written(main),
                    &e.digits,
                ),
                provenance,
                0.8,
            )
            .anchored(anchor);
            f.extension = e.digits.parse().ok();
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ContactKind;

    fn text_page(url: &str, lang: &str, cards: &[&[&str]]) -> PageSnapshot {
        let mut snap = PageSnapshot {
            url: url.into(),
            lang: Some(lang.into()),
            ..Default::default()
        };
        snap.nodes.push(ElementNode {
            parent: None,
            tag: "body".into(),
            ..Default::default()
        });
        for card in cards {
            let card_id = snap.nodes.len() as u32;
            snap.nodes.push(ElementNode {
                parent: Some(0),
                tag: "div".into(),
                ..Default::default()
            });
            for line in *card {
                let id = snap.nodes.len() as u32;
                snap.nodes.push(ElementNode {
                    parent: Some(card_id),
                    tag: "p".into(),
                    ..Default::default()
                });
                snap.texts.push(TextNode {
                    node: id,
                    text: line.to_string(),
                });
            }
        }
        snap
    }

    #[test]
    fn column_headers_that_give_a_numbers_start() {
        for (header, prefix) in [
            ("Telefon (0551 39-)", Some("0551 39-")),
            ("Tel. +49 551 39-", Some("+49 551 39-")),
            ("Durchwahl (0551 39-…)", Some("0551 39-")),
            ("Telefon (0551) 39-", Some("(0551) 39-")),
            ("Phone (020 7946 0…)", Some("020 7946 0")),
            ("Telefon", None),
            ("Raum 3-", None),
            ("Durchwahl", None),
            ("Phone (2024)", None),
        ] {
            assert_eq!(header_number_prefix(header), prefix, "{header}");
        }
    }

    #[test]
    fn a_selection_becomes_one_lead() {
        let found = extract_selection(
            "Jane Doe\nHead of Sales, Brightlane\njane.doe@brightlane.io\n+44 20 7946 0958",
            "https://www.brightlane.io/",
            None,
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        let c = &found[0];
        assert_eq!(c.kind, ContactKind::Person);
        assert_eq!(c.best(CandidateField::Name), Some("Jane Doe"));
        assert_eq!(
            c.best(CandidateField::Email),
            Some("jane.doe@brightlane.io")
        );
        assert_eq!(c.best(CandidateField::Phone), Some("+442079460958"));
        assert_eq!(c.best(CandidateField::Title), Some("Head of Sales"));
        assert!(c
            .values
            .iter()
            .filter(|v| v.field == CandidateField::Email)
            .all(|v| v.provenance == Provenance::Selection));
        assert_eq!(c.dedup_key.as_deref(), Some("email:jane.doe@brightlane.io"));
    }

    #[test]
    fn neighbouring_cards_are_not_cross_wired() {
        let snap = text_page(
            "https://www.acme-robotics.com/team",
            "en-US",
            &[
                &["Jane Doe", "CTO", "jane@acme-robotics.com"],
                &[
                    "Bob Stone",
                    "CFO",
                    "bob@acme-robotics.com",
                    "(415) 723-4567",
                ],
            ],
        );
        let found = extract(&snap);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            (
                found[0].best(CandidateField::Name),
                found[0].best(CandidateField::Email)
            ),
            (Some("Jane Doe"), Some("jane@acme-robotics.com"))
        );
        assert_eq!(found[0].best(CandidateField::Phone), None);
        assert_eq!(
            (
                found[1].best(CandidateField::Name),
                found[1].best(CandidateField::Phone)
            ),
            (Some("Bob Stone"), Some("+14157234567"))
        );
        // Anchors point at the visible text, in UTF-16 units.
        let email = found[1]
            .values
            .iter()
            .find(|v| v.field == CandidateField::Email)
            .unwrap();
        let a = email.anchors[0];
        let text: Vec<u16> = snap.texts[a.text as usize].text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&text[a.start as usize..a.end as usize]).unwrap(),
            "bob@acme-robotics.com"
        );
    }

    #[test]
    fn role_addresses_are_company_contacts() {
        let snap = text_page(
            "https://www.acme-robotics.com/",
            "en-US",
            &[&["Questions? Write to sales@acme-robotics.com"]],
        );
        let found = extract(&snap);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, ContactKind::Company);
    }

    #[test]
    fn cloudflare_protected_addresses_are_decoded() {
        // "jane@brightlane.io" XOR 0x42, key first.
        let hex: String = std::iter::once(0x42u8)
            .chain("jane@brightlane.io".bytes().map(|b| b ^ 0x42))
            .map(|b| format!("{b:02x}"))
            .collect();
        let node = ElementNode {
            parent: None,
            tag: "a".into(),
            attrs: [("data-cfemail".to_string(), hex)].into_iter().collect(),
        };
        assert_eq!(
            cloudflare_email(&node).as_deref(),
            Some("jane@brightlane.io")
        );
        let broken = ElementNode {
            parent: None,
            tag: "a".into(),
            attrs: [("data-cfemail".to_string(), "zz".to_string())]
                .into_iter()
                .collect(),
        };
        assert_eq!(cloudflare_email(&broken), None);
    }
}
