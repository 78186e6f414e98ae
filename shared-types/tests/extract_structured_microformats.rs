#![cfg(feature = "html")]
//! The public microformats test suite (`../shared/corpora/microformats/tests/`) through the native
//! snapshot builder and the structured-data finder:
//! `snapshot_from_html(X.html) → structured::find → objects`, compared with `X.json` (a full mf2
//! parse) through a small adapter that keeps what matters for a lead.
//!
//! Adapter. Expected cards are every `h-card` in the JSON — top-level items, property values
//! (`p-org h-card`, `p-author h-card`, an h-review's `item`) and children — because the finder makes
//! each of them an object of its own. Per card it compares, as sets of normalised values:
//! - name: `name`; when the parse has none (classic hCard has no implied name), `given-name` +
//!   `family-name`, which is how a lead would be named;
//! - org (an embedded `{value}` counts by its value); for an object the finder calls an organisation,
//!   its company values must equal name ∪ org;
//! - job-title and role (→ title); email without `mailto:` and query, kept when it is an address;
//!   tel, kept when it is a valid number (region US) and compared in E.164; url (profile links in
//!   canonical form, other links as normal websites);
//! - adr: each expected `locality` (of an `adr` h-adr, or on the card) must be in one of the
//!   object's locations and each location must hold one of them; with no expected adr, no location.
//!
//! A case passes when every expected card with one of those fields is matched by a different
//! h-card/hCard object of the finder, and the finder made no other such object. Cases whose cards
//! have none of those fields (e.g. classic hCard with only text, h-adr alone) pass when the finder
//! makes no contact object. The test fails below 95 % of the cases with a contact field.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use leadsync_types::extract::finding::{Finding, ObjectIds};
use leadsync_types::extract::html::snapshot_from_html;
use leadsync_types::extract::{structured, CandidateField, ContactKind, Provenance};
use leadsync_types::lead::Field;
use leadsync_types::{normalize_field, Email, Phone, ProfileUrl};
use serde_json::Value;

/// Folders of the suite with cards (or addresses) in them.
const SUITES: &[&str] = &[
    "microformats-v2/h-card",
    "microformats-v1/hcard",
    "microformats-mixed/h-card",
    "microformats-v2/h-review",
    "microformats-v1/hreview",
    "microformats-v1/hreview-aggregate",
    "microformats-v1/includes",
    "microformats-v2/h-adr",
    "microformats-v1/adr",
];

/// The base URL the suite's expected output assumes.
const BASE: &str = "http://example.com/";
const REGION: &str = "US";

#[derive(Debug, Default, Clone)]
struct Card {
    kind: Option<ContactKind>,
    names: BTreeSet<String>,
    orgs: BTreeSet<String>,
    titles: BTreeSet<String>,
    emails: BTreeSet<String>,
    tels: BTreeSet<String>,
    urls: BTreeSet<String>,
    /// Expected: localities. Found: locations.
    places: BTreeSet<String>,
    /// Expected only: the card has an `adr` (so a found location is not an extra).
    has_adr: bool,
}

impl Card {
    fn has_contact(&self) -> bool {
        !(self.names.is_empty()
            && self.orgs.is_empty()
            && self.titles.is_empty()
            && self.emails.is_empty()
            && self.tels.is_empty()
            && self.urls.is_empty()
            && self.places.is_empty())
    }
}

fn corpus_root() -> Option<PathBuf> {
    let root =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpora/microformats/tests");
    if root.is_dir() {
        Some(root)
    } else {
        println!(
            "SKIP: public corpus {} not found; the microformats suite did not run",
            root.display()
        );
        None
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strings(props: &Value, name: &str) -> Vec<String> {
    let Some(list) = props.get(name).and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(collapse(s)),
            Value::Object(o) => o.get("value").and_then(Value::as_str).map(collapse),
            _ => None,
        })
        .filter(|s| !s.is_empty())
        .collect()
}

fn url_form(u: &str) -> Option<String> {
    match ProfileUrl::parse(u) {
        Ok(p) => Some(p.as_str().to_string()),
        Err(_) => normalize_field(Field::Website, u, None).ok(),
    }
}

/// Every h-card in an mf2 item tree, each as the adapter's view.
fn expected_cards(item: &Value, out: &mut Vec<Card>) {
    let is_card = item
        .get("type")
        .and_then(Value::as_array)
        .is_some_and(|t| t.iter().any(|t| t == "h-card"));
    let props = item.get("properties").cloned().unwrap_or(Value::Null);
    if is_card {
        let mut c = Card {
            names: strings(&props, "name").into_iter().collect(),
            ..Card::default()
        };
        if c.names.is_empty() {
            let parts: Vec<String> = ["given-name", "family-name"]
                .iter()
                .filter_map(|p| strings(&props, p).into_iter().next())
                .collect();
            if !parts.is_empty() {
                c.names.insert(parts.join(" "));
            }
        }
        c.orgs = strings(&props, "org").into_iter().collect();
        c.titles = ["job-title", "role"]
            .iter()
            .flat_map(|p| strings(&props, p))
            .collect();
        c.emails = strings(&props, "email")
            .iter()
            .filter_map(|e| {
                let e = e.strip_prefix("mailto:").unwrap_or(e);
                Email::parse(e.split('?').next().unwrap_or(""))
                    .ok()
                    .map(|e| e.as_str().to_string())
            })
            .collect();
        c.tels = strings(&props, "tel")
            .iter()
            .filter_map(|t| Phone::parse(t, Some(REGION)).ok())
            .map(|p| p.as_str().to_string())
            .collect();
        c.urls = strings(&props, "url")
            .iter()
            .filter_map(|u| url_form(u))
            .collect();
        let adrs = props
            .get("adr")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        c.has_adr = !adrs.is_empty() || props.get("locality").is_some();
        for a in &adrs {
            if let Some(p) = a.get("properties") {
                c.places.extend(strings(p, "locality"));
            }
        }
        c.places.extend(strings(&props, "locality"));
        out.push(c);
    }
    if let Some(map) = props.as_object() {
        for values in map.values() {
            for v in values.as_array().into_iter().flatten() {
                if v.get("type").is_some() {
                    expected_cards(v, out);
                }
            }
        }
    }
    for child in item
        .get("children")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        expected_cards(child, out);
    }
}

/// The finder's h-card / hCard objects, as the adapter's view.
fn found_cards(findings: &[Finding]) -> Vec<Card> {
    let mut by_object: BTreeMap<u32, Card> = BTreeMap::new();
    for f in findings {
        let (Some(obj), true) = (
            f.object,
            matches!(f.provenance, Provenance::HCard | Provenance::Vcard),
        ) else {
            continue;
        };
        let c = by_object.entry(obj).or_default();
        c.kind = f.kind;
        let v = f.value.clone();
        match f.field {
            CandidateField::Name => c.names.insert(v),
            CandidateField::Company => c.orgs.insert(v),
            CandidateField::Title => c.titles.insert(v),
            CandidateField::Email => c.emails.insert(v),
            CandidateField::Phone => c.tels.insert(v),
            CandidateField::Website | CandidateField::Profile => c.urls.insert(v),
            CandidateField::Location => c.places.insert(v),
        };
    }
    by_object.into_values().collect()
}

fn matches(exp: &Card, got: &Card) -> Result<(), String> {
    let mut why = Vec::new();
    let mut check = |what: &str, e: &BTreeSet<String>, g: &BTreeSet<String>| {
        if e != g {
            why.push(format!("{what}: expected {e:?}, found {g:?}"));
        }
    };
    if got.kind == Some(ContactKind::Company) {
        let all: BTreeSet<String> = exp.names.union(&exp.orgs).cloned().collect();
        check("organisation name", &all, &got.orgs);
    } else {
        check("name", &exp.names, &got.names);
        check("org", &exp.orgs, &got.orgs);
        check("title", &exp.titles, &got.titles);
    }
    check("email", &exp.emails, &got.emails);
    check("tel", &exp.tels, &got.tels);
    check("url", &exp.urls, &got.urls);
    if exp.places.is_empty() {
        if !exp.has_adr && !got.places.is_empty() {
            why.push(format!("location: expected none, found {:?}", got.places));
        }
    } else {
        let covered = exp
            .places
            .iter()
            .all(|l| got.places.iter().any(|g| g.contains(l.as_str())));
        let sound = got
            .places
            .iter()
            .all(|g| exp.places.iter().any(|l| g.contains(l.as_str())));
        if !covered || !sound {
            why.push(format!(
                "location: expected localities {:?}, found {:?}",
                exp.places, got.places
            ));
        }
    }
    if why.is_empty() {
        Ok(())
    } else {
        Err(why.join("; "))
    }
}

/// `Ok` or why the case failed; `bool` = the case has a card with a contact field.
fn run_case(html_path: &Path, json_path: &Path) -> (bool, Result<(), String>) {
    let html = std::fs::read_to_string(html_path).expect("corpus html is UTF-8");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(json_path).expect("corpus json"))
            .expect("corpus json parses");
    let mut expected = Vec::new();
    for item in json
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        expected_cards(item, &mut expected);
    }
    let expected: Vec<Card> = expected.into_iter().filter(Card::has_contact).collect();
    let snapshot = snapshot_from_html(&html, BASE);
    let findings = structured::find(&snapshot, Some(REGION), &mut ObjectIds::default());
    let found: Vec<Card> = found_cards(&findings)
        .into_iter()
        .filter(Card::has_contact)
        .collect();

    let mut used = vec![false; found.len()];
    let mut problems = Vec::new();
    for (i, exp) in expected.iter().enumerate() {
        let hit = found
            .iter()
            .enumerate()
            .find(|(j, g)| !used[*j] && matches(exp, g).is_ok())
            .map(|(j, _)| j);
        match hit {
            Some(j) => used[j] = true,
            None => {
                let closest = found
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| !used[*j])
                    .map(|(_, g)| matches(exp, g).unwrap_err())
                    .min_by_key(|e| e.len())
                    .unwrap_or_else(|| "nothing found".to_string());
                problems.push(format!("card {i} ({:?}): {closest}", exp.names));
            }
        }
    }
    for (j, g) in found.iter().enumerate() {
        if !used[j] && problems.is_empty() {
            problems.push(format!("unexpected object {g:?}"));
        }
    }
    let outcome = if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n      "))
    };
    (!expected.is_empty(), outcome)
}

#[test]
fn microformats_suite() {
    let Some(root) = corpus_root() else { return };
    let (mut contact_cases, mut contact_passed) = (0, 0);
    let mut report = Vec::new();
    for suite in SUITES {
        let dir = root.join(suite);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            println!("SKIP: suite {suite} not found in the corpus");
            continue;
        };
        let mut htmls: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .collect();
        htmls.sort();
        let (mut with, mut with_ok, mut without, mut without_ok) = (0, 0, 0, 0);
        for html in htmls {
            let json = html.with_extension("json");
            if !json.is_file() {
                continue; // change-log pages have no expected parse
            }
            let name = html.file_stem().unwrap().to_string_lossy().to_string();
            let (has_contact, outcome) = run_case(&html, &json);
            let (total, ok) = if has_contact {
                (&mut with, &mut with_ok)
            } else {
                (&mut without, &mut without_ok)
            };
            *total += 1;
            match outcome {
                Ok(()) => *ok += 1,
                Err(why) => report.push(format!("  FAIL {suite}/{name}:\n      {why}")),
            }
        }
        println!("{suite}: {with_ok}/{with} cases with a contact field pass; {without_ok}/{without} without one make no object");
        contact_cases += with;
        contact_passed += with_ok;
    }
    for line in &report {
        println!("{line}");
    }
    let rate = if contact_cases == 0 {
        1.0
    } else {
        contact_passed as f64 / contact_cases as f64
    };
    println!("microformats total: {contact_passed}/{contact_cases} cases with a contact field pass ({:.1} %)", rate * 100.0);
    assert!(
        rate >= 0.95,
        "microformats: {contact_passed}/{contact_cases} pass, below 95 %"
    );
}
