//! The store and the sync engine in a real browser (wasm-bindgen-test in headless Chromium),
//! against a real leadsync server: `tests/e2e/wasm.test.mjs` starts one on a fresh database and
//! passes its address at build time in `LEADSYNC_TEST_SERVER`. Each test opens its own IndexedDB
//! database, so each starts empty.

use std::rc::Rc;

use serde_json::json;
use uuid::Uuid;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

use leadsync_types::extract::{CandidateField, ContactKind, FoundValue, LeadCandidate, Provenance};
use leadsync_types::sync::{Cursor, Mutation};
use leadsync_types::{Field, Hlc, LeadStatus};

use crate::api::{Request, Response};
use crate::capture::CapturePage;
use crate::local::{LeadEdit, LocalLead};
use crate::worker::store::{key, Store, Write, EVENTS, OUTBOX};
use crate::worker::{engine, open, ops, Worker};

wasm_bindgen_test_configure!(run_in_browser);

fn server() -> &'static str {
    match option_env!("LEADSYNC_TEST_SERVER") {
        Some(url) => url,
        None => panic!("LEADSYNC_TEST_SERVER is not set: run these through tests/e2e/wasm.test.mjs (scripts/test.sh does), which starts a server"),
    }
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", Uuid::now_v7().simple())
}

fn candidate(name: &str, email: &str) -> LeadCandidate {
    let v = |field, value: &str| FoundValue {
        field,
        value: value.into(),
        provenance: Provenance::Selection,
        confidence: 0.9,
        anchors: vec![],
    };
    LeadCandidate {
        kind: ContactKind::Person,
        values: vec![
            v(CandidateField::Name, name),
            v(CandidateField::Email, email),
        ],
        dedup_key: Some(format!("email:{email}")),
        confidence: 0.9,
    }
}

async fn worker(db: &str) -> Rc<Worker> {
    Rc::new(open(db).await.expect("open the worker's store"))
}

/// A new team with one user (a fresh email), signed in on `w`.
async fn sign_up(w: &Rc<Worker>, team: &str) {
    let email = format!("{}@brightlane.io", unique("rep"));
    let password = "correct horse battery staple".into();
    let r = call(
        w,
        Request::SignUp {
            server_url: server().into(),
            tenant_name: team.into(),
            email,
            password,
        },
    )
    .await;
    assert!(matches!(&r, Response::Status(s) if s.signed_in), "{r:?}");
}

async fn call(w: &Rc<Worker>, r: Request) -> Response {
    match ops::handle(w, r).await {
        Ok(r) => r,
        Err(e) => panic!("request failed: {e}"),
    }
}

#[wasm_bindgen_test]
async fn the_store_commits_together_and_reads_back() {
    let store = Store::open(&unique("store")).await.unwrap();
    let mut lead = LocalLead::new(Uuid::now_v7());
    lead.lead.set(
        Field::Name,
        Some("Jane Doe".into()),
        Hlc::new(1_700_000_000_000, 0, 1),
    );
    let m = Mutation {
        mid: 1,
        lead_id: lead.lead.id,
        fields: lead.lead.registers.fields.clone(),
        tags: Default::default(),
        other_contacts: [(
            "tel:+14155550100".to_string(),
            leadsync_types::Register::new(true, Hlc::new(1_700_000_000_000, 0, 1)),
        )]
        .into(),
        deleted: None,
    };
    store
        .write(Write {
            leads: vec![&lead],
            mutations: vec![&m],
            meta: vec![Store::meta_value(key::NEXT_MID, &2u64).unwrap()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(store.all_leads().await.unwrap(), vec![lead.clone()]);
    assert_eq!(store.outbox(10).await.unwrap(), vec![m.clone()]);
    assert_eq!(store.meta::<u64>(key::NEXT_MID).await.unwrap(), Some(2));

    // Renumbering: the old entry goes and the new one arrives in one transaction.
    let moved = Mutation {
        mid: 7,
        ..m.clone()
    };
    store
        .write(Write {
            mutations: vec![&moved],
            drop_mids: vec![1],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(store.outbox(10).await.unwrap(), vec![moved]);
    store
        .delete(OUTBOX, vec![JsValue::from_f64(7.0)])
        .await
        .unwrap();
    assert_eq!(store.count(OUTBOX).await.unwrap(), 0);

    store
        .put_event("e1", &json!({"id": "e1", "type": "lead_captured"}))
        .await
        .unwrap();
    assert_eq!(store.events(10).await.unwrap().len(), 1);
    store.clear_account().await.unwrap();
    assert!(store.all_leads().await.unwrap().is_empty());
    assert_eq!(store.count(EVENTS).await.unwrap(), 0);
    assert_eq!(store.meta::<u64>(key::NEXT_MID).await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn a_capture_syncs_and_a_second_device_pulls_it_and_edits_come_back() {
    let email = format!("{}@brightlane.io", unique("owner"));
    let password = "correct horse battery staple".to_string();
    let one = worker(&unique("device-one")).await;
    let up = call(
        &one,
        Request::SignUp {
            server_url: server().into(),
            tenant_name: "Brightlane".into(),
            email: email.clone(),
            password: password.clone(),
        },
    )
    .await;
    assert!(matches!(&up, Response::Status(s) if s.signed_in), "{up:?}");

    let page = CapturePage {
        url: Some("https://www.brightlane.io/team".into()),
        title: Some("Team".into()),
    };
    let Response::Saved(saved) = call(
        &one,
        Request::SaveLead {
            candidate: candidate("Ada Lovelace", "ada@brightlane.io"),
            page: page.clone(),
        },
    )
    .await
    else {
        panic!()
    };
    assert!(saved.created);
    engine::sync_now(one.clone()).await;
    {
        let st = one.state.borrow();
        assert_eq!(
            st.pending, 0,
            "the outbox is empty after a sync: {:?}",
            st.last_error
        );
        assert_eq!(st.last_error, None);
        assert!(
            st.leads[&saved.lead.id].local.version > 0,
            "the pulled version is recorded"
        );
    }
    // The same contact again: the same lead, nothing new to push.
    let Response::Saved(again) = call(
        &one,
        Request::SaveLead {
            candidate: candidate("Ada Lovelace", "ada@brightlane.io"),
            page,
        },
    )
    .await
    else {
        panic!()
    };
    assert!(!again.created);
    assert_eq!(again.lead.id, saved.lead.id);

    // A second device of the same user pulls it on sign-in, edits it, and the first sees the edit.
    let two = worker(&unique("device-two")).await;
    call(
        &two,
        Request::SignIn {
            server_url: server().into(),
            email,
            password,
        },
    )
    .await;
    let Response::Lead(there) = call(&two, Request::GetLead { id: saved.lead.id }).await else {
        panic!()
    };
    assert_eq!(there.get(Field::Name), Some("Ada Lovelace"));
    let edit = LeadEdit {
        fields: [(Field::Status, Some("qualified".into()))].into(),
        ..Default::default()
    };
    call(
        &two,
        Request::UpdateLead {
            id: saved.lead.id,
            edit,
        },
    )
    .await;
    engine::sync_now(two.clone()).await;
    engine::sync_now(one.clone()).await;
    let Response::Lead(back) = call(&one, Request::GetLead { id: saved.lead.id }).await else {
        panic!()
    };
    assert_eq!(back.status, LeadStatus::Qualified);
    assert!(!back.pending);

    // A cursor the server does not know (410) means a full resync, not an error.
    two.state.borrow_mut().cursor = Cursor {
        version: 1_000_000_000,
        after: None,
    };
    engine::sync_now(two.clone()).await;
    let st = two.state.borrow();
    assert_eq!(st.last_error, None);
    assert!(
        st.cursor.version < 1_000_000_000,
        "the cursor restarted: {}",
        st.cursor
    );
    assert_eq!(
        st.leads[&saved.lead.id].local.lead.status(),
        LeadStatus::Qualified
    );
}

#[wasm_bindgen_test]
async fn offline_work_waits_in_the_store_and_a_reopened_worker_resumes_it() {
    let db = unique("device-offline");
    let w = worker(&db).await;
    sign_up(&w, "Offline Co").await;
    // Point the session at a port nobody listens on: the server is "down".
    let real = server().to_string();
    w.state.borrow_mut().session.as_mut().unwrap().server_url = "http://127.0.0.1:9".into();
    call(
        &w,
        Request::SaveLead {
            candidate: candidate("Grace Hopper", "grace@brightlane.io"),
            page: CapturePage::default(),
        },
    )
    .await;
    engine::sync_now(w.clone()).await;
    let (client_id, next_mid) = {
        let st = w.state.borrow();
        assert_eq!(st.pending, 1);
        assert!(!st.online);
        assert_eq!(
            st.last_error.as_ref().map(|e| e.code.as_str()),
            Some("offline")
        );
        (st.client_id, st.next_mid)
    };

    // The worker is gone (a stopped service worker); a new one resumes from IndexedDB alone.
    drop(w);
    let again = worker(&db).await;
    {
        let st = again.state.borrow();
        assert_eq!(
            (st.client_id, st.next_mid, st.pending),
            (client_id, next_mid, 1)
        );
        assert_eq!(st.leads.len(), 1);
    }
    again
        .state
        .borrow_mut()
        .session
        .as_mut()
        .unwrap()
        .server_url = real;
    engine::sync_now(again.clone()).await;
    let st = again.state.borrow();
    assert_eq!(st.pending, 0, "{:?}", st.last_error);
    assert!(st.online);
}

#[wasm_bindgen_test]
async fn a_server_that_lost_this_clients_history_gets_the_outbox_renumbered_and_lost_leads_again() {
    let w = worker(&unique("device-restore")).await;
    sign_up(&w, "Restore Co").await;

    // The server expects mutation 1 of this client; this device is at 100 (as after a server
    // restore): the push meets 409 mutation_gap, and the waiting mutation is renumbered, not lost.
    w.state.borrow_mut().next_mid = 100;
    let Response::Saved(saved) = call(
        &w,
        Request::SaveLead {
            candidate: candidate("Katherine Johnson", "katherine@brightlane.io"),
            page: CapturePage::default(),
        },
    )
    .await
    else {
        panic!()
    };
    engine::sync_now(w.clone()).await;
    {
        let st = w.state.borrow();
        assert_eq!(st.pending, 0, "{:?}", st.last_error);
        assert_eq!(st.next_mid, 2, "renumbered from the server's expected mid");
    }

    // A lead this device holds as synced but the server has never seen (it lost it): a cursor
    // ahead of the server (410 cursor_ahead) makes a full resync, which uploads it again.
    let mut lost = LocalLead::new(Uuid::now_v7());
    lost.lead.set(
        Field::Name,
        Some("Dorothy Vaughan".into()),
        w.state.borrow_mut().tick(),
    );
    lost.lead.set(
        Field::Email,
        Some("dorothy@brightlane.io".into()),
        w.state.borrow_mut().tick(),
    );
    lost.version = 7;
    w.store
        .write(Write {
            leads: vec![&lost],
            ..Default::default()
        })
        .await
        .unwrap();
    w.state.borrow_mut().remember(lost.clone());
    w.state.borrow_mut().cursor = Cursor {
        version: 1_000_000_000,
        after: None,
    };
    engine::sync_now(w.clone()).await;
    let st = w.state.borrow();
    assert_eq!(st.last_error, None);
    assert_eq!(st.pending, 0, "the lost lead was uploaded");
    assert!(
        st.leads[&lost.lead.id].local.version > 0
            && st.leads[&lost.lead.id].local.version < 1_000_000_000,
        "and pulled back at a real version"
    );
    assert!(st.leads.contains_key(&saved.lead.id));
}

#[wasm_bindgen_test]
async fn one_refused_event_is_dropped_alone_and_the_rest_reach_the_server() {
    let w = worker(&unique("device-events")).await;
    sign_up(&w, "Events Co").await;
    engine::sync_now(w.clone()).await;
    // A good event and one the server refuses (its type is not snake_case) in the same batch.
    let good = Uuid::now_v7();
    let now = crate::worker::js::now_rfc3339();
    w.store.put_event(&good.to_string(), &json!({"id": good, "type": "quick_action", "occurred_at": now, "props": {"action": "copy"}})).await.unwrap();
    let bad = Uuid::now_v7();
    w.store
        .put_event(
            &bad.to_string(),
            &json!({"id": bad, "type": "Not Snake", "occurred_at": now}),
        )
        .await
        .unwrap();
    w.state.borrow_mut().pending_events += 2;
    engine::sync_now(w.clone()).await;
    assert_eq!(w.state.borrow().pending_events, 0);
    assert_eq!(w.state.borrow().last_error, None);
    // The good one is stored: sending it again is a duplicate.
    let (base, token) = {
        let st = w.state.borrow();
        let s = st.session.as_ref().unwrap();
        (s.server_url.clone(), s.access_token.clone())
    };
    let body = json!({"events": [{"id": good, "type": "quick_action", "occurred_at": now}]});
    let r: serde_json::Value =
        crate::worker::net::call("POST", &base, "/v1/events", Some(&token), Some(&body))
            .await
            .map_err(|e| format!("{e:?}"))
            .unwrap();
    assert_eq!(r["duplicates"], 1, "{r}");
}

fn contact(values: &[(CandidateField, &str)]) -> LeadCandidate {
    LeadCandidate {
        kind: ContactKind::Person,
        values: values
            .iter()
            .map(|(field, value)| FoundValue {
                field: *field,
                value: value.to_string(),
                provenance: Provenance::Text,
                confidence: 0.9,
                anchors: vec![],
            })
            .collect(),
        dedup_key: None,
        confidence: 0.9,
    }
}

async fn save(w: &Rc<Worker>, c: LeadCandidate) -> crate::api::Saved {
    let page = CapturePage {
        url: Some("https://www.hale-law.com/people".into()),
        title: Some("People".into()),
    };
    match call(w, Request::SaveLead { candidate: c, page }).await {
        Response::Saved(s) => s,
        other => panic!("{other:?}"),
    }
}

/// The silent loss of the capture-fidelity issue: a firm's switchboard contact saved first, then a
/// lawyer whose direct line is that switchboard (plus her extension). She is her own lead, with
/// both her numbers; a bare switchboard number later goes to the firm; a second device pulls
/// everything from the server, other contacts included.
#[wasm_bindgen_test]
async fn a_shared_switchboard_merges_no_one_and_every_number_reaches_the_server() {
    use CandidateField::*;
    let email = format!("{}@hale-law.com", unique("admin"));
    let password = "correct horse battery staple".to_string();
    let one = worker(&unique("firm-one")).await;
    let up = call(
        &one,
        Request::SignUp {
            server_url: server().into(),
            tenant_name: "Hale".into(),
            email: email.clone(),
            password: password.clone(),
        },
    )
    .await;
    assert!(matches!(&up, Response::Status(s) if s.signed_in), "{up:?}");
    let firm = save(
        &one,
        contact(&[
            (Company, "Hale & Partners LLP"),
            (Email, "info@hale-law.com"),
            (Phone, "+14155550100"),
        ]),
    )
    .await;
    assert!(firm.created);
    let maria = save(
        &one,
        contact(&[
            (Name, "Maria Ortiz"),
            (Email, "maria.ortiz@hale-law.com"),
            (Phone, "+14155550100"),
            (Phone, "+14155550142"),
        ]),
    )
    .await;
    assert!(maria.created, "a different e-mail is a different person");
    assert_ne!(maria.lead.id, firm.lead.id);
    assert_eq!(maria.lead.other_contacts, vec!["tel:+14155550142"]);
    let colleague = save(
        &one,
        contact(&[
            (Name, "Tom Reyes"),
            (Email, "tom.reyes@hale-law.com"),
            (Phone, "+14155550100"),
        ]),
    )
    .await;
    assert!(colleague.created);
    // A number alone is the switchboard's lead (the oldest with it), and says so.
    let bare = save(&one, contact(&[(Phone, "+14155550100")])).await;
    assert!(!bare.created && !bare.changed);
    assert_eq!(bare.lead.id, firm.lead.id);
    // Maria again, with a second address: added to her lead, beside the first.
    let again = save(
        &one,
        contact(&[
            (Name, "Maria Ortiz"),
            (Email, "maria.ortiz@hale-law.com"),
            (Email, "mortiz@gmail.com"),
        ]),
    )
    .await;
    assert!(!again.created && again.changed);
    assert_eq!(again.lead.id, maria.lead.id);
    assert_eq!(
        again.lead.other_contacts,
        vec!["mailto:mortiz@gmail.com", "tel:+14155550142"]
    );
    engine::sync_now(one.clone()).await;
    assert_eq!(
        one.state.borrow().pending,
        0,
        "{:?}",
        one.state.borrow().last_error
    );

    let two = worker(&unique("firm-two")).await;
    call(
        &two,
        Request::SignIn {
            server_url: server().into(),
            email,
            password,
        },
    )
    .await;
    let Response::Lead(there) = call(&two, Request::GetLead { id: maria.lead.id }).await else {
        panic!()
    };
    assert_eq!(there.get(Field::Name), Some("Maria Ortiz"));
    assert_eq!(there.get(Field::Email), Some("maria.ortiz@hale-law.com"));
    assert_eq!(
        there.other_contacts,
        vec!["mailto:mortiz@gmail.com", "tel:+14155550142"]
    );
    let Response::Leads(all) = call(
        &two,
        Request::ListLeads {
            query: Default::default(),
        },
    )
    .await
    else {
        panic!()
    };
    assert_eq!(all.total, 3, "firm, Maria and Tom");
    // Removing a number on one device removes it everywhere.
    let edit = LeadEdit {
        remove_contacts: vec!["tel:+14155550142".into()],
        ..Default::default()
    };
    call(
        &two,
        Request::UpdateLead {
            id: maria.lead.id,
            edit,
        },
    )
    .await;
    engine::sync_now(two.clone()).await;
    engine::sync_now(one.clone()).await;
    let Response::Lead(back) = call(&one, Request::GetLead { id: maria.lead.id }).await else {
        panic!()
    };
    assert_eq!(back.other_contacts, vec!["mailto:mortiz@gmail.com"]);
}
