//! The message API between the extension's pages (content shim, popup, options) and the background
//! worker. Requests are JSON objects tagged by `type`:
//!
//! ```json
//! {"type": "ExtractPage", "snapshot": {"url": "https://acme.example/team", "nodes": [], "texts": []}}
//! {"type": "ExtractSelection", "text": "Jane Doe\njane@acme.example", "url": "https://acme.example/", "lang": "en-GB"}
//! {"type": "SignIn", "server_url": "http://127.0.0.1:8080", "email": "jane@acme.example", "password": "…"}
//! {"type": "SaveLead", "candidate": {…}, "page": {"url": "https://acme.example/team", "title": "Team"}}
//! {"type": "ListLeads", "query": {"q": "acme", "status": "new", "limit": 50}}
//! {"type": "UpdateLead", "id": "…", "edit": {"fields": {"status": "qualified"}, "add_tags": ["vip"]}}
//! ```
//!
//! Responses are objects with one key saying what they are (`{"candidates": [...]}`,
//! `{"status": {...}}`, …) or `{"error": {"code": "...", "message": "..."}}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use leadsync_types::extract::{LeadCandidate, PageSnapshot};
use leadsync_types::LeadStatus;

use crate::capture::CapturePage;
use crate::error::ApiError;
use crate::local::{LeadEdit, LeadQuery, LeadView};
use crate::status::SyncStatus;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Request {
    /// Every contact on a page, from the snapshot the content shim built (see
    /// `leadsync_types::extract::snapshot` for the contract).
    ExtractPage {
        snapshot: PageSnapshot,
    },
    /// Text the user selected ("Save selection as lead"), read as one contact card.
    ExtractSelection {
        text: String,
        url: String,
        #[serde(default)]
        lang: Option<String>,
    },
    /// The sync state and account (the popup shows it at all times).
    GetStatus,
    /// Create a team and its first user on `server_url`, and sign in.
    SignUp {
        server_url: String,
        tenant_name: String,
        email: String,
        password: String,
    },
    /// Sign in to `server_url`. Leads already on this device from another account are kept apart:
    /// signing in as someone else first needs a sign-out.
    SignIn {
        server_url: String,
        email: String,
        password: String,
    },
    /// Sign out. Pending changes are pushed first; if some cannot be (offline), the answer is the
    /// error `pending_changes` unless `discard` is true.
    SignOut {
        #[serde(default)]
        discard: bool,
    },
    /// Save a candidate as a lead (or add what is new to the lead it already is). Stored on this
    /// device before the answer; synced when the server is reachable.
    SaveLead {
        candidate: LeadCandidate,
        #[serde(default)]
        page: CapturePage,
    },
    /// The leads on this device, newest first, searched and filtered.
    ListLeads {
        #[serde(default)]
        query: LeadQuery,
    },
    GetLead {
        id: Uuid,
    },
    UpdateLead {
        id: Uuid,
        edit: LeadEdit,
    },
    DeleteLead {
        id: Uuid,
    },
    /// Only the status of a lead (the in-page menu's Set status ▸): the one edit content shims may
    /// make.
    SetStatus {
        id: Uuid,
        status: LeadStatus,
    },
    /// Which of these dedup keys are saved leads (the content shim shows their status in the page).
    LookupContacts {
        keys: Vec<String>,
    },
    /// A quick action taken from the page or the popup (call, email, copy), recorded as an event.
    QuickAction {
        #[serde(default)]
        lead_id: Option<Uuid>,
        action: QuickActionKind,
        #[serde(default)]
        url: Option<String>,
    },
    /// Sync now (the Retry button); answers with the state after the attempt.
    SyncNow,
    /// The periodic alarm, or the worker waking up: sync if there is anything to do.
    Tick,
    /// Every lead on this device as CSV or JSON (the options page's export).
    ExportLeads {
        format: ExportFormat,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuickActionKind {
    Call,
    Email,
    Copy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
}

impl Request {
    /// The request's `type`, for logs and error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Request::ExtractPage { .. } => "ExtractPage",
            Request::ExtractSelection { .. } => "ExtractSelection",
            Request::GetStatus => "GetStatus",
            Request::SignUp { .. } => "SignUp",
            Request::SignIn { .. } => "SignIn",
            Request::SignOut { .. } => "SignOut",
            Request::SaveLead { .. } => "SaveLead",
            Request::ListLeads { .. } => "ListLeads",
            Request::GetLead { .. } => "GetLead",
            Request::UpdateLead { .. } => "UpdateLead",
            Request::DeleteLead { .. } => "DeleteLead",
            Request::SetStatus { .. } => "SetStatus",
            Request::LookupContacts { .. } => "LookupContacts",
            Request::QuickAction { .. } => "QuickAction",
            Request::SyncNow => "SyncNow",
            Request::Tick => "Tick",
            Request::ExportLeads { .. } => "ExportLeads",
        }
    }
}

/// A saved lead, as the shim badges it: "in leadsync · qualified".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownContact {
    pub id: Uuid,
    pub status: LeadStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadPage {
    pub items: Vec<LeadView>,
    /// How many leads pass the query (the page holds at most `limit` of them).
    pub total: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub lead: LeadView,
    /// False when the contact was already a lead (the same person): then only what the lead did
    /// not hold was added to it — `lead` is that lead, so a page can say "added to <its name>".
    pub created: bool,
    /// Whether the save wrote anything (false: the lead already held every value found).
    #[serde(default)]
    pub changed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    pub filename: String,
    pub mime: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// `{"candidates": [...]}`: the answer to `ExtractPage` and `ExtractSelection`.
    Candidates(Vec<LeadCandidate>),
    Status(SyncStatus),
    Saved(Saved),
    Leads(LeadPage),
    Lead(LeadView),
    /// Dedup key → saved lead, for the keys that are saved.
    Known(BTreeMap<String, KnownContact>),
    Export(Export),
    /// `{"done": true}`: the request was carried out and has nothing to report.
    Done(bool),
    /// `{"error": {"code", "message"}}`.
    Error(ApiError),
}

impl From<ApiError> for Response {
    fn from(e: ApiError) -> Self {
        Response::Error(e)
    }
}
