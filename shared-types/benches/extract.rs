//! Extraction speed on a 1 MB page snapshot (goal: < 20 ms natively), side by side with a baseline
//! measured in the same run: deserialising that snapshot's JSON, the work the background worker
//! does anyway to receive a page. `scripts/bench.sh` runs this and prints the ratio.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use leadsync_types::extract::html::snapshot_from_html;
use leadsync_types::extract::{extract, PageSnapshot};

/// A realistic mixed page of about `bytes`: team cards, prose, tables of numbers that are not phones.
fn page(bytes: usize) -> String {
    let mut html = String::from("<!doctype html><html lang=\"en-GB\"><head><title>Team</title><meta property=\"og:site_name\" content=\"Brightlane\"></head><body><main>");
    let mut i = 0;
    while html.len() < bytes {
        html.push_str(&format!(
            "<section class=\"card\"><h3>Person {i} Example</h3><p>Senior Account Manager</p>\
             <p>Email <a href=\"mailto:person{i}@brightlane.io\">person{i}@brightlane.io</a> or write to team{i} [at] brightlane [dot] io.</p>\
             <p>Call 020 7946 0{:03} — order #{} shipped 2024-03-{:02} at 10:30, invoice 2024/{i}, v2.{i}.3, logo@2x.png</p>\
             <p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p></section>",
            i % 1000,
            100_000 + i,
            1 + i % 28
        ));
        i += 1;
    }
    html.push_str("</main></body></html>");
    html
}

fn bench(c: &mut Criterion) {
    let html = page(1024 * 1024);
    let snapshot = snapshot_from_html(&html, "https://www.brightlane.co.uk/team");
    let json = serde_json::to_string(&snapshot).unwrap_or_default();
    eprintln!(
        "snapshot: {} bytes of HTML, {} bytes of snapshot JSON, {} texts, {} candidates",
        html.len(),
        json.len(),
        snapshot.texts.len(),
        extract(&snapshot).len()
    );
    let mut group = c.benchmark_group("page_1mb");
    group.sample_size(20);
    group.bench_function("baseline_deserialize_snapshot", |b| {
        b.iter(|| serde_json::from_str::<PageSnapshot>(black_box(&json)).map(|s| s.texts.len()))
    });
    group.bench_function("extract", |b| {
        b.iter(|| extract(black_box(&snapshot)).len())
    });
    group.bench_function("snapshot_from_html", |b| {
        b.iter(|| {
            snapshot_from_html(black_box(&html), "https://www.brightlane.co.uk/team")
                .texts
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
