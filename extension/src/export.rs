//! Export of the leads on this device (options page): CSV a spreadsheet opens as is.

use leadsync_types::Field;

use crate::local::LeadView;

/// One quoted CSV cell (RFC 4180). Cells that a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@`, tab, CR at the start) get a leading `'`, the usual guard against CSV injection.
fn cell(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !looks_like_phone(s) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// `+14155550100` is a phone number, not a formula; E.164 values keep their plus.
fn looks_like_phone(s: &str) -> bool {
    s.len() > 1 && s.starts_with('+') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

/// CSV with a header row: id, every field of `fields`, tags and other contacts (each
/// `;`-separated; other contacts as `jane@acme.com` / `+14155550100`). CRLF line ends.
pub fn csv(leads: &[LeadView], fields: &[Field]) -> String {
    let mut out = String::new();
    let header: Vec<String> = std::iter::once("id")
        .chain(fields.iter().map(|f| f.as_str()))
        .chain(["tags", "other_contacts"])
        .map(cell)
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for l in leads {
        let mut row = vec![cell(&l.id.to_string())];
        for f in fields {
            let v = if *f == Field::Status {
                l.status.as_str()
            } else {
                l.get(*f).unwrap_or("")
            };
            row.push(cell(v));
        }
        row.push(cell(&l.tags.join(";")));
        let others: Vec<&str> = l
            .other_contacts
            .iter()
            .map(|c| c.split_once(':').map_or(c.as_str(), |(_, v)| v))
            .collect();
        row.push(cell(&others.join(";")));
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn csv_quotes_guards_formulas_and_keeps_phones() {
        let lead = LeadView {
            id: uuid::Uuid::nil(),
            fields: BTreeMap::from([
                (Field::Name, "Doe, \"JD\" Jane".to_string()),
                (Field::Phone, "+14155550100".to_string()),
                (Field::Notes, "=HYPERLINK(\"x\")".to_string()),
            ]),
            status: leadsync_types::LeadStatus::Qualified,
            tags: vec!["vip".into(), "q4".into()],
            other_contacts: vec![
                "mailto:jd@gmail.com".into(),
                "tel:+14155550142;ext=12".into(),
            ],
            updated: None,
            pending: false,
            deleted: false,
        };
        let text = csv(
            &[lead],
            &[Field::Name, Field::Phone, Field::Notes, Field::Status],
        );
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            r#""id","name","phone","notes","status","tags","other_contacts""#
        );
        assert_eq!(
            lines[1],
            r#""00000000-0000-0000-0000-000000000000","Doe, ""JD"" Jane","+14155550100","'=HYPERLINK(""x"")","qualified","vip;q4","jd@gmail.com;+14155550142;ext=12""#
        );
        assert_eq!(lines[2], "");
    }
}
