//! `Phone::parse` against the public phone corpus (libphonenumber's PhoneNumberUtilTest).
//!
//! The expectation is the `real_metadata_*` one (libphonenumber with real numbering data, which is
//! what the `phonenumber` crate carries): a row must parse to `real_metadata_e164` when
//! `real_metadata_valid` is true, and must be refused otherwise — `Phone` only accepts valid
//! numbers, and `ERROR:…` marks a parse failure. Where `expected_extension` is set, the extension
//! must match too. libphonenumber's "no region" spellings (`ZZ`, empty) are passed as `None`.
//! Requires at least 95% of rows to pass.

mod corpus;

use leadsync_types::Phone;

#[test]
fn phone_corpus() {
    let Some(path) = corpus::corpus_file("phone/cases.csv") else {
        return;
    };
    let rows = corpus::read_csv(&path);
    let (mut pass, mut accept_rows, mut accept_pass, mut reject_rows, mut reject_pass) =
        (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for row in &rows {
        let input = &row["input"];
        let region = match row["default_region"].as_str() {
            "" | "ZZ" => None,
            r => Some(r),
        };
        let expected =
            (row["real_metadata_valid"] == "true").then(|| row["real_metadata_e164"].as_str());
        let expected_ext = Some(row["expected_extension"].as_str()).filter(|x| !x.is_empty());
        let got = Phone::parse(input, region);
        let ok = match (&got, expected) {
            (Ok(p), Some(e164)) => {
                p.as_str() == e164 && (expected_ext.is_none() || p.extension() == expected_ext)
            }
            (Err(_), None) => true,
            _ => false,
        };
        if expected.is_some() {
            accept_rows += 1;
            accept_pass += usize::from(ok);
        } else {
            reject_rows += 1;
            reject_pass += usize::from(ok);
        }
        if ok {
            pass += 1;
        } else {
            let got = match &got {
                Ok(p) => format!("{p} ext {:?}", p.extension()),
                Err(e) => format!("error: {e}"),
            };
            failures.push(format!(
                "{input:?} region {region:?}: expected {expected:?} ext {expected_ext:?}, got {got}   [{}]",
                row["test_method"]
            ));
        }
    }
    let pct = 100.0 * pass as f64 / rows.len().max(1) as f64;
    println!("phone corpus: {pass}/{} rows pass ({pct:.1}%)", rows.len());
    println!("  valid numbers parsed to the expected E.164: {accept_pass}/{accept_rows}");
    println!("  invalid or unparseable inputs refused: {reject_pass}/{reject_rows}");
    for f in &failures {
        println!("  FAIL {f}");
    }
    assert!(pct >= 95.0, "only {pct:.1}% of phone corpus rows pass");
}
