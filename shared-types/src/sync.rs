//! Sync protocol bodies (DESIGN.md "Sync protocol").

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::hlc::Hlc;
use crate::lead::{Field, FieldRegister, Lead, Registers, SetRegister, TagRegister};

/// `POST /v1/sync/push` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub client_id: Uuid,
    pub mutations: Vec<Mutation>,
}

/// One client change to one lead. `mid` rises by one per mutation of a client, from 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    pub mid: u64,
    pub lead_id: Uuid,
    #[serde(default)]
    pub fields: BTreeMap<Field, FieldRegister>,
    #[serde(default)]
    pub tags: BTreeMap<String, TagRegister>,
    /// Other contacts added (`true`) or removed (`false`): `mailto:…` / `tel:+…` members.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_contacts: BTreeMap<String, SetRegister>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Hlc>,
}

impl Mutation {
    /// The registers this mutation carries, as a lead to merge into the stored one.
    pub fn to_lead(&self) -> Lead {
        Lead {
            id: self.lead_id,
            registers: Registers {
                fields: self.fields.clone(),
                tags: self.tags.clone(),
                other_contacts: self.other_contacts.clone(),
                deleted: self.deleted,
            },
        }
    }

    /// Every clock the mutation carries (for the future-skew check).
    pub fn hlcs(&self) -> impl Iterator<Item = Hlc> + '_ {
        let f = self.fields.values().map(|r| r.hlc);
        let sets = self
            .tags
            .values()
            .chain(self.other_contacts.values())
            .map(|r| r.hlc);
        f.chain(sets).chain(self.deleted)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub last_mutation_id: u64,
    pub version: u64,
    pub server_hlc: Hlc,
}

/// A position in a tenant's change feed: everything up to `version` (and, inside that version, up to
/// lead `after`) has been seen. Wire form `"V"` or `"V.LEADID"`; the empty string is the start.
/// Deliberately not `Ord`: `"V"` (all of V seen) is ahead of `"V.ID"`, unlike a derived order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    pub version: u64,
    pub after: Option<Uuid>,
}

impl Cursor {
    pub const START: Cursor = Cursor {
        version: 0,
        after: None,
    };
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.after {
            None => write!(f, "{}", self.version),
            Some(id) => write!(f, "{}.{}", self.version, id.simple()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid cursor `{0}`: pass the `cursor` of the previous pull unchanged, or none to start over"
)]
pub struct CursorError(pub String);

impl FromStr for Cursor {
    type Err = CursorError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CursorError(s.chars().take(80).collect());
        if s.is_empty() {
            return Ok(Cursor::START);
        }
        let (v, after) = match s.split_once('.') {
            None => (s, None),
            Some((v, id)) => (v, Some(Uuid::try_parse(id).map_err(|_| bad())?)),
        };
        let version = v.parse::<u64>().map_err(|_| bad())?;
        Ok(Cursor { version, after })
    }
}

impl Serialize for Cursor {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A lead as pulled: every register, and the tenant version at which it last changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadChange {
    #[serde(flatten)]
    pub lead: Lead,
    pub version: u64,
}

/// `GET /v1/sync/pull` response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<LeadChange>,
    pub cursor: Cursor,
    pub has_more: bool,
    pub server_hlc: Hlc,
    /// The last mutation id the server applied for the `client_id` given to pull (0 if none).
    pub last_mutation_id: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips() {
        for c in [
            Cursor::START,
            Cursor {
                version: 42,
                after: None,
            },
            Cursor {
                version: 7,
                after: Some(Uuid::now_v7()),
            },
        ] {
            assert_eq!(c.to_string().parse::<Cursor>().unwrap(), c);
        }
        assert_eq!("".parse::<Cursor>().unwrap(), Cursor::START);
        assert!("abc".parse::<Cursor>().is_err());
        assert!("1.nope".parse::<Cursor>().is_err());
    }

    #[test]
    fn push_refuses_unknown_keys_with_their_name() {
        let err = serde_json::from_str::<PushRequest>(
            r#"{"client_id":"00000000-0000-0000-0000-000000000000","mutations":[],"extra":1}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("extra"), "{err}");
    }
}
