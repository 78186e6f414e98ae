//! The message API between the extension's pages (content shim, popup, options) and the background
//! worker. Requests are JSON objects tagged by `type`:
//!
//! ```json
//! {"type": "ExtractPage", "snapshot": {"url": "https://acme.example/team", "nodes": [], "texts": []}}
//! {"type": "ExtractSelection", "text": "Jane Doe\njane@acme.example", "url": "https://acme.example/", "lang": "en-GB"}
//! {"type": "SaveLead", "candidate": {…}}
//! ```
//!
//! Responses are objects with one key saying what they are: `{"candidates": [...]}` or
//! `{"error": {"code": "...", "message": "..."}}`.

use serde::{Deserialize, Serialize};

use leadsync_types::extract::{LeadCandidate, PageSnapshot};

use crate::error::ApiError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Request {
    /// Every contact on a page, from the snapshot the content shim built (see
    /// `leadsync_types::extract::snapshot` for the contract).
    ExtractPage { snapshot: PageSnapshot },
    /// Text the user selected ("Save selection as lead"), read as one contact card.
    ExtractSelection {
        text: String,
        url: String,
        #[serde(default)]
        lang: Option<String>,
    },
    /// Save a candidate as a lead. Accepted so the shim can offer the action, but storing lands with
    /// the offline store and sync milestone: until then it answers `not_implemented`, never a fake
    /// success.
    SaveLead { candidate: LeadCandidate },
}

impl Request {
    /// The request's `type`, for logs and error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Request::ExtractPage { .. } => "ExtractPage",
            Request::ExtractSelection { .. } => "ExtractSelection",
            Request::SaveLead { .. } => "SaveLead",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// `{"candidates": [...]}`: the answer to `ExtractPage` and `ExtractSelection`.
    Candidates(Vec<LeadCandidate>),
    /// `{"error": {"code", "message"}}`.
    Error(ApiError),
}

impl From<ApiError> for Response {
    fn from(e: ApiError) -> Self {
        Response::Error(e)
    }
}
