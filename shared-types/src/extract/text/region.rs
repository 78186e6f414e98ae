//! The default region for reading a page's national phone numbers (`020 7946 0958` is London on a
//! `.co.uk` page), as an ISO 3166 alpha-2 code that libphonenumber's metadata knows.
//!
//! [`default_region`] tries, in order:
//! 1. the country-code top-level domain of the page's URL (`.de` → DE, `.co.uk` and `.uk` → GB,
//!    `.com.au` → AU; generic TLDs give nothing, and so do country codes mostly sold as generic
//!    names — `.io`, `.co`, `.ai`, `.me`, `.tv`… — unless under a country's own second level such
//!    as `.com.co`);
//! 2. the region subtag of the document language (`<html lang="en-GB">` → GB, `pt-BR` → BR,
//!    `zh-Hant-TW` → TW);
//! 3. the page's meta tags: `geo.region` / `geo.country` (`US-CA` → US), then the region of
//!    `og:locale` (`en_GB`) or `content-language`;
//! 4. the language alone where it points to one country (`fr` → FR, `de` → DE, `ja` → JP, `es` →
//!    ES, `pt` → PT; `en` → US as a last resort) — not when the language tag named a region that is
//!    not a country (`es-419`, Latin America), and not for languages spoken in many countries
//!    (`ar`, `zh`, `sw`…);
//! 5. otherwise `None`: only numbers written with `+` or an international prefix will be found.

use url::{Host, Url};

use phonenumber::metadata::DATABASE;

use crate::extract::snapshot::PageSnapshot;

/// The region for phone parsing on this page; see the module documentation for the order.
pub fn default_region(snapshot: &PageSnapshot) -> Option<String> {
    if let Some(region) = region_from_url(&snapshot.url) {
        return Some(region);
    }
    let lang = snapshot.lang.as_deref().unwrap_or_default();
    if let Tagged::Country(region) = region_of_language_tag(lang) {
        return Some(region);
    }
    for content in meta_contents(snapshot, &["geo.region", "geo.country", "country"]) {
        let code = content
            .split(['-', '_', ';', ',', ' '])
            .next()
            .unwrap_or_default();
        if let Some(region) = known_region(code) {
            return Some(region);
        }
    }
    let locales = meta_contents(
        snapshot,
        &["og:locale", "content-language", "language", "dc.language"],
    );
    for locale in &locales {
        if let Tagged::Country(region) = region_of_language_tag(locale) {
            return Some(region);
        }
    }
    for tag in std::iter::once(lang).chain(locales.iter().copied()) {
        if let Tagged::NoRegion = region_of_language_tag(tag) {
            if let Some(region) = region_of_language(tag) {
                return Some(region.to_string());
            }
        }
    }
    None
}

/// The non-empty contents of the meta tags called one of `names` (case-insensitive).
fn meta_contents<'s>(snapshot: &'s PageSnapshot, names: &[&str]) -> Vec<&'s str> {
    snapshot
        .meta
        .iter()
        .filter(|m| names.iter().any(|n| m.name.trim().eq_ignore_ascii_case(n)))
        .map(|m| m.content.trim())
        .filter(|c| !c.is_empty())
        .collect()
}

/// The region of a URL's country-code top-level domain (`https://shop.acme.co.uk/` → `GB`), or
/// `None` for generic TLDs, IP addresses, and text that is not a URL with a host.
pub fn region_from_url(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.len() > 4096 {
        return None;
    }
    let parsed = Url::parse(url)
        .ok()
        .filter(|u| u.host().is_some())
        .or_else(|| {
            (!url.contains("://"))
                .then(|| Url::parse(&format!("http://{url}")).ok())
                .flatten()
        })?;
    let Some(Host::Domain(host)) = parsed.host() else {
        return None;
    };
    region_from_host(host)
}

fn region_from_host(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return None;
    }
    let last = labels[labels.len() - 1];
    let tld = IDN_CCTLDS
        .iter()
        .find(|(idn, _)| *idn == last)
        .map_or(last, |(_, cc)| *cc);
    if tld.len() != 2 || !tld.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let second = labels[labels.len() - 2];
    if GENERIC_CCTLDS.contains(&tld) && !COUNTRY_SECOND_LEVELS.contains(&second) {
        return None;
    }
    match tld {
        "uk" => known_region("GB"),
        "eu" | "su" | "an" | "tp" | "yu" => None,
        cc => known_region(cc),
    }
}

/// `code` uppercased, if libphonenumber has metadata for that region (`UK` is read as `GB`).
fn known_region(code: &str) -> Option<String> {
    let upper = code.trim().to_ascii_uppercase();
    let upper = if upper == "UK" {
        "GB".to_string()
    } else {
        upper
    };
    (upper.len() == 2
        && upper.bytes().all(|b| b.is_ascii_uppercase())
        && DATABASE.by_id(upper.as_str()).is_some())
    .then_some(upper)
}

/// What a BCP 47 language tag says about a region.
enum Tagged {
    /// A country: `en-GB`.
    Country(String),
    /// A region that is not one country (`es-419`) or an unknown one: no guess from the language.
    NotACountry,
    /// No region subtag at all: `fr`.
    NoRegion,
}

fn region_of_language_tag(tag: &str) -> Tagged {
    let mut subtags = tag.trim().split(['-', '_']).skip(1);
    for sub in subtags.by_ref() {
        match sub.len() {
            4 if sub.bytes().all(|b| b.is_ascii_alphabetic()) => continue, // script: Hant, Latn
            2 if sub.bytes().all(|b| b.is_ascii_alphabetic()) => {
                return known_region(sub).map_or(Tagged::NotACountry, Tagged::Country);
            }
            3 if sub.bytes().all(|b| b.is_ascii_digit()) => return Tagged::NotACountry,
            _ => break,
        }
    }
    Tagged::NoRegion
}

/// The one country a language (the first subtag of `tag`) points to, for the unambiguous cases.
fn region_of_language(tag: &str) -> Option<&'static str> {
    let lang = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    LANGUAGE_REGIONS
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, r)| *r)
}

/// Language → region where the language (as a page language) points to one country. `en` is the
/// last-resort US; `de`, `fr`, `es`, `pt`, `nl`, `it` go to the country named after them.
const LANGUAGE_REGIONS: &[(&str, &str)] = &[
    ("en", "US"),
    ("fr", "FR"),
    ("de", "DE"),
    ("it", "IT"),
    ("nl", "NL"),
    ("es", "ES"),
    ("pt", "PT"),
    ("ja", "JP"),
    ("ko", "KR"),
    ("pl", "PL"),
    ("sv", "SE"),
    ("da", "DK"),
    ("nb", "NO"),
    ("nn", "NO"),
    ("no", "NO"),
    ("fi", "FI"),
    ("cs", "CZ"),
    ("sk", "SK"),
    ("hu", "HU"),
    ("ro", "RO"),
    ("bg", "BG"),
    ("el", "GR"),
    ("tr", "TR"),
    ("ru", "RU"),
    ("uk", "UA"),
    ("he", "IL"),
    ("iw", "IL"),
    ("hi", "IN"),
    ("th", "TH"),
    ("vi", "VN"),
    ("id", "ID"),
    ("ms", "MY"),
    ("et", "EE"),
    ("lv", "LV"),
    ("lt", "LT"),
    ("sl", "SI"),
    ("hr", "HR"),
    ("sr", "RS"),
    ("is", "IS"),
    ("ga", "IE"),
    ("ca", "ES"),
    ("eu", "ES"),
    ("gl", "ES"),
    ("fa", "IR"),
    ("bn", "BD"),
    ("ur", "PK"),
    ("tl", "PH"),
    ("fil", "PH"),
    ("ka", "GE"),
    ("hy", "AM"),
    ("az", "AZ"),
    ("sq", "AL"),
    ("mk", "MK"),
    ("be", "BY"),
    ("kk", "KZ"),
    ("mt", "MT"),
    ("lb", "LU"),
    ("af", "ZA"),
    ("km", "KH"),
    ("lo", "LA"),
    ("my", "MM"),
    ("mn", "MN"),
    ("ne", "NP"),
    ("si", "LK"),
    ("cy", "GB"),
];

/// Country-code TLDs mostly registered as generic names; they name a country only under one of
/// that country's own second levels (`.com.co`).
const GENERIC_CCTLDS: &[&str] = &[
    "ac", "ad", "ai", "am", "cc", "cd", "cf", "co", "cx", "dj", "fm", "ga", "gg", "gq", "gs", "im",
    "io", "je", "la", "ly", "me", "ml", "ms", "mu", "nu", "pw", "sc", "sh", "so", "st", "tk", "to",
    "tv", "vc", "vg", "ws",
];

const COUNTRY_SECOND_LEVELS: &[&str] = &[
    "com", "co", "net", "org", "gov", "gob", "edu", "ac", "or", "ne", "go", "nic", "mil",
];

/// Internationalised country-code TLDs (punycode) that map to one region.
const IDN_CCTLDS: &[(&str, &str)] = &[
    ("xn--p1ai", "ru"),
    ("xn--j1amh", "ua"),
    ("xn--90ais", "by"),
    ("xn--fiqs8s", "cn"),
    ("xn--fiqz9s", "cn"),
    ("xn--j6w193g", "hk"),
    ("xn--kprw13d", "tw"),
    ("xn--kpry57d", "tw"),
    ("xn--3e0b707e", "kr"),
    ("xn--o3cw4h", "th"),
    ("xn--wgbh1c", "eg"),
    ("xn--mgbaam7a8h", "ae"),
    ("xn--mgberp4a5d4ar", "sa"),
    ("xn--h2brj9c", "in"),
    ("xn--yfro4i67o", "sg"),
    ("xn--e1a4c", "eu"),
    ("xn--qxam", "gr"),
    ("xn--node", "ge"),
    ("xn--y9a3aq", "am"),
    ("xn--90a3ac", "rs"),
    ("xn--d1alf", "mk"),
    ("xn--80ao21a", "kz"),
    ("xn--l1acc", "mn"),
    ("xn--4dbrk0ce", "il"),
    ("xn--mgbtx2b", "iq"),
    ("xn--mgba3a4f16a", "ir"),
    ("xn--mgbc0a9azcg", "ma"),
    ("xn--lgbbat1ad8j", "dz"),
    ("xn--pgbs0dh", "tn"),
    ("xn--mgbayh7gpa", "jo"),
    ("xn--ygbi2ammx", "ps"),
    ("xn--wgbl6a", "qa"),
    ("xn--mgb9awbf", "om"),
    ("xn--fzc2c9e2c", "lk"),
    ("xn--xkc2al3hye2a", "lk"),
    ("xn--clchc0ea0b2g2a9gcd", "sg"),
    ("xn--45brj9c", "in"),
    ("xn--54b7fta0cc", "bd"),
    ("xn--mgbpl2fh", "sd"),
    ("xn--mgbx4cd0ab", "my"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::snapshot::MetaTag;

    fn page(url: &str, lang: Option<&str>, meta: &[(&str, &str)]) -> PageSnapshot {
        PageSnapshot {
            url: url.to_string(),
            lang: lang.map(str::to_string),
            meta: meta
                .iter()
                .map(|(n, c)| MetaTag {
                    name: n.to_string(),
                    content: c.to_string(),
                })
                .collect(),
            ..PageSnapshot::default()
        }
    }

    #[test]
    fn country_code_tlds() {
        let r = |u: &str| region_from_url(u);
        assert_eq!(r("https://www.acme.co.uk/contact").as_deref(), Some("GB"));
        assert_eq!(r("https://acme.uk").as_deref(), Some("GB"));
        assert_eq!(r("https://acme.de/impressum").as_deref(), Some("DE"));
        assert_eq!(r("http://acme.fr").as_deref(), Some("FR"));
        assert_eq!(r("https://shop.acme.com.au/").as_deref(), Some("AU"));
        assert_eq!(r("https://ACME.CH.").as_deref(), Some("CH"));
        assert_eq!(r("acme.nl/contact").as_deref(), Some("NL"));
        assert_eq!(r("https://пример.рф/").as_deref(), Some("RU"));
        assert_eq!(r("https://acme.com.co/").as_deref(), Some("CO"));
        for generic in [
            "https://acme.com",
            "https://acme.io",
            "https://acme.co",
            "https://acme.ai",
            "https://acme.eu",
            "https://localhost:8080/",
            "http://192.168.1.1/",
            "http://[::1]/",
            "file:///tmp/x.html",
            "",
            "not a url",
            "https://acme.example",
            "https://acme.zz",
        ] {
            assert_eq!(r(generic), None, "{generic:?}");
        }
    }

    #[test]
    fn order_of_sources() {
        assert_eq!(
            default_region(&page("https://acme.de", Some("en-US"), &[])).as_deref(),
            Some("DE")
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("en-GB"), &[])).as_deref(),
            Some("GB")
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("pt-BR"), &[])).as_deref(),
            Some("BR")
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("zh-Hant-TW"), &[])).as_deref(),
            Some("TW")
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("fr"), &[])).as_deref(),
            Some("FR")
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("de"), &[])).as_deref(),
            Some("DE")
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("ja"), &[])).as_deref(),
            Some("JP")
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("en"), &[])).as_deref(),
            Some("US")
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("es"), &[])).as_deref(),
            Some("ES")
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("pt"), &[])).as_deref(),
            Some("PT")
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("EN_gb"), &[])).as_deref(),
            Some("GB")
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("es-419"), &[])),
            None
        );
        assert_eq!(
            default_region(&page("https://acme.com", Some("ar"), &[])),
            None
        );
        assert_eq!(default_region(&page("https://acme.com", None, &[])), None);
        assert_eq!(
            default_region(&page("https://acme.com", Some(""), &[])),
            None
        );
    }

    #[test]
    fn meta_tags_between_lang_region_and_language() {
        let geo = page("https://acme.com", Some("en"), &[("geo.region", "CA-ON")]);
        assert_eq!(default_region(&geo).as_deref(), Some("CA"));
        let og = page("https://acme.com", Some("en"), &[("og:locale", "en_AU")]);
        assert_eq!(default_region(&og).as_deref(), Some("AU"));
        let lang_first = page("https://acme.com", Some("en-IE"), &[("og:locale", "en_AU")]);
        assert_eq!(default_region(&lang_first).as_deref(), Some("IE"));
        let og_language = page("https://acme.com", None, &[("og:locale", "it")]);
        assert_eq!(default_region(&og_language).as_deref(), Some("IT"));
    }
}
