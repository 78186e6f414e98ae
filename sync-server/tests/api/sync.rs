//! The sync protocol: push/pull, exactly-once, gaps, commit order, merge rules, skew, purge.

use std::collections::HashSet;
use std::time::Duration;

use leadsync_server::maintenance;
use leadsync_types::{Field, Register};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::*;

const A: u128 = 0xa;
const B: u128 = 0xb;

#[sqlx::test(migrations = "../migrations")]
async fn push_pull_round_trip(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("rt@acme.com").await;
    let client = Uuid::now_v7();
    let lead = Uuid::now_v7();
    let mut m1 = set(
        1,
        lead,
        &[(Field::Name, "Jane Roe"), (Field::Email, "jane@acme.com")],
        hlc(0, A),
    );
    m1.tags.insert("vip".into(), Register::new(true, hlc(0, A)));
    let m2 = set(2, lead, &[(Field::Status, "contacted")], hlc(1, A));
    let resp = app.push(&s.access, client, vec![m1, m2]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let pushed: Value = resp.json().await.unwrap();
    assert_eq!(pushed["last_mutation_id"], 2);
    let version = pushed["version"].as_u64().unwrap();
    assert!(version >= 1);
    assert!(
        pushed["server_hlc"]
            .as_str()
            .unwrap()
            .parse::<leadsync_types::Hlc>()
            .unwrap()
            > hlc(-1000, A)
    );

    let pulled: Value = app
        .get(&format!("/v1/sync/pull?client_id={client}"), &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pulled["last_mutation_id"], 2);
    assert_eq!(pulled["has_more"], false);
    let changes = pulled["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["id"], lead.to_string());
    assert_eq!(field(&changes[0], "name"), Some("Jane Roe"));
    assert_eq!(field(&changes[0], "status"), Some("contacted"));
    assert_eq!(changes[0]["tags"]["vip"]["value"], true);
    assert_eq!(changes[0]["version"], version);
    // Nothing new after the cursor.
    let again: Value = app
        .pull(&s.access, pulled["cursor"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert!(again["changes"].as_array().unwrap().is_empty());
    // The REST view agrees.
    let rest: Value = app
        .get(&format!("/v1/leads/{lead}"), &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["email"], "jane@acme.com");
    assert_eq!(rest["tags"], serde_json::json!(["vip"]));
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_retried_push_changes_nothing_and_a_gap_gets_409(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("retry@acme.com").await;
    let client = Uuid::now_v7();
    let lead = Uuid::now_v7();
    let batch = vec![
        set(1, lead, &[(Field::Name, "Once")], hlc(0, A)),
        set(2, lead, &[(Field::Title, "CTO")], hlc(1, A)),
    ];
    let first: Value = app
        .push(&s.access, client, batch.clone())
        .await
        .json()
        .await
        .unwrap();
    let (before, _) = app.pull_all(&s.access, "", 100).await;
    let retry: Value = app
        .push(&s.access, client, batch)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(retry["last_mutation_id"], 2);
    assert_eq!(
        retry["version"], first["version"],
        "a retry must not create a new version"
    );
    let (after, _) = app.pull_all(&s.access, "", 100).await;
    assert_eq!(before, after);

    // A retry overlapping new work applies only the new part.
    let overlap = vec![
        set(
            2,
            lead,
            &[(Field::Title, "ignored: already applied")],
            hlc(5, A),
        ),
        set(3, lead, &[(Field::Company, "Acme")], hlc(6, A)),
    ];
    let resp: Value = app
        .push(&s.access, client, overlap)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resp["last_mutation_id"], 3);
    let rest: Value = app
        .get(&format!("/v1/leads/{lead}"), &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["title"], "CTO");
    assert_eq!(rest["company"], "Acme");

    let gap = app
        .push(
            &s.access,
            client,
            vec![set(5, lead, &[(Field::Name, "Gap")], hlc(7, A))],
        )
        .await;
    let body = assert_error(gap, StatusCode::CONFLICT, "mutation_gap").await;
    assert_eq!(body["error"]["expected_mid"], 4);
    let rest: Value = app
        .get(&format!("/v1/leads/{lead}"), &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["name"], "Once", "nothing of a refused push is stored");

    // Mutation ids start at 1 and rise within a batch; a bad numbering is an error, never a silent skip.
    let zero = app
        .push(
            &s.access,
            Uuid::now_v7(),
            vec![set(0, lead, &[(Field::Name, "Zero")], hlc(8, A))],
        )
        .await;
    assert_error(zero, StatusCode::BAD_REQUEST, "invalid_mid").await;
    let backwards = vec![
        set(5, lead, &[(Field::Name, "x")], hlc(8, A)),
        set(4, lead, &[(Field::Name, "y")], hlc(9, A)),
    ];
    assert_error(
        app.push(&s.access, client, backwards).await,
        StatusCode::BAD_REQUEST,
        "mids_out_of_order",
    )
    .await;

    // Another user of the team cannot push under this client's id (their pushes would be skipped).
    let rep = app.add_user(&s, "rep-retry@acme.com", "rep").await;
    let hijack = app
        .push(
            &rep.access,
            client,
            vec![set(4, lead, &[(Field::Name, "Rep")], hlc(10, B))],
        )
        .await;
    assert_error(hijack, StatusCode::CONFLICT, "client_id_in_use").await;
    let rest: Value = app
        .get(&format!("/v1/leads/{lead}"), &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["name"], "Once");
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn versions_follow_commit_order_even_when_a_writer_stalls_after_taking_one(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("stall@acme.com").await;
    let (ca, cb) = (Uuid::now_v7(), Uuid::now_v7());
    let (l, m) = (Uuid::now_v7(), Uuid::now_v7());
    app.push(
        &s.access,
        ca,
        vec![set(1, l, &[(Field::Name, "L")], hlc(0, A))],
    )
    .await;
    let (_, c0) = app.pull_all(&s.access, "", 100).await;
    // Make A's write of L sleep inside its transaction, after it has taken its version.
    sqlx::query("CREATE FUNCTION test_stall() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1.5); RETURN NEW; END $$")
        .execute(&app.admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE TRIGGER stall AFTER UPDATE ON leads FOR EACH ROW WHEN (NEW.id = '{l}' AND NEW.version > 0) EXECUTE FUNCTION test_stall()"))
        .execute(&app.admin)
        .await
        .unwrap();
    let push_a = app.spawn_push(
        &s.access,
        ca,
        vec![set(2, l, &[(Field::Title, "slow A")], hlc(1, A))],
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    let push_b = app.spawn_push(
        &s.access,
        cb,
        vec![set(1, m, &[(Field::Name, "quick B")], hlc(2, B))],
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    // Mid-flight: whatever a pull sees now, it must not let the cursor pass A's version.
    let (mid_flight, c1) = app.pull_all(&s.access, &c0, 100).await;
    let a: Value = push_a.await.unwrap().json().await.unwrap();
    let b: Value = push_b.await.unwrap().json().await.unwrap();
    assert!(
        a["version"].as_u64() < b["version"].as_u64(),
        "A took its version first: A {a} B {b}"
    );
    let (rest, _) = app.pull_all(&s.access, &c1, 100).await;
    let mut seen: Vec<String> = mid_flight
        .iter()
        .chain(rest.iter())
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    seen.sort();
    let mut want = vec![l.to_string(), m.to_string()];
    want.sort();
    assert_eq!(
        seen, want,
        "both commits are pulled exactly once: mid-flight {mid_flight:?}, later {rest:?}"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_push_that_started_first_but_commits_last_is_not_skipped_by_pull(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("order@acme.com").await;
    let (ca, cb) = (Uuid::now_v7(), Uuid::now_v7());
    let (l, m) = (Uuid::now_v7(), Uuid::now_v7());
    app.push(
        &s.access,
        ca,
        vec![set(1, l, &[(Field::Name, "L")], hlc(0, A))],
    )
    .await;
    let (_, c0) = app.pull_all(&s.access, "", 100).await;

    // Hold L's row lock so push A (an edit of L) starts and then waits mid-transaction.
    let mut blocker = app.admin.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM leads WHERE id = $1 FOR UPDATE")
        .bind(l)
        .execute(&mut *blocker)
        .await
        .unwrap();
    let push_a = app.spawn_push(
        &s.access,
        ca,
        vec![set(2, l, &[(Field::Title, "edited by A")], hlc(1, A))],
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !push_a.is_finished(),
        "push A should be waiting on the row lock"
    );

    // Push B starts later and commits first.
    let b: Value = app
        .push(
            &s.access,
            cb,
            vec![set(1, m, &[(Field::Name, "M")], hlc(2, B))],
        )
        .await
        .json()
        .await
        .unwrap();
    let (seen, c1) = app.pull_all(&s.access, &c0, 100).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["id"], m.to_string());

    blocker.rollback().await.unwrap();
    let a: Value = push_a.await.unwrap().json().await.unwrap();
    assert!(
        a["version"].as_u64() > b["version"].as_u64(),
        "versions follow commit order: A {a} B {b}"
    );
    let (later, _) = app.pull_all(&s.access, &c1, 100).await;
    assert_eq!(later.len(), 1, "the late commit must be pulled: {later:?}");
    assert_eq!(field(&later[0], "title"), Some("edited by A"));
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn merge_rules_hold_through_the_server(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("merge@acme.com").await;
    let (ca, cb) = (Uuid::now_v7(), Uuid::now_v7());
    let lead = Uuid::now_v7();
    // Concurrent edits of different fields both survive.
    app.push(
        &s.access,
        ca,
        vec![set(1, lead, &[(Field::Name, "Ann")], hlc(0, A))],
    )
    .await;
    app.push(
        &s.access,
        cb,
        vec![set(1, lead, &[(Field::Company, "Acme")], hlc(0, B))],
    )
    .await;
    // Same field: the higher clock wins even when it arrives first.
    app.push(
        &s.access,
        ca,
        vec![set(2, lead, &[(Field::Title, "VP Sales")], hlc(50, A))],
    )
    .await;
    app.push(
        &s.access,
        cb,
        vec![set(2, lead, &[(Field::Title, "Intern")], hlc(10, B))],
    )
    .await;
    let rest: Value = app
        .get(&format!("/v1/leads/{lead}"), &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            rest["name"].as_str(),
            rest["company"].as_str(),
            rest["title"].as_str()
        ),
        (Some("Ann"), Some("Acme"), Some("VP Sales"))
    );

    // Delete wins over a later edit.
    app.push(&s.access, ca, vec![delete(3, lead, hlc(60, A))])
        .await;
    app.push(
        &s.access,
        cb,
        vec![set(3, lead, &[(Field::Name, "Resurrected?")], hlc(90, B))],
    )
    .await;
    assert_error(
        app.get(&format!("/v1/leads/{lead}"), &s.access).await,
        StatusCode::NOT_FOUND,
        "lead_not_found",
    )
    .await;
    let (changes, _) = app.pull_all(&s.access, "", 100).await;
    assert_eq!(changes.len(), 1);
    assert!(
        changes[0]["deleted"].is_string(),
        "the tombstone is pulled: {}",
        changes[0]
    );
    let list: Value = app.get("/v1/leads", &s.access).await.json().await.unwrap();
    assert!(list["items"].as_array().unwrap().is_empty());
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn an_hlc_too_far_ahead_is_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("skew@acme.com").await;
    let client = Uuid::now_v7();
    let lead = Uuid::now_v7();
    let ahead = hlc(6 * 60 * 1000, A);
    let resp = app
        .push(
            &s.access,
            client,
            vec![set(1, lead, &[(Field::Name, "Future")], ahead)],
        )
        .await;
    let body = assert_error(resp, StatusCode::BAD_REQUEST, "clock_skew").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("ahead"));
    // Within the bound is fine.
    let ok = app
        .push(
            &s.access,
            client,
            vec![set(
                1,
                lead,
                &[(Field::Name, "Soon")],
                hlc(4 * 60 * 1000, A),
            )],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    // A REST edit made now wins over that stamp — also on another server instance (or after a
    // restart), whose clock never saw the push.
    let other = spawn_app(app.admin.clone()).await;
    let patched: Value = other
        .patch(
            &format!("/v1/leads/{lead}"),
            &s.access,
            &serde_json::json!({"name": "Now"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(patched["name"], "Now");
    let deleted = other.delete(&format!("/v1/leads/{lead}"), &s.access).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    other.stop().await;
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_cursor_older_than_purged_tombstones_gets_410(pool: PgPool) {
    let mut config = test_config();
    config.tombstone_retention = Duration::ZERO;
    let app = spawn_app_with(pool, config).await;
    let s = app.signup("purge@acme.com").await;
    let client = Uuid::now_v7();
    let (gone, kept) = (Uuid::now_v7(), Uuid::now_v7());
    app.push(
        &s.access,
        client,
        vec![
            set(1, gone, &[(Field::Name, "Gone")], hlc(0, A)),
            set(2, kept, &[(Field::Name, "Kept")], hlc(0, A)),
        ],
    )
    .await;
    let (_, stale) = app.pull_all(&s.access, "", 100).await;
    app.push(&s.access, client, vec![delete(3, gone, hlc(1, A))])
        .await;
    let (_, fresh) = app.pull_all(&s.access, "", 100).await;

    assert_eq!(maintenance::purge_all(&app.state).await.unwrap(), 1);
    let resp = app.pull(&s.access, &stale).await;
    assert_error(resp, StatusCode::GONE, "cursor_expired").await;
    // A cursor taken after the delete is still good, and a full resync no longer carries the tombstone.
    assert_eq!(app.pull(&s.access, &fresh).await.status(), StatusCode::OK);
    let (all, _) = app.pull_all(&s.access, "", 100).await;
    assert_eq!(
        all.iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
        vec![kept.to_string()]
    );
    // A late write to the purged lead does not bring it back.
    app.push(
        &s.access,
        client,
        vec![set(4, gone, &[(Field::Name, "Back?")], hlc(2, A))],
    )
    .await;
    assert_error(
        app.get(&format!("/v1/leads/{gone}"), &s.access).await,
        StatusCode::NOT_FOUND,
        "lead_not_found",
    )
    .await;
    // A cursor from another database (ahead of this one) is refused too, and a nonsense one is a 400.
    assert_error(
        app.pull(&s.access, "999999").await,
        StatusCode::GONE,
        "cursor_ahead",
    )
    .await;
    assert_error(
        app.pull(&s.access, "18446744073709551615").await,
        StatusCode::BAD_REQUEST,
        "invalid_cursor",
    )
    .await;
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn pull_pages_through_one_large_version_without_loss_or_duplicates(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("pages@acme.com").await;
    let client = Uuid::now_v7();
    let ids: Vec<Uuid> = (0..25).map(|_| Uuid::now_v7()).collect();
    let muts = ids
        .iter()
        .enumerate()
        .map(|(i, id)| set(i as u64 + 1, *id, &[(Field::Name, "Someone")], hlc(0, A)))
        .collect();
    let resp = app.push(&s.access, client, muts).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let (changes, _) = app.pull_all(&s.access, "", 10).await;
    let got: HashSet<String> = changes
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(changes.len(), 25);
    assert_eq!(got, ids.iter().map(|i| i.to_string()).collect());
    app.stop().await;
}

/// A person's second number and address travel as `other_contacts`: pushed by one device, merged
/// like tags with a concurrent removal, pulled, shown and searched through REST, replaced by PATCH.
#[sqlx::test(migrations = "../migrations")]
async fn other_contacts_sync_merge_and_show_everywhere(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("others@acme.com").await;
    let (c1, c2) = (Uuid::now_v7(), Uuid::now_v7());
    let lead = Uuid::now_v7();
    let mut m1 = set(
        1,
        lead,
        &[
            (Field::Name, "Maria Ortiz"),
            (Field::Email, "maria@hale-law.com"),
            (Field::Phone, "+14155550100"),
        ],
        hlc(0, A),
    );
    m1.other_contacts
        .insert("tel:+14155550142".into(), Register::new(true, hlc(0, A)));
    m1.other_contacts.insert(
        "tel:+14155550100;ext=204".into(),
        Register::new(true, hlc(0, A)),
    );
    m1.other_contacts.insert(
        "mailto:m.ortiz@hale-law.com".into(),
        Register::new(true, hlc(0, A)),
    );
    assert_eq!(
        app.push(&s.access, c1, vec![m1]).await.status(),
        StatusCode::OK
    );
    // Another device removes one number (later clock) and adds an address, concurrently.
    let mut m2 = set(1, lead, &[], hlc(5, B));
    m2.other_contacts
        .insert("tel:+14155550142".into(), Register::new(false, hlc(5, B)));
    m2.other_contacts.insert(
        "mailto:maria.ortiz@gmail.com".into(),
        Register::new(true, hlc(5, B)),
    );
    assert_eq!(
        app.push(&s.access, c2, vec![m2]).await.status(),
        StatusCode::OK
    );

    let (changes, _) = app.pull_all(&s.access, "", 100).await;
    let others = &changes[0]["other_contacts"];
    assert_eq!(others["tel:+14155550142"]["value"], false);
    assert_eq!(others["mailto:maria.ortiz@gmail.com"]["value"], true);
    let rest: Value = app
        .get(&format!("/v1/leads/{lead}"), &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        rest["other_contacts"],
        serde_json::json!([
            "mailto:m.ortiz@hale-law.com",
            "mailto:maria.ortiz@gmail.com",
            "tel:+14155550100;ext=204"
        ])
    );
    // Search finds the lead by an address that is not its primary one.
    let found: Value = app
        .get("/v1/leads?q=maria.ortiz%40gmail", &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let listed: Value = app.get("/v1/leads", &s.access).await.json().await.unwrap();
    assert_eq!(listed["items"][0]["other_contacts"], rest["other_contacts"]);

    // PATCH replaces the list (bare values are accepted and normalised); a bad one changes nothing.
    let bad = app
        .patch(
            &format!("/v1/leads/{lead}"),
            &s.access,
            &serde_json::json!({"other_contacts": ["maria@", "+1 415 555 0177"]}),
        )
        .await;
    let body = assert_error(bad, StatusCode::BAD_REQUEST, "invalid_field").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("other_contacts"),
        "{body}"
    );
    let patched: Value = app
        .patch(&format!("/v1/leads/{lead}"), &s.access, &serde_json::json!({"other_contacts": ["+1 415 555 0177", "mailto:m.ortiz@hale-law.com"]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        patched["other_contacts"],
        serde_json::json!(["mailto:m.ortiz@hale-law.com", "tel:+14155550177"])
    );

    // A push must carry the canonical member form, and says which one it expects.
    let mut m3 = set(2, lead, &[], hlc(9, A));
    m3.other_contacts
        .insert("tel:+1 415 555 0188".into(), Register::new(true, hlc(9, A)));
    let body = assert_error(
        app.push(&s.access, c1, vec![m3]).await,
        StatusCode::BAD_REQUEST,
        "non_canonical_value",
    )
    .await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("tel:+14155550188"),
        "{body}"
    );
    let mut m4 = set(2, lead, &[], hlc(9, A));
    m4.other_contacts
        .insert("fax:12".into(), Register::new(true, hlc(9, A)));
    assert_error(
        app.push(&s.access, c1, vec![m4]).await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    )
    .await;
    app.stop().await;
}
