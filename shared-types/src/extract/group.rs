//! From findings to candidates: values of one structured object stay together; loose contacts are
//! grouped by the smallest "card" of the page that holds them and no other person's contact; names
//! and titles are looked for inside that card only, so one person's email is never wired to a
//! neighbour's name on a team page. Candidates that share an email or profile are merged.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::candidate::{
    Anchor, CandidateField, ContactKind, FoundValue, LeadCandidate, Provenance,
};
use super::finding::Finding;
use super::people::{
    has_digit_or_at, looks_like_name, looks_like_title, name_matches_local_part, names_no_person,
    strip_honorifics,
};
use super::snapshot::PageSnapshot;
use super::text::role_address;
use super::tree::{utf16_offsets, Tree};
use crate::dedup::DedupKey;
use crate::email::Email;
use crate::profile_url::ProfileUrl;

/// A card holds one person: past this much text a container is a section, not a card.
const CARD_MAX_TEXT: u32 = 400;
/// Containers that are never a card.
const NOT_CARDS: &[&str] = &["html", "body", "main"];

fn is_contact(f: CandidateField) -> bool {
    matches!(
        f,
        CandidateField::Email | CandidateField::Phone | CandidateField::Profile
    )
}

/// Structured sources outrank links, which outrank loose text.
fn provenance_rank(p: Provenance) -> u8 {
    match p {
        Provenance::JsonLd | Provenance::Microdata | Provenance::HCard | Provenance::Vcard => 4,
        Provenance::Mailto | Provenance::Tel | Provenance::Selection => 3,
        Provenance::Link | Provenance::Meta => 2,
        Provenance::Text => 1,
    }
}

/// The maps here are keyed by short values of one page, so a keyed (DoS-resistant) hash buys
/// nothing and SipHash showed up in profiles.
type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Per-node summary of the distinct loose emails and phones in its subtree (up to a few of each:
/// enough to tell one person's card from a list of people).
#[derive(Clone, Copy, Default)]
struct Seen {
    emails: Few,
    phones: Few,
}

/// Up to three distinct ids, then "more".
#[derive(Clone, Copy, Default)]
struct Few {
    ids: [Option<u32>; 3],
    more: bool,
}

/// Marks the id of a main-line number read from an extension (`x4312`) among a node's phones:
/// one per person.
const EXTENSION_ID: u32 = 1 << 31;

impl Few {
    /// How many of the ids are extensions' (see [`EXTENSION_ID`]).
    fn extensions(&self) -> usize {
        self.ids
            .iter()
            .flatten()
            .filter(|id| *id & EXTENSION_ID != 0)
            .count()
    }

    fn insert(&mut self, id: u32) {
        if self.ids.contains(&Some(id)) {
            return;
        }
        match self.ids.iter_mut().find(|slot| slot.is_none()) {
            Some(slot) => *slot = Some(id),
            None => self.more = true,
        }
    }

    fn absorb(&mut self, other: &Few) {
        self.more |= other.more;
        for id in other.ids.iter().flatten() {
            self.insert(*id);
        }
    }

    fn count(&self) -> usize {
        self.ids.iter().flatten().count() + usize::from(self.more)
    }
}

impl Seen {
    fn absorb(&mut self, other: &Seen) {
        self.emails.absorb(&other.emails);
        self.phones.absorb(&other.phones);
    }

    /// One person's card: one email at most, and at most two phones (direct line and mobile).
    fn one_person(&self) -> bool {
        self.emails.count() <= 1 && self.phones.count() <= 2 && self.phones.extensions() <= 1
    }
}

/// A group of findings that will become one candidate.
struct Group {
    findings: Vec<Finding>,
    kind: Option<ContactKind>,
}

pub fn build(tree: &Tree, findings: Vec<Finding>) -> Vec<LeadCandidate> {
    let mut objects: BTreeMap<u32, Group> = BTreeMap::new();
    let mut loose: Vec<Finding> = Vec::new();
    for f in findings {
        match f.object {
            Some(id) => {
                let g = objects.entry(id).or_insert(Group {
                    findings: Vec::new(),
                    kind: None,
                });
                g.kind = g.kind.or(f.kind);
                g.findings.push(f);
            }
            None => loose.push(f),
        }
    }
    let mut groups: Vec<Group> = objects.into_values().collect();
    groups.extend(group_loose(tree, loose));

    let mut candidates: Vec<(u32, LeadCandidate)> =
        groups.into_iter().filter_map(assemble).collect();
    candidates = merge_same_contact(candidates);
    attach_page_company(tree, &mut candidates);
    candidates.retain(|(_, c)| {
        c.values.iter().any(|v| is_contact(v.field))
            || c.values.iter().any(|v| v.field == CandidateField::Name)
    });
    candidates.sort_by_key(|(pos, _)| *pos);
    candidates.into_iter().map(|(_, c)| finish(c)).collect()
}

/// Group loose contacts by card and find each card's name and title.
fn group_loose(tree: &Tree, loose: Vec<Finding>) -> Vec<Group> {
    let n = tree.snap.nodes.len();
    let mut ids: FastMap<(CandidateField, &str), u32> = FastMap::default();
    let mut ext_ids: FastMap<(&str, u32), u32> = FastMap::default();
    let mut seen = vec![Seen::default(); n];
    for f in &loose {
        let Some(node) = f.node.filter(|n| (*n as usize) < seen.len()) else {
            continue;
        };
        // A number read from an extension is the shared main line: each extension is its own.
        let id = match f.extension {
            Some(ext) => {
                let next = (ids.len() + ext_ids.len()) as u32;
                *ext_ids.entry((f.value.as_str(), ext)).or_insert(next)
            }
            None => {
                let next = (ids.len() + ext_ids.len()) as u32;
                *ids.entry((f.field, f.value.as_str())).or_insert(next)
            }
        };
        let s = &mut seen[node as usize];
        match f.field {
            CandidateField::Email => s.emails.insert(id),
            CandidateField::Phone if f.extension.is_some() => s.phones.insert(id | EXTENSION_ID),
            CandidateField::Phone => s.phones.insert(id),
            _ => {}
        }
    }
    for i in (0..n).rev() {
        if let Some(p) = tree.snap.nodes[i]
            .parent
            .map(|p| p as usize)
            .filter(|p| *p < i)
        {
            let child = seen[i];
            seen[p].absorb(&child);
        }
    }
    let card_of = |node: u32| -> u32 {
        let mut card = node;
        for a in tree.snap.ancestors(node).skip(1) {
            let ok = seen.get(a as usize).is_some_and(Seen::one_person)
                && tree.text_len(a) <= CARD_MAX_TEXT
                && !NOT_CARDS.contains(&tree.tag(a));
            if !ok {
                break;
            }
            card = a;
        }
        card
    };

    let mut by_place = Places::default();
    let mut unplaced: Vec<Finding> = Vec::new();
    let mut memo = NameMemo::new(tree);
    // A card's place, and a section's answer, are worked out once.
    let mut place_by_card: FastMap<u32, Place> = FastMap::default();
    let mut sections: FastMap<u32, Option<u32>> = FastMap::default();
    for f in loose {
        match f.node.filter(|node| (*node as usize) < n) {
            Some(node) if is_contact(f.field) => {
                let card = card_of(node);
                let place = *place_by_card
                    .entry(card)
                    .or_insert_with(|| place_of(tree, &mut memo, &seen, card, &mut sections));
                by_place.push(place, f)
            }
            _ => unplaced.push(f),
        }
    }
    let by_place = by_place.into_sorted();
    let mut groups = Vec::with_capacity(by_place.len());
    for (place, findings) in by_place {
        // One place, several people (a "mailto:anna@…,ben@…" link): each email is its own
        // contact, with no name guessed for any of them.
        let mut emails = findings
            .iter()
            .filter(|f| f.field == CandidateField::Email)
            .map(|f| f.value.as_str());
        let first_email = emails.next();
        if !matches!(place, Place::Named(_)) && emails.any(|e| Some(e) != first_email) {
            let mut by_email: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
            let mut rest = Vec::new();
            for f in findings {
                match f.field {
                    CandidateField::Email => by_email.entry(f.value.clone()).or_default().push(f),
                    _ => rest.push(f),
                }
            }
            groups.extend(by_email.into_values().map(|findings| Group {
                findings,
                kind: None,
            }));
            if !rest.is_empty() {
                groups.push(Group {
                    findings: rest,
                    kind: None,
                });
            }
            continue;
        }
        let mut findings = findings;
        let mut locals = findings
            .iter()
            .filter(|f| f.field == CandidateField::Email)
            .map(|f| local_part(&f.value));
        let first_local = locals.next();
        // A place whose every address is a role mailbox is a company contact; the name is looked
        // for with its first personal address.
        let personal = first_local
            .filter(|l| !role_address(l))
            .or_else(|| locals.find(|l| !role_address(l)));
        let role = first_local.is_some() && personal.is_none();
        let email_local = personal.or(first_local).map(str::to_string);
        if !role {
            let mut found =
                name_and_title(tree, &mut memo, &place.texts(tree), email_local.as_deref());
            if !found.iter().any(|f| f.field == CandidateField::Name) {
                let seed = findings.iter().filter_map(|f| f.anchor).min();
                found.extend(seed.and_then(|a| name_just_before(tree, a, email_local.as_deref())));
            }
            if !found.iter().any(|f| f.field == CandidateField::Name) {
                found.extend(signed_first_name(
                    tree,
                    &place.texts(tree),
                    email_local.as_deref(),
                ));
            }
            findings.extend(found);
        } else if findings.iter().any(|f| f.field == CandidateField::Phone) {
            // A person named next to a department's mailbox ("Contact Sophie Martin, accounts:
            // 01 44 27 18 57 – compta@…") keeps the number given with their name; the mailbox
            // stays the company's.
            // A bare extension (`ext. 530`, `int. 34`) is one person's line, never a
            // department's: the person is whoever the whole row or card names.
            let phone_texts: Vec<u32> = if findings
                .iter()
                .any(|f| f.field == CandidateField::Phone && f.extension.is_some())
            {
                place.texts(tree)
            } else {
                findings
                    .iter()
                    .filter(|f| f.field == CandidateField::Phone)
                    .filter_map(|f| f.anchor.map(|a| a.text))
                    .collect()
            };
            let found = name_and_title(tree, &mut memo, &phone_texts, None);
            if found.iter().any(|f| f.field == CandidateField::Name) {
                let (phones, rest): (Vec<Finding>, Vec<Finding>) = findings
                    .into_iter()
                    .partition(|f| f.field == CandidateField::Phone);
                groups.push(Group {
                    findings: phones.into_iter().chain(found).collect(),
                    kind: Some(ContactKind::Person),
                });
                groups.push(Group {
                    findings: rest,
                    kind: Some(ContactKind::Company),
                });
                continue;
            }
        }
        let kind = if role {
            Some(ContactKind::Company)
        } else {
            None
        };
        groups.push(Group { findings, kind });
    }
    // Loose values with no place in the page (a selection has a single card) form one group.
    if !unplaced.is_empty() {
        groups.push(Group {
            findings: unplaced,
            kind: None,
        });
    }
    groups
}

/// Where one person's details sit: a card element, or — in flat layouts such as `<dl>` lists of
/// `dt` name / `dd` details — a run of siblings starting at the element that carries the name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Place {
    Card(u32),
    /// A section naming one person (see [`one_named_section`]): every address in it is theirs.
    Named(u32),
    Run {
        parent: u32,
        from: usize,
        to: usize,
    },
}

impl Place {
    fn texts(&self, tree: &Tree) -> Vec<u32> {
        match *self {
            Place::Card(card) | Place::Named(card) => tree.texts_in(card).collect(),
            Place::Run { parent, from, to } => tree.children(parent)[from..=to]
                .iter()
                .flat_map(|c| tree.texts_in(*c))
                .collect(),
        }
    }
}

/// Findings by place, handed out in place order (as a `BTreeMap` would, for less: places are
/// looked up in a hash map and sorted once).
#[derive(Default)]
struct Places {
    index: FastMap<Place, usize>,
    places: Vec<(Place, Vec<Finding>)>,
}

impl Places {
    fn push(&mut self, place: Place, f: Finding) {
        let next = self.places.len();
        let i = *self.index.entry(place).or_insert(next);
        if i == next {
            self.places.push((place, Vec::new()));
        }
        self.places[i].1.push(f);
    }

    fn into_sorted(mut self) -> Vec<(Place, Vec<Finding>)> {
        // Places come mostly in document order already, which the (run-aware) stable sort
        // makes cheap; places are distinct, so any sort gives the one order.
        self.places.sort_by_key(|(place, _)| *place);
        self.places
    }
}

/// How far a flat record may stretch over siblings.
const RUN_REACH: usize = 8;

/// Whether each text holds a name-like or title-like piece, computed at most once per text, and
/// once per distinct line: pages repeat lines (the same title or blurb on every card).
struct NameMemo<'a> {
    snap: &'a PageSnapshot,
    by_text: Vec<u8>,
    by_line: FastMap<&'a str, u8>,
}

const MEMO_KNOWN: u8 = 1;
const MAX_LINE_BYTES: usize = 300;
const MEMO_NAME: u8 = 2;
const MEMO_TITLE: u8 = 4;

impl<'a> NameMemo<'a> {
    fn new(tree: &Tree<'a>) -> Self {
        NameMemo {
            snap: tree.snap,
            by_text: vec![0; tree.snap.texts.len()],
            by_line: FastMap::default(),
        }
    }

    fn flags(&mut self, ti: u32) -> u8 {
        let Some(&known) = self.by_text.get(ti as usize) else {
            return MEMO_KNOWN;
        };
        if known != 0 {
            return known;
        }
        let text = self.snap.texts[ti as usize].text.as_str();
        // A long run of prose is not a name or title line (names inside prose are found next
        // to their contact by `name_just_before`).
        let flags = match text.len() <= MAX_LINE_BYTES {
            true => *self.by_line.entry(text).or_insert_with(|| line_flags(text)),
            false => MEMO_KNOWN,
        };
        self.by_text[ti as usize] = flags;
        flags
    }

    fn text_has_name(&mut self, ti: u32) -> bool {
        self.flags(ti) & MEMO_NAME != 0
    }

    fn text_has_name_or_title(&mut self, ti: u32) -> bool {
        self.flags(ti) & (MEMO_NAME | MEMO_TITLE) != 0
    }

    fn has_name(&mut self, tree: &Tree, node: u32) -> bool {
        tree.texts_in(node).any(|ti| self.text_has_name(ti))
    }

    fn starts_record(&mut self, tree: &Tree, node: u32) -> bool {
        matches!(
            tree.tag(node),
            "dt" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
        ) || self.has_name(tree, node)
    }
}

/// [`NameMemo`]'s flags of one line.
fn line_flags(text: &str) -> u8 {
    let mut flags = MEMO_KNOWN;
    // A digit or an `@` is never in a name or a title (nor in an honorific, so it stays after
    // they are cut): such pieces need no closer look.
    for (_, piece) in segments(text).filter(|(_, p)| !has_digit_or_at(p)) {
        let piece = strip_honorifics(piece.trim()).1;
        if looks_like_name(piece) {
            flags |= MEMO_NAME;
        } else if looks_like_title(piece) {
            flags |= MEMO_TITLE;
        }
    }
    flags
}

/// Tracks the one email a run of siblings may hold: a sibling with another email starts someone
/// else's record.
struct OneEmail(Option<u32>);

impl OneEmail {
    /// False if `node` holds an email other than the run's (or several).
    fn admits(&mut self, seen: &[Seen], node: u32) -> bool {
        let Some(s) = seen.get(node as usize) else {
            return true;
        };
        match (s.emails.count(), s.emails.ids[0], self.0) {
            (0, _, _) => true,
            (1, Some(id), None) => {
                self.0 = Some(id);
                true
            }
            (1, Some(id), Some(mine)) => id == mine,
            _ => false,
        }
    }
}

/// How much text a section around one person's details may hold.
const SECTION_MAX_TEXT: u32 = 1500;

/// The nearest section above `card` (a few levels up, short, not the page) that names exactly one
/// person and holds few addresses: one person's details spread over a table or a list of rows
/// (Email / Alternative email / Phone / Mobile under the person's heading).
fn one_named_section(tree: &Tree, memo: &mut NameMemo, seen: &[Seen], card: u32) -> Option<u32> {
    for a in tree.snap.ancestors(card).skip(1).take(4) {
        if tree.text_len(a) > SECTION_MAX_TEXT || NOT_CARDS.contains(&tree.tag(a)) {
            return None;
        }
        let s = seen.get(a as usize)?;
        if s.emails.more || s.emails.count() > 3 || s.phones.extensions() > 1 {
            return None;
        }
        // The first section up with a heading is the one: a person's if its one heading names
        // them, none if the heading is something else ("Customer Service") or if there are
        // several (a list of records). A `dt` that is a short field label — "T", "Email",
        // "Mobil" — heads no record.
        let end = tree.subtree_end.get(a as usize).copied().unwrap_or(a);
        let mut heading = None;
        let level = |n: u32| match tree.tag(n) {
            "h1" => 1,
            "h2" => 2,
            "h3" => 3,
            "h4" => 4,
            "h5" => 5,
            "h6" => 6,
            _ => 0,
        };
        for n in a..=end {
            let h = match tree.tag(n) {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => true,
                "dt" => tree.text_len(n) > 12 || memo.has_name(tree, n),
                _ => false,
            };
            if h {
                if let Some(first) = heading {
                    // A smaller heading under the name that names nobody is its subtitle (the
                    // person's role or team: `<h5>Name</h5><h6>Realtor · Team</h6>`).
                    let subtitle =
                        level(first) > 0 && level(n) > level(first) && !memo.has_name(tree, n);
                    if subtitle {
                        continue;
                    }
                    return None;
                }
                heading = Some(n);
            }
        }
        let Some(heading) = heading else { continue };
        if !memo.has_name(tree, heading) {
            return None;
        }
        let mut names = tree
            .texts_in(a)
            .filter(|&ti| memo.text_has_name(ti))
            .map(|ti| tree.snap.texts[ti as usize].text.as_str());
        let one = match (names.next(), names.next()) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(x), Some(y)) => x == y && names.all(|z| z == x),
        };
        return one.then_some(a);
    }
    None
}

/// `sections` keeps the answers of [`one_named_section`] by the card's parent (cards of one
/// section ask the same question).
fn place_of(
    tree: &Tree,
    memo: &mut NameMemo,
    seen: &[Seen],
    card: u32,
    sections: &mut FastMap<u32, Option<u32>>,
) -> Place {
    let mut section = |memo: &mut NameMemo| match tree.parent(card) {
        Some(p) => *sections
            .entry(p)
            .or_insert_with(|| one_named_section(tree, memo, seen, card)),
        None => None,
    };
    if memo.has_name(tree, card) {
        return Place::Card(card);
    }
    let Some(parent) = tree.parent(card) else {
        return Place::Card(card);
    };
    let siblings = tree.children(parent);
    let Some(k) = siblings.iter().position(|s| *s == card) else {
        return Place::Card(card);
    };
    let mut email = OneEmail(None);
    if !email.admits(seen, card) {
        return Place::Card(card);
    }
    let mut from = None;
    for j in (k.saturating_sub(RUN_REACH)..k).rev() {
        // A record is a few short siblings, never a whole section before the contact.
        if !email.admits(seen, siblings[j]) || tree.text_len(siblings[j]) > CARD_MAX_TEXT {
            break;
        }
        if memo.starts_record(tree, siblings[j]) {
            from = Some(j);
            break;
        }
    }
    let Some(from) = from else {
        return section(memo).map_or(Place::Card(card), Place::Named);
    };
    let mut to = k;
    for (j, &sibling) in siblings.iter().enumerate().skip(k + 1).take(RUN_REACH) {
        if memo.starts_record(tree, sibling) || !email.admits(seen, sibling) {
            break;
        }
        to = j;
    }
    // A run of field labels (`<dt>T</dt><dd>…</dd>`) without the person's name: the name heads
    // the section around it.
    if !siblings[from..=to].iter().any(|&c| memo.has_name(tree, c)) {
        if let Some(section) = section(memo) {
            return Place::Named(section);
        }
    }
    Place::Run { parent, from, to }
}

/// A name written just before a contact in running text ("our chair <b>Ingrid Solberg</b> at
/// ingrid@…"): the closest name-like piece in the two texts before it, inside the same block.
fn name_just_before(tree: &Tree, seed: Anchor, email_local: Option<&str>) -> Option<Finding> {
    let block = tree.parent(seed.node)?;
    let mut ti = seed.text;
    for _ in 0..2 {
        ti = ti.checked_sub(1)?;
        let t = tree.snap.texts.get(ti as usize)?;
        if !tree.contains(block, t.node) || t.text.contains('@') {
            return None;
        }
        let named = |s: &str| {
            let name = strip_honorifics(s.trim()).1;
            !has_digit_or_at(s) && looks_like_name(name) && !is_site_name(name, tree.snap)
        };
        if let Some((start, segment)) = segments(&t.text).filter(|(_, s)| named(s)).last() {
            let (cut, name) = strip_honorifics(segment.trim());
            let lead = segment.len() - segment.trim_start().len();
            let s = start + lead + cut;
            let o = utf16_offsets(&t.text, &[s, s + name.len()]);
            let matched = email_local
                .map(|l| name_matches_local_part(name, l))
                .unwrap_or(0.0);
            let anchor = Anchor {
                node: t.node,
                text: ti,
                start: o[0],
                end: o[1],
            };
            return Some(
                Finding::new(
                    CandidateField::Name,
                    name,
                    Provenance::Text,
                    0.5 + 0.3 * matched,
                )
                .anchored(anchor),
            );
        }
    }
    None
}

/// A person who signs with a first name only: a signature line ("— Maria", "Maria, Brightdesk
/// Expert", "Cheers, Maria") or a first name that is the mailbox's own (`maria@…`,
/// `maria.gonzalez@…`). Only looked for where no full name is.
fn signed_first_name(tree: &Tree, texts: &[u32], email_local: Option<&str>) -> Option<Finding> {
    let local_first = email_local
        .and_then(|l| l.split(['.', '_', '-']).next())
        .filter(|f| f.len() >= 2);
    for &ti in texts {
        let t = tree.snap.texts.get(ti as usize)?;
        // Signatures are short lines.
        if t.text.len() > 60 {
            continue;
        }
        let line = t.text.trim_start();
        let signature = line.starts_with(['—', '–', '-', '~']);
        for (start, segment) in segments(&t.text) {
            let word = segment.trim().trim_start_matches(['—', '–', '-', '~', ' ']);
            let is_word = word.len() >= 2
                && word.chars().next().is_some_and(char::is_uppercase)
                && word
                    .chars()
                    .skip(1)
                    .all(|c| c.is_lowercase() || c == '-' || c == '\'');
            if !is_word {
                continue;
            }
            // The mailbox's own first name, on a line that goes on ("Maria, Brightdesk Expert")
            // or for a first.last mailbox: an office named after its city (`toronto@…` under
            // "Toronto") is no person.
            let mailbox = local_first.is_some_and(|f| f.eq_ignore_ascii_case(word))
                && ((t.text.trim().len() > segment.trim().len() && !has_digit_or_at(&t.text))
                    || email_local.is_some_and(|l| l.contains(['.', '_', '-'])));
            if (mailbox || signature || signature_line(tree, ti, word))
                && !looks_like_title(word)
                && !names_no_person(&word.to_lowercase())
            {
                let lead = segment.find(word).unwrap_or(0);
                let s = start + lead;
                let o = utf16_offsets(&t.text, &[s, s + word.len()]);
                let anchor = Anchor {
                    node: t.node,
                    text: ti,
                    start: o[0],
                    end: o[1],
                };
                return Some(
                    Finding::new(CandidateField::Name, word, Provenance::Text, 0.5)
                        .anchored(anchor),
                );
            }
        }
    }
    None
}

/// Whether `word` signs off a message: the text before it is a closing ("Cheers,", "Best
/// regards,", "Viele Grüße", "Cordialement,").
fn signature_line(tree: &Tree, ti: u32, word: &str) -> bool {
    const CLOSINGS: &[&str] = &[
        "cheers",
        "regards",
        "best",
        "thanks",
        "thank you",
        "sincerely",
        "grüße",
        "grüßen",
        "gruß",
        "cordialement",
        "bien à vous",
        "saludos",
        "saluti",
    ];
    let Some(t) = tree
        .snap
        .texts
        .get(ti as usize)
        .filter(|t| t.text.len() <= 60)
    else {
        return false;
    };
    // Compared as written, ignoring ASCII case (the closings' other letters are lower case).
    let closing = |s: &str| {
        let s = s.trim().trim_end_matches([',', '.', '!']);
        !s.is_empty()
            && CLOSINGS.iter().any(|c| {
                s.len()
                    .checked_sub(c.len())
                    .filter(|&at| s.is_char_boundary(at))
                    .is_some_and(|at| s[at..].eq_ignore_ascii_case(c))
            })
    };
    let before = t.text.split(word).next().unwrap_or_default();
    if !before.trim().is_empty() {
        return closing(before);
    }
    ti.checked_sub(1)
        .and_then(|p| tree.snap.texts.get(p as usize))
        .is_some_and(|p| p.text.len() <= 60 && closing(&p.text))
}

/// Whether `name` is the page's own site written as words ("Pennine Outdoor" on
/// pennine-outdoor.co.uk, "Acme Robotics" on acmerobotics.com): the organisation, not a person.
fn is_site_name(name: &str, snap: &PageSnapshot) -> bool {
    let url = snap.url.as_str();
    // The name the site gives itself (`og:site_name`, `application-name`).
    let own = |m: &&super::snapshot::MetaTag| {
        matches!(m.name.as_str(), "og:site_name" | "application-name")
    };
    if snap
        .meta
        .iter()
        .filter(own)
        .any(|m| m.content.trim().eq_ignore_ascii_case(name.trim()))
    {
        return true;
    }
    let host = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = host.split(['/', '?', '#', ':']).next().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host);
    let label: String = host
        .split('.')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let squeezed: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    squeezed.len() >= 4
        && label.len() >= 4
        && (label.eq_ignore_ascii_case(&squeezed)
            || label.to_ascii_lowercase().starts_with(&squeezed))
}

/// The best name and title among `texts`: a name that matches the email's local part wins, then
/// headings and emphasis, then the first name-like line.
fn name_and_title(
    tree: &Tree,
    memo: &mut NameMemo,
    texts: &[u32],
    email_local: Option<&str>,
) -> Vec<Finding> {
    let mut best_name: Option<(f32, Finding)> = None;
    let mut title: Option<Finding> = None;
    for &ti in texts {
        if !memo.text_has_name_or_title(ti) {
            continue;
        }
        let Some(t) = tree.snap.texts.get(ti as usize) else {
            continue;
        };
        let emphasised = tree.snap.ancestors(t.node).take(3).any(|a| {
            matches!(
                tree.tag(a),
                "h1" | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "strong"
                    | "b"
                    | "dt"
                    | "th"
                    | "figcaption"
            )
        });
        for (start, segment) in segments(&t.text) {
            let (cut, trimmed) = strip_honorifics(segment.trim());
            if trimmed.is_empty() {
                continue;
            }
            let lead_ws = segment.len() - segment.trim_start().len() + cut;
            let (s, mut e) = (start + lead_ws, start + lead_ws + trimmed.len());
            let anchor = |e: usize| {
                let o = utf16_offsets(&t.text, &[s, e]);
                Anchor {
                    node: t.node,
                    text: ti,
                    start: o[0],
                    end: o[1],
                }
            };
            if looks_like_name(trimmed) && !is_site_name(trimmed, tree.snap) {
                // The name as displayed keeps the degrees written after it ("Jane Roe, PhD"),
                // unless the page also shows it plainly (a byline above the author box).
                let degrees = credentials_after(&t.text[e..]);
                if degrees > 0
                    && !tree
                        .snap
                        .texts
                        .iter()
                        .any(|other| other.text.trim() == trimmed)
                {
                    e += degrees;
                }
                let trimmed = &t.text[s..e];
                let matched = email_local
                    .map(|l| name_matches_local_part(trimmed, l))
                    .unwrap_or(0.0);
                let score = 0.55 + 0.35 * matched + if emphasised { 0.1 } else { 0.0 };
                if best_name.as_ref().is_none_or(|(b, _)| score > *b) {
                    let f = Finding::new(
                        CandidateField::Name,
                        trimmed,
                        Provenance::Text,
                        score.min(0.95),
                    )
                    .anchored(anchor(e));
                    best_name = Some((score, f));
                }
            } else if title.is_none() && looks_like_title(trimmed) {
                title = Some(
                    Finding::new(CandidateField::Title, trimmed, Provenance::Text, 0.6)
                        .anchored(anchor(e)),
                );
            }
        }
    }
    best_name.map(|(_, f)| f).into_iter().chain(title).collect()
}

/// Degrees and professional credentials written after a name and a comma, lower-case, without
/// dots ("M.Sc." is `msc`, "Ph.D." is `phd`).
const CREDENTIALS: &[&str] = &[
    "aca", "acca", "ba", "bsc", "beng", "cfa", "cfp", "cpa", "dds", "dmd", "dphil", "esq", "fca",
    "frcs", "jd", "llb", "llm", "ma", "mba", "md", "meng", "mpa", "mph", "mrcp", "msc", "pe",
    "peng", "pharmd", "phd", "rn",
];

/// How many bytes of `rest` (the text right after a name) are credentials written after a comma:
/// ", M.Sc." in "Tobias Reuter, M.Sc.", ", MD, PhD" in "Ana Ruiz, MD, PhD". A title after the
/// comma ("Jane Doe, CEO") is not taken.
fn credentials_after(rest: &str) -> usize {
    let mut taken = 0;
    loop {
        let tail = &rest[taken..];
        let Some(after_comma) = tail.trim_start_matches(' ').strip_prefix(',') else {
            return taken;
        };
        let word_start = tail.len() - after_comma.trim_start_matches(' ').len();
        let word = &tail[word_start..];
        let word_len = word
            .find(|c: char| !(c.is_ascii_alphabetic() || c == '.'))
            .unwrap_or(word.len());
        let word = &word[..word_len];
        let squeezed: String = word
            .chars()
            .filter(|c| *c != '.')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        // Written with capitals as a degree is ("MSc", "PhD", "MBA"), not a lower-case word.
        if word_len == 0
            || !word.starts_with(|c: char| c.is_ascii_uppercase())
            || !CREDENTIALS.contains(&squeezed.as_str())
        {
            return taken;
        }
        taken += word_start + word_len;
    }
}

/// Pieces of a text line separated by the punctuation people put between name, title and contact
/// ("Jane Doe, CTO — jane@acme.com"), with their byte offsets.
fn segments(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = Some((0usize, text));
    std::iter::from_fn(move || {
        let (offset, piece) = rest?;
        match segment_cut(piece) {
            Some((i, len)) => {
                let next = i + len;
                rest = Some((offset + next, &piece[next..]));
                Some((offset, &piece[..i]))
            }
            None => {
                rest = None;
                Some((offset, piece))
            }
        }
    })
}

/// The first separator of [`segments`] in `piece` — `,` `|` `–` `—` `•` `·` a line break `:` `(`
/// `)` `/`, or a `-` before a space — as (byte offset, byte length). Read on the bytes: every
/// text near a contact goes through here, and the UTF-8 lead bytes of the non-ASCII separators
/// never occur inside another character.
fn segment_cut(piece: &str) -> Option<(usize, usize)> {
    let b = piece.as_bytes();
    (0..b.len()).find_map(|i| match b[i] {
        b',' | b'|' | b'\n' | b':' | b'(' | b')' | b'/' | b'?' | b'!' | b';' => Some((i, 1)),
        b'-' if b.get(i + 1) == Some(&b' ') => Some((i, 1)),
        // `·` U+00B7
        0xC2 if b.get(i + 1) == Some(&0xB7) => Some((i, 2)),
        // `–` U+2013, `—` U+2014, `•` U+2022
        0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x93 | 0x94 | 0xA2)) => {
            Some((i, 3))
        }
        // Full-width `（` `）` `：` U+FF08/09/1A, `｜` U+FF5C, and `、` U+3001 of CJK text.
        0xEF if (b.get(i + 1) == Some(&0xBC)
            && matches!(b.get(i + 2), Some(0x88 | 0x89 | 0x9A)))
            || (b.get(i + 1) == Some(&0xBD) && b.get(i + 2) == Some(&0x9C)) =>
        {
            Some((i, 3))
        }
        0xE3 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x81) => Some((i, 3)),
        _ => None,
    })
}

/// One candidate from a group: equal values fold together (anchors united, the strongest source
/// and confidence kept), best value first per field.
fn assemble(group: Group) -> Option<(u32, LeadCandidate)> {
    let position = group
        .findings
        .iter()
        .filter_map(|f| f.node)
        .min()
        .unwrap_or(u32::MAX);
    let mut values: Vec<FoundValue> = Vec::with_capacity(group.findings.len());
    for f in group.findings {
        match values
            .iter_mut()
            .find(|v| v.field == f.field && v.value == f.value)
        {
            Some(v) => {
                if provenance_rank(f.provenance) > provenance_rank(v.provenance) {
                    v.provenance = f.provenance;
                }
                v.confidence = v.confidence.max(f.confidence);
                if let Some(a) = f.anchor {
                    if !v.anchors.contains(&a) {
                        v.anchors.push(a);
                    }
                }
            }
            None => values.push(FoundValue {
                field: f.field,
                value: f.value,
                provenance: f.provenance,
                confidence: f.confidence,
                anchors: f.anchor.into_iter().collect(),
            }),
        }
    }
    if values.is_empty() {
        return None;
    }
    let kind = group.kind.unwrap_or_else(|| infer_kind(&values));
    Some((
        position,
        LeadCandidate {
            kind,
            values,
            dedup_key: None,
            confidence: 0.0,
        },
    ))
}

/// The local part of a canonical email value.
fn local_part(email: &str) -> &str {
    email.rsplit_once('@').map(|(l, _)| l).unwrap_or(email)
}

fn infer_kind(values: &[FoundValue]) -> ContactKind {
    let has_name = values.iter().any(|v| v.field == CandidateField::Name);
    let person_profile = values.iter().any(|v| {
        v.field == CandidateField::Profile
            && ProfileUrl::parse(&v.value).is_ok_and(|p| p.kind().is_person())
    });
    // A personal mailbox (jane.doe@…, not info@…) is a person even before we know their name.
    let personal_email = values
        .iter()
        .filter(|v| v.field == CandidateField::Email)
        .any(|v| !role_address(local_part(&v.value)));
    if has_name || person_profile || personal_email {
        ContactKind::Person
    } else {
        ContactKind::Company
    }
}

/// Sort values, compute the dedup key and the overall confidence.
fn finish(mut c: LeadCandidate) -> LeadCandidate {
    c.values.sort_by(|a, b| {
        a.field
            .cmp(&b.field)
            .then(b.confidence.total_cmp(&a.confidence))
            .then(provenance_rank(b.provenance).cmp(&provenance_rank(a.provenance)))
    });
    c.dedup_key = dedup_key(&c);
    let contact = c
        .values
        .iter()
        .filter(|v| is_contact(v.field))
        .map(|v| v.confidence)
        .fold(0.0f32, f32::max);
    let named = c.best(CandidateField::Name).is_some();
    c.confidence = if contact > 0.0 {
        (contact * if named { 1.0 } else { 0.9 }).min(1.0)
    } else {
        0.5
    };
    c
}

fn dedup_key(c: &LeadCandidate) -> Option<String> {
    // Emails are canonical already; only a non-ASCII one needs parsing for its punycode form.
    let email = c.best(CandidateField::Email).and_then(|e| {
        if e.is_ascii() {
            let mut key = String::with_capacity(6 + e.len());
            key.push_str("email:");
            key.push_str(e);
            key.make_ascii_lowercase();
            Some(key)
        } else {
            Email::parse(e).ok().map(|e| DedupKey::Email(e).to_string())
        }
    });
    let profile = c
        .values
        .iter()
        .filter(|v| v.field == CandidateField::Profile)
        .filter_map(|v| ProfileUrl::parse(&v.value).ok())
        .find(|p| p.kind().is_person())
        .map(|p| DedupKey::Profile(p).to_string());
    // Phone values are E.164 already (they came through `Phone`): no need to parse them again.
    let phone = c
        .best(CandidateField::Phone)
        .map(|p| ["phone:", p].concat());
    email.or(profile).or(phone)
}

/// Keys that identify one person: emails and person profiles always; a phone only links a
/// candidate that has no email (a shared switchboard number must not merge a whole team).
fn identity_keys(c: &LeadCandidate) -> Vec<(CandidateField, Cow<'_, str>)> {
    let has_email = c.values.iter().any(|v| v.field == CandidateField::Email);
    c.values
        .iter()
        .filter(|v| match v.field {
            CandidateField::Email => true,
            CandidateField::Profile => {
                ProfileUrl::parse(&v.value).is_ok_and(|p| p.kind().is_person())
            }
            CandidateField::Phone => !has_email,
            _ => false,
        })
        .map(|v| (v.field, lowercase(&v.value)))
        .collect()
}

/// Union-find over candidates sharing an identity key: the root of each candidate's set.
/// Both unnamed, or named alike.
fn same_name(a: &LeadCandidate, b: &LeadCandidate) -> bool {
    match (a.best(CandidateField::Name), b.best(CandidateField::Name)) {
        (None, None) => true,
        (Some(x), Some(y)) => lowercase(x) == lowercase(y),
        _ => false,
    }
}

fn same_contact_roots(candidates: &[(u32, LeadCandidate)]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..candidates.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: FastMap<(CandidateField, Cow<'_, str>), usize> = FastMap::default();
    for (i, (_, c)) in candidates.iter().enumerate() {
        for key in identity_keys(c) {
            match owner.get(&key) {
                // A shared number ties two contacts only when it is all either has and nothing
                // tells them apart: a switchboard is not a person's own number.
                Some(&j) if key.0 == CandidateField::Phone && !same_name(c, &candidates[j].1) => {}
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
                None => {
                    owner.insert(key, i);
                }
            }
        }
    }
    (0..candidates.len())
        .map(|i| root(&mut parent, i))
        .collect()
}

fn merge_same_contact(candidates: Vec<(u32, LeadCandidate)>) -> Vec<(u32, LeadCandidate)> {
    let roots = same_contact_roots(&candidates);
    // By root; roots are candidate indices, so a slot per candidate keeps them in root order.
    let mut merged: Vec<Option<(u32, LeadCandidate)>> =
        (0..candidates.len()).map(|_| None).collect();
    for ((pos, c), r) in candidates.into_iter().zip(roots) {
        match &mut merged[r] {
            slot @ None => *slot = Some((pos, c)),
            Some((p, into)) => {
                *p = (*p).min(pos);
                if c.kind == ContactKind::Person {
                    into.kind = ContactKind::Person;
                }
                for v in c.values {
                    match into
                        .values
                        .iter_mut()
                        .find(|x| x.field == v.field && x.value == v.value)
                    {
                        Some(x) => {
                            x.confidence = x.confidence.max(v.confidence);
                            if provenance_rank(v.provenance) > provenance_rank(x.provenance) {
                                x.provenance = v.provenance;
                            }
                            for a in v.anchors {
                                if !x.anchors.contains(&a) {
                                    x.anchors.push(a);
                                }
                            }
                        }
                        None => into.values.push(v),
                    }
                }
            }
        }
    }
    merged
        .into_iter()
        .flatten()
        .map(|(p, mut c)| {
            // Two sources may name one person differently; keep only the best name and title.
            keep_best(&mut c.values, CandidateField::Name);
            keep_best(&mut c.values, CandidateField::Title);
            (p, c)
        })
        .collect()
}

fn keep_best(values: &mut Vec<FoundValue>, field: CandidateField) {
    let best = values
        .iter()
        .filter(|v| v.field == field)
        .max_by(|a, b| {
            (provenance_rank(a.provenance), a.confidence)
                .partial_cmp(&(provenance_rank(b.provenance), b.confidence))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|v| v.value.clone());
    if let Some(best) = best {
        values.retain(|v| v.field != field || v.value == best);
    }
}

/// The page's own organisation (from JSON-LD or `og:site_name`) is the company of contacts whose
/// email is on the page's own domain; a directory listing other companies' people gets nothing.
fn attach_page_company(tree: &Tree, candidates: &mut [(u32, LeadCandidate)]) {
    let Some(host) = url::Url::parse(&tree.snap.url).ok().and_then(|u| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_lowercase())
    }) else {
        return;
    };
    let company = candidates
        .iter()
        .filter(|(_, c)| c.kind == ContactKind::Company)
        .flat_map(|(_, c)| c.values.iter())
        .filter(|v| v.field == CandidateField::Company)
        .max_by(|a, b| {
            (provenance_rank(a.provenance), a.confidence)
                .partial_cmp(&(provenance_rank(b.provenance), b.confidence))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|v| (v.value.clone(), v.provenance))
        .or_else(|| own_name(tree.snap, &host).map(|n| (n, Provenance::Meta)));
    let Some((company, provenance)) = company else {
        return;
    };
    for (_, c) in candidates.iter_mut() {
        if c.best(CandidateField::Company).is_some() {
            continue;
        }
        let on_site = c
            .values
            .iter()
            .filter(|v| v.field == CandidateField::Email)
            .any(|v| {
                same_site(
                    &lowercase(v.value.rsplit_once('@').map(|(_, d)| d).unwrap_or("")),
                    &host,
                )
            });
        if on_site {
            c.values.push(FoundValue {
                field: CandidateField::Company,
                value: company.clone(),
                provenance,
                confidence: 0.5,
                anchors: Vec::new(),
            });
        }
    }
}

/// The name the site gives itself: `og:site_name` or `application-name`, else the part of the
/// page title that is the organisation ("Our people | Halliday Croft LLP – Solicitors in
/// London" → "Halliday Croft LLP"): the part with a legal form, or the one that spells the
/// site's domain ("Contact us | Corrib Analytics" on corribanalytics.ie).
fn own_name(snap: &PageSnapshot, host: &str) -> Option<String> {
    let meta = snap
        .meta
        .iter()
        .find(|m| matches!(m.name.as_str(), "og:site_name" | "application-name"))
        .map(|m| m.content.trim());
    if let Some(name) = meta.filter(|n| !n.is_empty() && n.len() <= 80) {
        return Some(name.to_string());
    }
    const LEGAL: &[&str] = &[
        "ltd",
        "ltd.",
        "limited",
        "llc",
        "llp",
        "lp",
        "inc",
        "inc.",
        "gmbh",
        "ag",
        "sarl",
        "sàrl",
        "sas",
        "sa",
        "kg",
        "mbb",
        "plc",
        "bv",
        "nv",
        "pty",
        "corp",
        "corp.",
        "dac",
        "oy",
        "ab",
        "spa",
        "srl",
        "株式会社",
        "有限会社",
    ];
    const GENERIC_TAIL: &[&str] = &[
        "blog", "news", "home", "website", "site", "online", "shop", "store", "homepage",
    ];
    let label: String = host
        .split('.')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let title = snap.title.trim();
    let parts = title
        .split(['|', '–', '—', '·'])
        .flat_map(|p| p.split(" - "))
        .map(str::trim)
        .filter(|p| !p.is_empty());
    for part in parts {
        let part = part.split(',').next().unwrap_or_default().trim();
        let words: Vec<&str> = part.split_whitespace().collect();
        // Up to and with the legal form.
        if let Some(k) = words
            .iter()
            .position(|w| LEGAL.iter().any(|l| w.eq_ignore_ascii_case(l)))
        {
            if k > 0 {
                return Some(words[..=k].join(" "));
            }
        }
        let squeezed: String = part
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if label.len() >= 4 && squeezed.starts_with(&label) {
            let mut words = words;
            while words.len() > 1
                && words
                    .last()
                    .is_some_and(|w| GENERIC_TAIL.iter().any(|g| w.eq_ignore_ascii_case(g)))
            {
                words.pop();
            }
            return Some(words.join(" "));
        }
    }
    None
}

/// `mail.acme.com` and `acme.com` are one site; `acme.com` and `notacme.com` are not.
fn same_site(a: &str, b: &str) -> bool {
    a == b || is_subdomain(a, b) || is_subdomain(b, a)
}

/// Whether `sub` ends with `.` and then `domain`.
fn is_subdomain(sub: &str, domain: &str) -> bool {
    sub.strip_suffix(domain)
        .is_some_and(|head| head.ends_with('.'))
}

/// `s` lower-cased, copied only when that changes it (values are mostly lower-case already).
fn lowercase(s: &str) -> Cow<'_, str> {
    if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The separator rule of [`segment_cut`], written on chars.
    fn cut_by_chars(piece: &str) -> Option<(usize, usize)> {
        piece
            .char_indices()
            .find(|&(i, c)| {
                matches!(
                    c,
                    ',' | '|'
                        | '–'
                        | '—'
                        | '•'
                        | '·'
                        | '\n'
                        | ':'
                        | '('
                        | ')'
                        | '/'
                        | '?'
                        | '!'
                        | ';'
                        | '（'
                        | '）'
                        | '：'
                        | '｜'
                        | '、'
                ) || (c == '-' && piece[i..].starts_with("- "))
            })
            .map(|(i, c)| (i, c.len_utf8()))
    }

    #[test]
    fn credentials_after_a_name() {
        assert_eq!(credentials_after(", M.Sc."), 7);
        assert_eq!(credentials_after(", MD, PhD — Cardiology"), 9);
        assert_eq!(credentials_after(", MBA"), 5);
        assert_eq!(credentials_after(", CEO"), 0);
        assert_eq!(credentials_after(", ma chérie"), 0);
        assert_eq!(credentials_after(" (PhD)"), 0);
        assert_eq!(credentials_after(""), 0);
    }

    #[test]
    fn segments_split_on_separators() {
        let pieces: Vec<_> = segments("Jane Doe, CTO — jane@acme.com · x - y-z").collect();
        assert_eq!(
            pieces,
            [
                (0, "Jane Doe"),
                (9, " CTO "),
                (17, " jane@acme.com "),
                (34, " x "),
                (38, " y-z")
            ]
        );
        for s in [
            "",
            "a",
            "–",
            "·a",
            "a-",
            "a- b",
            "\u{2012}\u{2015}\u{b6}\u{b8}é漢",
            "x\u{2022}y",
        ] {
            assert_eq!(segment_cut(s), cut_by_chars(s), "{s:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn segment_cut_agrees_with_the_char_rule(s in r"([a-z ,|:()/?!;\n\-–—•·‒―¶¸é漢（）：｜、〜]|- ){0,20}", t in any::<String>()) {
            prop_assert_eq!(segment_cut(&s), cut_by_chars(&s));
            prop_assert_eq!(segment_cut(&t), cut_by_chars(&t));
        }
    }
}
