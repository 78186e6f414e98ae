//! The REST shape of a lead: plain field values instead of registers, and the request bodies that
//! set them.

use leadsync_types::validate::{normalize_field, normalize_other_contact, normalize_tag};
use leadsync_types::{Field, Hlc, Lead};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::store::StoredLead;
use crate::error::ApiError;

/// `{id, name, email, …, status, tags: [...], other_contacts: ["mailto:…", "tel:+…"], version}`;
/// unset fields are null.
pub fn lead_view(stored: &StoredLead) -> Value {
    let lead = &stored.lead;
    let mut obj = Map::new();
    obj.insert("id".into(), Value::String(lead.id.to_string()));
    for field in Field::ALL {
        let value = lead
            .get(field)
            .map(|v| Value::String(v.into()))
            .unwrap_or(Value::Null);
        obj.insert(field.as_str().into(), value);
    }
    obj.insert(
        "status".into(),
        Value::String(lead.status().as_str().into()),
    );
    obj.insert(
        "tags".into(),
        Value::Array(lead.tags().map(|t| Value::String(t.into())).collect()),
    );
    obj.insert(
        "other_contacts".into(),
        Value::Array(
            lead.other_contacts()
                .map(|c| Value::String(c.into()))
                .collect(),
        ),
    );
    obj.insert("version".into(), Value::from(stored.version));
    Value::Object(obj)
}

/// A parsed create/patch body: field values (None = clear) and, if given, the full tag list and the
/// full list of other contacts.
#[derive(Debug, Default)]
pub struct LeadInput {
    pub id: Option<Uuid>,
    pub fields: Vec<(Field, Option<String>)>,
    pub tags: Option<Vec<String>>,
    pub other_contacts: Option<Vec<String>>,
}

/// A JSON array of strings, each passed through `normalize`; `what` names the key in errors.
fn string_list(
    value: Value,
    what: &str,
    example: &str,
    normalize: impl Fn(&str) -> Result<String, ApiError>,
) -> Result<Vec<String>, ApiError> {
    let Value::Array(items) = value else {
        return Err(ApiError::validation(format!(
            "{what} must be an array of strings, e.g. {example}"
        )));
    };
    items
        .iter()
        .map(|item| {
            item.as_str().ok_or_else(|| {
                ApiError::validation(format!(
                    "{what} must be an array of strings, e.g. {example}"
                ))
            })
        })
        .map(|s| normalize(s?))
        .collect()
}

impl LeadInput {
    /// Parse `{"name": "Jane", "status": "qualified", "tags": ["vip"], …}`; unknown keys, wrong
    /// types and invalid values are refused with the offending key in the message.
    pub fn parse(body: Value, allow_id: bool) -> Result<LeadInput, ApiError> {
        let Value::Object(map) = body else {
            return Err(ApiError::Unprocessable(
                "invalid_body",
                "the body must be a JSON object of lead fields".into(),
            ));
        };
        let mut input = LeadInput::default();
        for (key, value) in map {
            match key.as_str() {
                "id" if allow_id => {
                    let s = value
                        .as_str()
                        .ok_or_else(|| ApiError::validation("id must be a UUID string"))?;
                    input.id =
                        Some(Uuid::try_parse(s).map_err(|_| {
                            ApiError::validation(format!("id `{s}` is not a UUID"))
                        })?);
                }
                "tags" => {
                    input.tags = Some(string_list(value, "tags", "[\"vip\"]", |s| {
                        normalize_tag(s)
                            .map_err(|e| ApiError::BadRequest("invalid_tag", e.to_string()))
                    })?);
                }
                "other_contacts" => {
                    input.other_contacts = Some(string_list(
                        value,
                        "other_contacts",
                        "[\"mailto:jane@acme.com\", \"tel:+14155550100\"]",
                        |s| {
                            normalize_other_contact(s, None)
                                .map_err(|e| ApiError::BadRequest("invalid_field", e.to_string()))
                        },
                    )?);
                }
                _ => {
                    let field: Field = key
                        .parse()
                        .map_err(|e: String| ApiError::BadRequest("unknown_field", e))?;
                    let value = match value {
                        Value::Null => None,
                        Value::String(s) => {
                            Some(normalize_field(field, &s, None).map_err(|e| {
                                ApiError::BadRequest("invalid_field", e.to_string())
                            })?)
                        }
                        other => {
                            return Err(ApiError::validation(format!(
                                "{key} must be a string or null, not {other}"
                            )));
                        }
                    };
                    input.fields.push((field, value));
                }
            }
        }
        Ok(input)
    }

    /// The registers this input writes at `hlc`. With `tags` (or `other_contacts`), the list
    /// replaces the lead's set: listed members are set, any other member the lead has is removed.
    pub fn to_lead(&self, id: Uuid, current: Option<&Lead>, hlc: Hlc) -> Lead {
        let mut lead = Lead::new(id);
        for (field, value) in &self.fields {
            lead.set(*field, value.clone(), hlc);
        }
        if let Some(tags) = &self.tags {
            for tag in tags {
                lead.set_tag(tag, true, hlc);
            }
            for old in current.into_iter().flat_map(|c| c.tags()) {
                if !tags.iter().any(|t| t == old) {
                    lead.set_tag(old, false, hlc);
                }
            }
        }
        if let Some(contacts) = &self.other_contacts {
            for contact in contacts {
                lead.set_other_contact(contact, true, hlc);
            }
            for old in current.into_iter().flat_map(|c| c.other_contacts()) {
                if !contacts.iter().any(|c| c == old) {
                    lead.set_other_contact(old, false, hlc);
                }
            }
        }
        lead
    }

    pub fn has(&self, field: Field) -> bool {
        self.fields.iter().any(|(f, _)| *f == field)
    }
}
