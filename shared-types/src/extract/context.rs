//! What the page says around a value that makes it no contact: an address it shows as an example,
//! a placeholder or a template (`e.g. firstname.lastname@company.com`), a masked address
//! (`j***@gmail.com`), or a number it labels as a document number (invoice, order, ticket, VAT…),
//! the label written before the number in the same text or in the label cell right before it
//! (`<th>Invoice number</th><td>0201234567</td>`).

use std::borrow::Cow;
use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::snapshot::PageSnapshot;
use super::text::id_label;

/// How far before a value its label is looked for, in bytes.
const LABEL_REACH: usize = 48;

/// The lower-cased words right before byte `start` of text `ti`: the text before it in the same
/// text node, or — when nothing but spaces and punctuation stands there — the end of the text
/// before it, if that text is close by in the page (a label cell, a `dt`, a `<b>Label:</b>`).
pub fn label_before(snap: &PageSnapshot, ti: usize, start: usize) -> Cow<'_, str> {
    lower(label_before_raw(snap, ti, start))
}

/// [`label_before`] as written (not lower-cased).
pub fn label_before_raw(snap: &PageSnapshot, ti: usize, start: usize) -> &str {
    let Some(t) = snap.texts.get(ti) else {
        return "";
    };
    let mut from = start.saturating_sub(LABEL_REACH).min(t.text.len());
    while !t.text.is_char_boundary(from) {
        from -= 1;
    }
    let own = t.text.get(from..start).unwrap_or_default();
    if own.chars().any(char::is_alphanumeric) {
        return own;
    }
    let Some(prev) = ti.checked_sub(1).and_then(|p| snap.texts.get(p)) else {
        return own;
    };
    if !near(snap, prev.node, t.node) {
        return own;
    }
    let text = prev.text.as_str();
    let mut from = text.len().saturating_sub(LABEL_REACH);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..]
}

/// Whether element `a` and element `b` sit in one small block: a common ancestor at most three
/// levels above `b`.
fn near(snap: &PageSnapshot, a: u32, b: u32) -> bool {
    let mut up = [u32::MAX; 4];
    for (slot, x) in up.iter_mut().zip(snap.ancestors(b)) {
        *slot = x;
    }
    snap.ancestors(a).take(4).any(|x| up.contains(&x))
}

fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) || !s.is_ascii() {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// A number whose label says it is a document number, not a phone.
pub fn document_number(label: &str) -> bool {
    id_label(label, false)
}

/// Words that introduce an example, lower-case, as the label ends (spaces and punctuation after
/// them trimmed).
const EXAMPLE_MARKERS: &[&str] = &[
    "e.g",
    "e. g",
    "eg",
    "for example",
    "for instance",
    "z. b",
    "z.b",
    "zb",
    "zum beispiel",
    "bspw",
    "par exemple",
    "p. ex",
    "p.ex",
    "例",
    "例えば",
    "たとえば",
    "記入例",
    "入力例",
    "por ejemplo",
    "p. ej",
    "per esempio",
    "ad es",
    "bijvoorbeeld",
    "bijv",
];

/// Words that introduce an example only as a label, followed by a colon (`Format:`, `Beispiel:`);
/// in a sentence they mean something else ("send your CV in PDF format to …").
const EXAMPLE_LABELS: &[&str] = &[
    "format",
    "example",
    "examples",
    "sample",
    "template",
    "placeholder",
    "beispiel",
    "muster",
    "exemple",
    "modèle",
    "ex",
    "ejemplo",
    "esempio",
    "voorbeeld",
    "ej",
    "bv",
    "形式",
    "見本",
    "サンプル",
];

/// Whether `label` (see [`label_before`]) ends by announcing an example.
pub fn example_marker(label: &str) -> bool {
    let t =
        label.trim_end_matches(|c: char| c.is_whitespace() || ".,;(（[\"'“‘«-–—)）".contains(c));
    // Markers are lower case; the label is compared as written, ignoring ASCII case.
    fn ends_with_word(t: &str, m: &str) -> bool {
        let Some(at) = t
            .len()
            .checked_sub(m.len())
            .filter(|&at| t.is_char_boundary(at))
        else {
            return false;
        };
        t[at..].eq_ignore_ascii_case(m)
            && (!m.is_ascii()
                || t[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric()))
    }
    fn stripped(t: &str) -> &str {
        t.trim_end_matches(|c: char| c.is_whitespace() || ".,;(（[\"'“‘«-–—)）".contains(c))
    }
    let bare = stripped(t.trim_end_matches([':', '：']));
    // Most labels end in two letters no marker ends in ("Email", "Contact"): a table lookup.
    static ENDINGS: LazyLock<FxHashSet<[u8; 2]>> = LazyLock::new(|| {
        EXAMPLE_MARKERS
            .iter()
            .chain(EXAMPLE_LABELS)
            .chain(HYPOTHETICAL)
            .filter_map(|m| last_two(m))
            .collect()
    });
    fn last_two(s: &str) -> Option<[u8; 2]> {
        let b = s.as_bytes();
        let n = b.len().checked_sub(2)?;
        Some([b[n].to_ascii_lowercase(), b[n + 1].to_ascii_lowercase()])
    }
    let head = stripped(
        t.strip_suffix(':')
            .or_else(|| t.strip_suffix('：'))
            .unwrap_or(t),
    );
    let known = |s: &str| last_two(s).is_some_and(|e| ENDINGS.contains(&e));
    if !known(bare) && !known(head) && !known(t) {
        return false;
    }
    // Every marker ends in a letter (or a CJK character): most labels end otherwise.
    if !bare.chars().next_back().is_some_and(char::is_alphabetic) {
        return false;
    }
    if EXAMPLE_MARKERS.iter().any(|m| ends_with_word(bare, m)) {
        return true;
    }
    if let Some(head) = t.strip_suffix(':').or_else(|| t.strip_suffix('：')) {
        let head = stripped(head);
        if EXAMPLE_LABELS.iter().any(|m| ends_with_word(head, m)) {
            return true;
        }
    }
    // "for example, Jane Smith would be jane.smith@…": a hypothetical after an example marker.
    if !HYPOTHETICAL.iter().any(|h| ends_with_word(t, h)) {
        return false;
    }
    let t = t.to_lowercase();
    EXAMPLE_MARKERS.iter().any(|m| {
        t.match_indices(m).any(|(at, _)| {
            !m.is_ascii()
                || t[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

/// How an example sentence introduces its made-up value.
const HYPOTHETICAL: &[&str] = &[
    "would be",
    "could be",
    "might be",
    "becomes",
    "wäre",
    "würde",
    "lautet dann",
    "serait",
    "devient",
    "sería",
];

/// Whether the text between two addresses lists them as alternatives (`, `, ` or `, ` oder `, ` ou
/// `), so that an address after an example is one too.
pub fn joins_examples(between: &str) -> bool {
    let w = between.trim_matches(|c: char| c.is_whitespace() || ",;/、".contains(c));
    w.is_empty()
        || [
            "or",
            "oder",
            "ou",
            "o",
            "of",
            "and",
            "und",
            "et",
            "y",
            "または",
            "や",
        ]
        .iter()
        .any(|j| w.eq_ignore_ascii_case(j))
}

/// Local parts that are templates, not anyone's mailbox (separators dropped, lower-case).
const TEMPLATE_LOCALS: &[&str] = &[
    "firstlast",
    "firstnamelastname",
    "firstname",
    "lastname",
    "first",
    "last",
    "flast",
    "firstinitiallastname",
    "finitiallastname",
    "initiallastname",
    "flastname",
    "yourname",
    "yourfirstname",
    "youremail",
    "yourmail",
    "youraddress",
    "you",
    "your",
    "name",
    "username",
    "user",
    "vornamenachname",
    "vorname",
    "nachname",
    "nachnamevorname",
    "vnachname",
    "maxmustermann",
    "erikamustermann",
    "prenomnom",
    "prénomnom",
    "nomprenom",
    "nomprénom",
    "prenom",
    "prénom",
    "nom",
    "pnom",
    "votrenom",
    "nombreapellido",
    "nomecognome",
    "voornaamachternaam",
    "namesurname",
    "givennamefamilyname",
    "nombre",
    "apellido",
    "nome",
    "cognome",
    "naam",
    "xxx",
    "xxxx",
    "abc",
    "someone",
    "somebody",
];

/// Whether `email` is masked (`j***@gmail.com`, `j.d••••@…`) or a template
/// (`firstname.lastname@…`, `vorname.nachname@…`, `prenom.nom@…`).
pub fn template_email(email: &str) -> bool {
    let Some((local, _)) = email.rsplit_once('@') else {
        return false;
    };
    // Masks, and placeholders a template fills in: `{team}@…`, `<name>@…`, `%user%@…`.
    let placeholder = |b: &u8| matches!(b, b'*' | b'{' | b'}' | b'<' | b'>' | b'%' | b'$');
    if local.as_bytes().iter().any(placeholder)
        || (!email.is_ascii() && email.contains(['•', '●', '…', '∗']))
        || memchr::memchr2_iter(b'x', b'X', local.as_bytes()).any(|i| {
            local
                .as_bytes()
                .get(i..i + 3)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"xxx"))
        })
    {
        return true;
    }
    // The local part lower-cased without separators, on the stack: templates are short words,
    // and this runs for every address.
    // Templates are short words of letters (`jane.smith2` is someone's).
    if local.len() > 24 || local.len() < 2 || local.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut buf = [0u8; 24];
    let mut n = 0;
    if local.is_ascii() {
        for &b in local
            .as_bytes()
            .iter()
            .filter(|b| !matches!(b, b'.' | b'_' | b'-' | b'+'))
        {
            buf[n] = b.to_ascii_lowercase();
            n += 1;
        }
    } else {
        for c in local
            .chars()
            .filter(|c| !matches!(c, '.' | '_' | '-' | '+'))
            .flat_map(char::to_lowercase)
        {
            let mut b = [0u8; 4];
            for &byte in c.encode_utf8(&mut b).as_bytes() {
                let Some(slot) = buf.get_mut(n) else {
                    return false;
                };
                *slot = byte;
                n += 1;
            }
        }
    }
    static TEMPLATES: LazyLock<FxHashSet<&'static str>> =
        LazyLock::new(|| TEMPLATE_LOCALS.iter().copied().collect());
    std::str::from_utf8(&buf[..n]).is_ok_and(|bare| TEMPLATES.contains(bare))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_masks() {
        for e in [
            "firstname.lastname@company.com",
            "Vorname.Nachname@firma.de",
            "prenom.nom@entreprise.fr",
            "j***@gmail.com",
            "j.d****@outlook.com",
            "first_last@acme.com",
            "your.name@company.com",
        ] {
            assert!(template_email(e), "{e}");
        }
        for e in [
            "jane.doe@acme.com",
            "info@acme.com",
            "j.doe@acme.com",
            "nora@firma.de",
            "max@firma.de",
        ] {
            assert!(!template_email(e), "{e}");
        }
    }

    #[test]
    fn example_markers() {
        for l in [
            "please use the format: ",
            "e.g. ",
            "(e.g. ",
            "z. b. ",
            "par exemple : ",
            "入力例：",
            "例: ",
            "for example, ",
            "format : ",
            "beispiel: ",
        ] {
            assert!(example_marker(l), "{l}");
        }
        for l in [
            "email jane at ",
            "contact: ",
            "kontakt: ",
            "write to ",
            "ventes : ",
            "simple ",
            "send your cv in pdf format to ",
            "for example of our work, write to jane, ",
        ] {
            assert!(!example_marker(l), "{l}");
        }
    }

    #[test]
    fn document_labels() {
        for l in [
            "invoice number: ",
            "order no. ",
            "ticket # ",
            "your reference ",
            "case ",
            "customer number ",
            "account no.: ",
            "vat: gb ",
            "ust-idnr.: de ",
            "n° tva intracommunautaire : fr ",
            "siret : ",
            "iban ",
            "tracking number ",
            "numéro de facture : ",
            "numéro de commande ",
            "rechnungsnummer: ",
            "kundennummer ",
            "bestell-nr. ",
            "sendungsnummer ",
            "注文番号：",
            "請求書番号 ",
            "お問い合わせ番号：",
        ] {
            assert!(document_number(l), "{l:?}");
        }
        for l in [
            "tel. no. ",
            "phone # ",
            "telefon nr. ",
            "電話番号：",
            "fax: ",
            "call us on ",
            "service client : ",
            "customer service: ",
            "direct line ",
            "numéro de téléphone : ",
        ] {
            assert!(!document_number(l), "{l:?}");
        }
    }
}
