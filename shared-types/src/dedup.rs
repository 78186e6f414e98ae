//! [`DedupKey`]: what recognises the same person across captures; [`dedup_keys`], which derives a
//! lead's keys from its e-mails, LinkedIn profile and phones; and [`same_person`], the one rule
//! (DESIGN.md, "Same person") that decides whether two leads are one person — used by the extension
//! when a capture may already be a lead, and by the server across a team.
//!
//! Why typed keys: a key is only as good as its normalisation — `Jane@ACME.com` and
//! `jane@acme.com`, `(415) 555-0100` and `+14155550100`, `uk.linkedin.com/in/Jane/` and
//! `https://www.linkedin.com/in/jane` must collide — so a key can only be made from an already
//! parsed [`Email`], [`Phone`] or [`ProfileUrl`]. Its string form (`email:jane@acme.com`,
//! `phone:+14155550100`, `profile:https://www.linkedin.com/in/jane`) is stable, so the server can
//! index it and the extension can compare it.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::email::{Email, EmailError};
use crate::lead::{Field, Lead};
use crate::phone::{Phone, PhoneError};
use crate::profile_url::{ProfileUrl, ProfileUrlError};
use crate::text::shown;

/// One identity of a person. Two keys are equal when their string forms are equal (so an e-mail
/// key ignores case and IDN spelling, and a phone key ignores the extension). Keys sort strongest
/// first: e-mail, then profile, then phone (phones are shared by offices and switchboards).
#[derive(Clone, Debug)]
pub enum DedupKey {
    Email(Email),
    Phone(Phone),
    Profile(ProfileUrl),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DedupKeyError {
    #[error("dedup key `{0}` has no known prefix: expected `email:…`, `phone:…` or `profile:…`")]
    Prefix(String),
    #[error("dedup key: {0}")]
    Email(#[from] EmailError),
    #[error("dedup key: {0}")]
    Phone(#[from] PhoneError),
    #[error("dedup key: {0}")]
    Profile(#[from] ProfileUrlError),
}

impl DedupKey {
    /// `email`, `profile` or `phone`: the prefix of the string form.
    pub fn kind(&self) -> &'static str {
        match self {
            DedupKey::Email(_) => "email",
            DedupKey::Profile(_) => "profile",
            DedupKey::Phone(_) => "phone",
        }
    }

    /// The normalised value after the prefix.
    pub fn value(&self) -> &str {
        match self {
            DedupKey::Email(e) => e.dedup_form(),
            DedupKey::Profile(p) => p.as_str(),
            DedupKey::Phone(p) => p.as_str(),
        }
    }

    /// Read the string form back (`email:jane@acme.com`); the value is parsed again.
    pub fn parse(s: &str) -> Result<DedupKey, DedupKeyError> {
        let (kind, value) = s
            .split_once(':')
            .ok_or_else(|| DedupKeyError::Prefix(shown(s)))?;
        match kind {
            "email" => Ok(DedupKey::Email(Email::parse(value)?)),
            "profile" => Ok(DedupKey::Profile(ProfileUrl::parse(value)?)),
            "phone" => Ok(DedupKey::Phone(Phone::parse(value, None)?)),
            _ => Err(DedupKeyError::Prefix(shown(s))),
        }
    }

    fn strength_rank(&self) -> u8 {
        match self {
            DedupKey::Email(_) => 0,
            DedupKey::Profile(_) => 1,
            DedupKey::Phone(_) => 2,
        }
    }
}

/// The lead's dedup keys, strongest kind first: its e-mails (the primary one, then those in other
/// contacts), its LinkedIn person profile, its phones (likewise). Each key appears once. Values that
/// do not parse are skipped (a lead may hold text from before validation existed). A LinkedIn
/// *company* link is skipped too: colleagues share it, so it does not identify a person. Keys are
/// derived from the values alone; whether a deleted lead still matches is the caller's call.
pub fn dedup_keys(lead: &Lead) -> Vec<DedupKey> {
    let emails = lead
        .emails()
        .filter_map(|v| Email::parse(v).ok())
        .map(DedupKey::Email);
    let profile = lead
        .get(Field::Linkedin)
        .and_then(|v| ProfileUrl::parse(v).ok())
        .filter(|p| p.kind().is_person())
        .map(DedupKey::Profile);
    let phones = lead
        .phones()
        .filter_map(|v| Phone::parse(v, None).ok())
        .map(DedupKey::Phone);
    let mut keys: Vec<DedupKey> = Vec::new();
    for key in emails.chain(profile).chain(phones) {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// The same-person rule (DESIGN.md): compare the strongest kind of key that *both* sides have —
/// both have an e-mail: a shared e-mail decides; else both have a LinkedIn person profile: a shared
/// profile decides; else a shared phone decides. So two people with different e-mails are never one
/// person because they share a phone (switchboards, office lines and family numbers are shared),
/// and a side with no key at all is nobody's duplicate. Symmetric; keys may come in any order.
pub fn same_person(a: &[DedupKey], b: &[DedupKey]) -> bool {
    const KINDS: [&str; 3] = ["email", "profile", "phone"];
    for kind in KINDS {
        let of_kind = |keys: &'_ [DedupKey]| {
            keys.iter()
                .filter(move |k| k.kind() == kind)
                .cloned()
                .collect::<Vec<_>>()
        };
        let (ka, kb) = (of_kind(a), of_kind(b));
        if !ka.is_empty() && !kb.is_empty() {
            return ka.iter().any(|k| kb.contains(k));
        }
    }
    false
}

impl fmt::Display for DedupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind(), self.value())
    }
}

impl PartialEq for DedupKey {
    fn eq(&self, other: &Self) -> bool {
        self.kind() == other.kind() && self.value() == other.value()
    }
}

impl Eq for DedupKey {}

impl Hash for DedupKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.kind().hash(state);
        self.value().hash(state);
    }
}

impl PartialOrd for DedupKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DedupKey {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.strength_rank(), self.value()).cmp(&(other.strength_rank(), other.value()))
    }
}

impl FromStr for DedupKey {
    type Err = DedupKeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DedupKey::parse(s)
    }
}

impl Serialize for DedupKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DedupKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        DedupKey::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::hlc::Hlc;

    fn lead(fields: &[(Field, &str)]) -> Lead {
        let mut lead = Lead::new(Uuid::nil());
        for (i, (field, value)) in fields.iter().enumerate() {
            lead.set(
                *field,
                Some(value.to_string()),
                Hlc::new(1 + i as u64, 0, 1),
            );
        }
        lead
    }

    fn strings(keys: &[DedupKey]) -> Vec<String> {
        keys.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn keys_come_strongest_first_in_their_stable_form() {
        let l = lead(&[
            (Field::Phone, "+14155550100"),
            (Field::Linkedin, "https://www.linkedin.com/in/jane"),
            (Field::Email, "Jane@ACME.com"),
            (Field::Name, "Jane"),
        ]);
        assert_eq!(
            strings(&dedup_keys(&l)),
            [
                "email:jane@acme.com",
                "profile:https://www.linkedin.com/in/jane",
                "phone:+14155550100"
            ]
        );
    }

    #[test]
    fn unparseable_and_company_values_are_skipped() {
        let l = lead(&[
            (Field::Email, "not an email"),
            (Field::Phone, "12"),
            (Field::Linkedin, "https://www.linkedin.com/company/acme"),
        ]);
        assert!(dedup_keys(&l).is_empty());
        assert!(dedup_keys(&Lead::new(Uuid::nil())).is_empty());
        let mut cleared = lead(&[(Field::Email, "jane@acme.com")]);
        cleared.set(Field::Email, None, Hlc::new(99, 0, 1));
        assert!(dedup_keys(&cleared).is_empty());
    }

    #[test]
    fn different_spellings_of_one_person_give_equal_keys() {
        let a = lead(&[
            (Field::Email, "Jane@Bücher.de"),
            (Field::Linkedin, "uk.linkedin.com/in/Jane/"),
            (Field::Phone, "+1 (415) 555-0100"),
        ]);
        let b = lead(&[
            (Field::Email, "jane@xn--bcher-kva.de"),
            (Field::Linkedin, "https://www.linkedin.com/in/jane"),
            (Field::Phone, "+14155550100"),
        ]);
        assert_eq!(dedup_keys(&a), dedup_keys(&b));
        let hashes =
            |keys: Vec<DedupKey>| keys.into_iter().collect::<std::collections::HashSet<_>>();
        assert_eq!(hashes(dedup_keys(&a)), hashes(dedup_keys(&b)));
    }

    fn keys(list: &[&str]) -> Vec<DedupKey> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn other_contacts_are_keys_too_once_each() {
        let mut l = lead(&[
            (Field::Email, "jane@acme.com"),
            (Field::Phone, "+14155550100"),
        ]);
        l.set_other_contact("mailto:j.doe@acme.com", true, Hlc::new(5, 0, 1));
        l.set_other_contact("mailto:jane@acme.com", true, Hlc::new(5, 0, 1));
        l.set_other_contact("tel:+14155550199;ext=12", true, Hlc::new(5, 0, 1));
        l.set_other_contact("tel:+14155550177", false, Hlc::new(5, 0, 1));
        assert_eq!(
            strings(&dedup_keys(&l)),
            [
                "email:jane@acme.com",
                "email:j.doe@acme.com",
                "phone:+14155550100",
                "phone:+14155550199"
            ]
        );
    }

    /// The case the rule exists for: a firm's switchboard contact and a lawyer whose direct line is
    /// that switchboard plus her extension; five colleagues all reached through the switchboard.
    #[test]
    fn a_shared_switchboard_never_makes_people_with_different_emails_one() {
        let firm = keys(&["email:info@hale-law.com", "phone:+14155550100"]);
        let lawyer = keys(&["email:maria.ortiz@hale-law.com", "phone:+14155550100"]);
        assert!(!same_person(&firm, &lawyer));
        let colleagues: Vec<Vec<DedupKey>> = (0..5)
            .map(|i| {
                keys(&[
                    &format!("email:partner{i}@hale-law.com"),
                    "phone:+14155550100",
                ])
            })
            .collect();
        for (i, a) in colleagues.iter().enumerate() {
            for (j, b) in colleagues.iter().enumerate() {
                assert_eq!(same_person(a, b), i == j);
            }
        }
        // The same person seen again, with or without the phone, is one person.
        assert!(same_person(
            &lawyer,
            &keys(&["email:Maria.Ortiz@HALE-law.com"])
        ));
        // Only when a side has no e-mail does the next kind decide.
        assert!(same_person(&keys(&["phone:+14155550100"]), &lawyer));
        assert!(same_person(
            &keys(&[
                "email:a@hale-law.com",
                "profile:https://www.linkedin.com/in/maria-ortiz"
            ]),
            &keys(&[
                "profile:https://www.linkedin.com/in/maria-ortiz",
                "phone:+14155550100"
            ])
        ));
        assert!(!same_person(
            &keys(&[
                "profile:https://www.linkedin.com/in/maria-ortiz",
                "phone:+14155550100"
            ]),
            &keys(&[
                "profile:https://www.linkedin.com/in/maria-ortega",
                "phone:+14155550100"
            ])
        ));
        assert!(!same_person(&[], &lawyer));
        assert!(!same_person(&[], &[]));
    }

    #[test]
    fn phone_key_ignores_the_extension() {
        let with = DedupKey::Phone(Phone::parse("+1 415 555 0100 ext. 7", None).unwrap());
        let without = DedupKey::Phone(Phone::parse("+14155550100", None).unwrap());
        assert_eq!(with, without);
    }

    mod rule {
        use proptest::prelude::*;

        use super::*;

        fn key() -> impl Strategy<Value = DedupKey> {
            prop_oneof![
                (0..4u8).prop_map(|i| format!("email:p{i}@acme.com")),
                (0..3u8).prop_map(|i| format!("profile:https://www.linkedin.com/in/person-{i}")),
                (0..3u8).prop_map(|i| format!("phone:+1415555010{i}")),
            ]
            .prop_map(|s| s.parse().unwrap())
        }

        fn side() -> impl Strategy<Value = Vec<DedupKey>> {
            prop::collection::vec(key(), 0..5)
        }

        fn of(keys: &[DedupKey], kind: &str) -> Vec<DedupKey> {
            keys.iter().filter(|k| k.kind() == kind).cloned().collect()
        }

        proptest! {
            #[test]
            fn symmetric_and_order_free(a in side(), b in side()) {
                prop_assert_eq!(same_person(&a, &b), same_person(&b, &a));
                let mut r = a.clone();
                r.reverse();
                prop_assert_eq!(same_person(&a, &b), same_person(&r, &b));
            }

            #[test]
            fn a_side_with_keys_is_its_own_person(a in side()) {
                prop_assert_eq!(same_person(&a, &a), !a.is_empty());
            }

            /// Different e-mails are never the same person, whatever profiles and phones they share.
            #[test]
            fn different_emails_never_merge(a in side(), b in side()) {
                let (ea, eb) = (of(&a, "email"), of(&b, "email"));
                if !ea.is_empty() && !eb.is_empty() && !ea.iter().any(|k| eb.contains(k)) {
                    prop_assert!(!same_person(&a, &b));
                }
            }

            /// A match always rests on a key both sides share, of the strongest kind both have.
            #[test]
            fn a_match_shares_a_key_of_the_strongest_common_kind(a in side(), b in side()) {
                if same_person(&a, &b) {
                    let kind = ["email", "profile", "phone"].into_iter()
                        .find(|k| !of(&a, k).is_empty() && !of(&b, k).is_empty()).unwrap();
                    prop_assert!(of(&a, kind).iter().any(|k| of(&b, kind).contains(k)));
                }
            }

            /// Sharing an e-mail always decides, whatever else differs.
            #[test]
            fn a_shared_email_always_decides(a in side(), b in side(), shared in 0..4u8) {
                let k: DedupKey = format!("email:p{shared}@acme.com").parse().unwrap();
                let (mut a, mut b) = (a, b);
                a.push(k.clone());
                b.push(k);
                prop_assert!(same_person(&a, &b));
            }
        }
    }

    #[test]
    fn string_form_round_trips_and_sorts_strongest_first() {
        for s in [
            "email:jane@acme.com",
            "phone:+14155550100",
            "profile:https://x.com/jack",
            "email:jeff@xn--bcher-kva.de",
        ] {
            let key: DedupKey = s.parse().unwrap();
            assert_eq!(key.to_string(), s);
            let json = serde_json::to_string(&key).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<DedupKey>(&json).unwrap(), key);
        }
        let mut keys: Vec<DedupKey> = [
            "phone:+14155550100",
            "profile:https://x.com/jack",
            "email:b@acme.com",
            "email:a@acme.com",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        keys.sort();
        assert_eq!(
            strings(&keys),
            [
                "email:a@acme.com",
                "email:b@acme.com",
                "profile:https://x.com/jack",
                "phone:+14155550100"
            ]
        );
        assert!(matches!(
            DedupKey::parse("name:jane"),
            Err(DedupKeyError::Prefix(_))
        ));
        assert!(matches!(
            DedupKey::parse("jane"),
            Err(DedupKeyError::Prefix(_))
        ));
        assert!(matches!(
            DedupKey::parse("email:jane"),
            Err(DedupKeyError::Email(_))
        ));
    }
}
