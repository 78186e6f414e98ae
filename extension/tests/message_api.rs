//! The message API, natively: the JSON the content shim sends in, the JSON it gets back.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use leadsync_extension::json::{handle_json, parse_request};
use leadsync_extension::Request;
use serde_json::{json, Value};

/// The handlers do no I/O yet, so their futures are ready at the first poll.
fn run<F: Future>(f: F) -> F::Output {
    let mut cx = Context::from_waker(Waker::noop());
    match pin!(f).as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("handler future was not ready: these tests need an executor now"),
    }
}

fn call(request: Value) -> Value {
    serde_json::from_str(&run(handle_json(&request.to_string()))).expect("responses are JSON")
}

/// The one-person card from the snapshot contract's documentation, plus a phone in running text.
fn card_snapshot() -> Value {
    json!({
        "url": "https://www.acme-robotics.com/team",
        "title": "Our team — Acme",
        "lang": "en-US",
        "nodes": [
            {"tag": "body"},
            {"parent": 0, "tag": "div", "attrs": {"class": "card"}},
            {"parent": 1, "tag": "h3"},
            {"parent": 1, "tag": "a", "attrs": {"href": "mailto:jane.doe@acme-robotics.com"}},
            {"parent": 1, "tag": "p"}
        ],
        "texts": [
            {"node": 2, "text": "Jane Doe"},
            {"node": 3, "text": "jane.doe@acme-robotics.com"},
            {"node": 4, "text": "Direct: (415) 723-4568"}
        ],
        "json_ld": [],
        "meta": []
    })
}

#[test]
fn extract_page_returns_candidates_with_anchors() {
    let out = call(json!({"type": "ExtractPage", "snapshot": card_snapshot()}));
    let candidates = out["candidates"]
        .as_array()
        .unwrap_or_else(|| panic!("no candidates in {out}"));
    assert_eq!(candidates.len(), 1, "{out:#}");
    let values = candidates[0]["values"].as_array().unwrap();
    let email = values
        .iter()
        .find(|v| v["field"] == "email")
        .expect("an email value");
    assert_eq!(email["value"], "jane.doe@acme-robotics.com");
    assert_eq!(
        email["anchors"][0],
        json!({"node": 3, "text": 1, "start": 0, "end": 26})
    );
    let phone = values
        .iter()
        .find(|v| v["field"] == "phone")
        .expect("a phone value");
    assert_eq!(phone["value"], "+14157234568");
    // "Direct: " is 8 UTF-16 units; the number is 14.
    assert_eq!(
        phone["anchors"][0],
        json!({"node": 4, "text": 2, "start": 8, "end": 22})
    );
}

#[test]
fn extract_selection_reads_one_card() {
    let out = call(json!({
        "type": "ExtractSelection",
        "text": "Jane Doe\nHead of Sales, Brightlane\njane.doe@brightlane.io\n+44 20 7946 0958",
        "url": "https://www.brightlane.io/",
    }));
    let c = &out["candidates"][0];
    assert_eq!(c["kind"], "person", "{out:#}");
    assert_eq!(c["dedup_key"], "email:jane.doe@brightlane.io");
}

#[test]
fn an_empty_page_has_no_candidates() {
    let out =
        call(json!({"type": "ExtractPage", "snapshot": {"url": "https://blog.example.org/post"}}));
    assert_eq!(out, json!({"candidates": []}));
}

#[test]
fn unknown_or_malformed_requests_are_explained() {
    for bad in [
        json!({"type": "Nope"}),
        json!({"snapshot": {}}),
        json!({"type": "ExtractPage"}),
        json!([1, 2]),
    ] {
        let out = call(bad.clone());
        assert_eq!(out["error"]["code"], "bad_request", "{bad} → {out}");
        let message = out["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("ExtractPage"),
            "the message names the valid types: {message}"
        );
    }
    let err = parse_request("{not json").unwrap_err();
    assert_eq!(err.code, "bad_request");
}

#[test]
fn stateful_requests_parse_and_say_where_they_run() {
    // Natively there is no IndexedDB: the request is understood (its JSON form is the contract
    // with the shim and popup), and the answer says it needs the browser.
    let candidate =
        call(json!({"type": "ExtractPage", "snapshot": card_snapshot()}))["candidates"][0].clone();
    for req in [
        json!({"type": "SaveLead", "candidate": candidate, "page": {"url": "https://acme.example/team", "title": "Team"}}),
        json!({"type": "ListLeads", "query": {"q": "jane", "status": "qualified", "limit": 20}}),
        json!({"type": "UpdateLead", "id": "0190a1b2-0000-7000-8000-000000000001", "edit": {"fields": {"status": "lost"}, "add_tags": ["vip"]}}),
        json!({"type": "SignIn", "server_url": "http://127.0.0.1:8080", "email": "a@b.example", "password": "pw"}),
        json!({"type": "GetStatus"}),
        json!({"type": "QuickAction", "action": "call"}),
    ] {
        let out = call(req.clone());
        assert_eq!(out["error"]["code"], "unavailable", "{req} → {out}");
    }
    let out = call(
        json!({"type": "UpdateLead", "id": "0190a1b2-0000-7000-8000-000000000001", "edit": {"fields": {"nope": "x"}}}),
    );
    assert_eq!(
        out["error"]["code"], "bad_request",
        "an unknown field is a bad request: {out}"
    );
}

#[test]
fn requests_round_trip_through_their_json_form() {
    let req = parse_request(
        &json!({"type": "ExtractSelection", "text": "x", "url": "https://a.example/"}).to_string(),
    )
    .unwrap();
    assert_eq!(
        req,
        Request::ExtractSelection {
            text: "x".into(),
            url: "https://a.example/".into(),
            lang: None
        }
    );
    assert_eq!(req.kind(), "ExtractSelection");
}
