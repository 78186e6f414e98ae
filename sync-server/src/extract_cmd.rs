//! `leadsync-server extract PAGE.html [--url URL]`: run the extraction core on a saved page and print
//! its candidates as JSON — the same core the extension runs, fed by a native snapshot builder.

use std::path::PathBuf;

use leadsync_types::extract::html::snapshot_from_html;
use leadsync_types::extract::{extract, LeadCandidate};

pub const USAGE: &str = "usage: leadsync-server extract PAGE.html [--url URL]\n\
    Prints the contacts found in a saved page as JSON. --url is the page's address (it sets the\n\
    default phone region and the page's own domain); without it, file://PAGE is used.";

#[derive(Debug, PartialEq, Eq)]
pub struct ExtractArgs {
    pub page: PathBuf,
    pub url: Option<String>,
}

pub fn parse_args(args: &[String]) -> Result<ExtractArgs, String> {
    let mut page = None;
    let mut url = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--url" => {
                url = Some(
                    it.next()
                        .ok_or("--url needs a value, e.g. --url https://acme.com/team")?
                        .clone(),
                )
            }
            s if s.starts_with("--url=") => url = Some(s["--url=".len()..].to_string()),
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            s if page.is_none() => page = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument {s}\n{USAGE}")),
        }
    }
    Ok(ExtractArgs {
        page: page.ok_or_else(|| format!("no page given\n{USAGE}"))?,
        url,
    })
}

/// Read the page (any encoding is read as UTF-8 with replacement) and extract.
pub fn run(args: &ExtractArgs) -> Result<Vec<LeadCandidate>, String> {
    let bytes = std::fs::read(&args.page)
        .map_err(|e| format!("cannot read {}: {e}", args.page.display()))?;
    let html = String::from_utf8_lossy(&bytes);
    let url = match &args.url {
        Some(u) => u.clone(),
        None => {
            let abs = std::fs::canonicalize(&args.page).unwrap_or_else(|_| args.page.clone());
            format!("file://{}", abs.display())
        }
    };
    Ok(extract(&snapshot_from_html(&html, &url)))
}
