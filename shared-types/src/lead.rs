//! A lead: last-writer-wins registers per field, last-writer-wins element sets of tags and of
//! other contacts, and a tombstone. [`Lead::merge`] is the one merge function, used by the extension and the server alike.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::hlc::Hlc;
use crate::register::Register;

/// Every field a lead has besides its tags. Unknown names are refused when parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Email,
    Phone,
    Company,
    Title,
    Website,
    Linkedin,
    Location,
    Status,
    Owner,
    Notes,
    SourceUrl,
    SourceTitle,
    CapturedAt,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::Name,
        Field::Email,
        Field::Phone,
        Field::Company,
        Field::Title,
        Field::Website,
        Field::Linkedin,
        Field::Location,
        Field::Status,
        Field::Owner,
        Field::Notes,
        Field::SourceUrl,
        Field::SourceTitle,
        Field::CapturedAt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Company => "company",
            Field::Title => "title",
            Field::Website => "website",
            Field::Linkedin => "linkedin",
            Field::Location => "location",
            Field::Status => "status",
            Field::Owner => "owner",
            Field::Notes => "notes",
            Field::SourceUrl => "source_url",
            Field::SourceTitle => "source_title",
            Field::CapturedAt => "captured_at",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Field {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Field::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Field::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown lead field `{s}`; known fields: {}",
                    names.join(", ")
                )
            })
    }
}

/// Where a lead is in the sales funnel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    New,
    Contacted,
    Qualified,
    Converted,
    Lost,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 5] = [
        LeadStatus::New,
        LeadStatus::Contacted,
        LeadStatus::Qualified,
        LeadStatus::Converted,
        LeadStatus::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Contacted => "contacted",
            LeadStatus::Qualified => "qualified",
            LeadStatus::Converted => "converted",
            LeadStatus::Lost => "lost",
        }
    }
}

impl FromStr for LeadStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LeadStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown status `{s}`; use one of new, contacted, qualified, converted, lost"
                )
            })
    }
}

/// A field register: `value` null means the field was cleared.
pub type FieldRegister = Register<Option<String>>;
/// A tag register: `true` = the tag is on the lead, `false` = it was removed.
pub type TagRegister = Register<bool>;
/// An element of a last-writer-wins set (tags, other contacts): `true` = in the set.
pub type SetRegister = Register<bool>;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registers {
    #[serde(default)]
    pub fields: BTreeMap<Field, FieldRegister>,
    #[serde(default)]
    pub tags: BTreeMap<String, TagRegister>,
    /// The person's contacts beyond the primary `email` and `phone`: a set merged like tags, whose
    /// members are `mailto:<email>` and `tel:+<E.164>[;ext=<digits>]` (see
    /// [`normalize_other_contact`](crate::validate::normalize_other_contact)), so no contact found
    /// for a person is dropped for lack of a field.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_contacts: BTreeMap<String, SetRegister>,
    /// Tombstone: once set the lead stays hidden whatever is written later (deletes win).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Hlc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    pub id: Uuid,
    #[serde(flatten)]
    pub registers: Registers,
}

impl Registers {
    /// Join `other` into `self`: per field and per tag the greater clock wins, the tombstone keeps
    /// the greater clock. Commutative, associative and idempotent (see the property tests). Returns
    /// true if anything changed.
    pub fn merge(&mut self, other: &Registers) -> bool {
        let mut changed = false;
        for (field, reg) in &other.fields {
            changed |= merge_entry(&mut self.fields, *field, reg);
        }
        for (tag, reg) in &other.tags {
            changed |= merge_entry(&mut self.tags, tag.clone(), reg);
        }
        for (contact, reg) in &other.other_contacts {
            changed |= merge_entry(&mut self.other_contacts, contact.clone(), reg);
        }
        if other.deleted > self.deleted {
            self.deleted = other.deleted;
            changed = true;
        }
        changed
    }

    /// The greatest clock anywhere in these registers.
    pub fn max_hlc(&self) -> Option<Hlc> {
        let fields = self.fields.values().map(|r| r.hlc);
        let sets = self
            .tags
            .values()
            .chain(self.other_contacts.values())
            .map(|r| r.hlc);
        fields.chain(sets).chain(self.deleted).max()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
            && self.tags.is_empty()
            && self.other_contacts.is_empty()
            && self.deleted.is_none()
    }
}

fn merge_entry<K: Ord, T: Ord + Clone>(
    map: &mut BTreeMap<K, Register<T>>,
    key: K,
    reg: &Register<T>,
) -> bool {
    match map.get_mut(&key) {
        Some(mine) => mine.merge(reg),
        None => {
            map.insert(key, reg.clone());
            true
        }
    }
}

impl Lead {
    pub fn new(id: Uuid) -> Self {
        Lead {
            id,
            registers: Registers::default(),
        }
    }

    /// Merge another replica's view of the same lead into this one. Leads with different ids never
    /// merge; that is a caller bug, so it is refused rather than silently mixing two people.
    pub fn merge(&mut self, other: &Lead) -> Result<bool, LeadIdMismatch> {
        if self.id != other.id {
            return Err(LeadIdMismatch {
                ours: self.id,
                theirs: other.id,
            });
        }
        Ok(self.registers.merge(&other.registers))
    }

    /// Set a field at `hlc` (merging, so an older write never overwrites a newer one).
    pub fn set(&mut self, field: Field, value: Option<String>, hlc: Hlc) -> bool {
        merge_entry(
            &mut self.registers.fields,
            field,
            &Register::new(value, hlc),
        )
    }

    pub fn set_tag(&mut self, tag: &str, present: bool, hlc: Hlc) -> bool {
        merge_entry(
            &mut self.registers.tags,
            tag.to_string(),
            &Register::new(present, hlc),
        )
    }

    /// Add (`present`) or remove an other contact (`mailto:…` / `tel:+…`, already normalised).
    pub fn set_other_contact(&mut self, contact: &str, present: bool, hlc: Hlc) -> bool {
        merge_entry(
            &mut self.registers.other_contacts,
            contact.to_string(),
            &Register::new(present, hlc),
        )
    }

    pub fn delete(&mut self, hlc: Hlc) -> bool {
        let tomb = Registers {
            deleted: Some(hlc),
            ..Default::default()
        };
        self.registers.merge(&tomb)
    }

    pub fn is_deleted(&self) -> bool {
        self.registers.deleted.is_some()
    }

    /// The current value of a field, if set and not cleared.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.registers
            .fields
            .get(&field)
            .and_then(|r| r.value.as_deref())
    }

    /// Tags currently on the lead, sorted.
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.registers
            .tags
            .iter()
            .filter(|(_, r)| r.value)
            .map(|(t, _)| t.as_str())
    }

    /// Other contacts currently on the lead (`mailto:…`, `tel:+…`), sorted.
    pub fn other_contacts(&self) -> impl Iterator<Item = &str> {
        self.registers
            .other_contacts
            .iter()
            .filter(|(_, r)| r.value)
            .map(|(c, _)| c.as_str())
    }

    /// Every e-mail address of the lead: the primary one first, then those in other contacts.
    pub fn emails(&self) -> impl Iterator<Item = &str> {
        let others = self
            .other_contacts()
            .filter_map(|c| c.strip_prefix("mailto:"));
        self.get(Field::Email)
            .into_iter()
            .chain(others.filter(move |e| Some(*e) != self.get(Field::Email)))
    }

    /// Every phone number of the lead (E.164, extension off): the primary one first, then those in
    /// other contacts.
    pub fn phones(&self) -> impl Iterator<Item = &str> {
        let others = self
            .other_contacts()
            .filter_map(|c| c.strip_prefix("tel:"))
            .map(|t| t.split(';').next().unwrap_or(t));
        self.get(Field::Phone)
            .into_iter()
            .chain(others.filter(move |p| Some(*p) != self.get(Field::Phone)))
    }

    pub fn status(&self) -> LeadStatus {
        self.get(Field::Status)
            .and_then(|s| s.parse().ok())
            .unwrap_or(LeadStatus::New)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot merge lead {theirs} into lead {ours}: different leads")]
pub struct LeadIdMismatch {
    pub ours: Uuid,
    pub theirs: Uuid,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(ms: u64, node: u128) -> Hlc {
        Hlc::new(ms, 0, node)
    }

    #[test]
    fn different_fields_both_survive_and_same_field_higher_clock_wins() {
        let id = Uuid::now_v7();
        let mut a = Lead::new(id);
        a.set(Field::Name, Some("Jane".into()), h(10, 1));
        a.set(Field::Phone, Some("+14155550100".into()), h(12, 1));
        let mut b = Lead::new(id);
        b.set(Field::Company, Some("Acme".into()), h(11, 2));
        b.set(Field::Phone, Some("+14155550199".into()), h(13, 2));
        a.merge(&b).unwrap();
        assert_eq!(a.get(Field::Name), Some("Jane"));
        assert_eq!(a.get(Field::Company), Some("Acme"));
        assert_eq!(a.get(Field::Phone), Some("+14155550199"));
    }

    #[test]
    fn delete_wins_over_a_later_edit() {
        let id = Uuid::now_v7();
        let mut a = Lead::new(id);
        a.delete(h(10, 1));
        let mut b = Lead::new(id);
        b.set(Field::Name, Some("Later".into()), h(99, 2));
        a.merge(&b).unwrap();
        assert!(a.is_deleted());
    }

    #[test]
    fn merging_different_leads_is_refused() {
        let mut a = Lead::new(Uuid::now_v7());
        let b = Lead::new(Uuid::now_v7());
        assert!(a.merge(&b).is_err());
    }

    #[test]
    fn wire_form_is_fields_tags_deleted() {
        let id = Uuid::nil();
        let mut a = Lead::new(id);
        a.set(Field::SourceUrl, Some("https://acme.test".into()), h(1, 1));
        a.set_tag("vip", true, h(2, 1));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["fields"]["source_url"]["value"], "https://acme.test");
        assert_eq!(json["tags"]["vip"]["value"], true);
        assert!(json.get("deleted").is_none());
        let back: Lead = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
        let err = serde_json::from_str::<Lead>(&format!(
            r#"{{"id":"{id}","fields":{{"nmae":{{"value":"x","hlc":"{}"}}}}}}"#,
            h(1, 1)
        ))
        .unwrap_err();
        assert!(err.to_string().contains("unknown variant"), "{err}");
    }
}
