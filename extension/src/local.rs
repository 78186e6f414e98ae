//! The extension's local copy of a lead, what the popup and the content shim see of it, and the
//! edits a person makes. Pure Rust: tested natively, run unchanged in the background wasm.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use leadsync_types::lead::Registers;
use leadsync_types::sync::Mutation;
use leadsync_types::{
    dedup_keys, normalize_field, normalize_other_contact, normalize_tag, DedupKey, Field, Hlc,
    Lead, LeadStatus,
};

use crate::error::ApiError;

/// A lead as IndexedDB keeps it: every register, plus the tenant version it was last pulled at
/// (0 while it exists only on this device).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalLead {
    pub lead: Lead,
    #[serde(default)]
    pub version: u64,
}

impl LocalLead {
    pub fn new(id: Uuid) -> Self {
        LocalLead {
            lead: Lead::new(id),
            version: 0,
        }
    }

    /// The dedup keys (`email:…`, `profile:…`, `phone:…`) this lead answers to, other contacts
    /// included, strongest kind first.
    pub fn keys(&self) -> Vec<String> {
        self.dedup_keys().iter().map(ToString::to_string).collect()
    }

    pub fn dedup_keys(&self) -> Vec<DedupKey> {
        dedup_keys(&self.lead)
    }

    /// What a person sees of the lead. `pending`: it has changes not yet on the server.
    pub fn view(&self, pending: bool) -> LeadView {
        let fields = self
            .lead
            .registers
            .fields
            .iter()
            .filter_map(|(f, r)| Some((*f, r.value.clone()?)))
            .collect();
        LeadView {
            id: self.lead.id,
            status: self.lead.status(),
            tags: self.lead.tags().map(str::to_string).collect(),
            other_contacts: self.lead.other_contacts().map(str::to_string).collect(),
            fields,
            updated: self.lead.registers.max_hlc(),
            pending,
            deleted: self.lead.is_deleted(),
        }
    }
}

/// A lead for display: plain values, no clocks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadView {
    pub id: Uuid,
    pub fields: BTreeMap<Field, String>,
    pub status: LeadStatus,
    pub tags: Vec<String>,
    /// The person's contacts beyond `email` and `phone`: `mailto:…` / `tel:+…`, sorted.
    #[serde(default)]
    pub other_contacts: Vec<String>,
    /// The newest clock of any register: the list is sorted by it, newest first.
    pub updated: Option<Hlc>,
    /// True while this device holds changes the server has not acknowledged.
    pub pending: bool,
    #[serde(default)]
    pub deleted: bool,
}

impl LeadView {
    pub fn get(&self, field: Field) -> Option<&str> {
        self.fields.get(&field).map(String::as_str)
    }

    /// The line a list shows first: the name, else the company, else the email or phone.
    pub fn title(&self) -> &str {
        [
            Field::Name,
            Field::Company,
            Field::Email,
            Field::Phone,
            Field::Linkedin,
        ]
        .into_iter()
        .find_map(|f| self.get(f))
        .unwrap_or("(no name)")
    }
}

/// The search and filter of the popup's "My leads".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadQuery {
    /// Words that must all appear (case-insensitive) in the name, email, phone, company, title,
    /// location, tags or notes.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub status: Option<LeadStatus>,
    #[serde(default)]
    pub limit: Option<usize>,
    #[serde(default)]
    pub offset: Option<usize>,
}

pub const DEFAULT_LIST_LIMIT: usize = 50;
pub const MAX_LIST_LIMIT: usize = 500;

/// Lower-cased searchable text of a lead, computed once per change (so a search over 10,000 leads
/// is a scan of prepared strings, not of registers).
pub fn search_text(lead: &Lead) -> String {
    const SEARCHED: [Field; 8] = [
        Field::Name,
        Field::Email,
        Field::Phone,
        Field::Company,
        Field::Title,
        Field::Location,
        Field::Notes,
        Field::Linkedin,
    ];
    let mut s = String::new();
    for f in SEARCHED {
        if let Some(v) = lead.get(f) {
            s.push_str(&v.to_lowercase());
            s.push('\u{1f}');
        }
    }
    for t in lead.tags() {
        s.push_str(t);
        s.push('\u{1f}');
    }
    for c in lead.other_contacts() {
        s.push_str(&c.split_once(':').map_or(c, |(_, v)| v).to_lowercase());
        s.push('\u{1f}');
    }
    s
}

/// The words of a query, lower-cased; empty when there is nothing to search for.
pub fn query_words(q: Option<&str>) -> Vec<String> {
    q.unwrap_or_default()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect()
}

/// True if a lead with searchable text `text` and status `status` passes the query.
pub fn matches(text: &str, status: LeadStatus, words: &[String], want: Option<LeadStatus>) -> bool {
    want.is_none_or(|w| w == status) && words.iter().all(|w| text.contains(w.as_str()))
}

/// A lead with what every search reads prepared once per change: its search text, status and
/// newest clock. The worker keeps one per lead in memory.
#[derive(Clone, Debug)]
pub struct Indexed {
    pub local: LocalLead,
    pub text: String,
    pub status: LeadStatus,
    pub updated: Option<Hlc>,
}

impl Indexed {
    pub fn new(local: LocalLead) -> Self {
        Indexed {
            text: search_text(&local.lead),
            status: local.lead.status(),
            updated: local.lead.registers.max_hlc(),
            local,
        }
    }
}

/// One page of the leads that pass `query`, newest change first (lead id — UUIDv7, creation
/// order — breaks ties), and how many pass in all. Deleted leads never show. Only the page is
/// sorted (a partial selection), so a query over 10,000 leads costs one scan of prepared text.
pub fn select<'a>(
    leads: impl Iterator<Item = &'a Indexed>,
    query: &LeadQuery,
    pending: impl Fn(Uuid) -> bool,
) -> (Vec<LeadView>, usize) {
    let words = query_words(query.q.as_deref());
    let limit = query
        .limit
        .unwrap_or(DEFAULT_LIST_LIMIT)
        .clamp(1, MAX_LIST_LIMIT);
    let offset = query.offset.unwrap_or(0);
    let mut hits: Vec<&Indexed> = leads
        .filter(|c| !c.local.lead.is_deleted() && matches(&c.text, c.status, &words, query.status))
        .collect();
    let total = hits.len();
    let newest_first = |a: &&Indexed, b: &&Indexed| {
        b.updated
            .cmp(&a.updated)
            .then(b.local.lead.id.cmp(&a.local.lead.id))
    };
    let end = offset.saturating_add(limit).min(total);
    if end < total && end > 0 {
        hits.select_nth_unstable_by(end - 1, newest_first);
        hits.truncate(end);
    }
    hits.sort_unstable_by(newest_first);
    let items = hits
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|c| c.local.view(pending(c.local.lead.id)))
        .collect();
    (items, total)
}

/// A person's edit of one lead, from the popup or the in-page menu.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadEdit {
    /// New values; `null` clears a field.
    #[serde(default)]
    pub fields: BTreeMap<Field, Option<String>>,
    #[serde(default)]
    pub add_tags: Vec<String>,
    #[serde(default)]
    pub remove_tags: Vec<String>,
    /// Other contacts to add or remove (`mailto:…` / `tel:+…`, or a bare address or number).
    #[serde(default)]
    pub add_contacts: Vec<String>,
    #[serde(default)]
    pub remove_contacts: Vec<String>,
}

/// Only the registers a change writes: what goes into the outbox as one mutation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delta(pub Registers);

impl Delta {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn set(&mut self, field: Field, value: Option<String>, hlc: Hlc) {
        self.0
            .fields
            .insert(field, leadsync_types::Register::new(value, hlc));
    }

    pub fn into_mutation(self, mid: u64, lead_id: Uuid) -> Mutation {
        Mutation {
            mid,
            lead_id,
            fields: self.0.fields,
            tags: self.0.tags,
            other_contacts: self.0.other_contacts,
            deleted: self.0.deleted,
        }
    }
}

/// Check and normalise an edit against the current lead, and turn it into the registers to write
/// (one clock from `tick` per register). Values equal to the current ones are left out, so saving
/// an unchanged form writes nothing. Every problem is reported at once, and nothing is written
/// when there is one.
pub fn plan_edit(
    current: &Lead,
    edit: &LeadEdit,
    mut tick: impl FnMut() -> Hlc,
) -> Result<Delta, ApiError> {
    let mut problems = Vec::new();
    let mut delta = Delta::default();
    for (field, value) in &edit.fields {
        let value = match value.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(v) => match normalize_field(*field, v, None) {
                Ok(v) => Some(v),
                Err(e) => {
                    problems.push(e.to_string());
                    continue;
                }
            },
        };
        if *field == Field::Status && value.is_none() {
            problems.push(
                "status: cannot be empty; pick new, contacted, qualified, converted or lost".into(),
            );
            continue;
        }
        if current.get(*field) != value.as_deref() {
            delta.set(*field, value, tick());
        }
    }
    let present: Vec<&str> = current.tags().collect();
    for (tags, want) in [(&edit.add_tags, true), (&edit.remove_tags, false)] {
        for tag in tags {
            match normalize_tag(tag) {
                Ok(t) if present.contains(&t.as_str()) != want => {
                    delta
                        .0
                        .tags
                        .insert(t, leadsync_types::Register::new(want, tick()));
                }
                Ok(_) => {}
                Err(e) => problems.push(e.to_string()),
            }
        }
    }
    let have: Vec<&str> = current.other_contacts().collect();
    for (contacts, want) in [(&edit.add_contacts, true), (&edit.remove_contacts, false)] {
        for contact in contacts {
            match normalize_other_contact(contact, None) {
                Ok(c) if have.contains(&c.as_str()) != want => {
                    delta
                        .0
                        .other_contacts
                        .insert(c, leadsync_types::Register::new(want, tick()));
                }
                Ok(_) => {}
                Err(e) => problems.push(e.to_string()),
            }
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::new(
            "invalid_edit",
            format!("Nothing was saved: {}.", problems.join("; ")),
        ));
    }
    Ok(delta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> impl FnMut() -> Hlc {
        let mut n = 0;
        move || {
            n += 1;
            Hlc::new(1_700_000_000_000 + n, 0, 7)
        }
    }

    #[test]
    fn an_edit_writes_only_what_changed_normalised() {
        let mut lead = Lead::new(Uuid::now_v7());
        lead.set(Field::Name, Some("Jane Doe".into()), Hlc::new(1, 0, 1));
        let edit = LeadEdit {
            fields: BTreeMap::from([
                (Field::Name, Some("Jane Doe".into())),
                (Field::Email, Some("Jane@ACME-ROCKETS.com".into())),
                (Field::Status, Some("Qualified".into())),
            ]),
            add_tags: vec!["VIP".into()],
            remove_tags: vec!["never-had-it".into()],
            ..Default::default()
        };
        let delta = plan_edit(&lead, &edit, clock()).unwrap();
        let fields: Vec<_> = delta
            .0
            .fields
            .iter()
            .map(|(f, r)| (*f, r.value.clone()))
            .collect();
        assert_eq!(
            fields,
            vec![
                (Field::Email, Some("Jane@acme-rockets.com".into())),
                (Field::Status, Some("qualified".into()))
            ]
        );
        assert_eq!(delta.0.tags.keys().collect::<Vec<_>>(), vec!["vip"]);
    }

    #[test]
    fn a_bad_edit_names_every_problem_and_writes_nothing() {
        let lead = Lead::new(Uuid::now_v7());
        let edit = LeadEdit {
            fields: BTreeMap::from([
                (Field::Email, Some("not an email".into())),
                (Field::Phone, Some("12".into())),
                (Field::Status, None),
                (Field::Name, Some("Fine".into())),
            ]),
            ..Default::default()
        };
        let err = plan_edit(&lead, &edit, clock()).unwrap_err();
        assert_eq!(err.code, "invalid_edit");
        for f in ["email:", "phone:", "status:"] {
            assert!(err.message.contains(f), "{f} missing from {}", err.message);
        }
    }

    #[test]
    fn clearing_a_field_is_a_null_register() {
        let mut lead = Lead::new(Uuid::now_v7());
        lead.set(Field::Title, Some("CTO".into()), Hlc::new(1, 0, 1));
        let edit = LeadEdit {
            fields: BTreeMap::from([(Field::Title, Some("  ".into()))]),
            ..Default::default()
        };
        let delta = plan_edit(&lead, &edit, clock()).unwrap();
        assert_eq!(delta.0.fields[&Field::Title].value, None);
    }

    #[test]
    fn search_needs_every_word_and_the_status() {
        let mut lead = Lead::new(Uuid::now_v7());
        lead.set(Field::Name, Some("Jane Doe".into()), Hlc::new(1, 0, 1));
        lead.set(
            Field::Company,
            Some("Acme Rockets".into()),
            Hlc::new(1, 0, 1),
        );
        lead.set_tag("vip", true, Hlc::new(1, 0, 1));
        let text = search_text(&lead);
        let st = lead.status();
        assert!(matches(&text, st, &query_words(Some("jane ROCKETS")), None));
        assert!(matches(
            &text,
            st,
            &query_words(Some("vip")),
            Some(LeadStatus::New)
        ));
        assert!(!matches(&text, st, &query_words(Some("jane smith")), None));
        assert!(!matches(&text, st, &[], Some(LeadStatus::Lost)));
        assert!(matches(&text, st, &query_words(Some("   ")), None));
    }

    #[test]
    fn select_pages_newest_first_with_the_total() {
        let leads: Vec<Indexed> = (0..30u64)
            .map(|i| {
                let mut l = LocalLead::new(Uuid::now_v7());
                l.lead.set(
                    Field::Name,
                    Some(format!("Person {i}")),
                    Hlc::new(1_000 + i, 0, 1),
                );
                if i % 3 == 0 {
                    l.lead.set(
                        Field::Status,
                        Some("qualified".into()),
                        Hlc::new(1_000 + i, 1, 1),
                    );
                }
                if i == 29 {
                    l.lead.delete(Hlc::new(5_000, 0, 1));
                }
                Indexed::new(l)
            })
            .collect();
        let q = |q: Option<&str>, status, limit, offset| LeadQuery {
            q: q.map(str::to_string),
            status,
            limit: Some(limit),
            offset: Some(offset),
        };
        let (items, total) = select(leads.iter(), &q(None, None, 5, 0), |_| false);
        assert_eq!(total, 29, "the deleted lead is not counted");
        let names: Vec<&str> = items.iter().map(|v| v.title()).collect();
        assert_eq!(
            names,
            [
                "Person 28",
                "Person 27",
                "Person 26",
                "Person 25",
                "Person 24"
            ]
        );
        let (items, _) = select(leads.iter(), &q(None, None, 5, 5), |_| false);
        assert_eq!(items[0].title(), "Person 23");
        let (items, total) = select(
            leads.iter(),
            &q(Some("person"), Some(LeadStatus::Qualified), 50, 0),
            |_| true,
        );
        assert_eq!(total, 10);
        assert!(items
            .iter()
            .all(|v| v.status == LeadStatus::Qualified && v.pending));
        assert_eq!(items[0].title(), "Person 27");
        // Every word must appear: "7" is in Person 7, 17 and 27.
        let (items, total) = select(leads.iter(), &q(Some("person 7"), None, 50, 0), |_| false);
        assert_eq!((items.len(), total), (3, 3));
    }

    #[test]
    fn the_view_hides_clocks_and_shows_status_and_title() {
        let mut l = LocalLead::new(Uuid::now_v7());
        l.lead.set(
            Field::Email,
            Some("jane@acme-rockets.com".into()),
            Hlc::new(5, 0, 1),
        );
        l.lead
            .set(Field::Status, Some("contacted".into()), Hlc::new(6, 0, 1));
        let v = l.view(true);
        assert_eq!(v.status, LeadStatus::Contacted);
        assert_eq!(v.title(), "jane@acme-rockets.com");
        assert_eq!(v.updated, Some(Hlc::new(6, 0, 1)));
        assert_eq!(l.keys(), vec!["email:jane@acme-rockets.com".to_string()]);
    }
}
