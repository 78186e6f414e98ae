//! Any bytes as a page snapshot: if they parse as one, extraction must not panic.
#![no_main]

use leadsync_types::extract::{extract, PageSnapshot};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(snapshot) = serde_json::from_slice::<PageSnapshot>(data) {
        let _ = extract(&snapshot);
    }
});
