//! The values behind `mailto:` and `tel:` links.
//!
//! `mailto:` (RFC 6068): the scheme in any case, addresses before the `?` separated by `,` or `;`,
//! percent-encoded or not, optionally with a display name (`Jane <jane@acme.com>`); the `to` and
//! `cc` header fields of the query add addresses (`bcc` does not: it is where CRMs put their
//! tracking drop boxes), every other field (`subject`, `body`…) is dropped. Only addresses that
//! pass [`Email::parse`] are returned, canonical and without duplicates.
//!
//! `tel:` (RFC 3966, and the `callto:` some sites use): percent-encoding decoded, visual separators
//! allowed, `;ext=`, `;isub=` and `;phone-context=` understood (through [`Phone::parse`]), a stray
//! `?query` dropped; national numbers are read in the default region.

use std::borrow::Cow;
use std::str::FromStr;

use phonenumber::country::Id;

use crate::email::Email;
use crate::phone::Phone;

/// Longest link looked at; anything longer is not a contact link.
const MAX_HREF: usize = 4096;

/// The addresses of a `mailto:` link, canonical ([`Email::as_str`]), in order, without duplicates.
/// A TYPO3 spam-protected link (`javascript:linkTo_UnCryptMailto('nbjmup+…')`, the link every
/// TYPO3 site makes of an address) is decrypted first. Anything else gives no addresses.
pub fn mailto_addresses(href: &str) -> Vec<String> {
    let mut out = Vec::new();
    let s = href.trim();
    if s.len() > MAX_HREF {
        return out;
    }
    let decrypted = typo3_uncrypt(s);
    let s = decrypted.as_deref().unwrap_or(s);
    let Some(rest) = strip_prefix_ci(s, "mailto:") else {
        return out;
    };
    let rest = rest.trim_start_matches('/');
    let (to, query) = rest.split_once('?').unwrap_or((rest, ""));
    let to = match to.rfind('#') {
        Some(hash) if to[..hash].contains('@') && !to[hash..].contains('@') => &to[..hash],
        _ => to,
    };
    add_addresses(&percent_decode_lossy(to), &mut out);
    let query = query.split('#').next().unwrap_or_default();
    for pair in query.split('&') {
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        let key = percent_decode_lossy(key).trim().to_ascii_lowercase();
        if key == "to" || key == "cc" {
            add_addresses(&percent_decode_lossy(value), &mut out);
        }
    }
    out
}

/// The `mailto:` link inside a TYPO3 `linkTo_UnCryptMailto('…')` call. TYPO3 shifts every
/// character in three ranges (`+` to `:`, `@` to `Z`, `a` to `z`) by the site's offset (-10 to 10),
/// wrapping within its range; the offset is whichever one turns the text into `mailto:`.
fn typo3_uncrypt(href: &str) -> Option<String> {
    let call = strip_prefix_ci(href, "javascript:")?.trim_start();
    let args = call.strip_prefix("linkTo_UnCryptMailto(")?;
    let args = percent_decode_lossy(args);
    let quote = args
        .trim_start()
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"'))?;
    let body = args.trim_start()[1..].split(quote).next()?;
    typo3_token(body)
}

/// The addresses of a TYPO3 `data-mailto-token` (TYPO3 11 and later: `<a href="#"
/// data-mailto-token="ocknvq,…" data-mailto-vector="2">`), encrypted as in [`typo3_uncrypt`].
pub fn typo3_token_addresses(token: &str) -> Vec<String> {
    match typo3_token(token.trim()) {
        Some(mailto) if mailto.len() <= MAX_HREF => mailto_addresses(&mailto),
        _ => Vec::new(),
    }
}

/// A TYPO3-encrypted `mailto:` link, decrypted with whichever offset gives `mailto:`.
fn typo3_token(body: &str) -> Option<String> {
    const RANGES: [(u8, u8); 3] = [(0x2B, 0x3A), (0x40, 0x5A), (0x61, 0x7A)];
    let shift = |b: u8, offset: i32| -> u8 {
        match RANGES.iter().find(|(lo, hi)| (*lo..=*hi).contains(&b)) {
            Some(&(lo, hi)) => {
                let span = (hi - lo + 1) as i32;
                (lo as i32 + (b as i32 - lo as i32 + offset).rem_euclid(span)) as u8
            }
            None => b,
        }
    };
    (-10..=10).find_map(|offset| {
        let out: Vec<u8> = body.bytes().map(|b| shift(b, offset)).collect();
        let text = String::from_utf8(out).ok()?;
        strip_prefix_ci(&text, "mailto:").is_some().then_some(text)
    })
}

/// The E.164 number of a `tel:` (or `callto:`) link, reading national numbers in `default_region`
/// (ISO 3166 alpha-2; an unknown region counts as none). `None` if the link holds no valid number.
pub fn tel_number(href: &str, default_region: Option<&str>) -> Option<String> {
    let s = href.trim();
    if s.len() > MAX_HREF {
        return None;
    }
    let rest = strip_prefix_ci(s, "tel:").or_else(|| strip_prefix_ci(s, "callto:"))?;
    let rest = rest.trim_start_matches('/');
    let decoded = percent_decode_utf8(rest).unwrap_or_else(|| rest.to_string());
    let number = decoded.split('?').next().unwrap_or_default();
    let region = default_region.and_then(|r| Id::from_str(&r.trim().to_ascii_uppercase()).ok());
    Phone::parse(
        &format!("tel:{number}"),
        region.as_ref().map(|r| r.as_ref()),
    )
    .ok()
    .map(|p| p.as_str().to_string())
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Split a list of addresses on `,` and `;` and add the valid ones.
fn add_addresses(list: &str, out: &mut Vec<String>) {
    for part in list.split([',', ';']) {
        let mut part = part.trim();
        // `Jane Doe <jane@acme.com>`
        if let (Some(open), Some(close)) = (part.rfind('<'), part.rfind('>')) {
            if open < close {
                part = &part[open + 1..close];
            }
        }
        let part = part.trim().trim_matches(['"', '\'']);
        if let Ok(email) = Email::parse(part) {
            let value = email.into_string();
            if !out.contains(&value) {
                out.push(value);
            }
        }
    }
}

/// Percent-decoded bytes of `s` (a `%` not followed by two hex digits is kept as is).
fn percent_decode_bytes(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Percent-decoded text; bytes that are not UTF-8 become U+FFFD (which no address accepts).
fn percent_decode_lossy(s: &str) -> Cow<'_, str> {
    // Nothing to decode in most links.
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(String::from_utf8_lossy(&percent_decode_bytes(s)).into_owned())
}

/// Percent-decoded text, or `None` when the decoded bytes are not UTF-8.
fn percent_decode_utf8(s: &str) -> Option<String> {
    String::from_utf8(percent_decode_bytes(s)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailto_forms() {
        assert_eq!(mailto_addresses("mailto:jane@acme.com"), ["jane@acme.com"]);
        assert_eq!(mailto_addresses("MAILTO:Jane@ACME.com"), ["Jane@acme.com"]);
        assert_eq!(
            mailto_addresses("  mailto:jane@acme.com?subject=Hello%20there&body=x  "),
            ["jane@acme.com"]
        );
        assert_eq!(
            mailto_addresses("mailto:jane%40acme.com"),
            ["jane@acme.com"]
        );
        assert_eq!(
            mailto_addresses("mailto:jane@acme.com,bob@acme.com;%20eve@acme.com"),
            ["jane@acme.com", "bob@acme.com", "eve@acme.com"]
        );
        assert_eq!(
            mailto_addresses("mailto:?to=jane@acme.com&subject=hi"),
            ["jane@acme.com"]
        );
        assert_eq!(
            mailto_addresses(
                "mailto:jane@acme.com?cc=bob@acme.com&bcc=drop@bcc.crm.com&TO=eve%40acme.com"
            ),
            ["jane@acme.com", "bob@acme.com", "eve@acme.com"]
        );
        assert_eq!(
            mailto_addresses("mailto:Jane%20Doe%20%3Cjane@acme.com%3E"),
            ["jane@acme.com"]
        );
        assert_eq!(
            mailto_addresses("mailto:jane@acme.com,jane@acme.com"),
            ["jane@acme.com"]
        );
        assert_eq!(
            mailto_addresses("mailto://jane@acme.com"),
            ["jane@acme.com"]
        );
        assert_eq!(
            mailto_addresses("mailto:jane@acme.com#top"),
            ["jane@acme.com"]
        );
        assert_eq!(
            mailto_addresses("mailto:j%C3%BCrgen@b%C3%BCcher.de"),
            ["jürgen@bücher.de"]
        );
    }

    #[test]
    fn typo3_protected_links_are_decrypted_whatever_the_offset() {
        // TYPO3 with offset 1 (`spamProtectEmailAddresses = 1`) and -2; and an ordinary JS link.
        assert_eq!(
            mailto_addresses(
                "javascript:linkTo_UnCryptMailto('nbjmup+t/lsbfnfsAcbvnboo.ibvtufdiojl/ef');"
            ),
            ["s.kraemer@baumann-haustechnik.de"]
        );
        assert_eq!(
            mailto_addresses("javascript:linkTo_UnCryptMailto(%27kygjrm8hylcYnylbcp,bc%27);"),
            ["jane@pander.de"]
        );
        assert!(mailto_addresses("javascript:void(0)").is_empty());
        assert_eq!(
            typo3_token_addresses("ocknvq,u0mtcgogtBdcwocpp/jcwuvgejpkm0fg"),
            ["s.kraemer@baumann-haustechnik.de"]
        );
        assert!(typo3_token_addresses("plainly not a token").is_empty());
        assert!(mailto_addresses("javascript:linkTo_UnCryptMailto('zzzz')").is_empty());
    }

    #[test]
    fn mailto_refusals() {
        assert!(mailto_addresses("https://acme.com").is_empty());
        assert!(mailto_addresses("jane@acme.com").is_empty());
        assert!(mailto_addresses("mailto:").is_empty());
        assert!(mailto_addresses("mailto:jane").is_empty());
        assert!(mailto_addresses("mailto:jane@acme.test").is_empty());
        assert!(mailto_addresses("mailto:%FF%FE@acme.com").is_empty());
        assert!(mailto_addresses("mailto:%").is_empty());
        assert!(mailto_addresses("mai").is_empty());
    }

    #[test]
    fn tel_forms() {
        assert_eq!(
            tel_number("tel:+1-415-555-0100", None).as_deref(),
            Some("+14155550100")
        );
        assert_eq!(
            tel_number("TEL:+1 (415) 555-0100", Some("FR")).as_deref(),
            Some("+14155550100")
        );
        assert_eq!(
            tel_number("tel:0201234567", Some("NL")).as_deref(),
            Some("+31201234567")
        );
        assert_eq!(
            tel_number("tel:0201234567", Some("nl")).as_deref(),
            Some("+31201234567")
        );
        assert_eq!(
            tel_number("tel:%2B44%2020%207946%200958", None).as_deref(),
            Some("+442079460958")
        );
        assert_eq!(
            tel_number("tel:+14155550100;ext=12", None).as_deref(),
            Some("+14155550100")
        );
        assert_eq!(
            tel_number("tel:331-6005;phone-context=+64-3", Some("US")).as_deref(),
            Some("+6433316005")
        );
        assert_eq!(
            tel_number("tel:03-331-6005;phone-context=+64", None).as_deref(),
            Some("+6433316005")
        );
        assert_eq!(
            tel_number("tel://+14155550100", None).as_deref(),
            Some("+14155550100")
        );
        assert_eq!(
            tel_number("callto:+14155550100", None).as_deref(),
            Some("+14155550100")
        );
        assert_eq!(
            tel_number("tel:+14155550100?call", None).as_deref(),
            Some("+14155550100")
        );
    }

    #[test]
    fn tel_refusals() {
        assert_eq!(tel_number("tel:0201234567", None), None);
        assert_eq!(tel_number("tel:0201234567", Some("XX")), None);
        assert_eq!(tel_number("tel:12345", Some("US")), None);
        assert_eq!(tel_number("https://acme.com", Some("US")), None);
        assert_eq!(tel_number("+14155550100", None), None);
        assert_eq!(tel_number("tel:", None), None);
        assert_eq!(tel_number("tel:%E4%B8", Some("US")), None);
    }
}
