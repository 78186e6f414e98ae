//! Microformats: mf2 `h-card` (and `h-org`) and classic hCard (`vcard`), parsed per the
//! [microformats2 parsing spec](https://microformats.org/wiki/microformats2-parsing) from the
//! snapshot's `class`, `href`, `src`, `alt`, `title`, `value` attributes and texts.
//!
//! What is followed:
//! - Roots: `h-*` classes (lower case, as the spec requires); on elements without one, the classic
//!   roots (`vcard` → h-card, `adr` → h-adr, and the other v1 roots so their contents are not
//!   mistaken for the card's). Inside an mf2 root only `p-`/`u-`/`dt-`/`e-` properties count; inside a
//!   classic root only the classic property names (`fn`, `n`'s `given-name`/`family-name`, `email`,
//!   `tel`, `org`/`organization-name`, `title`, `role`, `url`, `adr`, `locality`, …).
//! - Values: `p-*` — the value-class pattern, `abbr`/`link[title]`, `data`/`input[value]`,
//!   `img`/`area[alt]`, else the text (images standing for their `alt`); `u-*` — `href`, then `src`,
//!   then the value-class pattern, `abbr[title]`, `data[value]`, text. `email` loses `mailto:` and any
//!   query, `tel` goes to E.164 with the page's region.
//! - Implied properties (mf2 roots only, as the spec says): the name from `img[alt]`/`area[alt]`/
//!   `abbr[title]` on the root, its only child or only grandchild, else the root's text — only when
//!   the card has no `p-*`/`e-*` property and no nested microformat (confidence 0.7); the url from
//!   `a[href]`/`area[href]` on the root or as its only link.
//! - Nesting: a nested root is a separate object. As a property value it lends its name (`p-org
//!   h-card` → the outer card's company, and the inner card is an organisation) or its address
//!   (`p-adr h-adr` → "locality, region, country"). A nested root that is not a property (a child)
//!   lends nothing, as the spec says.
//! - The classic include pattern through `itemref` (hCard's `<div class="vcard" itemref="…">`).
//!
//! Kind: an organisation when the card is `h-org`, is the `org` of another card, has a name that is
//! also its `org` (hCard's `fn org`), or has an `org` and no name; a person otherwise.
//! Known gaps: `dt-*`/`e-*` values are not read (no lead field needs them); the snapshot keeps no
//! spacing between text nodes, so text values join them with one space.

use std::collections::{HashMap, HashSet};

use super::page::{Page, MAX_TEXT_VISITS};
use super::{confidence, values, Obj, Out, Value};
use crate::extract::candidate::{CandidateField, ContactKind, Provenance};

/// How deep an `itemref` include may pull in a root that is parsed on demand.
const MAX_INCLUDE_DEPTH: u32 = 4;
/// Elements visited through one root's `itemref` includes.
const MAX_INCLUDE_VISITS: usize = 4096;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Version {
    V2,
    V1,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Prefix {
    P,
    U,
    Dt,
    E,
}

/// A root: its version and its (mf2) types.
#[derive(Clone, Debug)]
struct Root {
    version: Version,
    types: Vec<String>,
}

impl Root {
    fn is(&self, t: &str) -> bool {
        self.types.iter().any(|x| x == t)
    }

    fn is_card(&self) -> bool {
        self.is("h-card") || (self.version == Version::V2 && self.is("h-org"))
    }
}

/// Classic roots and their mf2 names.
const V1_ROOTS: &[(&str, &str)] = &[
    ("vcard", "h-card"),
    ("adr", "h-adr"),
    ("geo", "h-geo"),
    ("hentry", "h-entry"),
    ("hfeed", "h-feed"),
    ("hreview", "h-review"),
    ("hreview-aggregate", "h-review-aggregate"),
    ("hproduct", "h-product"),
    ("hrecipe", "h-recipe"),
    ("hresume", "h-resume"),
    ("vevent", "h-event"),
    ("hnews", "h-news"),
    ("xfolkentry", "h-bookmark"),
    ("hlisting", "h-listing"),
];

/// Classic hCard properties: class → (prefix, mf2 name).
const V1_CARD_PROPS: &[(&str, Prefix, &str)] = &[
    ("fn", Prefix::P, "name"),
    ("given-name", Prefix::P, "given-name"),
    ("family-name", Prefix::P, "family-name"),
    ("additional-name", Prefix::P, "additional-name"),
    ("honorific-prefix", Prefix::P, "honorific-prefix"),
    ("honorific-suffix", Prefix::P, "honorific-suffix"),
    ("nickname", Prefix::P, "nickname"),
    ("email", Prefix::U, "email"),
    ("logo", Prefix::U, "logo"),
    ("photo", Prefix::U, "photo"),
    ("url", Prefix::U, "url"),
    ("uid", Prefix::U, "uid"),
    ("category", Prefix::P, "category"),
    ("adr", Prefix::P, "adr"),
    ("extended-address", Prefix::P, "extended-address"),
    ("street-address", Prefix::P, "street-address"),
    ("locality", Prefix::P, "locality"),
    ("region", Prefix::P, "region"),
    ("postal-code", Prefix::P, "postal-code"),
    ("country-name", Prefix::P, "country-name"),
    ("label", Prefix::P, "label"),
    ("geo", Prefix::P, "geo"),
    ("tel", Prefix::P, "tel"),
    ("note", Prefix::P, "note"),
    ("bday", Prefix::Dt, "bday"),
    ("key", Prefix::U, "key"),
    ("org", Prefix::P, "org"),
    ("organization-name", Prefix::P, "organization-name"),
    ("organization-unit", Prefix::P, "organization-unit"),
    ("title", Prefix::P, "job-title"),
    ("role", Prefix::P, "role"),
    ("agent", Prefix::P, "agent"),
    ("tz", Prefix::P, "tz"),
    ("rev", Prefix::Dt, "rev"),
];

/// Classic adr properties.
const V1_ADR_PROPS: &[(&str, Prefix, &str)] = &[
    ("post-office-box", Prefix::P, "post-office-box"),
    ("extended-address", Prefix::P, "extended-address"),
    ("street-address", Prefix::P, "street-address"),
    ("locality", Prefix::P, "locality"),
    ("region", Prefix::P, "region"),
    ("postal-code", Prefix::P, "postal-code"),
    ("country-name", Prefix::P, "country-name"),
];

/// One value and the element it came from.
type Src = (String, u32);

fn first(v: &[Src]) -> &str {
    v.first().map(|s| s.0.as_str()).unwrap_or("")
}

/// What one root says, before normalisation.
#[derive(Default, Debug)]
struct Parsed {
    names: Vec<Src>,
    given: Vec<Src>,
    family: Vec<Src>,
    orgs: Vec<Src>,
    org_names: Vec<Src>,
    titles: Vec<Src>,
    emails: Vec<Src>,
    tels: Vec<Src>,
    urls: Vec<Src>,
    /// Addresses as location text (from a nested h-adr, or an `adr` written as text).
    adrs: Vec<Src>,
    locality: Vec<Src>,
    region: Vec<Src>,
    country: Vec<Src>,
    /// The `p-adr`'s own text, for an h-adr with no locality/region/country.
    text: Option<Src>,
    implied_name: Option<Src>,
    implied_url: Option<Src>,
    has_nested: bool,
    has_p_or_e: bool,
    has_u: bool,
}

impl Parsed {
    /// The name a nested card lends as a property value.
    fn name(&self) -> Option<&Src> {
        self.names.first().or(self.implied_name.as_ref())
    }

    /// The location an h-adr lends.
    fn location(&self) -> Option<Src> {
        let node = self
            .locality
            .first()
            .or(self.region.first())
            .or(self.country.first())
            .map(|s| s.1);
        if let (Some(loc), Some(node)) = (
            values::location([
                first(&self.locality),
                first(&self.region),
                first(&self.country),
            ]),
            node,
        ) {
            return Some((loc, node));
        }
        self.text.clone().or(self.implied_name.clone())
    }
}

pub(crate) fn find(out: &mut Out<'_, '_>) {
    let page = out.page;
    let roots: Vec<(u32, Root)> = (0..page.len() as u32)
        .filter_map(|n| root_of(page, n).map(|r| (n, r)))
        .collect();
    if roots.is_empty() {
        return;
    }
    let mut mf = Mf {
        page,
        roots: roots.iter().cloned().collect(),
        parsed: HashMap::new(),
        busy: HashSet::new(),
        as_org: HashSet::new(),
    };
    // Innermost first: a card's nested roots come after it, so they are ready when it needs them.
    for (n, r) in roots.iter().rev() {
        if r.is_card() || r.is("h-adr") {
            mf.parse(*n, 0);
        }
    }
    for (n, r) in &roots {
        if r.is_card() {
            mf.emit(*n, r, out);
        }
    }
}

struct Mf<'p, 'a> {
    page: &'p Page<'a>,
    roots: HashMap<u32, Root>,
    parsed: HashMap<u32, Parsed>,
    busy: HashSet<u32>,
    /// Cards that are another card's `org`.
    as_org: HashSet<u32>,
}

fn root_of(page: &Page<'_>, n: u32) -> Option<Root> {
    // Most elements have no class at all (every element of the page is asked).
    page.attr(n, "class")?;
    let classes = || page.node(n).classes();
    let v2: Vec<String> = classes()
        .filter(|c| is_mf2_name(c, "h-"))
        .map(str::to_string)
        .collect();
    if !v2.is_empty() {
        return Some(Root {
            version: Version::V2,
            types: v2,
        });
    }
    let v1: Vec<String> = classes()
        .filter_map(|c| {
            V1_ROOTS
                .iter()
                .find(|(k, _)| *k == c)
                .map(|(_, t)| t.to_string())
        })
        .collect();
    (!v1.is_empty()).then_some(Root {
        version: Version::V1,
        types: v1,
    })
}

/// `h-card`, `p-name`, `u-email`, `dt-start`: a prefix then lower-case letter/digit words joined by
/// single hyphens.
fn is_mf2_name(class: &str, prefix: &str) -> bool {
    let Some(rest) = class.strip_prefix(prefix) else {
        return false;
    };
    !rest.is_empty()
        && rest.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The properties element `n` declares for a parent root.
fn props_of(page: &Page<'_>, n: u32, parent: &Root) -> Vec<(Prefix, String)> {
    let classes = page.node(n).classes();
    match parent.version {
        Version::V2 => classes
            .filter_map(|c| {
                let (prefix, p) = [
                    ("p-", Prefix::P),
                    ("u-", Prefix::U),
                    ("dt-", Prefix::Dt),
                    ("e-", Prefix::E),
                ]
                .into_iter()
                .find(|(p, _)| is_mf2_name(c, p))?;
                Some((p, c[prefix.len()..].to_string()))
            })
            .collect(),
        Version::V1 => {
            let table = if parent.is("h-card") {
                V1_CARD_PROPS
            } else if parent.is("h-adr") {
                V1_ADR_PROPS
            } else {
                return Vec::new();
            };
            classes
                .filter_map(|c| {
                    table
                        .iter()
                        .find(|(k, _, _)| *k == c)
                        .map(|(_, p, name)| (*p, name.to_string()))
                })
                .collect()
        }
    }
}

impl Mf<'_, '_> {
    fn is_root(&self, n: u32) -> bool {
        self.roots.contains_key(&n)
    }

    fn parse(&mut self, r: u32, depth: u32) {
        if self.parsed.contains_key(&r) || depth > MAX_INCLUDE_DEPTH || !self.busy.insert(r) {
            return;
        }
        let Some(root) = self.roots.get(&r).cloned() else {
            return;
        };
        let page = self.page;
        let mut p = Parsed::default();
        let mut stack: Vec<u32> = page.children(r).iter().rev().copied().collect();
        // The classic include pattern: `itemref` names elements parsed as if inside the card.
        let mut includes: Vec<u32> = if root.version == Version::V1 {
            let ids = page
                .attr(r, "itemref")
                .unwrap_or("")
                .split_ascii_whitespace();
            let mut v: Vec<u32> = ids
                .filter_map(|id| page.by_id(id))
                .filter(|i| *i != r)
                .collect();
            v.dedup();
            v.reverse();
            v
        } else {
            Vec::new()
        };
        let mut included = 0usize;
        let mut including = false;
        loop {
            let e = match stack.pop() {
                Some(e) => e,
                None => match includes.pop() {
                    Some(e) => {
                        including = true;
                        e
                    }
                    None => break,
                },
            };
            if including {
                included += 1;
                if included > MAX_INCLUDE_VISITS {
                    break;
                }
            }
            let props = props_of(page, e, &root);
            for (prefix, _) in &props {
                match prefix {
                    Prefix::P | Prefix::E => p.has_p_or_e = true,
                    Prefix::U => p.has_u = true,
                    Prefix::Dt => {}
                }
            }
            if self.is_root(e) {
                p.has_nested = true;
                if !props.is_empty() {
                    self.parse(e, depth + 1);
                    self.nested_property(&mut p, e, &props);
                }
                continue;
            }
            for (prefix, name) in &props {
                self.property(&mut p, e, *prefix, name);
            }
            stack.extend(page.children(e).iter().rev());
        }
        if root.version == Version::V2 {
            if p.names.is_empty() && !p.has_p_or_e && !p.has_nested {
                p.implied_name = self.implied_name(r).map(|n| (n, r));
            }
            if p.urls.is_empty() && !p.has_u && !p.has_nested {
                p.implied_url = self.implied_url(r);
            }
        }
        self.busy.remove(&r);
        self.parsed.insert(r, p);
    }

    /// A property whose value is the nested root `e`.
    fn nested_property(&mut self, p: &mut Parsed, e: u32, props: &[(Prefix, String)]) {
        let Some(inner) = self.parsed.get(&e) else {
            return;
        };
        for (prefix, name) in props {
            match (prefix, name.as_str()) {
                (Prefix::P, "org") => {
                    let v = inner
                        .name()
                        .cloned()
                        .or_else(|| inner.orgs.first().cloned());
                    if let Some((v, _)) = v {
                        p.orgs.push((v, e));
                    }
                    self.as_org.insert(e);
                }
                (Prefix::P, "name") => {
                    if let Some((v, _)) = inner.name().cloned() {
                        p.names.push((v, e));
                    }
                }
                (Prefix::P, "adr") => {
                    if let Some((v, node)) = inner.location() {
                        p.adrs.push((v, node));
                    }
                }
                _ => {}
            }
        }
    }

    fn property(&self, p: &mut Parsed, e: u32, prefix: Prefix, name: &str) {
        let value = |this: &Self| match prefix {
            Prefix::U => this.u_value(e),
            _ => this.p_value(e),
        };
        if prefix == Prefix::Dt || prefix == Prefix::E {
            return;
        }
        let list = match name {
            "name" => &mut p.names,
            "given-name" => &mut p.given,
            "family-name" => &mut p.family,
            "org" => &mut p.orgs,
            "organization-name" => &mut p.org_names,
            "job-title" | "role" => &mut p.titles,
            "email" => &mut p.emails,
            "tel" => &mut p.tels,
            "url" => &mut p.urls,
            "adr" => &mut p.adrs,
            "locality" => &mut p.locality,
            "region" => &mut p.region,
            "country-name" => &mut p.country,
            _ => return,
        };
        let v = value(self);
        if !v.trim().is_empty() {
            list.push((v, e));
        }
        // `<a class="p-tel" href="tel:…">Call us</a>`: the text is the spec's value, the link
        // the number; both are kept and the one that normalises wins.
        if prefix == Prefix::P && matches!(name, "tel" | "email") {
            if let Some(href) = self.page.attr(e, "href").filter(|h| {
                let h = h.trim_start().to_ascii_lowercase();
                h.starts_with("tel:") || h.starts_with("mailto:") || h.starts_with("callto:")
            }) {
                list.push((href.to_string(), e));
            }
        }
    }

    fn p_value(&self, e: u32) -> String {
        let page = self.page;
        if let Some(v) = self.value_class(e) {
            return v;
        }
        let attr = |a| page.attr(e, a).map(str::to_string);
        let v = match page.tag(e) {
            "abbr" | "link" => attr("title"),
            "data" | "input" => attr("value"),
            "img" | "area" => attr("alt"),
            _ => None,
        };
        v.unwrap_or_else(|| page.text_content(e, true))
    }

    fn u_value(&self, e: u32) -> String {
        let page = self.page;
        let attr = |a| page.attr(e, a).map(str::to_string);
        let v = match page.tag(e) {
            "a" | "area" | "link" => attr("href"),
            "img" | "audio" | "video" | "source" | "iframe" => attr("src"),
            _ => None,
        };
        if let Some(v) = v {
            return v;
        }
        if let Some(v) = self.value_class(e) {
            return v;
        }
        let v = match page.tag(e) {
            "abbr" => attr("title"),
            "data" | "input" => attr("value"),
            _ => None,
        };
        v.unwrap_or_else(|| page.text_content(e, true))
    }

    /// The value-class pattern: the `value` / `value-title` descendants (not inside a nested
    /// root), concatenated.
    fn value_class(&self, e: u32) -> Option<String> {
        let page = self.page;
        let mut parts: Vec<String> = Vec::new();
        let mut stack: Vec<u32> = page.children(e).iter().rev().copied().collect();
        let mut visits = 0;
        while let Some(c) = stack.pop() {
            visits += 1;
            if visits > MAX_TEXT_VISITS {
                break;
            }
            let node = page.node(c);
            if node.has_class("value-title") {
                parts.push(node.attr("title").unwrap_or("").to_string());
                continue;
            }
            if node.has_class("value") {
                let attr = |a| node.attr(a).map(str::to_string);
                let v = match node.tag.as_str() {
                    "img" | "area" => attr("alt"),
                    "data" => attr("value"),
                    "abbr" => attr("title"),
                    _ => None,
                };
                parts.push(v.unwrap_or_else(|| page.text_content(c, false)));
                continue;
            }
            if self.is_root(c) {
                continue;
            }
            stack.extend(page.children(c).iter().rev());
        }
        (!parts.is_empty()).then(|| parts.concat())
    }

    fn implied_name(&self, r: u32) -> Option<String> {
        let page = self.page;
        let from = |n: u32| -> Option<String> {
            let a = match page.tag(n) {
                "img" | "area" => page.attr(n, "alt"),
                "abbr" => page.attr(n, "title"),
                _ => None,
            };
            a.filter(|v| !v.trim().is_empty()).map(str::to_string)
        };
        if let Some(v) = from(r) {
            return Some(v);
        }
        let only_child = |n: u32| match page.children(n) {
            [c] if !self.is_root(*c) => Some(*c),
            _ => None,
        };
        if let Some(c) = only_child(r) {
            if let Some(v) = from(c) {
                return Some(v);
            }
            if let Some(v) = only_child(c).and_then(from) {
                return Some(v);
            }
        }
        let text = page.text_content(r, true);
        (!text.trim().is_empty()).then_some(text)
    }

    fn implied_url(&self, r: u32) -> Option<Src> {
        let page = self.page;
        let href = |n: u32| {
            matches!(page.tag(n), "a" | "area")
                .then(|| page.attr(n, "href"))
                .flatten()
                .map(|h| (h.to_string(), n))
        };
        if let Some(v) = href(r) {
            return Some(v);
        }
        // `.h-x > a[href]:only-of-type:not([class*=h-])`, and the same one level down through an
        // only child.
        let only_link = |n: u32| {
            for tag in ["a", "area"] {
                let of_type: Vec<u32> = page
                    .children(n)
                    .iter()
                    .copied()
                    .filter(|c| page.tag(*c) == tag)
                    .collect();
                if let [c] = of_type[..] {
                    if !self.is_root(c) {
                        if let Some(v) = href(c) {
                            return Some(v);
                        }
                    }
                }
            }
            None
        };
        only_link(r).or_else(|| match page.children(r) {
            [c] if !self.is_root(*c) => only_link(*c),
            _ => None,
        })
    }

    fn emit(&self, r: u32, root: &Root, out: &mut Out<'_, '_>) {
        let Some(p) = self.parsed.get(&r) else { return };
        let provenance = if root.version == Version::V2 {
            Provenance::HCard
        } else {
            Provenance::Vcard
        };
        let region = out.region;
        let mut vals: Vec<(CandidateField, String, Option<String>, f32, u32)> = Vec::new();
        let mut add = |field: CandidateField,
                       value: Option<String>,
                       raw: Option<&str>,
                       conf: f32,
                       node: u32| {
            if let Some(v) = value {
                vals.push((field, v, raw.map(str::to_string), conf, node));
            }
        };

        // The name: explicit, else given + family, else implied.
        let mut names: Vec<(String, f32, u32)> = p
            .names
            .iter()
            .filter_map(|(n, node)| {
                values::text(n).map(|n| (n, confidence(CandidateField::Name), *node))
            })
            .collect();
        if names.is_empty() {
            let given = p.given.first();
            let family = p.family.first();
            let joined = [given, family]
                .iter()
                .flatten()
                .map(|s| s.0.trim())
                .collect::<Vec<_>>()
                .join(" ");
            if let (Some(n), Some(node)) = (values::text(&joined), given.or(family).map(|s| s.1)) {
                names.push((n, 0.9, node));
            }
        }
        if names.is_empty() {
            if let Some((n, node)) = &p.implied_name {
                if let Some(n) = values::text(n) {
                    names.push((n, 0.7, *node));
                }
            }
        }
        let org_src = if p.org_names.is_empty() {
            &p.orgs
        } else {
            &p.org_names
        };
        let orgs: Vec<(String, u32)> = org_src
            .iter()
            .filter_map(|(o, node)| values::text(o).map(|o| (o, *node)))
            .collect();
        let is_org = root.is("h-org")
            || self.as_org.contains(&r)
            || (names.is_empty() && !orgs.is_empty())
            || names
                .iter()
                .any(|(n, _, _)| orgs.iter().any(|(o, _)| o.eq_ignore_ascii_case(n)));
        let kind = if is_org {
            ContactKind::Company
        } else {
            ContactKind::Person
        };

        if is_org {
            for (n, c, node) in &names {
                add(CandidateField::Company, Some(n.clone()), None, *c, *node);
            }
            for (o, node) in &orgs {
                add(
                    CandidateField::Company,
                    Some(o.clone()),
                    None,
                    confidence(CandidateField::Company),
                    *node,
                );
            }
        } else {
            for (n, c, node) in &names {
                add(CandidateField::Name, Some(n.clone()), None, *c, *node);
            }
            for (o, node) in &orgs {
                add(
                    CandidateField::Company,
                    Some(o.clone()),
                    None,
                    confidence(CandidateField::Company),
                    *node,
                );
            }
            for (t, node) in &p.titles {
                add(
                    CandidateField::Title,
                    values::text(t),
                    None,
                    confidence(CandidateField::Title),
                    *node,
                );
            }
        }
        for (e, node) in &p.emails {
            add(
                CandidateField::Email,
                values::email(e),
                Some(e),
                confidence(CandidateField::Email),
                *node,
            );
        }
        for (t, node) in &p.tels {
            add(
                CandidateField::Phone,
                values::phone(t, region),
                Some(t),
                confidence(CandidateField::Phone),
                *node,
            );
        }
        let urls = p
            .urls
            .iter()
            .map(|u| (u, confidence(CandidateField::Website)))
            .chain(p.implied_url.iter().map(|u| (u, 0.8)));
        for ((u, node), conf) in urls {
            // A `u-url` that is a `mailto:` or `tel:` link says how to reach the card.
            let lower = u.trim_start().get(..7).unwrap_or("").to_ascii_lowercase();
            if lower.starts_with("mailto:") {
                add(
                    CandidateField::Email,
                    values::email(u),
                    Some(u),
                    confidence(CandidateField::Email),
                    *node,
                );
                continue;
            }
            if lower.starts_with("tel:") {
                add(
                    CandidateField::Phone,
                    values::phone(u, region),
                    Some(u),
                    confidence(CandidateField::Phone),
                    *node,
                );
                continue;
            }
            if let Some((field, v)) = values::url(u) {
                let conf = if field == CandidateField::Profile {
                    conf.max(confidence(field))
                } else {
                    conf
                };
                add(field, Some(v), None, conf, *node);
            }
        }
        for (a, node) in &p.adrs {
            add(
                CandidateField::Location,
                values::text(a),
                None,
                confidence(CandidateField::Location),
                *node,
            );
        }
        let parts_node = p
            .locality
            .first()
            .or(p.region.first())
            .or(p.country.first())
            .map(|s| s.1);
        if let Some(node) = parts_node {
            let loc = values::location([first(&p.locality), first(&p.region), first(&p.country)]);
            add(
                CandidateField::Location,
                loc,
                None,
                confidence(CandidateField::Location),
                node,
            );
        }

        if vals.is_empty() {
            return;
        }
        let obj: Obj = out.object(kind);
        for (field, value, raw, conf, node) in vals {
            let v = Value {
                field,
                value,
                raw: raw.as_deref(),
                provenance,
                confidence: conf,
                node: Some(node),
            };
            out.push(Some(obj), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names() {
        assert!(is_mf2_name("h-card", "h-"));
        assert!(is_mf2_name("p-job-title", "p-"));
        assert!(!is_mf2_name("h-Adr", "h-"));
        assert!(!is_mf2_name("p-", "p-"));
        assert!(!is_mf2_name("p-x--y", "p-"));
        assert!(!is_mf2_name("P-name", "p-"));
    }
}
