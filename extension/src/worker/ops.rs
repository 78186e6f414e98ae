//! What each stateful request does: captures, edits, lists, sign-in and sign-out, activity events.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::json;
use uuid::Uuid;

use leadsync_types::{Field, Lead};

use crate::api::{
    Export, ExportFormat, KnownContact, LeadPage, QuickActionKind, Request, Response, Saved,
};
use crate::capture::{candidate_values, plan_capture, CapturePage};
use crate::error::ApiError;
use crate::local::{plan_edit, select, Delta, LeadEdit, LeadQuery, LeadView, LocalLead};
use crate::status::{parse_server_url, Session, TokenResponse};
use crate::worker::store::{key, Store, Write};
use crate::worker::{engine, js, net, socket, Worker};

pub async fn handle(w: &Rc<Worker>, request: Request) -> Result<Response, ApiError> {
    match request {
        Request::GetStatus => Ok(Response::Status(w.state.borrow().status())),
        Request::SignUp {
            server_url,
            tenant_name,
            email,
            password,
        } => {
            let body = json!({"tenant_name": tenant_name, "email": email, "password": password});
            sign_in(w, &server_url, "/v1/auth/signup", body).await
        }
        Request::SignIn {
            server_url,
            email,
            password,
        } => {
            sign_in(
                w,
                &server_url,
                "/v1/auth/login",
                json!({"email": email, "password": password}),
            )
            .await
        }
        Request::SignOut { discard } => sign_out(w, discard).await,
        Request::SaveLead { candidate, page } => save(w, &candidate, &page).await,
        Request::ListLeads { query } => Ok(Response::Leads(list(w, &query))),
        Request::GetLead { id } => Ok(Response::Lead(view(w, id)?)),
        Request::UpdateLead { id, edit } => update(w, id, &edit).await,
        Request::DeleteLead { id } => delete(w, id).await,
        Request::SetStatus { id, status } => {
            let edit = LeadEdit {
                fields: [(Field::Status, Some(status.as_str().to_string()))].into(),
                ..Default::default()
            };
            update(w, id, &edit).await
        }
        Request::LookupContacts { keys } => Ok(Response::Known(lookup(w, &keys))),
        Request::QuickAction {
            lead_id,
            action,
            url,
        } => {
            let name = match action {
                QuickActionKind::Call => "call",
                QuickActionKind::Email => "email",
                QuickActionKind::Copy => "copy",
            };
            record_event(
                w,
                "quick_action",
                lead_id,
                json!({"action": name, "url": url}),
            )
            .await?;
            engine::request_sync(w.clone());
            Ok(Response::Done(true))
        }
        Request::SyncNow => {
            engine::sync_now(w.clone()).await;
            Ok(Response::Status(w.state.borrow().status()))
        }
        Request::Tick => {
            engine::tick(w.clone());
            socket::connect(w.clone());
            Ok(Response::Status(w.state.borrow().status()))
        }
        Request::ExportLeads { format } => Ok(Response::Export(export(w, format))),
        Request::ExtractPage { .. } | Request::ExtractSelection { .. } => Err(ApiError::internal(
            "extraction requests are handled before the worker",
        )),
    }
}

/// Commit `delta` to lead `id` (creating it when new) with its outbox mutation, then index it.
/// Must be called with the writer lock held.
async fn commit(w: &Worker, id: Uuid, delta: Delta) -> Result<LocalLead, ApiError> {
    let (local, mutation, clock, next_mid) = {
        let st = w.state.borrow();
        let mut local = st
            .leads
            .get(&id)
            .map(|c| c.local.clone())
            .unwrap_or_else(|| LocalLead::new(id));
        local
            .lead
            .merge(&Lead {
                id,
                registers: delta.0.clone(),
            })
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let mutation = delta.into_mutation(st.next_mid, id);
        (local, mutation, st.clock.last(), st.next_mid + 1)
    };
    w.store
        .write(Write {
            leads: vec![&local],
            mutations: vec![&mutation],
            meta: vec![
                Store::meta_value(key::NEXT_MID, &next_mid)?,
                Store::meta_value(key::CLOCK, &clock)?,
            ],
            ..Default::default()
        })
        .await?;
    let mut st = w.state.borrow_mut();
    st.next_mid = next_mid;
    st.pending += 1;
    st.unsynced.insert(id, mutation.mid);
    st.remember(local.clone());
    Ok(local)
}

fn pending_of(w: &Worker, id: Uuid) -> bool {
    w.state.borrow().unsynced.contains_key(&id)
}

async fn save(
    w: &Rc<Worker>,
    candidate: &leadsync_types::extract::LeadCandidate,
    page: &CapturePage,
) -> Result<Response, ApiError> {
    may_write(w)?;
    let values = candidate_values(candidate)?;
    let keys = values.keys();
    let _guard = w.writer.lock().await;
    let (existing, delta) = {
        let mut st = w.state.borrow_mut();
        let existing = st.same_person_as(&keys);
        let owner = st.session.as_ref().map(|s| s.user.id.to_string());
        let lead = existing
            .and_then(|id| st.leads.get(&id))
            .map(|c| c.local.lead.clone());
        let now = js::now_rfc3339();
        let delta = plan_capture(lead.as_ref(), &values, page, owner.as_deref(), &now, || {
            st.clock.tick()
        });
        (existing, delta)
    };
    let created = existing.is_none();
    let changed = !delta.is_empty();
    let id = existing.unwrap_or_else(Uuid::now_v7);
    let local = if delta.is_empty() {
        w.state
            .borrow()
            .leads
            .get(&id)
            .map(|c| c.local.clone())
            .ok_or_else(|| ApiError::internal("indexed lead missing"))?
    } else {
        commit(w, id, delta).await?
    };
    drop(_guard);
    let props = json!({"source_url": page.url, "created": created});
    record_event(w, "lead_captured", Some(id), props).await?;
    engine::request_sync(w.clone());
    Ok(Response::Saved(Saved {
        lead: local.view(pending_of(w, id)),
        created,
        changed,
    }))
}

/// Viewers read the team's leads but may not change them (the server refuses their pushes): say so
/// at once instead of keeping changes that could never sync.
fn may_write(w: &Worker) -> Result<(), ApiError> {
    match w.state.borrow().session.as_ref().map(|s| s.user.role.as_str()) {
        Some("viewer") => Err(ApiError::new(
            "read_only",
            "Your role in this team is viewer: you can look at its leads but not add or change them. Ask an admin for the rep role.",
        )),
        _ => Ok(()),
    }
}

fn view(w: &Worker, id: Uuid) -> Result<LeadView, ApiError> {
    let st = w.state.borrow();
    match st.leads.get(&id) {
        Some(c) if !c.local.lead.is_deleted() => Ok(c.local.view(st.unsynced.contains_key(&id))),
        _ => Err(ApiError::new(
            "not_found",
            format!(
                "Lead {id} is not on this device (it may have been deleted). Refresh the list."
            ),
        )
        .with_params([id])),
    }
}

fn list(w: &Worker, query: &LeadQuery) -> LeadPage {
    let st = w.state.borrow();
    let (items, total) = select(st.leads.values(), query, |id| st.unsynced.contains_key(&id));
    LeadPage { items, total }
}

async fn update(w: &Rc<Worker>, id: Uuid, edit: &LeadEdit) -> Result<Response, ApiError> {
    may_write(w)?;
    let _guard = w.writer.lock().await;
    let before = view(w, id)?;
    let delta = {
        let mut st = w.state.borrow_mut();
        let lead = st
            .leads
            .get(&id)
            .map(|c| c.local.lead.clone())
            .ok_or_else(|| ApiError::internal("lead vanished"))?;
        plan_edit(&lead, edit, || st.clock.tick())?
    };
    if delta.is_empty() {
        return Ok(Response::Lead(before));
    }
    let local = commit(w, id, delta).await?;
    drop(_guard);
    let after = local.lead.status();
    if after != before.status {
        record_event(
            w,
            "status_changed",
            Some(id),
            json!({"from": before.status.as_str(), "to": after.as_str()}),
        )
        .await?;
    }
    engine::request_sync(w.clone());
    Ok(Response::Lead(local.view(true)))
}

async fn delete(w: &Rc<Worker>, id: Uuid) -> Result<Response, ApiError> {
    may_write(w)?;
    let _guard = w.writer.lock().await;
    view(w, id)?;
    let mut delta = Delta::default();
    delta.0.deleted = Some(w.state.borrow_mut().tick());
    commit(w, id, delta).await?;
    drop(_guard);
    engine::request_sync(w.clone());
    Ok(Response::Done(true))
}

fn lookup(w: &Worker, keys: &[String]) -> BTreeMap<String, KnownContact> {
    let st = w.state.borrow();
    keys.iter()
        .filter_map(|k| {
            let id = st.holder(k)?;
            let c = st.leads.get(&id)?;
            Some((
                k.clone(),
                KnownContact {
                    id,
                    status: c.local.lead.status(),
                },
            ))
        })
        .collect()
}

/// Queue an activity event for `POST /v1/events` (kept in IndexedDB until the server has it).
pub async fn record_event(
    w: &Worker,
    kind: &str,
    lead_id: Option<Uuid>,
    props: serde_json::Value,
) -> Result<(), ApiError> {
    let id = Uuid::now_v7();
    let event = json!({"id": id, "type": kind, "lead_id": lead_id, "occurred_at": js::now_rfc3339(), "props": props});
    w.store.put_event(&id.to_string(), &event).await?;
    w.state.borrow_mut().pending_events += 1;
    Ok(())
}

async fn sign_in(
    w: &Rc<Worker>,
    server_url: &str,
    path: &str,
    body: serde_json::Value,
) -> Result<Response, ApiError> {
    let server = parse_server_url(server_url)?;
    let tokens: TokenResponse = net::call("POST", &server, path, None, Some(&body))
        .await
        .map_err(|e| match e {
            // Nothing is waiting to sync yet: say what to check instead.
            net::NetError::Unreachable(why) => ApiError::new(
                "server_unreachable",
                format!("Cannot reach a leadsync server at {server} ({why}). Check the address — scripts/run.sh prints it — and that the server is running."),
            )
            .with_params([server.as_str(), why.as_str()]),
            other => other.to_api_error(&server),
        })?;
    let _guard = w.writer.lock().await;
    {
        let st = w.state.borrow();
        if let Some(old) = &st.session {
            if old.user.id != tokens.user.id || old.server_url != server {
                return Err(ApiError::new(
                    "other_account",
                    format!(
                        "This browser holds the leads of {} on {}. Sign out first (options page) — pending changes are sent before — then sign in as {}.",
                        old.user.email, old.server_url, tokens.user.email
                    ),
                )
                .with_params([&old.user.email, &old.server_url, &tokens.user.email]));
            }
        }
    }
    let session = Session {
        server_url: server,
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        user: tokens.user.clone(),
    };
    let mut owner_delta = Vec::new();
    {
        // Leads captured before signing in get this user as owner when they have none.
        let mut st = w.state.borrow_mut();
        let orphans: Vec<Uuid> = st
            .leads
            .values()
            .filter(|c| c.local.lead.get(Field::Owner).is_none() && !c.local.lead.is_deleted())
            .map(|c| c.local.lead.id)
            .collect();
        for id in orphans {
            let mut d = Delta::default();
            d.set(Field::Owner, Some(tokens.user.id.to_string()), st.tick());
            owner_delta.push((id, d));
        }
    }
    w.store
        .write(Write {
            meta: vec![Store::meta_value(key::SESSION, &session)?],
            ..Default::default()
        })
        .await?;
    {
        let mut st = w.state.borrow_mut();
        st.session = Some(session);
        st.session_expired = false;
        st.last_error = None;
        st.attempt = 0;
    }
    for (id, d) in owner_delta {
        commit(w, id, d).await?;
    }
    drop(_guard);
    socket::connect(w.clone());
    engine::sync_now(w.clone()).await;
    Ok(Response::Status(w.state.borrow().status()))
}

async fn sign_out(w: &Rc<Worker>, discard: bool) -> Result<Response, ApiError> {
    if w.state.borrow().session.is_none() && w.state.borrow().pending == 0 {
        return Ok(Response::Status(w.state.borrow().status()));
    }
    engine::sync_now(w.clone()).await;
    // From here no new sync pass may start (a poke, the alarm, a retry timer), and the one running
    // is waited for: otherwise a late pull or token refresh could write the old account's data back
    // into the store this clears. Captures wait on the writer lock, and the check of what is pending
    // happens under it, so nothing saved meanwhile is discarded unannounced.
    w.state.borrow_mut().closing = true;
    while w.state.borrow().syncing {
        js::sleep(25).await;
    }
    let _guard = w.writer.lock().await;
    let (pending, events, session) = {
        let st = w.state.borrow();
        (st.pending, st.pending_events, st.session.clone())
    };
    if (pending > 0 || events > 0) && !discard {
        w.state.borrow_mut().closing = false;
        return Err(ApiError::new(
            "pending_changes",
            format!(
                "{pending} change(s) and {events} activity record(s) are not on the server yet, so signing out now would lose them. \
                 Get back online and sync first, or sign out anyway and discard them."
            ),
        )
        .with_params([pending, events]));
    }
    if let Some(s) = &session {
        // Revoke the refresh token; if the server is unreachable the token simply expires.
        let _ = net::call_text(
            "POST",
            &s.server_url,
            "/v1/auth/logout",
            None,
            Some(json!({"refresh_token": s.refresh_token}).to_string()),
        )
        .await;
    }
    socket::disconnect(w);
    let cleared = w.store.clear_account().await;
    if let Err(e) = cleared {
        w.state.borrow_mut().closing = false;
        return Err(e);
    }
    let client_id = {
        let mut st = w.state.borrow_mut();
        st.session = None;
        st.session_expired = false;
        st.leads.clear();
        st.by_key.clear();
        st.unsynced.clear();
        st.pending = 0;
        st.pending_events = 0;
        st.cursor = leadsync_types::sync::Cursor::START;
        st.last_sync_at = None;
        st.last_error = None;
        st.client_id = Uuid::now_v7();
        st.clock =
            leadsync_types::HlcClock::resume(st.client_id, st.clock.last(), crate::worker::JsNow);
        st.next_mid = 1;
        st.closing = false;
        st.client_id
    };
    w.store
        .write(Write {
            meta: vec![Store::meta_value(key::CLIENT_ID, &client_id)?],
            ..Default::default()
        })
        .await?;
    Ok(Response::Status(w.state.borrow().status()))
}

fn export(w: &Worker, format: ExportFormat) -> Export {
    let st = w.state.borrow();
    let all: Vec<LeadView> = {
        let mut v: Vec<LeadView> = st
            .leads
            .values()
            .filter(|c| !c.local.lead.is_deleted())
            .map(|c| c.local.view(st.unsynced.contains_key(&c.local.lead.id)))
            .collect();
        v.sort_by_key(|l| l.id);
        v
    };
    match format {
        ExportFormat::Json => Export {
            filename: "leadsync-leads.json".into(),
            mime: "application/json".into(),
            body: serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into()),
        },
        ExportFormat::Csv => Export {
            filename: "leadsync-leads.csv".into(),
            mime: "text/csv".into(),
            body: crate::export::csv(&all, &Field::ALL),
        },
    }
}
