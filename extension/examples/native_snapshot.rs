//! Print, as JSON, the page snapshot the native builder (`leadsync_types::extract::html`) makes for
//! a saved HTML page: the reference the content shim (`extension/js/content.js`) must match.
//!
//!     cargo run -q -p leadsync-extension --example native_snapshot -- PAGE.html URL
//!
//! The e2e tests compare it with the snapshot the shim sends from real Chromium.

use leadsync_types::extract::html::snapshot_from_html;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [page, url] = args.as_slice() else {
        eprintln!("usage: native_snapshot PAGE.html URL");
        std::process::exit(2);
    };
    let html = match std::fs::read_to_string(page) {
        Ok(html) => html,
        Err(e) => {
            eprintln!("native_snapshot: cannot read {page}: {e}");
            std::process::exit(1);
        }
    };
    let snapshot = snapshot_from_html(&html, url);
    println!(
        "{}",
        serde_json::to_string(&snapshot).expect("a snapshot serialises")
    );
}
