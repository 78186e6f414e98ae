#![cfg(feature = "html")]
//! The native snapshot builder (`extract::html`, feature `html`): what it keeps and drops, that it
//! mirrors the shim's contract, and that it feeds the structured finder end to end.

use leadsync_types::extract::finding::ObjectIds;
use leadsync_types::extract::html::snapshot_from_html;
use leadsync_types::extract::snapshot::PageSnapshot;
use leadsync_types::extract::{structured, CandidateField as F, ContactKind, Provenance};
use proptest::prelude::*;

fn texts_of(s: &PageSnapshot) -> Vec<&str> {
    s.texts.iter().map(|t| t.text.as_str()).collect()
}

fn assert_well_formed(s: &PageSnapshot) {
    for (i, n) in s.nodes.iter().enumerate() {
        if let Some(p) = n.parent {
            assert!((p as usize) < i, "parent {p} of node {i} must come first");
        }
        for k in n.attrs.keys() {
            assert!(
                leadsync_types::extract::snapshot::KEPT_ATTRIBUTES.contains(&k.as_str()),
                "attribute {k} kept"
            );
        }
    }
    for t in &s.texts {
        assert!((t.node as usize) < s.nodes.len());
        assert!(
            !t.text.is_empty() && t.text.trim() == t.text && !t.text.contains("  "),
            "{:?}",
            t.text
        );
    }
}

#[test]
fn builds_the_shim_contract() {
    let html = r#"<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>  Our   team —
     Acme </title>
  <base href="/site/">
  <meta property="og:site_name" content="Acme">
  <meta name="description" content="We make things">
  <meta itemprop="name" content="Acme Ltd">
  <meta name="empty">
  <link rel="canonical" href="https://acme.example/team">
  <link rel="stylesheet" href="x.css">
  <style>body { color: red }</style>
  <script>var notText = "jane@evil.example";</script>
  <script type="application/ld+json">{"@type": "Organization", "name": "Acme"}</script>
</head>
<body class="page">
  <div class="card" data-x="dropped" onclick="dropped()" style="color: red">
    <h3>  Jane
        Doe </h3>
    <a href="mailto:jane@acme.example.com">jane@acme.example.com</a>
    <a href="../contact?x=1#y"><img src="jane.png" alt="Jane"></a>
    <img src="data:image/png;base64,AAAA" alt="inline">
  </div>
  <div><div><span></span></div></div>
  <p hidden>hidden text</p>
  <p style="display : none !important">also hidden</p>
  <p style="visibility:hidden">hidden too</p>
  <input type="hidden" value="secret">
  <noscript>enable js</noscript>
  <template><p>template text</p></template>
  <div hidden><script type="application/ld+json">{"@type": "Person", "name": "Hidden Ld"}</script></div>
  <p>Tom &amp; Jerry&nbsp;&nbsp;Ltd</p>
</body>
</html>"#;
    let s = snapshot_from_html(html, "https://acme.example/team?ref=1");
    assert_well_formed(&s);
    assert_eq!(s.url, "https://acme.example/team?ref=1");
    assert_eq!(s.title, "Our team — Acme");
    assert_eq!(s.lang.as_deref(), Some("en-GB"));
    let meta: Vec<(&str, &str)> = s
        .meta
        .iter()
        .map(|m| (m.name.as_str(), m.content.as_str()))
        .collect();
    assert_eq!(
        meta,
        [
            ("og:site_name", "Acme"),
            ("description", "We make things"),
            ("name", "Acme Ltd"),
            ("canonical", "https://acme.example/team")
        ]
    );
    assert_eq!(s.json_ld.len(), 2);
    assert!(
        s.json_ld[1].contains("Hidden Ld"),
        "JSON-LD is collected even when hidden"
    );
    assert_eq!(
        texts_of(&s),
        ["Jane Doe", "jane@acme.example.com", "Tom & Jerry Ltd"]
    );
    let tags: Vec<&str> = s.nodes.iter().map(|n| n.tag.as_str()).collect();
    assert_eq!(
        tags,
        ["body", "div", "h3", "a", "a", "img", "img", "p"],
        "empty wrappers and hidden parts are pruned"
    );
    assert_eq!(s.nodes[0].parent, None);
    assert_eq!(s.nodes[0].attr("class"), Some("page"));
    assert_eq!(s.nodes[1].attrs.keys().collect::<Vec<_>>(), ["class"]);
    assert_eq!(
        s.nodes[4].attr("href"),
        Some("https://acme.example/contact?x=1#y"),
        "resolved against <base>"
    );
    assert_eq!(
        s.nodes[5].attr("src"),
        Some("https://acme.example/site/jane.png")
    );
    assert_eq!(s.nodes[5].parent, Some(4));
    assert_eq!(s.nodes[6].attr("src"), Some("data:image/png;base64,AAAA"));
    let t = &s.texts[1];
    assert_eq!((t.node, s.nodes[t.node as usize].tag.as_str()), (3, "a"));

    // The JSON shape is the documented contract.
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        json["nodes"][0],
        serde_json::json!({"tag": "body", "attrs": {"class": "page"}})
    );
    let back: PageSnapshot = serde_json::from_value(json).unwrap();
    assert_eq!(back, s);
}

#[test]
fn big_attributes_are_dropped_and_fragments_work() {
    let big = "x".repeat(5000);
    let s = snapshot_from_html(
        &format!(r#"<p class="{big}" title="t">Hi</p>text<b>"#),
        "not a url",
    );
    assert_well_formed(&s);
    assert_eq!(s.nodes[1].attrs.keys().collect::<Vec<_>>(), ["title"]);
    assert_eq!(texts_of(&s), ["Hi", "text"]);
    let empty = snapshot_from_html("", "https://x.example/");
    assert_eq!(empty.nodes.len(), 0);
    let broken = snapshot_from_html(
        "<div><p>a<td>b</span></i>c<table><tr>d",
        "https://x.example/",
    );
    assert_well_formed(&broken);
}

#[test]
fn every_source_end_to_end() {
    let html = r#"<html lang="en-US"><head>
<meta property="og:site_name" content="Initech">
<script type="application/ld+json">
<!--
{"@context": "https://schema.org", "@type": "Organization", "name": "Initech", "telephone": "(212) 555-0147",
 "employee": {"@type": "Person", "name": "Bill Lumbergh", "jobTitle": "VP"},}
-->
</script></head><body>
<div itemscope itemtype="https://schema.org/Person">
  <span itemprop="name">Peter Gibbons</span>, <span itemprop="jobTitle">Engineer</span>
  <a itemprop="email" href="mailto:peter@initech-corp.com">peter@initech-corp.com</a>
</div>
<div class="h-card">
  <a class="p-name u-url" href="https://milton.example/">Milton Waddams</a>
  <span class="p-job-title">Collator</span> at <span class="p-org">Initech</span>
  <a class="u-tel" href="tel:+12125550199">+1 212-555-0199</a>
</div>
<div class="vcard"><span class="fn">Samir Nagheenanajar</span> <span class="tel">212 555 0123</span></div>
<a href="/cards/michael-bolton.vcf">Michael Bolton</a>
</body></html>"#;
    let s = snapshot_from_html(html, "https://initech.example/people");
    let fs = structured::find(&s, Some("US"), &mut ObjectIds::default());
    let by = |p: Provenance, f: F| {
        fs.iter()
            .filter(|x| x.provenance == p && x.field == f)
            .map(|x| x.value.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(by(Provenance::JsonLd, F::Company), ["Initech", "Initech"]);
    assert_eq!(by(Provenance::JsonLd, F::Phone), ["+12125550147"]);
    assert_eq!(by(Provenance::JsonLd, F::Name), ["Bill Lumbergh"]);
    assert_eq!(by(Provenance::Microdata, F::Name), ["Peter Gibbons"]);
    assert_eq!(
        by(Provenance::Microdata, F::Email),
        ["peter@initech-corp.com"]
    );
    assert_eq!(by(Provenance::HCard, F::Name), ["Milton Waddams"]);
    assert_eq!(by(Provenance::HCard, F::Title), ["Collator"]);
    assert_eq!(by(Provenance::HCard, F::Phone), ["+12125550199"]);
    assert_eq!(
        by(Provenance::HCard, F::Website),
        ["https://milton.example/"]
    );
    assert_eq!(
        by(Provenance::Vcard, F::Name),
        ["Samir Nagheenanajar", "Michael Bolton"]
    );
    assert_eq!(by(Provenance::Vcard, F::Phone), ["+12125550123"]);
    assert_eq!(by(Provenance::Meta, F::Company), ["Initech"]);
    assert_eq!(
        by(Provenance::Meta, F::Website),
        ["https://initech.example/"]
    );

    // Visible structured values are anchored on the text the shim will badge.
    let peter = fs
        .iter()
        .find(|f| f.value == "peter@initech-corp.com")
        .unwrap();
    let a = peter.anchor.expect("anchored");
    assert_eq!(s.texts[a.text as usize].text, "peter@initech-corp.com");
    assert_eq!(s.nodes[a.node as usize].tag, "a");
    let tel = fs.iter().find(|f| f.value == "+12125550199").unwrap();
    assert_eq!(tel.anchor.map(|a| (a.start, a.end)), Some((0, 15)));

    // Objects: one per structured thing, none shared across sources.
    let kind_of = |name: &str| fs.iter().find(|f| f.value == name).and_then(|f| f.kind);
    assert_eq!(kind_of("Bill Lumbergh"), Some(ContactKind::Person));
    assert_eq!(kind_of("Initech"), Some(ContactKind::Company));
    let objects: std::collections::BTreeSet<u32> = fs.iter().filter_map(|f| f.object).collect();
    assert_eq!(
        objects.len(),
        6,
        "Initech (JSON-LD), Bill, Peter, Milton, Samir, Initech (meta)"
    );
}

#[test]
fn h_card_details() {
    let html = r#"<body>
<ul>
<li class="h-card">
  <img class="u-photo" src="/jane.jpg" alt="">
  <span class="p-name"><span class="p-honorific-prefix">Dr</span> Jane Doe</span>
  <span class="p-job-title">CTO</span> at <a class="p-org h-card" href="https://acme-corp.com/">Acme Corp</a>
  <a class="p-tel" href="tel:+442079460958">Call Jane</a>
  <a class="u-url" href="mailto:jane@acme-corp.com">Email</a>
  <a class="u-url" href="https://www.linkedin.com/in/janedoe/">LinkedIn</a>
  <span class="p-adr h-adr"><span class="p-locality">London</span>, <span class="p-country-name">UK</span></span>
</li>
<li class="h-card"><a class="u-email p-name" href="mailto:bob@acme-corp.com">Bob Smith</a> <span class="p-tel"><span class="value">020</span> <span class="value">7946</span> <span class="value">0000</span></span></li>
<li class="h-card">Carol King</li>
</ul></body>"#;
    let s = snapshot_from_html(html, "https://acme-corp.com/team");
    let fs = structured::find(&s, Some("GB"), &mut ObjectIds::default());
    let object = |name: &str| {
        let o = fs
            .iter()
            .find(|f| f.value == name && f.field == F::Name)
            .unwrap_or_else(|| panic!("{name}: {fs:#?}"))
            .object;
        fs.iter()
            .filter(|f| f.object == o)
            .map(|f| (f.field, f.value.as_str()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        object("Dr Jane Doe"),
        [
            (F::Name, "Dr Jane Doe"),
            (F::Company, "Acme Corp"),
            (F::Title, "CTO"),
            (F::Phone, "+442079460958"),
            (F::Email, "jane@acme-corp.com"),
            (F::Profile, "https://www.linkedin.com/in/janedoe"),
            (F::Location, "London, UK"),
        ]
    );
    let acme = fs
        .iter()
        .find(|f| f.field == F::Website && f.value == "https://acme-corp.com/")
        .unwrap();
    assert_eq!(
        acme.kind,
        Some(ContactKind::Company),
        "the nested p-org h-card is an organisation"
    );
    assert_eq!(
        object("Bob Smith"),
        [
            (F::Name, "Bob Smith"),
            (F::Email, "bob@acme-corp.com"),
            (F::Phone, "+442079460000")
        ]
    );
    let carol = fs.iter().find(|f| f.value == "Carol King").unwrap();
    assert!(carol.confidence < 0.8, "an implied name is less sure");
    assert!(carol.anchor.is_some());
    assert!(fs.iter().all(|f| f.provenance == Provenance::HCard));
}

/// A 5 MB page: built and scanned in one pass each (figures printed, never asserted: no timed
/// tests).
#[test]
fn five_megabyte_page() {
    let mut html = String::from("<html><head><title>Directory</title></head><body><main>");
    let mut i = 0;
    while html.len() < 5 * 1024 * 1024 {
        html.push_str(&format!(
            r#"<div class="h-card vcard" itemscope itemtype="https://schema.org/Person"><h3 class="p-name" itemprop="name">Person {i}</h3>
<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.</p>
<a class="u-email" itemprop="email" href="mailto:person{i}@bigco-example.com">person{i}@bigco-example.com</a>
<span class="p-org">BigCo</span><ul><li>one</li><li>two</li><li><b><i>deep</i></b></li></ul></div>
"#
        ));
        i += 1;
    }
    html.push_str("</main></body></html>");
    let t = std::time::Instant::now();
    let s = snapshot_from_html(&html, "https://bigco.example/");
    let built = t.elapsed();
    let t = std::time::Instant::now();
    let fs = structured::find(&s, Some("US"), &mut ObjectIds::default());
    let found = t.elapsed();
    println!(
        "5 MB page: {} cards, {} nodes, {} texts; snapshot {built:?}, structured::find {found:?}, {} findings",
        i,
        s.nodes.len(),
        s.texts.len(),
        fs.len()
    );
    assert_eq!(
        fs.iter()
            .filter(|f| f.field == F::Email && f.provenance == Provenance::HCard)
            .count(),
        i
    );
    assert_eq!(
        fs.iter()
            .filter(|f| f.field == F::Email && f.provenance == Provenance::Microdata)
            .count(),
        i
    );
}

proptest! {
    /// Any markup, however broken, gives a well-formed snapshot the finder accepts.
    #[test]
    fn any_markup(parts in prop::collection::vec(prop::sample::select(vec![
        "<div class=\"h-card\">", "<span class=\"p-name\">", "Jane Doe", "</div>", "</span>", "<a href=\"mailto:j@acme.io\">",
        "<a href=\"../x\">", "</a>", "<p hidden>", "<script type=\"application/ld+json\">", "{\"@type\":\"Person\",\"name\":\"X\"}",
        "</script>", "<style>", "<template>", "<table><tr><td>", "<!--", "-->", "<base href=\"//evil/\">", "&amp;", "&#0;", "\u{0}",
        "<img alt=\"Zoë\" src=x>", "<div itemscope itemtype=\"https://schema.org/Person\">", "<b itemprop=\"name\">", " ", "\n",
        "<meta property=\"og:site_name\" content=\"S\">", "<html lang=\"fr\">", "<body>", "<svg><title>t</title></svg>",
    ]), 0..60), url in prop::sample::select(vec!["https://acme.example/a/b", "", "::", "file:///x"])) {
        let html = parts.concat();
        let s = snapshot_from_html(&html, url);
        assert_well_formed(&s);
        let _ = structured::find(&s, Some("FR"), &mut ObjectIds::default());
    }
}
