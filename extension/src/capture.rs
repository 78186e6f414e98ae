//! Saving a contact found on a page: which values a candidate gives, and what a capture writes —
//! a new lead, or only the missing values of the lead this contact already is (the same person by
//! [`leadsync_types::same_person`]), so capturing twice never makes a duplicate, never overwrites
//! what a person edited, and never drops an e-mail or phone that was found.

use serde::{Deserialize, Serialize};

use leadsync_types::extract::{CandidateField, LeadCandidate};
use leadsync_types::{
    dedup_keys, normalize_field, normalize_other_contact, DedupKey, Field, Hlc, Lead, LeadStatus,
    ProfileKind, ProfileUrl,
};

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

/// What a capture gives a lead: the best value per field, and every further e-mail and phone the
/// candidate holds as other contacts (`mailto:…` / `tel:+…`), so nothing found is dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaptureValues {
    pub fields: Vec<(Field, String)>,
    pub others: Vec<String>,
}

impl CaptureValues {
    pub fn get(&self, field: Field) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
    }

    /// The dedup keys this capture answers to, every e-mail and phone included, strongest first.
    pub fn keys(&self) -> Vec<DedupKey> {
        let mut probe = Lead::new(uuid::Uuid::nil());
        for (f, v) in &self.fields {
            probe.set(*f, Some(v.clone()), Hlc::new(1, 0, 0));
        }
        for o in &self.others {
            probe.set_other_contact(o, true, Hlc::new(1, 0, 0));
        }
        dedup_keys(&probe)
    }
}

/// The member form of a primary e-mail or phone value, to compare it with other contacts.
fn member_of(field: Field, value: &str) -> Option<String> {
    match field {
        Field::Email | Field::Phone => normalize_other_contact(value, None).ok(),
        _ => None,
    }
}

/// The lead values of a candidate, normalised: the best value per field (candidates list values
/// best first), further e-mails and phones as other contacts. Profile links become the `linkedin`
/// field when they are LinkedIn people. Errors when the candidate has no way to reach or find the
/// person again (no email, phone or LinkedIn profile): such a lead could never be deduplicated.
pub fn candidate_values(candidate: &LeadCandidate) -> Result<CaptureValues, ApiError> {
    let mut out = CaptureValues::default();
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
        // The core already normalised these; the gate runs again so nothing unchecked is stored.
        let Ok(value) = normalize_field(field, &found.value, None) else {
            continue;
        };
        match out.get(field) {
            None => out.fields.push((field, value)),
            Some(primary) if primary != value => {
                if let Some(member) = member_of(field, &value) {
                    if member_of(field, primary).as_ref() != Some(&member)
                        && !out.others.contains(&member)
                    {
                        out.others.push(member);
                    }
                }
            }
            Some(_) => {}
        }
    }
    if ![Field::Email, Field::Phone, Field::Linkedin]
        .iter()
        .any(|f| out.get(*f).is_some())
    {
        return Err(ApiError::new(
            "nothing_to_save",
            "This contact has no email, phone or LinkedIn profile, so it could not be told apart from others: \
             select the text with the contact details and use \"Save selection as lead\".",
        ));
    }
    Ok(out)
}

/// What one capture writes. For a new lead (`existing` is `None`): every value and other contact,
/// status `new`, the owner, when and where it was captured. For a lead already stored: only what
/// it does not have yet — a field it lacks, and every e-mail or phone it holds nowhere (a second
/// address goes to its other contacts, it never replaces the one stored). `captured_at` is an
/// RFC 3339 timestamp; `tick` gives one clock per register.
pub fn plan_capture(
    existing: Option<&Lead>,
    values: &CaptureValues,
    page: &CapturePage,
    owner: Option<&str>,
    captured_at: &str,
    mut tick: impl FnMut() -> Hlc,
) -> Delta {
    let mut delta = Delta::default();
    let put = |delta: &mut Delta, tick: &mut dyn FnMut() -> Hlc, field: Field, value: &str| {
        if existing.and_then(|l| l.get(field)).is_none() {
            delta.set(field, Some(value.to_string()), tick());
        }
    };
    // What the lead already holds of the person's e-mails and phones, in member form.
    let held: Vec<String> = existing
        .map(|l| {
            let primaries = [Field::Email, Field::Phone]
                .into_iter()
                .filter_map(|f| member_of(f, l.get(f)?));
            primaries
                .chain(l.other_contacts().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let add_other = |delta: &mut Delta, tick: &mut dyn FnMut() -> Hlc, member: String| {
        if !held.contains(&member) && !delta.0.other_contacts.contains_key(&member) {
            delta
                .0
                .other_contacts
                .insert(member, leadsync_types::Register::new(true, tick()));
        }
    };
    for (field, value) in &values.fields {
        match existing.and_then(|l| l.get(*field)) {
            None => put(&mut delta, &mut tick, *field, value),
            Some(stored) if stored != value => {
                if let Some(member) = member_of(*field, value) {
                    add_other(&mut delta, &mut tick, member);
                }
            }
            Some(_) => {}
        }
    }
    for member in &values.others {
        add_other(&mut delta, &mut tick, member.clone());
    }
    if existing.is_none() {
        put(
            &mut delta,
            &mut tick,
            Field::Status,
            LeadStatus::New.as_str(),
        );
        put(&mut delta, &mut tick, Field::CapturedAt, captured_at);
        if let Some(owner) = owner {
            put(&mut delta, &mut tick, Field::Owner, owner);
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
                put(&mut delta, &mut tick, field, &v);
            }
        }
    }
    delta
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
    fn values_take_the_best_of_each_field_and_keep_the_other_contacts() {
        let c = candidate(vec![
            found(CandidateField::Name, "Jane Doe"),
            found(CandidateField::Email, "jane@acme-rockets.com"),
            found(CandidateField::Email, "other@acme-rockets.com"),
            found(CandidateField::Email, "jane@ACME-rockets.com"),
            found(CandidateField::Phone, "+14155550100"),
            found(CandidateField::Phone, "+14155550142"),
            found(CandidateField::Name, "J. Doe"),
            found(CandidateField::Profile, "https://github.com/janedoe"),
            found(
                CandidateField::Profile,
                "https://www.linkedin.com/in/janedoe",
            ),
        ]);
        let v = candidate_values(&c).unwrap();
        assert_eq!(
            v.fields,
            vec![
                (Field::Name, "Jane Doe".to_string()),
                (Field::Email, "jane@acme-rockets.com".to_string()),
                (Field::Phone, "+14155550100".to_string()),
                (
                    Field::Linkedin,
                    "https://www.linkedin.com/in/janedoe".to_string()
                ),
            ]
        );
        assert_eq!(
            v.others,
            vec!["mailto:other@acme-rockets.com", "tel:+14155550142"],
            "a second name is not a contact; the same address twice is kept once"
        );
        let keys: Vec<String> = v.keys().iter().map(ToString::to_string).collect();
        assert_eq!(
            keys,
            vec![
                "email:jane@acme-rockets.com",
                "email:other@acme-rockets.com",
                "profile:https://www.linkedin.com/in/janedoe",
                "phone:+14155550100",
                "phone:+14155550142",
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

    fn values(fields: &[(Field, &str)], others: &[&str]) -> CaptureValues {
        CaptureValues {
            fields: fields.iter().map(|(f, v)| (*f, v.to_string())).collect(),
            others: others.iter().map(|o| o.to_string()).collect(),
        }
    }

    #[test]
    fn a_new_capture_writes_everything_a_second_only_what_is_missing() {
        let first_values = values(
            &[
                (Field::Name, "Jane Doe"),
                (Field::Email, "jane@acme-rockets.com"),
            ],
            &["tel:+14155550142"],
        );
        let page = CapturePage {
            url: Some("https://acme-rockets.com/team".into()),
            title: Some("Team".into()),
        };
        let first = plan_capture(
            None,
            &first_values,
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
        assert_eq!(
            first.0.other_contacts.keys().collect::<Vec<_>>(),
            vec!["tel:+14155550142"]
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
        // Seen again with a phone, a second address and the number already kept.
        let again = values(
            &[
                (Field::Name, "Jane Doe"),
                (Field::Email, "j.doe@acme-rockets.com"),
                (Field::Phone, "+14155550100"),
            ],
            &["mailto:jane@acme-rockets.com", "tel:+14155550142"],
        );
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
            "only the new phone; the edited name and the stored email stay"
        );
        assert_eq!(
            second.0.other_contacts.keys().collect::<Vec<_>>(),
            vec!["mailto:j.doe@acme-rockets.com"],
            "the second address is kept beside the first, nothing twice"
        );
    }
}
