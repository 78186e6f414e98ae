//! Links to vCard files (`<a href="…/jane-doe.vcf">`, or `type="text/vcard"`).
//!
//! Decision: the core is pure — it fetches nothing — so the card's contents are out of reach here
//! (a caller that can fetch may parse the file and feed its values in as findings of their own).
//! What the link itself says is recorded only when it is clearly a person's name: the link text
//! (else its `aria-label`/`title`) must be shaped like a personal name — two to four capitalised
//! words of letters (with `'`, `-`, `.`), none of them an action or vCard word ("Download vCard",
//! "Save contact", "Add to address book" are skipped). Such a name becomes a loose
//! [`CandidateField::Name`] finding with provenance `vcard`, confidence 0.6, anchored on the link
//! text and without an object, so grouping attaches it to the card the link sits in. Any other
//! `.vcf` link yields nothing: "vCard" beside a card says nothing the card does not.

use super::{Out, Value};
use crate::extract::candidate::{CandidateField, Provenance};

pub(crate) fn find(out: &mut Out<'_, '_>) {
    let page = out.page;
    for n in 0..page.len() as u32 {
        if !matches!(page.tag(n), "a" | "area")
            || !is_vcf_link(page.attr(n, "href"), page.attr(n, "type"))
        {
            continue;
        }
        let text = page.text_content(n, false);
        let candidates = [
            Some(text.as_str()),
            page.attr(n, "aria-label"),
            page.attr(n, "title"),
        ];
        let Some(name) = candidates
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|t| !t.is_empty())
        else {
            continue;
        };
        if !looks_like_personal_name(name) {
            continue;
        }
        let Some(value) = super::values::text(name) else {
            continue;
        };
        out.push(
            None,
            Value {
                field: CandidateField::Name,
                value,
                raw: None,
                provenance: Provenance::Vcard,
                confidence: 0.6,
                node: Some(n),
            },
        );
    }
}

fn is_vcf_link(href: Option<&str>, kind: Option<&str>) -> bool {
    let typed = kind.is_some_and(|t| {
        let t = t.trim().to_ascii_lowercase();
        t == "text/vcard" || t == "text/x-vcard" || t == "text/directory"
    });
    let path = href.unwrap_or("").split(['?', '#']).next().unwrap_or("");
    let is_file = path.len() > 4
        && path
            .get(path.len() - 4..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".vcf"));
    typed || is_file
}

/// Two to four capitalised words of letters, none a generic link word.
pub(crate) fn looks_like_personal_name(s: &str) -> bool {
    const GENERIC: &[&str] = &[
        "vcard",
        "v-card",
        "vcf",
        "card",
        "cards",
        "download",
        "save",
        "add",
        "import",
        "export",
        "contact",
        "contacts",
        "address",
        "book",
        "addressbook",
        "my",
        "our",
        "the",
        "to",
        "us",
        "info",
        "details",
        "here",
        "click",
        "get",
        "open",
        "view",
        "business",
        "electronic",
        "file",
        "team",
        "office",
        "me",
        "this",
    ];
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    words.iter().all(|w| {
        let mut chars = w.chars();
        let first_upper = chars.next().is_some_and(char::is_uppercase);
        let letters = w
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'));
        let has_letter = w.chars().filter(|c| c.is_alphabetic()).count() >= 1;
        first_upper
            && letters
            && has_letter
            && !GENERIC.contains(&w.to_lowercase().trim_end_matches(['.', '\'']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_links() {
        assert!(looks_like_personal_name("Jane Doe"));
        assert!(looks_like_personal_name("Zoë O'Brien-Smith"));
        assert!(looks_like_personal_name("J. R. Hartley"));
        assert!(!looks_like_personal_name("Download vCard"));
        assert!(!looks_like_personal_name("Save Contact"));
        assert!(!looks_like_personal_name("Jane"));
        assert!(!looks_like_personal_name("jane doe"));
        assert!(!looks_like_personal_name("Jane Doe 2"));
        assert!(is_vcf_link(
            Some("https://acme.com/team/jane.VCF?dl=1"),
            None
        ));
        assert!(is_vcf_link(
            Some("https://acme.com/card"),
            Some("text/vcard")
        ));
        assert!(!is_vcf_link(Some("https://acme.com/vcf"), None));
    }
}
