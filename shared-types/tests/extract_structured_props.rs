//! No input makes the structured finder panic: arbitrary JSON-LD text (random strings and
//! JSON-shaped noise), and arbitrary snapshots — random trees with bad parent indices, text nodes
//! pointing nowhere, random classes and microdata/microformats attributes.

use std::collections::BTreeMap;

use leadsync_types::extract::finding::ObjectIds;
use leadsync_types::extract::snapshot::{ElementNode, MetaTag, PageSnapshot, TextNode};
use leadsync_types::extract::structured;
use proptest::prelude::*;

fn check(snap: &PageSnapshot) {
    let fs = structured::find(snap, Some("US"), &mut ObjectIds::default());
    for f in &fs {
        assert!(!f.value.is_empty());
        assert!((0.0..=1.0).contains(&f.confidence));
        if let Some(a) = f.anchor {
            let text = &snap.texts[a.text as usize];
            assert_eq!(text.node, a.node);
            assert!(
                a.start < a.end && a.end as usize <= text.text.encode_utf16().count(),
                "{a:?} in {text:?}"
            );
        }
    }
    // Region hints that are not regions must not panic either.
    structured::find(snap, Some("not a region"), &mut ObjectIds::default());
}

/// JSON-LD-ish text: fragments of real JSON-LD, broken at random.
fn json_ld_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\"@type\"",
        "\"Person\"",
        "\"Organization\"",
        "\"LocalBusiness\"",
        "\"ContactPoint\"",
        "\"@graph\"",
        "\"@id\"",
        "\"#a\"",
        "\"name\"",
        "\"Jane Doe\"",
        "\"email\"",
        "\"mailto:jane@acme.io\"",
        "\"telephone\"",
        "\"+1 415 555 0100\"",
        "\"worksFor\"",
        "\"employee\"",
        "\"contactPoint\"",
        "\"address\"",
        "\"addressLocality\"",
        "\"sameAs\"",
        "\"https://x.com/jane\"",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "//",
        "/*",
        "*/",
        "\n",
        "\u{feff}",
        "\u{1}",
        "null",
        "1e999",
        "-0",
        "true",
        "\"\\u12\"",
        "\"\\ud800\"",
        ";",
    ]);
    prop_oneof![
        any::<String>(),
        prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat()),
    ]
}

fn class_list() -> impl Strategy<Value = String> {
    let classes = prop::sample::select(vec![
        "h-card",
        "vcard",
        "h-org",
        "h-adr",
        "adr",
        "p-name",
        "fn",
        "p-org",
        "org",
        "u-email",
        "email",
        "p-tel",
        "tel",
        "u-tel",
        "u-url",
        "url",
        "p-adr",
        "p-locality",
        "locality",
        "value",
        "value-title",
        "p-job-title",
        "title",
        "given-name",
        "family-name",
        "p-given-name",
        "organization-name",
        "h-entry",
        "hreview",
        "e-content",
        "x",
    ]);
    prop::collection::vec(classes, 0..4).prop_map(|v| v.join(" "))
}

fn element(n: usize) -> impl Strategy<Value = ElementNode> {
    let tags = prop::sample::select(vec![
        "div", "span", "a", "img", "area", "abbr", "data", "meta", "time", "p", "li",
    ]);
    let attr_names = prop::sample::select(vec![
        "href",
        "src",
        "alt",
        "title",
        "value",
        "content",
        "datetime",
        "itemscope",
        "itemtype",
        "itemprop",
        "itemref",
        "id",
    ]);
    let attr_values = prop::sample::select(vec![
        "",
        "mailto:jane@acme.io",
        "tel:+14155550100",
        "https://www.linkedin.com/in/jane",
        "https://schema.org/Person",
        "https://schema.org/Organization",
        "name email telephone",
        "worksFor",
        "employee",
        "a b",
        "a",
        "b",
        "Jane Doe",
        "javascript:x",
        "(415) 555-0100",
    ]);
    (
        prop::option::of(0..(n as u32 + 3)),
        tags,
        class_list(),
        prop::collection::vec((attr_names, attr_values), 0..4),
    )
        .prop_map(|(parent, tag, class, attrs)| {
            let mut map: BTreeMap<String, String> = attrs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            if !class.is_empty() {
                map.insert("class".into(), class);
            }
            ElementNode {
                parent,
                tag: tag.into(),
                attrs: map,
            }
        })
}

fn snapshot() -> impl Strategy<Value = PageSnapshot> {
    (1usize..40)
        .prop_flat_map(|n| {
            let texts = prop::collection::vec(
                (
                    0..(n as u32 + 2),
                    prop_oneof![
                        any::<String>(),
                        Just("Jane Doe".to_string()),
                        Just("jane@acme.io".to_string()),
                        Just("😀 Zoë".to_string())
                    ],
                ),
                0..30,
            );
            let meta = prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "og:site_name",
                        "og:url",
                        "twitter:site",
                        "og:type",
                        "profile:first_name",
                        "canonical",
                    ]),
                    any::<String>(),
                ),
                0..5,
            );
            (
                prop::collection::vec(element(n), n),
                texts,
                prop::collection::vec(json_ld_text(), 0..3),
                meta,
                any::<String>(),
            )
        })
        .prop_map(|(nodes, texts, json_ld, meta, url)| PageSnapshot {
            url,
            title: String::new(),
            lang: None,
            nodes,
            texts: texts
                .into_iter()
                .map(|(node, text)| TextNode { node, text })
                .collect(),
            json_ld,
            meta: meta
                .into_iter()
                .map(|(name, content)| MetaTag {
                    name: name.into(),
                    content,
                })
                .collect(),
        })
}

proptest! {
    // 512 cases by default; `PROPTEST_CASES=…` runs more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_json_ld_text(body in json_ld_text()) {
        let snap = PageSnapshot { url: "https://acme.example/".into(), json_ld: vec![body.clone()], ..Default::default() };
        check(&snap);
        let _ = structured::parse_lenient(&body);
    }

    #[test]
    fn any_snapshot(snap in snapshot()) {
        check(&snap);
    }
}

/// Deep nesting (JSON and element trees) ends without a stack overflow.
#[test]
fn deep_nesting() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    check(&PageSnapshot {
        json_ld: vec![deep],
        ..Default::default()
    });
    // 120 nested objects (serde_json's limit is 128): a person who works for an organisation whose
    // employee works for an organisation …
    let mut obj = String::new();
    for i in 0..60 {
        obj.push_str(&format!(r#"{{"@type": "Person", "name": "N{i}", "worksFor": {{"@type": "Organization", "name": "O{i}", "employee": "#));
    }
    obj.push_str("null");
    obj.push_str(&"}}".repeat(60));
    let snap = PageSnapshot {
        json_ld: vec![obj],
        ..Default::default()
    };
    check(&snap);
    let fs = structured::find(&snap, None, &mut ObjectIds::default());
    assert!(
        fs.iter().any(|f| f.value == "N0") && fs.iter().any(|f| f.value == "O3"),
        "the outer levels are read"
    );
    let nodes: Vec<ElementNode> = (0..100_000u32)
        .map(|i| {
            let class = ["h-card p-org", "vcard org", "p-name value", "x"][i as usize % 4];
            let mut attrs = BTreeMap::from([("class".to_string(), class.to_string())]);
            if i % 3 == 0 {
                attrs.insert("itemscope".into(), String::new());
                attrs.insert("itemprop".into(), "worksFor".into());
            }
            ElementNode {
                parent: i.checked_sub(1),
                tag: "div".into(),
                attrs,
            }
        })
        .collect();
    let texts = (0..100_000u32)
        .step_by(7)
        .map(|i| TextNode {
            node: i,
            text: format!("t{i}"),
        })
        .collect();
    check(&PageSnapshot {
        nodes,
        texts,
        ..Default::default()
    });
}
