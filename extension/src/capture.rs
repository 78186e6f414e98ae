//! Saving a contact found on a page: which values a candidate gives, and what a capture writes —
//! a new lead, or only the missing values of the lead this contact already is (same dedup key), so
//! capturing twice never makes a duplicate and never overwrites what a person edited.

use serde::{Deserialize, Serialize};

use leadsync_types::extract::{CandidateField, LeadCandidate};
use leadsync_types::{normalize_field, Field, Hlc, Lead, LeadStatus, ProfileKind, ProfileUrl};

use crate::error::ApiError;
use crate::local::Delta;

/// Where the contact was captured, as the content shim reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapturePage {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

/// The lead values of a candidate, normalised: the best value per field (candidates list values
/// best first). Profile links become the `linkedin` field when they are LinkedIn people.
/// Errors when the candidate has no way to reach or find the person again (no email, phone or
/// LinkedIn profile): such a lead could never be deduplicated.
pub fn candidate_values(candidate: &LeadCandidate) -> Result<Vec<(Field, String)>, ApiError> {
    let mut out: Vec<(Field, String)> = Vec::new();
    for found in &candidate.values {
        let field = match found.field {
            CandidateField::Name => Field::Name,
            CandidateField::Email => Field::Email,
            CandidateField::Phone => Field::Phone,
            CandidateField::Company => Field::Company,
            CandidateField::Title => Field::Title,
            CandidateField::Website => Field::Website,
            CandidateField::Location => Field::Location,
            CandidateField::Profile => match ProfileUrl::parse(&found.value) {
                Ok(p) if p.kind() == ProfileKind::LinkedIn => Field::Linkedin,
                _ => continue,
            },
        };
        if out.iter().any(|(f, _)| *f == field) {
            continue;
        }
        // The core already normalised these; the gate runs again so nothing unchecked is stored.
        if let Ok(v) = normalize_field(field, &found.value, None) {
            out.push((field, v));
        }
    }
    if !out
        .iter()
        .any(|(f, _)| matches!(f, Field::Email | Field::Phone | Field::Linkedin))
    {
        return Err(ApiError::new(
            "nothing_to_save",
            "This contact has no email, phone or LinkedIn profile, so it could not be told apart from others: \
             select the text with the contact details and use \"Save selection as lead\".",
        ));
    }
    Ok(out)
}

/// What one capture writes. For a new lead (`existing` is `None`): every value, status `new`,
/// the owner, when and where it was captured. For a lead already stored: only the values it does
/// not have yet. `captured_at` is an RFC 3339 timestamp; `tick` gives one clock per register.
pub fn plan_capture(
    existing: Option<&Lead>,
    values: &[(Field, String)],
    page: &CapturePage,
    owner: Option<&str>,
    captured_at: &str,
    mut tick: impl FnMut() -> Hlc,
) -> Delta {
    let mut delta = Delta::default();
    let mut put = |delta: &mut Delta, field: Field, value: &str| {
        if existing.and_then(|l| l.get(field)).is_none() {
            delta.set(field, Some(value.to_string()), tick());
        }
    };
    for (field, value) in values {
        put(&mut delta, *field, value);
    }
    if existing.is_none() {
        put(&mut delta, Field::Status, LeadStatus::New.as_str());
        put(&mut delta, Field::CapturedAt, captured_at);
        if let Some(owner) = owner {
            put(&mut delta, Field::Owner, owner);
        }
        // Where it was captured, when the shim's values pass the same gate (a page title too
        // long or a non-web URL is simply not recorded).
        for (field, raw) in [
            (Field::SourceUrl, &page.url),
            (Field::SourceTitle, &page.title),
        ] {
            if let Some(v) = raw
                .as_deref()
                .and_then(|v| normalize_field(field, v, None).ok())
            {
                put(&mut delta, field, &v);
            }
        }
    }
    delta
}

/// The dedup keys a capture answers to, as stored leads are indexed (`email:…`, `profile:…`, `phone:…`).
pub fn capture_keys(values: &[(Field, String)]) -> Vec<String> {
    let mut probe = Lead::new(uuid::Uuid::nil());
    for (f, v) in values {
        probe.set(*f, Some(v.clone()), Hlc::new(1, 0, 0));
    }
    leadsync_types::dedup_keys(&probe)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use leadsync_types::extract::{ContactKind, FoundValue, Provenance};

    fn found(field: CandidateField, value: &str) -> FoundValue {
        FoundValue {
            field,
            value: value.into(),
            provenance: Provenance::Text,
            confidence: 0.9,
            anchors: vec![],
        }
    }

    fn candidate(values: Vec<FoundValue>) -> LeadCandidate {
        LeadCandidate {
            kind: ContactKind::Person,
            values,
            dedup_key: None,
            confidence: 0.9,
        }
    }

    fn clock() -> impl FnMut() -> Hlc {
        let mut n = 0;
        move || {
            n += 1;
            Hlc::new(1_700_000_000_000, n, 3)
        }
    }

    #[test]
    fn values_take_the_best_of_each_field_and_linkedin_people_only() {
        let c = candidate(vec![
            found(CandidateField::Name, "Jane Doe"),
            found(CandidateField::Email, "jane@acme-rockets.com"),
            found(CandidateField::Email, "other@acme-rockets.com"),
            found(CandidateField::Profile, "https://github.com/janedoe"),
            found(
                CandidateField::Profile,
                "https://www.linkedin.com/in/janedoe",
            ),
        ]);
        let v = candidate_values(&c).unwrap();
        assert_eq!(
            v,
            vec![
                (Field::Name, "Jane Doe".to_string()),
                (Field::Email, "jane@acme-rockets.com".to_string()),
                (
                    Field::Linkedin,
                    "https://www.linkedin.com/in/janedoe".to_string()
                ),
            ]
        );
        assert_eq!(
            capture_keys(&v),
            vec![
                "email:jane@acme-rockets.com",
                "profile:https://www.linkedin.com/in/janedoe"
            ]
        );
    }

    #[test]
    fn a_name_alone_cannot_be_saved_and_says_why() {
        let err = candidate_values(&candidate(vec![found(CandidateField::Name, "Jane Doe")]))
            .unwrap_err();
        assert_eq!(err.code, "nothing_to_save");
        assert!(err.message.contains("Save selection as lead"));
    }

    #[test]
    fn a_new_capture_writes_everything_a_second_only_what_is_missing() {
        let values = vec![
            (Field::Name, "Jane Doe".to_string()),
            (Field::Email, "jane@acme-rockets.com".to_string()),
        ];
        let page = CapturePage {
            url: Some("https://acme-rockets.com/team".into()),
            title: Some("Team".into()),
        };
        let first = plan_capture(
            None,
            &values,
            &page,
            Some("0190a1b2-0000-7000-8000-000000000001"),
            "2026-12-01T08:00:00Z",
            clock(),
        );
        let written: Vec<Field> = first.0.fields.keys().copied().collect();
        assert_eq!(
            written,
            vec![
                Field::Name,
                Field::Email,
                Field::Status,
                Field::Owner,
                Field::SourceUrl,
                Field::SourceTitle,
                Field::CapturedAt
            ]
        );

        let mut lead = Lead::new(uuid::Uuid::now_v7());
        lead.merge(&Lead {
            id: lead.id,
            registers: first.0,
        })
        .unwrap();
        lead.set(
            Field::Name,
            Some("Jane D. (edited)".into()),
            Hlc::new(1_800_000_000_000, 0, 3),
        );
        let again = vec![
            (Field::Name, "Jane Doe".to_string()),
            (Field::Email, "jane@acme-rockets.com".to_string()),
            (Field::Phone, "+14155550100".to_string()),
        ];
        let second = plan_capture(
            Some(&lead),
            &again,
            &page,
            None,
            "2026-12-02T08:00:00Z",
            clock(),
        );
        assert_eq!(
            second.0.fields.keys().copied().collect::<Vec<_>>(),
            vec![Field::Phone],
            "only the new phone"
        );
    }
}
