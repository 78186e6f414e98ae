//! [`ProfileUrl`]: a link to one person's (or one company's) profile on LinkedIn, X or GitHub, in
//! one canonical spelling.
//!
//! Why canonical: the same profile is linked as `http://uk.linkedin.com/in/Jane-Doe/?trk=…`,
//! `linkedin.com/in/jane-doe`, `https://m.linkedin.com/in/jane-doe/details/experience/` …; the lead
//! stores one form (DESIGN.md: linkedin is the canonical profile URL) so dedup can compare strings.
//! Canonical forms: `https://www.linkedin.com/in/<slug>`, `https://www.linkedin.com/company/<slug>`,
//! `https://x.com/<handle>`, `https://github.com/<user>` — lowercased, no query, no fragment, no
//! trailing slash. Links that are on those sites but are not a profile (a post, a repository,
//! search, settings) are refused with a message saying which link to use instead.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

use crate::text::{is_intl_word_char, shown};

/// Longer than any profile link; bounds the work on pasted junk.
const MAX_INPUT_CHARS: usize = 2048;

/// Which kind of profile a [`ProfileUrl`] points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ProfileKind {
    /// A person on LinkedIn: `/in/<slug>`.
    #[serde(rename = "linkedin")]
    LinkedIn,
    /// A company page on LinkedIn: `/company/<slug>`.
    #[serde(rename = "linkedin_company")]
    LinkedInCompany,
    /// An account on X (formerly Twitter).
    #[serde(rename = "x")]
    X,
    /// A user or organisation on GitHub.
    #[serde(rename = "github")]
    GitHub,
}

impl ProfileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileKind::LinkedIn => "linkedin",
            ProfileKind::LinkedInCompany => "linkedin_company",
            ProfileKind::X => "x",
            ProfileKind::GitHub => "github",
        }
    }

    /// True for kinds that identify one person (everything but a LinkedIn company page).
    pub fn is_person(self) -> bool {
        self != ProfileKind::LinkedInCompany
    }
}

impl fmt::Display for ProfileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A canonical profile link.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProfileUrl {
    url: String,
    kind: ProfileKind,
}

/// Why a string is not a [`ProfileUrl`]. Each message names the problem and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileUrlError {
    #[error("profile link is empty: paste a link such as https://www.linkedin.com/in/jane-doe")]
    Empty,
    #[error("profile link `{input}` is longer than {MAX_INPUT_CHARS} characters: paste only the profile address")]
    TooLong { input: String },
    #[error("profile link `{input}` is not a web address: paste a link such as https://www.linkedin.com/in/jane-doe")]
    NotAUrl { input: String },
    #[error("profile link `{input}` uses `{scheme}:`: paste the https:// link from the browser's address bar")]
    Scheme { input: String, scheme: String },
    #[error("profile link `{input}` is on `{host}`: only LinkedIn (linkedin.com/in/…, /company/…), X (x.com/…) and GitHub (github.com/…) profiles are accepted")]
    UnknownSite { input: String, host: String },
    #[error("profile link `{input}` is a {site} page but not a profile: {hint}")]
    NotAProfile {
        input: String,
        site: &'static str,
        hint: &'static str,
    },
    #[error("profile link `{input}` has `{name}`, which cannot be a {site} name: {rule}")]
    BadName {
        input: String,
        site: &'static str,
        name: String,
        rule: &'static str,
    },
    #[error("profile link `{input}` is a post, not a profile: use https://x.com/{handle}")]
    Post { input: String, handle: String },
    #[error(
        "profile link `{input}` is a repository, not a profile: use https://github.com/{user}"
    )]
    Repository { input: String, user: String },
}

impl ProfileUrl {
    /// Parse a profile link as pasted: with or without `https://`, any of the sites' host aliases
    /// (`uk.linkedin.com`, `m.`, `www.`, `twitter.com`, `mobile.x.com`), trailing slashes, query
    /// strings, fragments and percent-encoding.
    pub fn parse(input: &str) -> Result<ProfileUrl, ProfileUrlError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ProfileUrlError::Empty);
        }
        let shown_input = shown(s);
        if s.chars().count() > MAX_INPUT_CHARS {
            return Err(ProfileUrlError::TooLong { input: shown_input });
        }
        let url = parse_web_url(s, &shown_input)?;
        let host = url
            .host_str()
            .unwrap_or_default()
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let segments = decoded_segments(&url).ok_or_else(|| ProfileUrlError::NotAUrl {
            input: shown_input.clone(),
        })?;
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        match site_of(&host) {
            Some(Site::LinkedIn) => linkedin(&segments, shown_input),
            Some(Site::X) => x(&segments, shown_input),
            Some(Site::GitHub) => github(&segments, shown_input),
            None => Err(ProfileUrlError::UnknownSite {
                input: shown_input,
                host,
            }),
        }
    }

    /// The canonical link, e.g. `https://www.linkedin.com/in/jane-doe`.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    pub fn kind(&self) -> ProfileKind {
        self.kind
    }
}

/// Accept `linkedin.com/in/x` and `//linkedin.com/in/x` as https; refuse other schemes by name.
fn parse_web_url(s: &str, input: &str) -> Result<Url, ProfileUrlError> {
    let with_scheme = match s.split_once("://") {
        Some((scheme, _)) if scheme.chars().all(|c| c.is_ascii_alphabetic()) => s.to_string(),
        _ if s.starts_with("//") => format!("https:{s}"),
        _ => format!("https://{s}"),
    };
    let url = Url::parse(&with_scheme).map_err(|_| ProfileUrlError::NotAUrl {
        input: input.to_string(),
    })?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Ok(url),
        "http" | "https" => Err(ProfileUrlError::NotAUrl {
            input: input.to_string(),
        }),
        other => Err(ProfileUrlError::Scheme {
            input: input.to_string(),
            scheme: other.to_string(),
        }),
    }
}

/// Non-empty path segments, percent-decoded (`None` if one is not UTF-8 once decoded).
fn decoded_segments(url: &Url) -> Option<Vec<String>> {
    url.path_segments()
        .into_iter()
        .flatten()
        .filter(|seg| !seg.is_empty())
        .map(percent_decode)
        .collect()
}

fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|&b| hex(b)),
            bytes.get(i + 2).and_then(|&b| hex(b)),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encode everything but unreserved ASCII (RFC 3986), so a canonical link is one string.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

enum Site {
    LinkedIn,
    X,
    GitHub,
}

fn site_of(host: &str) -> Option<Site> {
    let sub_of = |domain: &str| -> Option<&str> {
        if host == domain {
            Some("")
        } else {
            host.strip_suffix(domain).and_then(|h| h.strip_suffix('.'))
        }
    };
    if let Some(sub) = sub_of("linkedin.com") {
        // www., m., mobile. and two-letter country hosts (uk., fr., de.) serve the same profiles.
        let country = sub.len() == 2 && sub.bytes().all(|b| b.is_ascii_lowercase());
        return (matches!(sub, "" | "www" | "m" | "mobile") || country).then_some(Site::LinkedIn);
    }
    for domain in ["x.com", "twitter.com"] {
        if let Some(sub) = sub_of(domain) {
            return matches!(sub, "" | "www" | "m" | "mobile").then_some(Site::X);
        }
    }
    sub_of("github.com")
        .filter(|sub| matches!(*sub, "" | "www"))
        .map(|_| Site::GitHub)
}

fn linkedin(segments: &[&str], input: String) -> Result<ProfileUrl, ProfileUrlError> {
    let not_profile = |hint| ProfileUrlError::NotAProfile {
        input: input.clone(),
        site: "LinkedIn",
        hint,
    };
    let first = segments.first().map(|s| s.to_ascii_lowercase());
    let (kind, prefix) = match first.as_deref() {
        Some("in") => (ProfileKind::LinkedIn, "in"),
        Some("company") => (ProfileKind::LinkedInCompany, "company"),
        Some("pub") => {
            return Err(not_profile(
                "this is an old public-profile link; open it and copy the linkedin.com/in/… address it leads to",
            ))
        }
        Some("sales") => return Err(not_profile(
            "this is a Sales Navigator link; open the profile on linkedin.com and copy its linkedin.com/in/… address",
        )),
        _ => {
            return Err(not_profile(
                "use the person's linkedin.com/in/<name> link or the company's linkedin.com/company/<name> link",
            ))
        }
    };
    // Anything after the slug is a section of the same profile (/details/experience, /about, /people).
    let Some(slug) = segments.get(1) else {
        return Err(not_profile(
            "the link stops before the name: use linkedin.com/in/<name> or linkedin.com/company/<name>",
        ));
    };
    let slug_ok = (2..=100).contains(&slug.chars().count())
        && slug
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || is_intl_word_char(c));
    if !slug_ok {
        return Err(ProfileUrlError::BadName {
            input,
            site: "LinkedIn",
            name: shown(slug),
            rule: "a LinkedIn name is 2 to 100 letters, digits, `-` or `_`; copy the link from the profile page",
        });
    }
    let slug = if is_member_id(slug) {
        slug.to_string()
    } else {
        slug.to_lowercase()
    };
    Ok(ProfileUrl {
        url: format!(
            "https://www.linkedin.com/{prefix}/{}",
            percent_encode(&slug)
        ),
        kind,
    })
}

/// LinkedIn's opaque member ids (`ACoAAB…`, used by Sales Navigator and some shares) are
/// case-sensitive, unlike vanity names; lowercasing one would break the link.
fn is_member_id(slug: &str) -> bool {
    slug.starts_with("ACo")
        && slug.len() >= 20
        && slug
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Top-level paths on x.com / twitter.com that are the site's own pages, not accounts.
const X_RESERVED: &[&str] = &[
    "about",
    "account",
    "bookmarks",
    "communities",
    "compose",
    "download",
    "explore",
    "hashtag",
    "help",
    "home",
    "i",
    "intent",
    "jobs",
    "lists",
    "login",
    "logout",
    "messages",
    "notifications",
    "oauth",
    "premium",
    "privacy",
    "search",
    "settings",
    "share",
    "signup",
    "tos",
    "topics",
];

/// Tabs of an X profile page: `x.com/<handle>/<tab>` is still that profile.
const X_PROFILE_TABS: &[&str] = &[
    "with_replies",
    "media",
    "likes",
    "highlights",
    "articles",
    "followers",
    "following",
    "verified_followers",
    "followers_you_follow",
    "superfollows",
    "photo",
    "header_photo",
    "affiliates",
];

fn x(segments: &[&str], input: String) -> Result<ProfileUrl, ProfileUrlError> {
    let not_profile = |hint| ProfileUrlError::NotAProfile {
        input: input.clone(),
        site: "X",
        hint,
    };
    let Some(handle) = segments.first() else {
        return Err(not_profile(
            "the link has no account name: use https://x.com/<handle>",
        ));
    };
    let lower = handle.to_ascii_lowercase();
    if X_RESERVED.contains(&lower.as_str()) {
        return Err(not_profile(
            "it is one of X's own pages; use the account's link, https://x.com/<handle>",
        ));
    }
    let handle_ok = (1..=15).contains(&handle.len())
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !handle_ok {
        return Err(ProfileUrlError::BadName {
            input,
            site: "X",
            name: shown(handle),
            rule: "an X handle is 1 to 15 letters, digits or `_`",
        });
    }
    match segments.get(1).map(|s| s.to_ascii_lowercase()) {
        None => {}
        Some(tab) if X_PROFILE_TABS.contains(&tab.as_str()) => {}
        Some(tab) if tab == "status" || tab == "statuses" => {
            return Err(ProfileUrlError::Post {
                input,
                handle: lower,
            })
        }
        Some(_) => {
            return Err(not_profile(
                "it is a page inside an account; use the account's link, https://x.com/<handle>",
            ))
        }
    }
    Ok(ProfileUrl {
        url: format!("https://x.com/{lower}"),
        kind: ProfileKind::X,
    })
}

/// Top-level paths on github.com that are the site's own pages, not users or organisations.
const GITHUB_RESERVED: &[&str] = &[
    "about",
    "account",
    "apps",
    "blog",
    "codespaces",
    "collections",
    "contact",
    "copilot",
    "customer-stories",
    "dashboard",
    "discussions",
    "enterprise",
    "events",
    "explore",
    "features",
    "gist",
    "home",
    "issues",
    "join",
    "login",
    "logout",
    "marketplace",
    "new",
    "nonprofit",
    "notifications",
    "organizations",
    "orgs",
    "pricing",
    "pulls",
    "readme",
    "resources",
    "search",
    "security",
    "sessions",
    "settings",
    "signup",
    "site",
    "solutions",
    "sponsors",
    "stars",
    "team",
    "teams",
    "topics",
    "trending",
    "users",
    "watching",
];

fn github(segments: &[&str], input: String) -> Result<ProfileUrl, ProfileUrlError> {
    let not_profile = |hint| ProfileUrlError::NotAProfile {
        input: input.clone(),
        site: "GitHub",
        hint,
    };
    let Some(user) = segments.first() else {
        return Err(not_profile(
            "the link has no user name: use https://github.com/<user>",
        ));
    };
    let lower = user.to_ascii_lowercase();
    if GITHUB_RESERVED.contains(&lower.as_str()) {
        return Err(not_profile(
            "it is one of GitHub's own pages; use the user's link, https://github.com/<user>",
        ));
    }
    let user_ok = (1..=39).contains(&user.len())
        && user.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !user.starts_with('-')
        && !user.ends_with('-')
        && !user.contains("--");
    if !user_ok {
        return Err(ProfileUrlError::BadName {
            input,
            site: "GitHub",
            name: shown(user),
            rule: "a GitHub user name is 1 to 39 letters, digits or single inner hyphens",
        });
    }
    if segments.len() > 1 {
        return Err(ProfileUrlError::Repository { input, user: lower });
    }
    Ok(ProfileUrl {
        url: format!("https://github.com/{lower}"),
        kind: ProfileKind::GitHub,
    })
}

impl fmt::Display for ProfileUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl AsRef<str> for ProfileUrl {
    fn as_ref(&self) -> &str {
        &self.url
    }
}

impl FromStr for ProfileUrl {
    type Err = ProfileUrlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProfileUrl::parse(s)
    }
}

impl Serialize for ProfileUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.url)
    }
}

impl<'de> Deserialize<'de> for ProfileUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        ProfileUrl::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(input: &str) -> (String, ProfileKind) {
        match ProfileUrl::parse(input) {
            Ok(p) => (p.as_str().to_string(), p.kind()),
            Err(e) => panic!("{input:?} should parse: {e}"),
        }
    }

    fn err(input: &str) -> ProfileUrlError {
        match ProfileUrl::parse(input) {
            Ok(p) => panic!("{input:?} should be refused, got {p}"),
            Err(e) => e,
        }
    }

    #[test]
    fn linkedin_people_in_all_their_spellings() {
        let jane = "https://www.linkedin.com/in/jane-doe";
        for input in [
            "https://www.linkedin.com/in/jane-doe",
            "https://www.linkedin.com/in/jane-doe/",
            "http://linkedin.com/in/jane-doe",
            "linkedin.com/in/jane-doe",
            "www.linkedin.com/in/Jane-Doe/",
            "//www.linkedin.com/in/jane-doe",
            "  https://uk.linkedin.com/in/jane-doe  ",
            "https://fr.linkedin.com/in/jane-doe?originalSubdomain=fr",
            "https://m.linkedin.com/in/jane-doe",
            "https://mobile.linkedin.com/in/jane-doe",
            "https://www.linkedin.com/in/jane-doe?trk=public_profile&utm_source=share#experience",
            "https://www.linkedin.com/in/jane-doe/details/experience/",
            "https://www.linkedin.com/in/jane-doe/overlay/contact-info/",
            "https://www.linkedin.com//in//jane-doe//",
            "HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE",
            "https://www.linkedin.com./in/jane-doe",
            "https://www.linkedin.com:443/in/jane-doe",
            "https://www.linkedin.com/in/jane%2Ddoe",
        ] {
            assert_eq!(
                canon(input),
                (jane.to_string(), ProfileKind::LinkedIn),
                "{input}"
            );
        }
        assert_eq!(
            canon("linkedin.com/in/jane-doe-1a2b3c4d").0,
            "https://www.linkedin.com/in/jane-doe-1a2b3c4d"
        );
    }

    #[test]
    fn linkedin_unicode_slugs_are_canonically_encoded() {
        let expected = "https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa";
        assert_eq!(
            canon("https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa/").0,
            expected
        );
        assert_eq!(
            canon("https://www.linkedin.com/in/jos%c3%a9-garc%c3%ada").0,
            expected
        );
        assert_eq!(canon("https://www.linkedin.com/in/José-García").0, expected);
    }

    #[test]
    fn linkedin_member_ids_keep_their_case() {
        let id = "ACoAABcDeFgHiJkLmNoPqRsTuVwXyZ";
        assert_eq!(
            canon(&format!("https://www.linkedin.com/in/{id}")).0,
            format!("https://www.linkedin.com/in/{id}")
        );
    }

    #[test]
    fn linkedin_companies() {
        let acme = (
            "https://www.linkedin.com/company/acme-corp".to_string(),
            ProfileKind::LinkedInCompany,
        );
        assert_eq!(canon("https://www.linkedin.com/company/acme-corp/"), acme);
        assert_eq!(
            canon("linkedin.com/company/Acme-Corp/about/?viewAsMember=true"),
            acme
        );
        assert_eq!(
            canon("https://de.linkedin.com/company/acme-corp/people"),
            acme
        );
        assert_eq!(
            canon("https://www.linkedin.com/company/1337").0,
            "https://www.linkedin.com/company/1337"
        );
        assert!(!ProfileKind::LinkedInCompany.is_person());
    }

    #[test]
    fn linkedin_non_profiles_are_refused() {
        for input in [
            "https://www.linkedin.com/",
            "https://www.linkedin.com/feed/",
            "https://www.linkedin.com/in/",
            "https://www.linkedin.com/jobs/view/123",
            "https://www.linkedin.com/posts/jane-doe_activity-123",
            "https://www.linkedin.com/pub/jane-doe/1/2/3",
            "https://www.linkedin.com/sales/lead/ACwAAA,NAME_SEARCH",
            "https://business.linkedin.com/in/jane",
            "https://www.linkedin.com/in/jane.doe",
            "https://www.linkedin.com/in/j",
        ] {
            let e = err(input);
            assert!(
                matches!(
                    e,
                    ProfileUrlError::NotAProfile { .. }
                        | ProfileUrlError::BadName { .. }
                        | ProfileUrlError::UnknownSite { .. }
                ),
                "{input}: {e}"
            );
        }
        assert!(err("https://www.linkedin.com/feed/")
            .to_string()
            .contains("linkedin.com/in/<name>"));
    }

    #[test]
    fn x_and_twitter() {
        let jack = ("https://x.com/jack".to_string(), ProfileKind::X);
        for input in [
            "https://x.com/jack",
            "https://twitter.com/jack",
            "https://www.twitter.com/Jack/",
            "twitter.com/jack?lang=en",
            "https://mobile.twitter.com/jack",
            "https://mobile.x.com/jack",
            "x.com/JACK",
            "https://x.com/jack/with_replies",
            "https://twitter.com/jack/followers",
        ] {
            assert_eq!(canon(input), jack, "{input}");
        }
        assert_eq!(
            canon("https://x.com/Jane_Doe99").0,
            "https://x.com/jane_doe99"
        );
        assert_eq!(canon("https://x.com/x").0, "https://x.com/x");
        for input in [
            "https://x.com/home",
            "https://x.com/search?q=jane",
            "https://twitter.com/intent/tweet?text=hi",
            "https://twitter.com/share",
            "https://x.com/i/flow/login",
            "https://x.com/explore",
            "https://x.com/",
            "https://x.com/settings/profile",
            "https://x.com/jack/lists",
        ] {
            assert!(
                matches!(err(input), ProfileUrlError::NotAProfile { .. }),
                "{input}"
            );
        }
        assert!(matches!(
            err("https://x.com/jack/status/20"),
            ProfileUrlError::Post { .. }
        ));
        assert!(err("https://twitter.com/jack/status/20")
            .to_string()
            .contains("https://x.com/jack"));
        assert!(matches!(
            err("https://x.com/this_handle_is_too_long"),
            ProfileUrlError::BadName { .. }
        ));
        assert!(matches!(
            err("https://x.com/jane-doe"),
            ProfileUrlError::BadName { .. }
        ));
    }

    #[test]
    fn github() {
        let user = (
            "https://github.com/octocat".to_string(),
            ProfileKind::GitHub,
        );
        for input in [
            "https://github.com/octocat",
            "https://github.com/Octocat/",
            "github.com/octocat?tab=repositories",
            "http://www.github.com/octocat",
        ] {
            assert_eq!(canon(input), user, "{input}");
        }
        assert_eq!(
            canon("https://github.com/rust-lang").0,
            "https://github.com/rust-lang"
        );
        for input in [
            "https://github.com/orgs/rust-lang/people",
            "https://github.com/settings/profile",
            "https://github.com/features",
            "https://github.com/about",
            "https://github.com/",
        ] {
            assert!(
                matches!(err(input), ProfileUrlError::NotAProfile { .. }),
                "{input}"
            );
        }
        let e = err("https://github.com/octocat/Hello-World");
        assert!(matches!(e, ProfileUrlError::Repository { .. }));
        assert!(
            e.to_string().contains("use https://github.com/octocat"),
            "{e}"
        );
        assert!(matches!(
            err("https://github.com/-octocat"),
            ProfileUrlError::BadName { .. }
        ));
        assert!(matches!(
            err("https://github.com/octo--cat"),
            ProfileUrlError::BadName { .. }
        ));
    }

    #[test]
    fn other_inputs_are_refused_with_a_reason() {
        assert_eq!(err("   "), ProfileUrlError::Empty);
        assert!(matches!(
            err("https://facebook.com/jane"),
            ProfileUrlError::UnknownSite { .. }
        ));
        assert!(matches!(
            err("https://evil.com/linkedin.com/in/jane"),
            ProfileUrlError::UnknownSite { .. }
        ));
        assert!(matches!(
            err("https://linkedin.com.evil.com/in/jane"),
            ProfileUrlError::UnknownSite { .. }
        ));
        assert!(matches!(
            err("https://notlinkedin.com/in/jane"),
            ProfileUrlError::UnknownSite { .. }
        ));
        assert!(matches!(
            err("https://linkedin.com@evil.com/in/jane"),
            ProfileUrlError::UnknownSite { .. }
        ));
        assert!(matches!(
            err("ftp://linkedin.com/in/jane"),
            ProfileUrlError::Scheme { .. }
        ));
        assert!(matches!(
            err("javascript://linkedin.com/in/jane"),
            ProfileUrlError::Scheme { .. }
        ));
        assert!(matches!(err("jane doe"), ProfileUrlError::NotAUrl { .. }));
        assert!(matches!(
            err("https://www.linkedin.com/in/%FF%FE"),
            ProfileUrlError::NotAUrl { .. }
        ));
        assert!(matches!(
            err(&"a".repeat(5000)),
            ProfileUrlError::TooLong { .. }
        ));
    }

    #[test]
    fn serde_is_the_canonical_string() {
        let p = ProfileUrl::parse("uk.linkedin.com/in/Jane-Doe/").unwrap();
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            "\"https://www.linkedin.com/in/jane-doe\""
        );
        let back: ProfileUrl =
            serde_json::from_str("\"https://www.linkedin.com/in/jane-doe\"").unwrap();
        assert_eq!(back, p);
        assert!(serde_json::from_str::<ProfileUrl>("\"https://x.com/home\"").is_err());
        assert_eq!(
            serde_json::to_string(&ProfileKind::LinkedInCompany).unwrap(),
            "\"linkedin_company\""
        );
    }

    #[test]
    fn canonical_form_is_a_fixed_point() {
        for input in [
            "https://www.linkedin.com/in/José-García",
            "https://twitter.com/Jack",
            "github.com/Octocat",
            "linkedin.com/company/Acme",
        ] {
            let once = canon(input).0;
            assert_eq!(canon(&once).0, once);
        }
    }
}

#[cfg(test)]
mod no_panic {
    use proptest::prelude::*;

    use super::ProfileUrl;

    proptest! {
        #[test]
        fn any_text(s in any::<String>()) {
            let _ = ProfileUrl::parse(&s);
        }

        #[test]
        fn url_shaped_text(s in r"(https?://|//)?(www\.|m\.|uk\.)?(linkedin\.com|x\.com|twitter\.com|github\.com)(/[a-zA-Z0-9%_.é-]{0,12}){0,4}[?#]?.{0,8}") {
            if let Ok(p) = ProfileUrl::parse(&s) {
                prop_assert_eq!(ProfileUrl::parse(p.as_str()).ok(), Some(p));
            }
        }
    }
}
