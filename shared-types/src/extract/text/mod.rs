//! Scanners for unstructured text and link targets: emails (with the usual obfuscations), phone
//! numbers (through libphonenumber metadata), `mailto:`/`tel:` links, and the default phone region
//! of a page.
