//! Any text as a selection, as visible page text, and as HTML: extraction must not panic.
#![no_main]

use leadsync_types::extract::html::snapshot_from_html;
use leadsync_types::extract::{extract, extract_selection};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = extract_selection(text, "https://www.acme-robotics.co.uk/", Some("en-GB"));
    let _ = extract(&snapshot_from_html(text, "https://www.brightlane.de/kontakt"));
});
