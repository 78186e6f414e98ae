//! Shared by the corpus tests: where the public corpora live and a tiny RFC 4180 CSV reader (quoted
//! fields, `""` escapes, line breaks inside quotes), so the tests need no CSV dependency.

use std::collections::HashMap;
use std::path::PathBuf;

/// `../../shared/corpora/<sub>` from this crate, or `None` (after saying so) when it is absent.
pub fn corpus_file(sub: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpora")
        .join(sub);
    if path.is_file() {
        Some(path)
    } else {
        println!(
            "SKIP: public corpus {} not found; these checks did not run",
            path.display()
        );
        None
    }
}

/// One CSV row as `column name -> value`.
pub type Row = HashMap<String, String>;

/// Read a CSV file with a header line into rows.
pub fn read_csv(path: &PathBuf) -> Vec<Row> {
    let text = std::fs::read_to_string(path).expect("corpus file is UTF-8");
    let mut records = parse_records(&text).into_iter();
    let header = records.next().expect("corpus file has a header");
    records
        .map(|rec| {
            assert_eq!(rec.len(), header.len(), "ragged row {rec:?}");
            header.iter().cloned().zip(rec).collect()
        })
        .collect()
}

fn parse_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

#[test]
fn csv_reader_handles_quotes_and_line_breaks() {
    let recs = parse_records("a,b\r\n\"x,\"\"y\"\"\",\"line\r\nbreak\"\r\n,\n");
    assert_eq!(
        recs,
        vec![
            vec!["a", "b"],
            vec!["x,\"y\"", "line\r\nbreak"],
            vec!["", ""]
        ]
    );
}

/// An email row whose `valid=false` verdict only holds under a narrowing, non-default option of its
/// source library (so neither "must refuse" nor "must accept" applies).
#[allow(dead_code)]
pub fn option_only_invalid(detail: &str) -> bool {
    [
        "\"require_display_name\": true",
        "\"domain_specific_validation\": true",
        "\"allow_utf8_local_part\": false",
    ]
    .iter()
    .any(|o| detail.contains(o))
}
