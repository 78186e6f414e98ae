//! JSON-LD through `structured::find`: `@graph`, arrays, `@id` references, nested `worksFor` /
//! `employee` / `contactPoint` / `address`, organisation subtypes, and malformed bodies.

use leadsync_types::extract::finding::{Finding, ObjectIds};
use leadsync_types::extract::snapshot::{ElementNode, PageSnapshot, TextNode};
use leadsync_types::extract::{structured, CandidateField as F, ContactKind, Provenance};

fn run(blocks: &[&str], region: Option<&str>) -> Vec<Finding> {
    let snap = PageSnapshot {
        url: "https://acme.example/team".into(),
        json_ld: blocks.iter().map(|b| b.to_string()).collect(),
        ..Default::default()
    };
    structured::find(&snap, region, &mut ObjectIds::default())
}

/// The object holding `field = value`, as (kind, every finding of it).
fn object_with<'f>(fs: &'f [Finding], field: F, value: &str) -> (ContactKind, Vec<&'f Finding>) {
    let f = fs
        .iter()
        .find(|f| f.field == field && f.value == value)
        .unwrap_or_else(|| panic!("no {field:?} {value:?} in {fs:#?}"));
    let obj = f.object.expect("structured findings belong to an object");
    (
        f.kind.expect("objects have a kind"),
        fs.iter().filter(|g| g.object == Some(obj)).collect(),
    )
}

fn values(of: &[&Finding], field: F) -> Vec<String> {
    of.iter()
        .filter(|f| f.field == field)
        .map(|f| f.value.clone())
        .collect()
}

const GRAPH: &str = r#"{
  "@context": "https://schema.org",
  "@graph": [
    {"@type": "Organization", "@id": "https://acme.example/#org", "name": "Acme Ltd",
     "url": "https://acme.example", "sameAs": ["https://www.linkedin.com/company/acme/", "https://en.wikipedia.org/wiki/Acme"],
     "telephone": "+1 (415) 555-0100",
     "address": {"@type": "PostalAddress", "streetAddress": "1 Main St", "addressLocality": "Springfield",
                 "addressRegion": "IL", "addressCountry": {"@type": "Country", "name": "US"}}},
    {"@type": "Person", "@id": "https://acme.example/#jane", "name": "Jane Doe", "jobTitle": "Head of Sales",
     "email": "mailto:jane.doe@acme.example.com", "worksFor": {"@id": "https://acme.example/#org"},
     "sameAs": ["https://uk.linkedin.com/in/Jane-Doe/?trk=x", "https://twitter.com/janedoe", "https://janedoe.blog"]}
  ]
}"#;

#[test]
fn graph_with_references() {
    let fs = run(&[GRAPH], None);
    assert!(fs.iter().all(|f| f.provenance == Provenance::JsonLd));
    let (kind, jane) = object_with(&fs, F::Name, "Jane Doe");
    assert_eq!(kind, ContactKind::Person);
    assert_eq!(values(&jane, F::Title), ["Head of Sales"]);
    assert_eq!(values(&jane, F::Email), ["jane.doe@acme.example.com"]);
    assert_eq!(values(&jane, F::Company), ["Acme Ltd"]);
    assert_eq!(
        values(&jane, F::Profile),
        [
            "https://www.linkedin.com/in/jane-doe",
            "https://x.com/janedoe"
        ]
    );
    let (kind, acme) = object_with(&fs, F::Company, "Acme Ltd");
    assert_eq!(kind, ContactKind::Company);
    assert_ne!(
        acme[0].object, jane[0].object,
        "the organisation is an object of its own"
    );
    assert_eq!(values(&acme, F::Website), ["https://acme.example/"]);
    assert_eq!(
        values(&acme, F::Profile),
        ["https://www.linkedin.com/company/acme"]
    );
    assert_eq!(values(&acme, F::Phone), ["+14155550100"]);
    assert_eq!(values(&acme, F::Location), ["Springfield, IL, US"]);
    assert!(
        fs.iter().all(|f| (0.9..=0.98).contains(&f.confidence)),
        "{fs:#?}"
    );
}

#[test]
fn top_level_array_and_subtypes() {
    let body = r#"[
      {"@context": "https://schema.org", "@type": "Restaurant", "name": "Chez Marie", "telephone": "01 42 68 53 00",
       "address": {"@type": "PostalAddress", "addressLocality": "Paris", "addressCountry": "FR"}},
      {"@type": ["Person", "Thing"], "givenName": "Marie", "familyName": "Curie", "email": "marie@chezmarie.fr"},
      {"@type": "http://schema.org/HomeAndConstructionBusiness", "name": "Bob Builds"},
      {"@type": "schema:Dentist", "name": "Smile Co"}
    ]"#;
    let fs = run(&[body], Some("FR"));
    let (kind, resto) = object_with(&fs, F::Company, "Chez Marie");
    assert_eq!(kind, ContactKind::Company);
    assert_eq!(values(&resto, F::Phone), ["+33142685300"]);
    assert_eq!(values(&resto, F::Location), ["Paris, FR"]);
    let (kind, marie) = object_with(&fs, F::Name, "Marie Curie");
    assert_eq!(kind, ContactKind::Person);
    assert_eq!(values(&marie, F::Email), ["marie@chezmarie.fr"]);
    assert_eq!(
        object_with(&fs, F::Company, "Bob Builds").0,
        ContactKind::Company
    );
    assert_eq!(
        object_with(&fs, F::Company, "Smile Co").0,
        ContactKind::Company
    );
}

#[test]
fn employees_contact_points_and_founders() {
    let body = r#"{
      "@context": "https://schema.org", "@type": "Corporation", "name": "Globex",
      "contactPoint": [
        {"@type": "ContactPoint", "contactType": "sales", "telephone": "+44 20 7946 0958", "email": "sales@globex.co.uk"},
        {"@type": "ContactPoint", "contactType": "support", "email": "help@globex.co.uk", "url": "https://globex.co.uk/help"}
      ],
      "employee": [
        {"@type": "Person", "name": "Hank Scorpio", "jobTitle": "CEO", "telephone": "020 7946 0000"},
        {"@type": "Person", "name": "Frank Grimes", "worksFor": "Springfield Nuclear"}
      ],
      "founder": {"@type": "Person", "name": "Ada Founder"},
      "department": {"@type": "Organization", "name": "Globex R&D", "email": "rnd@globex.co.uk"}
    }"#;
    let fs = run(&[body], Some("GB"));
    let (_, globex) = object_with(&fs, F::Company, "Globex");
    assert_eq!(values(&globex, F::Phone), ["+442079460958"]);
    assert_eq!(
        values(&globex, F::Email),
        ["sales@globex.co.uk", "help@globex.co.uk"]
    );
    assert!(
        values(&globex, F::Website).is_empty(),
        "a contact point's url is not the company site"
    );
    let (kind, hank) = object_with(&fs, F::Name, "Hank Scorpio");
    assert_eq!(kind, ContactKind::Person);
    assert_eq!(values(&hank, F::Company), ["Globex"]);
    assert_eq!(values(&hank, F::Title), ["CEO"]);
    assert_eq!(values(&hank, F::Phone), ["+442079460000"]);
    let (_, frank) = object_with(&fs, F::Name, "Frank Grimes");
    assert_eq!(
        values(&frank, F::Company),
        ["Springfield Nuclear"],
        "own worksFor wins over the employer"
    );
    let (_, ada) = object_with(&fs, F::Name, "Ada Founder");
    assert_eq!(values(&ada, F::Company), ["Globex"]);
    let (kind, rnd) = object_with(&fs, F::Company, "Globex R&D");
    assert_eq!(kind, ContactKind::Company);
    assert_eq!(values(&rnd, F::Email), ["rnd@globex.co.uk"]);
    // Five objects: Globex, three people, the department.
    let objects: std::collections::BTreeSet<u32> = fs.iter().filter_map(|f| f.object).collect();
    assert_eq!(objects.len(), 5);
}

#[test]
fn persons_inside_other_things_and_cycles() {
    let article = r#"{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Hi",
      "author": {"@type": "Person", "name": "Reporter One", "url": "https://github.com/reporter1"},
      "publisher": {"@type": "NewsMediaOrganization", "name": "Daily Planet", "logo": {"@type": "ImageObject", "url": "x.png"}}}"#;
    let cycle = r#"[{"@type": "Person", "@id": "urn:p", "name": "Loop Person", "worksFor": {"@id": "urn:o"}},
      {"@type": "Organization", "@id": "urn:o", "name": "Loop Org", "employee": [{"@id": "urn:p"}], "parentOrganization": {"@id": "urn:o"}}]"#;
    let fs = run(&[article, cycle], None);
    let (_, reporter) = object_with(&fs, F::Name, "Reporter One");
    assert_eq!(
        values(&reporter, F::Profile),
        ["https://github.com/reporter1"]
    );
    assert_eq!(
        object_with(&fs, F::Company, "Daily Planet").0,
        ContactKind::Company
    );
    let (_, looped) = object_with(&fs, F::Name, "Loop Person");
    assert_eq!(values(&looped, F::Company), ["Loop Org"]);
    assert_eq!(
        fs.iter().filter(|f| f.value == "Loop Org").count(),
        2,
        "once as the org, once as the person's company"
    );
}

#[test]
fn references_across_blocks_and_duplicate_ids_make_one_object() {
    let a = r#"{"@type": "Organization", "@id": "https://a.example/#o", "name": "Across", "email": "hi@across.io"}"#;
    let b = r#"{"@type": "Person", "name": "Bea", "worksFor": {"@id": "https://a.example/#o"}}"#;
    let c = r#"{"@type": "Organization", "@id": "https://a.example/#o", "telephone": "+1 212 555 0199"}"#;
    let fs = run(&[a, b, c], None);
    let (_, bea) = object_with(&fs, F::Name, "Bea");
    assert_eq!(values(&bea, F::Company), ["Across"]);
    let (_, across) = object_with(&fs, F::Company, "Across");
    assert_eq!(values(&across, F::Email), ["hi@across.io"]);
    assert_eq!(
        values(&across, F::Phone),
        ["+12125550199"],
        "same @id, same object"
    );
}

#[test]
fn malformed_bodies_are_tolerated() {
    let person = r#"{"@type": "Person", "name": "Broken Body", "email": "broken@acme.io"}"#;
    let variants = [
        format!("\u{feff}{person}"),
        format!("<!--\n{person}\n-->"),
        format!("//<![CDATA[\n{person}\n//]]>"),
        format!("<![CDATA[{person}]]>"),
        r#"{"@type": "Person", "name": "Broken Body", "email": "broken@acme.io",}"#.to_string(),
        r#"{"@type": "Person", "name": "Broken Body", "email": "broken@acme.io", "knows": [,],}"#.to_string(),
        "{\"@type\": \"Person\", \"name\": \"Broken Body\", \"description\": \"two\nlines\tand\u{1}ctl\", \"email\": \"broken@acme.io\"}".to_string(),
        r#"{"@type": "Person", "name": "Broken Body", "description": "it\'s", "email": "broken@acme.io"}"#.to_string(),
        format!("/* generated */ {person};"),
        format!("{person}\n{person}"),
    ];
    for body in &variants {
        let fs = run(&[body], None);
        let (_, p) = object_with(&fs, F::Name, "Broken Body");
        assert_eq!(values(&p, F::Email), ["broken@acme.io"], "{body:?}");
    }
    for hopeless in [
        "{\"@type\": \"Person\", \"name\": ",
        "<html>",
        "null",
        "\"just a string\"",
        "[[[[",
        "}{",
        "",
    ] {
        assert!(run(&[hopeless], None).is_empty(), "{hopeless:?}");
    }
    // A broken block does not stop the next one.
    let fs = run(&["{oops", person], None);
    object_with(&fs, F::Name, "Broken Body");
}

#[test]
fn bad_values_are_dropped_not_kept() {
    let body = r#"{"@type": "Person", "name": "  Spaced \n Out  ", "email": "not an email", "telephone": "12",
      "url": "javascript:alert(1)", "sameAs": "https://www.linkedin.com/feed/", "jobTitle": ["", "Engineer"],
      "address": "  10 Downing St, London "}"#;
    let fs = run(&[body], Some("GB"));
    let (_, p) = object_with(&fs, F::Name, "Spaced Out");
    assert!(values(&p, F::Email).is_empty());
    assert!(values(&p, F::Phone).is_empty());
    assert!(values(&p, F::Website).is_empty());
    assert!(values(&p, F::Profile).is_empty());
    assert_eq!(values(&p, F::Title), ["Engineer"]);
    assert_eq!(values(&p, F::Location), ["10 Downing St, London"]);
}

#[test]
fn visible_values_are_anchored_in_utf16() {
    let mut snap = PageSnapshot {
        url: "https://acme.example/".into(),
        nodes: vec![
            ElementNode {
                parent: None,
                tag: "body".into(),
                attrs: Default::default(),
            },
            ElementNode {
                parent: Some(0),
                tag: "p".into(),
                attrs: Default::default(),
            },
        ],
        texts: vec![
            TextNode {
                node: 1,
                text: "Écrivez à 😀 Zoë: zoe@acme.io".into(),
            },
            TextNode {
                node: 1,
                text: "Zoë Ångström".into(),
            },
        ],
        ..Default::default()
    };
    snap.json_ld.push(r#"{"@type": "Person", "name": "Zoë Ångström", "email": "ZOE@ACME.IO", "jobTitle": "Founder"}"#.into());
    let fs = structured::find(&snap, None, &mut ObjectIds::default());
    let email = fs.iter().find(|f| f.field == F::Email).unwrap();
    assert_eq!(email.value, "ZOE@acme.io");
    let a = email.anchor.expect("the address is visible");
    assert_eq!((a.node, a.text, a.start, a.end), (1, 0, 18, 29));
    let name = fs.iter().find(|f| f.field == F::Name).unwrap();
    let a = name.anchor.expect("the name is a whole text node");
    assert_eq!((a.text, a.start, a.end), (1, 0, 12));
    assert_eq!(name.node, Some(1));
    let title = fs.iter().find(|f| f.field == F::Title).unwrap();
    assert!(
        title.anchor.is_none() && title.node.is_none(),
        "not visible: {title:?}"
    );
}

#[test]
fn untyped_relations_and_people_named_in_text() {
    let body = r#"{"@type": "Organization", "name": "Untyped Inc",
      "employee": [{"name": "Una Typed", "email": "una@untyped.io"}],
      "member": [{"name": "Maybe Org"}],
      "founder": ["Fay Founder", ""]}
      "#;
    let person =
        r#"{"@type": "Person", "name": "Wes Worker", "worksFor": {"name": "Plain Employer"}}"#;
    let fs = run(&[body, person], None);
    let (kind, una) = object_with(&fs, F::Name, "Una Typed");
    assert_eq!(kind, ContactKind::Person, "an untyped employee is a person");
    assert_eq!(values(&una, F::Company), ["Untyped Inc"]);
    assert_eq!(values(&una, F::Email), ["una@untyped.io"]);
    assert!(
        !fs.iter().any(|f| f.value == "Maybe Org"),
        "an untyped member could be anything"
    );
    let (kind, fay) = object_with(&fs, F::Name, "Fay Founder");
    assert_eq!(kind, ContactKind::Person);
    assert_eq!(values(&fay, F::Company), ["Untyped Inc"]);
    let (_, wes) = object_with(&fs, F::Name, "Wes Worker");
    assert_eq!(values(&wes, F::Company), ["Plain Employer"]);
    assert_eq!(
        object_with(&fs, F::Company, "Plain Employer").1.len(),
        1,
        "the employer is an object too"
    );
}
