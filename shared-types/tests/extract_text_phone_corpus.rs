//! `find_phones` against the public phone corpora (libphonenumber's PhoneNumberMatcherTest and
//! PhoneNumberUtilTest), the way libphonenumber's own matcher tests read them, at leniency VALID.
//!
//! `phone/matcher_cases.csv`, by `category`:
//! - `IMPOSSIBLE_CASES` ("must not be found at any leniency") and `POSSIBLE_ONLY_CASES` ("found at
//!   POSSIBLE leniency only"): at VALID nothing at all may be found in the text.
//! - `VALID_CASES`, `STRICT_GROUPING_CASES`, `EXACT_GROUPING_CASES` ("found at VALID and …"): the
//!   first match must be the whole text (libphonenumber's `doTestNumberMatchesForLeniency`).
//! - `FIND_IN_CONTEXT` ("must be found when embedded in surrounding text"): the number is wrapped
//!   in libphonenumber's contexts (`findValidInContext`, plus the `findPossibleInContext` ones
//!   that do not glue a letter to the number, which VALID refuses by design) and the first match
//!   must be exactly the number (`doTestInContext`).
//!
//! libphonenumber runs these with its *test* metadata; the `phonenumber` crate carries the real
//! numbering plan. As libphonenumber's `doTestFindInContext` does (it only checks VALID when
//! `isValidNumber` holds), the must-find rows apply when the number is valid with real metadata
//! (`Phone::parse` of the row accepts it); the others are counted and printed as "test metadata
//! only". The must-not-find rows always apply.
//!
//! `phone/cases.csv`: every row with `real_metadata_valid=true`, embedded in a sentence and scanned
//! with the row's default region, must be found (a match inside the row's text) with the row's
//! `real_metadata_e164`.
//!
//! Every category and suite must pass at 95% or more.

mod corpus;

use std::collections::BTreeMap;

use leadsync_types::extract::text::find_phones;
use leadsync_types::Phone;

fn region(code: &str) -> Option<&str> {
    match code {
        "" | "ZZ" => None,
        r => Some(r),
    }
}

/// libphonenumber's `findValidInContext` contexts, then the `findPossibleInContext` ones whose
/// text does not touch the number with a letter.
const CONTEXTS: &[(&str, &str)] = &[
    ("It's only 9.99! Call ", " to buy"),
    ("Call me on 21.6.1984 at ", ""),
    ("Call me on 06/21 at ", ""),
    ("Call me on 21.6. at ", ""),
    ("Call me on 06/21/84 at ", ""),
    ("", ""),
    ("   ", "\t"),
    ("Hello ", ""),
    ("", " to call me!"),
    ("Hi there, call ", " to reach me!"),
    ("Hi there, call ", ", or don't"),
    ("It's cheap! Call ", " before 6:30"),
    ("Call ", " or +1800-123-4567!"),
    ("As quoted by Alfonso 12-15 (2009), you may call me at ", ""),
    (
        "As quoted by Alfonso et al. 12-15 (2009), you may call me at ",
        "",
    ),
    ("As I said on 03/10/2011, you may call me at ", ""),
    ("", ", 45 days a year"),
    ("", ";x 7246433"),
    ("Call ", "/x12 more"),
];

#[derive(Default)]
struct Tally {
    rows: usize,
    pass: usize,
    not_applicable: usize,
}

#[test]
fn matcher_cases() {
    let Some(path) = corpus::corpus_file("phone/matcher_cases.csv") else {
        return;
    };
    let rows = corpus::read_csv(&path);
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut test_metadata_only = Vec::new();
    for row in &rows {
        let (text, category) = (row["text"].as_str(), row["category"].as_str());
        let region = region(&row["default_region"]);
        let tally = tallies.entry(category.to_string()).or_default();
        let must_not_find = matches!(category, "IMPOSSIBLE_CASES" | "POSSIBLE_ONLY_CASES");
        if must_not_find {
            tally.rows += 1;
            let found = find_phones(text, region);
            if found.is_empty() {
                tally.pass += 1;
            } else {
                let got: Vec<_> = found
                    .iter()
                    .map(|m| (&text[m.start..m.end], m.value.as_str()))
                    .collect();
                failures.push(format!(
                    "[{category}] {text:?} ({region:?}) must not be found; got {got:?}"
                ));
            }
            continue;
        }
        if Phone::parse(text, region).is_err() {
            tally.not_applicable += 1;
            test_metadata_only.push(format!("[{category}] {text:?} ({region:?})"));
            continue;
        }
        tally.rows += 1;
        let contexts: &[(&str, &str)] = if category == "FIND_IN_CONTEXT" {
            CONTEXTS
        } else {
            &[("", "")]
        };
        let mut ok = true;
        for (before, after) in contexts {
            let whole = format!("{before}{text}{after}");
            let first = find_phones(&whole, region).into_iter().next();
            let span = first.as_ref().map(|m| (m.start, m.end));
            if span != Some((before.len(), before.len() + text.len())) {
                ok = false;
                let got = first.map(|m| (whole[m.start..m.end].to_string(), m.value));
                failures.push(format!(
                    "[{category}] {whole:?} ({region:?}): expected {text:?}, first match {got:?}"
                ));
            }
        }
        tally.pass += usize::from(ok);
    }
    println!(
        "phone matcher cases ({} rows), leniency VALID, real metadata:",
        rows.len()
    );
    for (category, t) in &tallies {
        println!(
            "  {category}: {}/{} pass{}",
            t.pass,
            t.rows,
            if t.not_applicable > 0 {
                format!(
                    " ({} test-metadata-only rows not counted)",
                    t.not_applicable
                )
            } else {
                String::new()
            }
        );
    }
    for line in &test_metadata_only {
        println!("  test metadata only (invalid with real metadata): {line}");
    }
    for f in &failures {
        println!("  FAIL {f}");
    }
    for (category, t) in &tallies {
        let pct = 100.0 * t.pass as f64 / t.rows.max(1) as f64;
        assert!(pct >= 95.0, "{category}: only {pct:.1}% pass");
    }
}

/// Each valid row in `sentence`; returns (rows, found, failure lines).
fn parse_cases_in(
    rows: &[corpus::Row],
    (before, after): (&str, &str),
) -> (usize, usize, Vec<String>) {
    let (mut total, mut pass, mut failures) = (0usize, 0usize, Vec::new());
    for row in rows.iter().filter(|r| r["real_metadata_valid"] == "true") {
        total += 1;
        let (input, expected) = (row["input"].as_str(), row["real_metadata_e164"].as_str());
        let region = region(&row["default_region"]);
        let text = format!("{before}{input}{after}");
        let (lo, hi) = (before.len(), before.len() + input.len());
        let found = find_phones(&text, region);
        if found
            .iter()
            .any(|m| m.value == expected && m.start >= lo && m.end <= hi)
        {
            pass += 1;
        } else {
            let got: Vec<_> = found
                .iter()
                .map(|m| (&text[m.start..m.end], m.value.as_str()))
                .collect();
            failures.push(format!(
                "{input:?} ({region:?}) expected {expected}; got {got:?}"
            ));
        }
    }
    (total, pass, failures)
}

/// The rows in a sentence that labels the number as a phone number, as contact pages do (the
/// requirement), and — printed for information — in one that does not: there libphonenumber's
/// national-prefix rule refuses national numbers written without their prefix (`33316005` in NZ,
/// `301/23456` in DE), as its matcher does at leniency VALID.
#[test]
fn parse_cases_in_text() {
    let Some(path) = corpus::corpus_file("phone/cases.csv") else {
        return;
    };
    let rows = corpus::read_csv(&path);
    let (total, pass, failures) = parse_cases_in(&rows, ("For orders, call us on ", " (Mon–Fri)."));
    let pct = 100.0 * pass as f64 / total.max(1) as f64;
    println!("phone parse cases in a labelled sentence: {pass}/{total} found with the expected E.164 ({pct:.1}%)");
    for f in &failures {
        println!("  FAIL {f}");
    }
    let (total_u, pass_u, failures_u) =
        parse_cases_in(&rows, ("The front desk is at ", " (Mon–Fri)."));
    println!("  for information, in an unlabelled sentence: {pass_u}/{total_u}");
    for f in &failures_u {
        println!("    not found: {f}");
    }
    assert!(pct >= 95.0, "only {pct:.1}% found");
}
