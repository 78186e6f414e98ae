//! Scores the extraction core on the labelled pages in `tests/fixtures/pages/` (label format v2, see
//! its README) and on a generated 5 MB directory page. Prints one line per page, then totals:
//! contacts (emails and phones together) precision and recall, each field on its own, labelled
//! non-contacts that were reported, name accuracy and false names, grouping, company and title.
//! Fails when the labelled pages miss the goals of issue 9 (contacts precision 0.98 / recall 0.97,
//! names 0.90, grouping 0.95), or when the generated page falls below precision 0.95 / recall 0.90
//! for emails and phones, names and grouping 0.90, or has a cross-wired person.

#![cfg(feature = "html")]

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;

use leadsync_types::extract::html::snapshot_from_html;
use leadsync_types::extract::{extract, CandidateField, ContactKind, LeadCandidate};
use serde::Deserialize;

/// A person shown with contacts of their own. `email`/`phone` is the primary (v1); `emails`/`phones`
/// list all of them (v2); both may be given, the primary need not be repeated.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Person {
    name: String,
    email: Option<String>,
    phone: Option<String>,
    #[serde(default)]
    emails: Vec<String>,
    #[serde(default)]
    phones: Vec<String>,
    company: Option<String>,
    title: Option<String>,
}

impl Person {
    fn all_emails(&self) -> BTreeSet<String> {
        self.email
            .iter()
            .chain(&self.emails)
            .map(|e| norm_email(e))
            .collect()
    }
    fn all_phones(&self) -> BTreeSet<String> {
        self.phone.iter().chain(&self.phones).cloned().collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Label {
    url: String,
    #[serde(default)]
    emails: Vec<String>,
    #[serde(default)]
    phones: Vec<String>,
    #[serde(default)]
    people: Vec<Person>,
    /// Strings a naive extractor would report as an email or phone that are not contacts.
    #[serde(default)]
    non_contacts: Vec<String>,
    /// Strings that must never become a candidate's name.
    #[serde(default)]
    not_names: Vec<String>,
    /// `"late"`: the browser test serves the page as an app that renders after load.
    render: Option<String>,
    #[allow(dead_code)]
    notes: Option<String>,
}

/// True/false positives and false negatives of one field (or of several together).
#[derive(Default, Clone, Copy)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn add(&mut self, other: Score) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn line(&self) -> String {
        format!(
            "precision {:.3} recall {:.3} (tp {} fp {} fn {})",
            self.precision(),
            self.recall(),
            self.tp,
            self.fp,
            self.fn_
        )
    }
}

/// Compares found values with expected ones; returns the score, the extras and the misses.
fn compare(found: &BTreeSet<String>, want: &BTreeSet<String>) -> (Score, Vec<String>, Vec<String>) {
    let extra: Vec<String> = found.difference(want).cloned().collect();
    let missed: Vec<String> = want.difference(found).cloned().collect();
    let score = Score {
        tp: found.intersection(want).count(),
        fp: extra.len(),
        fn_: missed.len(),
    };
    (score, extra, missed)
}

/// `hits / of`, 1.0 when there is nothing to count.
fn ratio(hits: usize, of: usize) -> f64 {
    if of == 0 {
        1.0
    } else {
        hits as f64 / of as f64
    }
}

/// A fraction with its counts: `hits` of `of`.
#[derive(Default, Clone, Copy)]
struct Rate {
    hits: usize,
    of: usize,
}

impl Rate {
    fn count(&mut self, hit: bool) {
        self.of += 1;
        self.hits += usize::from(hit);
    }
    fn add(&mut self, other: Rate) {
        self.hits += other.hits;
        self.of += other.of;
    }
    fn value(&self) -> f64 {
        ratio(self.hits, self.of)
    }
    fn short(&self) -> String {
        format!("{}/{}", self.hits, self.of)
    }
}

fn norm_email(e: &str) -> String {
    e.trim().to_lowercase()
}

fn norm_name(n: &str) -> String {
    n.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn values(candidates: &[LeadCandidate], field: CandidateField) -> BTreeSet<String> {
    candidates
        .iter()
        .flat_map(|c| c.values.iter())
        .filter(|v| v.field == field)
        .map(|v| norm_email(&v.value))
        .collect()
}

fn has(c: &LeadCandidate, field: CandidateField, value: &str) -> bool {
    c.values
        .iter()
        .any(|v| v.field == field && norm_email(&v.value) == value)
}

fn best_norm(c: &LeadCandidate, field: CandidateField) -> Option<String> {
    c.best(field).map(norm_name)
}

fn holds_contact(c: &LeadCandidate) -> bool {
    c.values
        .iter()
        .any(|v| matches!(v.field, CandidateField::Email | CandidateField::Phone))
}

/// Whether a found email or phone is the labelled non-contact `nc`: an email that is it or part of it
/// (`***@gmail.com` of `j***@gmail.com`, `git@github.com` of an SSH remote); a phone whose national
/// digits (after a 1–3 digit country code, at least 6 of them) occur in the non-contact's digits.
fn is_non_contact(found: &str, nc: &str) -> bool {
    let nc_l = norm_email(nc);
    if found.contains('@') {
        return !found.starts_with('@') && nc_l.contains(found);
    }
    let (f, n) = (digits(found), digits(nc));
    !n.is_empty() && (1..=3).any(|cc| f.len() >= cc + 6 && n.contains(&f[cc..]))
}

/// Which candidates hold each email and phone, and which labelled person owns each email.
struct Index<'a> {
    candidates: &'a [LeadCandidate],
    holding: HashMap<(CandidateField, String), Vec<usize>>,
    email_owner: HashMap<String, usize>,
}

impl<'a> Index<'a> {
    fn new(candidates: &'a [LeadCandidate], people: &[Person]) -> Self {
        let mut holding: HashMap<(CandidateField, String), Vec<usize>> = HashMap::new();
        for (i, c) in candidates.iter().enumerate() {
            for v in c
                .values
                .iter()
                .filter(|v| matches!(v.field, CandidateField::Email | CandidateField::Phone))
            {
                holding
                    .entry((v.field, norm_email(&v.value)))
                    .or_default()
                    .push(i);
            }
        }
        let email_owner = people
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.all_emails().into_iter().map(move |e| (e, i)))
            .collect();
        Index {
            candidates,
            holding,
            email_owner,
        }
    }

    fn holding(&self, field: CandidateField, value: &str) -> &[usize] {
        self.holding
            .get(&(field, value.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// The candidates holding a person's key contact: those with any of their emails, else (a
    /// person with phones only) those with any of their phones.
    fn holders(&self, p: &Person) -> Vec<&'a LeadCandidate> {
        let (emails, phones) = (p.all_emails(), p.all_phones());
        let (field, keys) = if emails.is_empty() {
            (CandidateField::Phone, phones)
        } else {
            (CandidateField::Email, emails)
        };
        let ids: BTreeSet<usize> = keys
            .iter()
            .flat_map(|k| self.holding(field, k))
            .copied()
            .collect();
        ids.into_iter().map(|i| &self.candidates[i]).collect()
    }

    /// Whether one candidate carries every email and phone of person `who` and no other labelled
    /// person's email.
    fn grouped(&self, who: usize, p: &Person) -> bool {
        let (emails, phones) = (p.all_emails(), p.all_phones());
        let first = emails
            .iter()
            .next()
            .map(|e| (CandidateField::Email, e))
            .or(phones.iter().next().map(|ph| (CandidateField::Phone, ph)));
        let Some((field, key)) = first else {
            return false;
        };
        self.holding(field, key)
            .iter()
            .map(|&i| &self.candidates[i])
            .any(|c| {
                emails.iter().all(|e| has(c, CandidateField::Email, e))
                    && phones.iter().all(|ph| has(c, CandidateField::Phone, ph))
                    && !c.values.iter().any(|v| {
                        v.field == CandidateField::Email
                            && self
                                .email_owner
                                .get(&norm_email(&v.value))
                                .is_some_and(|&o| o != who)
                    })
            })
    }
}

/// Whether a holder's best `field` equals the labelled value (`None`: not labelled, not counted).
fn field_matches(
    holders: &[&LeadCandidate],
    field: CandidateField,
    want: Option<&str>,
) -> Option<bool> {
    let want = norm_name(want?);
    Some(
        holders
            .iter()
            .any(|c| best_norm(c, field).as_deref() == Some(want.as_str())),
    )
}

/// Everything measured on one page (or summed over many).
#[derive(Default)]
struct PageScore {
    emails: Score,
    phones: Score,
    names: Rate,
    grouping: Rate,
    company: Rate,
    title: Rate,
    non_contacts_found: Vec<String>,
    false_names: Vec<String>,
    crosswired: Vec<String>,
    problems: Vec<String>,
}

impl PageScore {
    fn contacts(&self) -> Score {
        let mut s = self.emails;
        s.add(self.phones);
        s
    }
    fn add(&mut self, page: &str, other: PageScore) {
        self.emails.add(other.emails);
        self.phones.add(other.phones);
        for (mine, theirs) in [
            (&mut self.names, other.names),
            (&mut self.grouping, other.grouping),
            (&mut self.company, other.company),
            (&mut self.title, other.title),
        ] {
            mine.add(theirs);
        }
        let tag = |v: Vec<String>| v.into_iter().map(move |s| format!("{page}: {s}"));
        self.non_contacts_found
            .extend(tag(other.non_contacts_found));
        self.false_names.extend(tag(other.false_names));
        self.crosswired.extend(tag(other.crosswired));
    }
}

fn score_contacts(candidates: &[LeadCandidate], label: &Label, s: &mut PageScore) {
    let want_e: BTreeSet<String> = label.emails.iter().map(|e| norm_email(e)).collect();
    let want_p: BTreeSet<String> = label.phones.iter().cloned().collect();
    let (found_e, found_p) = (
        values(candidates, CandidateField::Email),
        values(candidates, CandidateField::Phone),
    );
    let (se, xe, me) = compare(&found_e, &want_e);
    let (sp, xp, mp) = compare(&found_p, &want_p);
    (s.emails, s.phones) = (se, sp);
    s.problems
        .extend(me.iter().chain(&mp).map(|m| format!("-{m}")));
    s.problems
        .extend(xe.iter().chain(&xp).map(|x| format!("+{x}")));
    for x in xe.iter().chain(&xp) {
        if let Some(nc) = label.non_contacts.iter().find(|nc| is_non_contact(x, nc)) {
            s.non_contacts_found.push(format!("{x} ({nc:?})"));
        }
    }
}

fn score_people(candidates: &[LeadCandidate], label: &Label, s: &mut PageScore) {
    let names: BTreeSet<String> = label.people.iter().map(|p| norm_name(&p.name)).collect();
    let index = Index::new(candidates, &label.people);
    for (i, p) in label.people.iter().enumerate() {
        let held = index.holders(p);
        let name_ok = field_matches(&held, CandidateField::Name, Some(&p.name)) == Some(true);
        s.names.count(name_ok);
        if !name_ok {
            let got: Vec<&str> = held
                .iter()
                .map(|c| c.best(CandidateField::Name).unwrap_or("∅"))
                .collect();
            s.problems.push(format!("name {:?}≠{got:?}", p.name));
        }
        let together = index.grouped(i, p);
        s.grouping.count(together);
        if !together {
            s.problems.push(format!("split {:?}", p.name));
        }
        for (rate, field, want) in [
            (
                &mut s.company,
                CandidateField::Company,
                p.company.as_deref(),
            ),
            (&mut s.title, CandidateField::Title, p.title.as_deref()),
        ] {
            if let Some(ok) = field_matches(&held, field, want) {
                rate.count(ok);
            }
        }
        if p.all_emails().is_empty() {
            continue;
        }
        for n in held
            .iter()
            .filter_map(|c| best_norm(c, CandidateField::Name))
            .filter(|n| *n != norm_name(&p.name) && names.contains(n))
        {
            s.crosswired
                .push(format!("{:?}'s email named {n:?}", p.name));
        }
    }
}

/// Candidate names in `not_names`, and Person candidates with an email or phone whose name is no
/// labelled person's.
fn score_false_names(candidates: &[LeadCandidate], label: &Label, s: &mut PageScore) {
    let people: BTreeSet<String> = label.people.iter().map(|p| norm_name(&p.name)).collect();
    let banned: BTreeSet<String> = label.not_names.iter().map(|n| norm_name(n)).collect();
    for c in candidates {
        let Some(name) = best_norm(c, CandidateField::Name) else {
            continue;
        };
        let unknown_person =
            c.kind == ContactKind::Person && holds_contact(c) && !people.contains(&name);
        if banned.contains(&name) || unknown_person {
            s.false_names.push(format!(
                "{:?}",
                c.best(CandidateField::Name).unwrap_or_default()
            ));
        }
    }
    s.problems
        .extend(s.false_names.iter().map(|n| format!("falsename {n}")));
}

fn score_page(candidates: &[LeadCandidate], label: &Label) -> PageScore {
    let mut s = PageScore::default();
    score_contacts(candidates, label, &mut s);
    score_people(candidates, label, &mut s);
    score_false_names(candidates, label, &mut s);
    s
}

/// Label mistakes the scorer would otherwise hide.
fn check_label(page: &str, label: &Label) {
    let emails: BTreeSet<String> = label.emails.iter().map(|e| norm_email(e)).collect();
    for p in &label.people {
        assert!(
            p.all_emails().is_subset(&emails),
            "{page}: {}'s emails are not all in `emails`",
            p.name
        );
        assert!(
            p.all_phones().iter().all(|ph| label.phones.contains(ph)),
            "{page}: {}'s phones are not all in `phones`",
            p.name
        );
        assert!(
            !(p.all_emails().is_empty() && p.all_phones().is_empty()),
            "{page}: {} has no contact",
            p.name
        );
    }
    for ph in &label.phones {
        assert!(
            ph.starts_with('+') && ph.len() > 7 && digits(ph).len() == ph.len() - 1,
            "{page}: {ph} is not E.164"
        );
    }
    for nc in &label.non_contacts {
        let clash = emails
            .iter()
            .chain(&label.phones)
            .find(|c| is_non_contact(c, nc));
        assert!(
            clash.is_none(),
            "{page}: non-contact {nc:?} matches the contact {clash:?}"
        );
    }
    assert!(
        label.render.as_deref().is_none_or(|r| r == "late"),
        "{page}: render must be \"late\""
    );
}

/// `tests/fixtures/pages`, or `LEADSYNC_PAGES_DIR` (a folder of pages labelled the same way, e.g.
/// a held-out set that nobody tuned the extractor on).
fn fixtures_dir() -> PathBuf {
    match std::env::var_os("LEADSYNC_PAGES_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/pages"),
    }
}

fn load_pages() -> Vec<(String, String, Label)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap_or_else(|e| panic!("the labelled pages in {}: {e}", fixtures_dir().display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let html = std::fs::read_to_string(&path).unwrap();
            let label: Label = serde_json::from_str(
                &std::fs::read_to_string(path.with_extension("json")).unwrap(),
            )
            .unwrap_or_else(|e| panic!("{name}.json: {e}"));
            check_label(&name, &label);
            (name, html, label)
        })
        .collect()
}

/// A directory page of about 5 MB with `n` labelled people, built in the test (not stored).
fn big_directory(target_bytes: usize) -> (String, Label) {
    let mut html = String::from("<!doctype html><html lang=\"en-US\"><head><title>Member directory</title></head><body><main><h1>Members</h1><ul class=\"directory\">");
    let mut label = Label {
        url: "https://www.northbay-chamber.org/directory".into(),
        emails: vec![],
        phones: vec![],
        people: vec![],
        non_contacts: vec![],
        not_names: vec![],
        render: None,
        notes: None,
    };
    let first = [
        "Alice", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
        "Kofi", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tara",
    ];
    let last = [
        "Walker",
        "Okafor",
        "Lindqvist",
        "Moreau",
        "Tanaka",
        "Rossi",
        "Novak",
        "Schmidt",
        "Alvarez",
        "Kowalski",
        "Haddad",
        "Ibsen",
        "Jovanovic",
        "Keller",
        "Larsen",
        "Mendes",
        "Nakamura",
        "Olsen",
        "Petrov",
        "Quinn",
        "Reyes",
        "Silva",
        "Thorne",
        "Ueda",
        "Vance",
    ];
    let mut i = 0usize;
    while html.len() < target_bytes {
        // Unique names for every entry: first × middle initial × last covers 13,000 people.
        let middle = (b'A' + ((i / 20) % 26) as u8) as char;
        let name = format!("{} {middle}. {}", first[i % 20], last[(i / 520) % 25]);
        let email = format!("member{i}@northbay-chamber.org");
        // 415-723-0000 … 415-723-9999 and further exchanges: all valid San Francisco numbers.
        let exchange = 723 + (i / 10_000) as u32;
        let phone_digits = format!("415{exchange}{:04}", i % 10_000);
        let e164 = format!("+1{phone_digits}");
        html.push_str(&format!(
            "<li class=\"member\"><h3>{name}</h3><p class=\"role\">Account Executive</p><p>Joined 2019-04-{:02}. Member #{}</p>\
             <a href=\"mailto:{email}\">{email}</a><span class=\"tel\">({}) {}-{}</span>\
             <p>{}</p></li>",
            1 + i % 28,
            100_000 + i,
            &phone_digits[..3],
            &phone_digits[3..6],
            &phone_digits[6..],
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ".repeat(2),
        ));
        label.emails.push(email.clone());
        label.phones.push(e164.clone());
        label.people.push(Person {
            name,
            email: Some(email),
            phone: Some(e164),
            emails: vec![],
            phones: vec![],
            company: None,
            title: None,
        });
        i += 1;
    }
    html.push_str("</ul></main></body></html>");
    (html, label)
}

fn page_line(name: &str, label: &Label, s: &PageScore) -> String {
    let c = s.contacts();
    format!(
        "{:<40} {:>3} {:>3} {:>3}  {:>5.3} {:>5.3}  {:>7} {:>7}  {}",
        name,
        label.emails.len(),
        label.phones.len(),
        label.people.len(),
        c.precision(),
        c.recall(),
        s.names.short(),
        s.grouping.short(),
        s.problems.join(" ")
    )
}

fn pass(ok: bool) -> &'static str {
    if ok {
        "PASS"
    } else {
        "FAIL"
    }
}

/// The totals of a set of pages, as text, and whether the goals are met.
fn totals(set: &str, t: &PageScore) -> (String, bool) {
    let mut out = String::new();
    let c = t.contacts();
    let (precision_ok, recall_ok) = (c.precision() >= 0.98, c.recall() >= 0.97);
    let (names_ok, grouping_ok) = (t.names.value() >= 0.90, t.grouping.value() >= 0.95);
    let _ = writeln!(out, "{set}:");
    let _ = writeln!(
        out,
        "  contacts: {}   goal precision ≥ 0.98 {}, recall ≥ 0.97 {}",
        c.line(),
        pass(precision_ok),
        pass(recall_ok)
    );
    let _ = writeln!(out, "    emails: {}", t.emails.line());
    let _ = writeln!(out, "    phones: {}", t.phones.line());
    let _ = writeln!(
        out,
        "  non-contacts reported: {} {:?}",
        t.non_contacts_found.len(),
        t.non_contacts_found
    );
    let _ = writeln!(
        out,
        "  names: {:.3} ({}) of labelled people named right   goal ≥ 0.90 {}",
        t.names.value(),
        t.names.short(),
        pass(names_ok)
    );
    let _ = writeln!(
        out,
        "    false names: {} {:?}",
        t.false_names.len(),
        t.false_names
    );
    let _ = writeln!(
        out,
        "  grouping: {:.3} ({}) of labelled people whole on one candidate   goal ≥ 0.95 {}",
        t.grouping.value(),
        t.grouping.short(),
        pass(grouping_ok)
    );
    let _ = writeln!(
        out,
        "    cross-wired: {} {:?}",
        t.crosswired.len(),
        t.crosswired
    );
    let _ = writeln!(
        out,
        "  company: {:.3} ({})   title: {:.3} ({})   (reported, not gated)",
        t.company.value(),
        t.company.short(),
        t.title.value(),
        t.title.short()
    );
    (out, precision_ok && recall_ok && names_ok && grouping_ok)
}

#[test]
fn labelled_pages_meet_the_goals() {
    let pages = load_pages();
    let (big_html, big_label) = big_directory(5 * 1024 * 1024);

    let mut report = format!(
        "{:<40} {:>3} {:>3} {:>3}  {:>5} {:>5}  {:>7} {:>7}  -missed +extra, names, splits\n",
        "page", "E", "P", "ppl", "prec", "rec", "names", "grouped"
    );
    let mut total = PageScore::default();
    for (name, html, label) in &pages {
        let s = score_page(&extract(&snapshot_from_html(html, &label.url)), label);
        report.push_str(&page_line(name, label, &s));
        report.push('\n');
        total.add(name, s);
    }
    let big = score_page(
        &extract(&snapshot_from_html(&big_html, &big_label.url)),
        &big_label,
    );
    let mut big_total = PageScore::default();
    big_total.add("generated-5mb-directory", big);

    let (text, goals_met) = totals(&format!("labelled pages ({})", pages.len()), &total);
    report.push_str(&text);
    let (text, _) = totals("generated 5 MB page (its own bars: 0.95 / 0.90 per field, names and grouping 0.90, no cross-wiring)", &big_total);
    report.push_str(&text);
    // Printed (with --nocapture) and kept for scripts/test.sh, which shows it after the run.
    println!("{report}");
    let kept = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("extraction-scores.txt");
    std::fs::write(&kept, &report).unwrap_or_else(|e| panic!("writing {}: {e}", kept.display()));
    let (be, bp) = (big_total.emails, big_total.phones);
    let big_ok = be.precision() >= 0.95
        && be.recall() >= 0.90
        && bp.precision() >= 0.95
        && bp.recall() >= 0.90;
    let big_ok = big_ok
        && big_total.names.value() >= 0.90
        && big_total.grouping.value() >= 0.90
        && big_total.crosswired.is_empty();

    assert!(
        pages.len() >= 40,
        "need at least 40 labelled pages, found {}",
        pages.len()
    );
    assert!(big_ok, "the generated 5 MB page is below its bars");
    assert!(
        goals_met,
        "the labelled pages miss the goals of issue 9 (see FAIL above)"
    );
}
