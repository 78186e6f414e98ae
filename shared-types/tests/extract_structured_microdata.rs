//! Microdata and meta tags through `structured::find`, on snapshots built by hand (no HTML parser
//! needed): nested items, `itemref`, value attributes by element, anchors; Open Graph / Twitter /
//! profile meta tags; and the `.vcf` link rule.

use leadsync_types::extract::finding::{Finding, ObjectIds};
use leadsync_types::extract::snapshot::{ElementNode, MetaTag, PageSnapshot, TextNode};
use leadsync_types::extract::{structured, CandidateField as F, ContactKind, Provenance};

/// A snapshot under construction; node 0 is `<body>`.
struct Doc(PageSnapshot);

impl Doc {
    fn new(url: &str) -> Self {
        Doc(PageSnapshot {
            url: url.into(),
            nodes: vec![ElementNode {
                parent: None,
                tag: "body".into(),
                attrs: Default::default(),
            }],
            ..Default::default()
        })
    }

    fn el(&mut self, parent: u32, tag: &str, attrs: &[(&str, &str)], text: Option<&str>) -> u32 {
        let id = self.0.nodes.len() as u32;
        let attrs = attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.0.nodes.push(ElementNode {
            parent: Some(parent),
            tag: tag.into(),
            attrs,
        });
        if let Some(t) = text {
            self.0.texts.push(TextNode {
                node: id,
                text: t.into(),
            });
        }
        id
    }

    fn meta(&mut self, name: &str, content: &str) {
        self.0.meta.push(MetaTag {
            name: name.into(),
            content: content.into(),
        });
    }

    fn find(&self, region: Option<&str>) -> Vec<Finding> {
        structured::find(&self.0, region, &mut ObjectIds::default())
    }
}

fn object_with<'f>(fs: &'f [Finding], field: F, value: &str) -> (ContactKind, Vec<&'f Finding>) {
    let f = fs
        .iter()
        .find(|f| f.field == field && f.value == value)
        .unwrap_or_else(|| panic!("no {field:?} {value:?} in {fs:#?}"));
    let obj = f.object.expect("in an object");
    (
        f.kind.expect("kind"),
        fs.iter().filter(|g| g.object == Some(obj)).collect(),
    )
}

fn values(of: &[&Finding], field: F) -> Vec<String> {
    of.iter()
        .filter(|f| f.field == field)
        .map(|f| f.value.clone())
        .collect()
}

fn one<'f>(of: &[&'f Finding], field: F) -> &'f Finding {
    of.iter()
        .find(|f| f.field == field)
        .copied()
        .unwrap_or_else(|| panic!("no {field:?}"))
}

#[test]
fn microdata_person_with_nested_items() {
    let mut d = Doc::new("https://acme.example/team");
    let card = d.el(
        0,
        "div",
        &[("itemscope", ""), ("itemtype", "https://schema.org/Person")],
        None,
    );
    let name = d.el(card, "h3", &[("itemprop", "name")], Some("Jane Doe"));
    d.el(card, "span", &[("itemprop", "jobTitle")], Some("VP Sales"));
    let mail = d.el(
        card,
        "a",
        &[
            ("itemprop", "email"),
            ("href", "mailto:jane@acme-corp.com?subject=Hello"),
        ],
        Some("Email Jane"),
    );
    let tel = d.el(
        card,
        "span",
        &[("itemprop", "telephone")],
        Some("Tel: (415) 555-0123"),
    );
    let tel_value = d.el(tel, "span", &[], None);
    let _ = tel_value;
    d.el(
        card,
        "a",
        &[
            ("itemprop", "sameAs"),
            ("href", "https://www.linkedin.com/in/janedoe"),
        ],
        Some("LinkedIn"),
    );
    let org = d.el(
        card,
        "div",
        &[
            ("itemprop", "worksFor"),
            ("itemscope", ""),
            ("itemtype", "http://schema.org/Corporation"),
        ],
        None,
    );
    d.el(org, "span", &[("itemprop", "name")], Some("Acme Corp"));
    d.el(
        org,
        "a",
        &[("itemprop", "url"), ("href", "https://acme-corp.com/about")],
        Some("acme-corp.com"),
    );
    let adr = d.el(
        card,
        "p",
        &[
            ("itemprop", "address"),
            ("itemscope", ""),
            ("itemtype", "https://schema.org/PostalAddress"),
        ],
        None,
    );
    d.el(
        adr,
        "span",
        &[("itemprop", "addressLocality")],
        Some("San Francisco"),
    );
    d.el(
        adr,
        "meta",
        &[("itemprop", "addressRegion"), ("content", "CA")],
        None,
    );
    d.el(adr, "span", &[("itemprop", "addressCountry")], Some("USA"));

    let fs = d.find(Some("US"));
    assert!(fs.iter().all(|f| f.provenance == Provenance::Microdata));
    let (kind, jane) = object_with(&fs, F::Name, "Jane Doe");
    assert_eq!(kind, ContactKind::Person);
    assert_eq!(values(&jane, F::Title), ["VP Sales"]);
    assert_eq!(values(&jane, F::Email), ["jane@acme-corp.com"]);
    assert_eq!(one(&jane, F::Email).node, Some(mail));
    assert_eq!(values(&jane, F::Phone), ["+14155550123"]);
    assert_eq!(
        values(&jane, F::Profile),
        ["https://www.linkedin.com/in/janedoe"]
    );
    assert_eq!(values(&jane, F::Company), ["Acme Corp"]);
    assert_eq!(values(&jane, F::Location), ["San Francisco, CA, USA"]);
    let a = one(&jane, F::Name).anchor.expect("the name is visible");
    assert_eq!((a.node, a.start, a.end), (name, 0, 8));
    let (kind, acme) = object_with(&fs, F::Company, "Acme Corp");
    assert_eq!(kind, ContactKind::Company);
    assert_eq!(values(&acme, F::Website), ["https://acme-corp.com/about"]);
}

#[test]
fn microdata_itemref_and_employees() {
    let mut d = Doc::new("https://globex.example/");
    let org = d.el(
        0,
        "section",
        &[
            ("itemscope", ""),
            ("itemtype", "https://schema.org/LocalBusiness"),
            ("itemref", "contact missing"),
        ],
        None,
    );
    d.el(org, "h1", &[("itemprop", "name")], Some("Globex Plumbing"));
    let emp = d.el(
        org,
        "div",
        &[
            ("itemprop", "employee"),
            ("itemscope", ""),
            ("itemtype", "https://schema.org/Person"),
        ],
        None,
    );
    d.el(emp, "span", &[("itemprop", "name")], Some("Mario Rossi"));
    let footer = d.el(0, "footer", &[("id", "contact")], None);
    d.el(
        footer,
        "a",
        &[("itemprop", "telephone"), ("href", "tel:+39-06-1234-5678")],
        Some("06 1234 5678"),
    );
    d.el(
        footer,
        "span",
        &[("itemprop", "email")],
        Some("info@globex-plumbing.it"),
    );
    // A loose item elsewhere, and an itemprop outside any item: ignored.
    d.el(0, "span", &[("itemprop", "name")], Some("Nobody"));

    let fs = d.find(Some("IT"));
    let (kind, globex) = object_with(&fs, F::Company, "Globex Plumbing");
    assert_eq!(kind, ContactKind::Company);
    assert_eq!(values(&globex, F::Phone), ["+390612345678"]);
    assert_eq!(values(&globex, F::Email), ["info@globex-plumbing.it"]);
    let tel = one(&globex, F::Phone)
        .anchor
        .expect("the number as written is the link text");
    assert_eq!((tel.start, tel.end), (0, 12));
    let (kind, mario) = object_with(&fs, F::Name, "Mario Rossi");
    assert_eq!(kind, ContactKind::Person);
    assert_eq!(values(&mario, F::Company), ["Globex Plumbing"]);
    assert!(!fs.iter().any(|f| f.value == "Nobody"));
}

#[test]
fn microdata_self_reference_ends() {
    let mut d = Doc::new("https://x.example/");
    let a = d.el(
        0,
        "div",
        &[
            ("id", "a"),
            ("itemscope", ""),
            ("itemtype", "https://schema.org/Person"),
            ("itemref", "a b"),
        ],
        None,
    );
    d.el(a, "span", &[("itemprop", "name")], Some("Self Ref"));
    let b = d.el(
        0,
        "div",
        &[
            ("id", "b"),
            ("itemprop", "knows"),
            ("itemscope", ""),
            ("itemref", "a"),
            ("itemtype", "https://schema.org/Person"),
        ],
        None,
    );
    d.el(b, "span", &[("itemprop", "name")], Some("Other Ref"));
    let fs = d.find(None);
    object_with(&fs, F::Name, "Self Ref");
}

#[test]
fn microdata_data_vocabulary() {
    let mut d = Doc::new("https://old.example/");
    let card = d.el(
        0,
        "div",
        &[
            ("itemscope", ""),
            ("itemtype", "http://data-vocabulary.org/Person"),
        ],
        None,
    );
    d.el(card, "span", &[("itemprop", "name")], Some("Old Timer"));
    d.el(card, "span", &[("itemprop", "title")], Some("Webmaster"));
    d.el(
        card,
        "span",
        &[("itemprop", "affiliation")],
        Some("Geocities"),
    );
    let adr = d.el(
        card,
        "span",
        &[
            ("itemprop", "address"),
            ("itemscope", ""),
            ("itemtype", "http://data-vocabulary.org/Address"),
        ],
        None,
    );
    d.el(
        adr,
        "span",
        &[("itemprop", "locality")],
        Some("Santa Monica"),
    );
    d.el(adr, "span", &[("itemprop", "region")], Some("CA"));
    let fs = d.find(None);
    let (_, p) = object_with(&fs, F::Name, "Old Timer");
    assert_eq!(values(&p, F::Title), ["Webmaster"]);
    assert_eq!(values(&p, F::Company), ["Geocities"]);
    assert_eq!(values(&p, F::Location), ["Santa Monica, CA"]);
}

#[test]
fn meta_site_and_profile() {
    let mut d = Doc::new("https://www.acme.example/blog/post-1?utm=x");
    d.meta("og:site_name", "Acme Blog");
    d.meta("og:url", "https://www.acme.example/blog/post-1");
    d.meta("twitter:site", "@AcmeHQ");
    d.meta("og:type", "article");
    let fs = d.find(None);
    assert!(fs.iter().all(|f| f.provenance == Provenance::Meta));
    let (kind, site) = object_with(&fs, F::Company, "Acme Blog");
    assert_eq!(kind, ContactKind::Company);
    assert_eq!(values(&site, F::Website), ["https://www.acme.example/"]);
    assert_eq!(values(&site, F::Profile), ["https://x.com/acmehq"]);
    assert!(
        !fs.iter().any(|f| f.kind == Some(ContactKind::Person)),
        "an article is not a profile"
    );

    let mut d = Doc::new("https://github.com/octocat");
    d.meta("og:type", "profile");
    d.meta("profile:first_name", "Mona");
    d.meta("profile:last_name", "Octocat");
    d.meta("og:url", "https://github.com/octocat");
    d.meta("twitter:creator", "https://twitter.com/monalisa");
    let fs = d.find(None);
    let (kind, mona) = object_with(&fs, F::Name, "Mona Octocat");
    assert_eq!(kind, ContactKind::Person);
    assert_eq!(
        values(&mona, F::Profile),
        ["https://github.com/octocat", "https://x.com/monalisa"]
    );
    assert!(
        !fs.iter().any(|f| f.field == F::Company),
        "no og:site_name, no company"
    );

    let mut d = Doc::new("https://example.org/");
    d.meta("og:title", "Welcome");
    d.meta("twitter:site", "@nobody");
    assert!(d.find(None).is_empty());
}

#[test]
fn meta_canonical_and_anchor() {
    let mut d = Doc::new("https://m.acme.example/x");
    d.meta("og:site_name", "Acme Widgets");
    d.meta("canonical", "https://acme.example/x");
    let footer = d.el(
        0,
        "footer",
        &[],
        Some("© 2024 Acme Widgets. All rights reserved."),
    );
    let fs = d.find(None);
    let (_, site) = object_with(&fs, F::Company, "Acme Widgets");
    assert_eq!(values(&site, F::Website), ["https://acme.example/"]);
    let a = one(&site, F::Company)
        .anchor
        .expect("visible in the footer");
    assert_eq!((a.node, a.start, a.end), (footer, 7, 19));
}

#[test]
fn vcf_links() {
    let mut d = Doc::new("https://acme.example/team");
    let card = d.el(0, "div", &[("class", "card")], None);
    let named = d.el(
        card,
        "a",
        &[("href", "https://acme.example/vcards/jane-doe.vcf")],
        Some("Jane Doe"),
    );
    d.el(
        card,
        "a",
        &[("href", "https://acme.example/vcards/john.vcf")],
        Some("Download vCard"),
    );
    d.el(
        card,
        "a",
        &[
            ("href", "https://acme.example/vcards/x.VCF"),
            ("aria-label", "Save Contact"),
        ],
        None,
    );
    d.el(
        card,
        "a",
        &[("href", "https://acme.example/jane")],
        Some("Jane Roe"),
    );
    let fs = d.find(None);
    assert_eq!(fs.len(), 1, "{fs:#?}");
    let f = &fs[0];
    assert_eq!(
        (f.field, f.value.as_str(), f.provenance),
        (F::Name, "Jane Doe", Provenance::Vcard)
    );
    assert_eq!(f.object, None);
    assert_eq!(
        f.anchor.map(|a| (a.node, a.start, a.end)),
        Some((named, 0, 8))
    );
    assert!(f.confidence < 0.9);
}
