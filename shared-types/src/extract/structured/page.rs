//! A read-only index over a [`PageSnapshot`] for the structured-data finders: children and text
//! lists per element, `id` lookup, text content, and anchors (UTF-16 offsets inside one text node).
//!
//! The snapshot comes from a content script and may be malformed. The index never trusts it: an
//! element whose `parent` is missing, out of range or not *before* it (the contract says parents
//! come first) is treated as a root, so the element graph is always a forest and every walk ends.
//! Text nodes pointing at a missing element are ignored.

use std::cell::{Cell, OnceCell};

use rustc_hash::FxHashMap;

use crate::extract::candidate::Anchor;
use crate::extract::snapshot::{ElementNode, PageSnapshot};
use crate::extract::tree::{csr, slice};

/// Most characters gathered for one element's text content. Property values longer than this are
/// not names, titles or addresses, and the cap bounds the work when properties nest deeply.
pub(crate) const MAX_TEXT_CHARS: usize = 1000;
/// Most elements visited to gather one element's text content (same reason).
pub(crate) const MAX_TEXT_VISITS: usize = 512;
/// Page-wide exact-text lookups answered by a scan before the texts are put in a map.
const EXACT_SCANS: usize = 8;

pub(crate) struct Page<'a> {
    pub snap: &'a PageSnapshot,
    child_start: Vec<u32>,
    child_list: Vec<u32>,
    text_start: Vec<u32>,
    text_list: Vec<u32>,
    // Non-keyed hashing: the keys are one page's ids and texts, and every text of a page is hashed.
    ids: OnceCell<FxHashMap<&'a str, u32>>,
    exact_texts: OnceCell<FxHashMap<&'a str, u32>>,
    /// Exact-text lookups done by scanning, before `exact_texts` is built.
    exact_scans: Cell<usize>,
    /// Bytes the page-wide anchor search may still scan (keeps it linear in the page size).
    search_budget: Cell<usize>,
}

impl<'a> Page<'a> {
    pub fn new(snap: &'a PageSnapshot) -> Self {
        let n = snap.nodes.len();
        // A parent counts only when it is in range and before the element.
        let parents: Vec<Option<u32>> = snap
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| node.parent.filter(|p| (*p as usize) < i))
            .collect();
        let (child_start, child_list) = csr(
            n,
            parents
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.map(|p| (p, i as u32))),
        );
        let texts = snap
            .texts
            .iter()
            .enumerate()
            .filter(|(_, t)| (t.node as usize) < n)
            .map(|(i, t)| (t.node, i as u32));
        let (text_start, text_list) = csr(n, texts);
        let text_bytes: usize = snap.texts.iter().map(|t| t.text.len()).sum();
        Page {
            snap,
            child_start,
            child_list,
            text_start,
            text_list,
            ids: OnceCell::new(),
            exact_texts: OnceCell::new(),
            exact_scans: Cell::new(0),
            search_budget: Cell::new(text_bytes.saturating_mul(4).max(1 << 22)),
        }
    }

    pub fn len(&self) -> usize {
        self.snap.nodes.len()
    }

    pub fn node(&self, i: u32) -> &'a ElementNode {
        &self.snap.nodes[i as usize]
    }

    pub fn attr(&self, i: u32, name: &str) -> Option<&'a str> {
        self.snap.nodes.get(i as usize).and_then(|n| n.attr(name))
    }

    pub fn tag(&self, i: u32) -> &'a str {
        self.snap
            .nodes
            .get(i as usize)
            .map_or("", |n| n.tag.as_str())
    }

    pub fn children(&self, i: u32) -> &[u32] {
        slice(&self.child_start, &self.child_list, i)
    }

    /// Text nodes directly inside element `i`, in document order.
    pub fn own_texts(&self, i: u32) -> &[u32] {
        slice(&self.text_start, &self.text_list, i)
    }

    /// The element whose `id` attribute is `id` (the first one, as `getElementById`).
    pub fn by_id(&self, id: &str) -> Option<u32> {
        let ids = self.ids.get_or_init(|| {
            let mut m = FxHashMap::default();
            for (i, n) in self.snap.nodes.iter().enumerate() {
                if let Some(id) = n.attr("id") {
                    m.entry(id).or_insert(i as u32);
                }
            }
            m
        });
        ids.get(id).copied()
    }

    /// Elements of the subtree of `root` (itself first), depth-first in document order, stopping
    /// after `max` elements.
    pub fn subtree(&self, root: u32, max: usize) -> Vec<u32> {
        let mut out = Vec::new();
        if root as usize >= self.len() {
            return out;
        }
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if out.len() >= max {
                break;
            }
            out.push(n);
            stack.extend(self.children(n).iter().rev());
        }
        out
    }

    /// The text of element `root`'s subtree: its text nodes in document order joined by single
    /// spaces (the snapshot keeps no inter-node spacing), at most [`MAX_TEXT_CHARS`] characters.
    /// With `img_alt`, an `img`/`area` with a non-empty `alt` stands for its alt text (the
    /// microformats rule for text content).
    pub fn text_content(&self, root: u32, img_alt: bool) -> String {
        let nodes = self.subtree(root, MAX_TEXT_VISITS);
        let mut texts: Vec<u32> = nodes
            .iter()
            .flat_map(|n| self.own_texts(*n).iter().copied())
            .collect();
        texts.sort_unstable();
        // (sort key, text): text t has key 2t+1; an image goes just before the first text node of
        // an element that starts after it (the snapshot does not say where it sits among its
        // ancestors' own text nodes; before them is the usual case).
        let mut parts: Vec<(usize, &str)> = texts
            .iter()
            .map(|t| {
                (
                    *t as usize * 2 + 1,
                    self.snap.texts[*t as usize].text.as_str(),
                )
            })
            .collect();
        if img_alt {
            for n in &nodes {
                if !matches!(self.tag(*n), "img" | "area") {
                    continue;
                }
                let Some(alt) = self.attr(*n, "alt").filter(|a| !a.trim().is_empty()) else {
                    continue;
                };
                let after = texts
                    .iter()
                    .position(|t| self.snap.texts[*t as usize].node > *n);
                let key = match after {
                    Some(k) => texts[k] as usize * 2,
                    None => usize::MAX,
                };
                parts.push((key, alt));
            }
            parts.sort_by_key(|p| p.0);
        }
        let mut out = String::new();
        let mut chars = 0;
        for (_, t) in parts {
            let t = t.trim();
            if t.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
                chars += 1;
            }
            for c in t.chars() {
                if chars >= MAX_TEXT_CHARS {
                    return out;
                }
                out.push(c);
                chars += 1;
            }
        }
        out
    }

    /// Where `needle` is visible inside the subtree of `root`: the first text node that contains
    /// it (ASCII case-insensitively if `ci`).
    pub fn anchor_in(&self, root: u32, needle: &str, ci: bool) -> Option<Anchor> {
        if needle.is_empty() {
            return None;
        }
        for n in self.subtree(root, MAX_TEXT_VISITS) {
            for t in self.own_texts(n) {
                let text = &self.snap.texts[*t as usize].text;
                if let Some(pos) = find(text, needle, ci, false) {
                    return Some(anchor(n, *t, text, pos, needle));
                }
            }
        }
        None
    }

    /// The first text node (of an element in range) that is exactly `needle`. The first few
    /// lookups scan the texts; later ones use a map of every text, built once, so that many
    /// lookups stay linear in the page size while a page with one or two needles hashes nothing.
    fn exact_text(&self, needle: &str) -> Option<u32> {
        if self.exact_texts.get().is_none() && self.exact_scans.get() < EXACT_SCANS {
            self.exact_scans.set(self.exact_scans.get() + 1);
            let found = self
                .snap
                .texts
                .iter()
                .position(|t| (t.node as usize) < self.len() && t.text == needle);
            return found.map(|i| i as u32);
        }
        let exact = self.exact_texts.get_or_init(|| {
            // Sized once: growing a map of every text of the page rehashes it several times.
            let mut m =
                FxHashMap::with_capacity_and_hasher(self.snap.texts.len(), Default::default());
            for (i, t) in self.snap.texts.iter().enumerate() {
                if (t.node as usize) < self.len() {
                    m.entry(t.text.as_str()).or_insert(i as u32);
                }
            }
            m
        });
        exact.get(needle).copied()
    }

    /// Where `needle` is visible anywhere on the page: a text node that is exactly it, else the
    /// first text node containing it as a whole word (within the page-wide search budget).
    pub fn anchor_anywhere(&self, needle: &str, ci: bool) -> Option<Anchor> {
        let needle = needle.trim();
        if needle.chars().count() < 3 {
            return None;
        }
        if let Some(t) = self.exact_text(needle) {
            let tn = &self.snap.texts[t as usize];
            return Some(anchor(tn.node, t, &tn.text, 0, needle));
        }
        for (i, tn) in self.snap.texts.iter().enumerate() {
            let left = self.search_budget.get();
            if left < tn.text.len() {
                self.search_budget.set(0);
                return None;
            }
            self.search_budget.set(left - tn.text.len());
            if (tn.node as usize) >= self.len() {
                continue;
            }
            if let Some(pos) = find(&tn.text, needle, ci, true) {
                return Some(anchor(tn.node, i as u32, &tn.text, pos, needle));
            }
        }
        None
    }
}

/// Byte position of `needle` in `hay`; `ci` folds ASCII case; `word` requires that the match is not
/// glued to a letter or digit on either side.
fn find(hay: &str, needle: &str, ci: bool, word: bool) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || n.len() > h.len() {
        return None;
    }
    let eq = |a: u8, b: u8| {
        if ci {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    // The needle's first byte in either case (`eq` folds ASCII only), found with SIMD: the
    // page-wide search reads every text of the page.
    let (first_a, first_b) = if ci {
        (n[0].to_ascii_lowercase(), n[0].to_ascii_uppercase())
    } else {
        (n[0], n[0])
    };
    let mut from = 0;
    while from + n.len() <= h.len() {
        let rel = memchr::memchr2(first_a, first_b, &h[from..=h.len() - n.len()])?;
        let pos = from + rel;
        if h[pos..pos + n.len()].iter().zip(n).all(|(a, b)| eq(*a, *b))
            && hay.is_char_boundary(pos)
            && hay.is_char_boundary(pos + n.len())
            && (!word
                || (!glued(hay[..pos].chars().next_back())
                    && !glued(hay[pos + n.len()..].chars().next())))
        {
            return Some(pos);
        }
        from = pos + 1;
    }
    None
}

fn glued(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

fn anchor(node: u32, text: u32, hay: &str, pos: usize, needle: &str) -> Anchor {
    let start = hay[..pos].encode_utf16().count() as u32;
    let len = hay[pos..pos + needle.len()].encode_utf16().count() as u32;
    Anchor {
        node,
        text,
        start,
        end: start + len,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::snapshot::TextNode;

    fn el(parent: Option<u32>, tag: &str) -> ElementNode {
        ElementNode {
            parent,
            tag: tag.into(),
            attrs: Default::default(),
        }
    }

    #[test]
    fn utf16_offsets_and_words() {
        let snap = PageSnapshot {
            nodes: vec![el(None, "body"), el(Some(0), "p")],
            texts: vec![TextNode {
                node: 1,
                text: "Zoë 😀 jane@acme.com".into(),
            }],
            ..Default::default()
        };
        let page = Page::new(&snap);
        let a = page.anchor_in(0, "JANE@acme.com", true).unwrap();
        assert_eq!((a.node, a.text, a.start, a.end), (1, 0, 7, 20));
        assert!(
            page.anchor_anywhere("ane@acme", false).is_none(),
            "not a whole word"
        );
        assert_eq!(
            page.anchor_anywhere("jane@acme.com", false)
                .map(|a| a.start),
            Some(7)
        );
    }

    #[test]
    fn bad_parents_make_a_forest() {
        let mut a = el(Some(2), "div");
        a.parent = Some(5);
        let snap = PageSnapshot {
            nodes: vec![el(Some(0), "body"), a, el(Some(1), "p"), el(Some(99), "x")],
            ..Default::default()
        };
        let page = Page::new(&snap);
        assert!(
            page.children(0).is_empty(),
            "node 0 claims itself as parent"
        );
        assert_eq!(page.children(1), &[2]);
        assert_eq!(page.subtree(1, 100), vec![1, 2]);
        assert!(page.children(17).is_empty());
    }
}
