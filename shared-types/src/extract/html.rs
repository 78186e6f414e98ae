//! The native snapshot builder: an HTML document in, the [`PageSnapshot`] the content-script shim
//! would have sent for it out (feature `html`, off by default so the wasm build carries no parser).
//!
//! It lets the same extraction core run outside the browser — `leadsync-server extract PAGE.html`,
//! batch ingest of saved pages, the corpus tests — and it is the reference for what the JS shim
//! builds. The two must stay in step; the rules, which the shim mirrors, are:
//!
//! - **Document**: `url` is the page URL; `title` is the first `<title>` (white space collapsed);
//!   `lang` is `<html lang>` (absent when empty).
//! - **Skipped subtrees**: `script`, `style`, `noscript`, `template`, `iframe`, the whole `<head>`,
//!   and hidden elements — the `hidden` attribute, an inline `style` with `display: none` or
//!   `visibility: hidden`, and `<input type="hidden">`. Nothing inside them becomes a node or a
//!   text. (The shim may also drop what CSS hides; natively there is no style engine, so class-based
//!   hiding is not seen.)
//! - **JSON-LD**: the text of every `<script type="application/ld+json">` anywhere in the document
//!   (head, body, even hidden), unparsed, in document order.
//! - **Meta**: every `<meta>` with `content` and one of `name`, `property`, `itemprop` (checked in
//!   that order), anywhere; plus `<link rel="canonical" href>` as `{"name": "canonical",
//!   "content": <absolute href>}`.
//! - **Nodes**: the elements of `<body>` (body first, `parent: None`), in document order, parent
//!   before child, restricted to those that carry text, a kept attribute or a kept descendant
//!   (empty wrappers add nothing). Only [`KEPT_ATTRIBUTES`] are copied; a kept value longer than
//!   [`MAX_ATTRIBUTE_BYTES`] (typically a `data:` image) is dropped. `href` and `src` are sent
//!   *resolved* against the document base URL (`<base href>`, else the page URL) — what the DOM's
//!   `a.href` / `img.src` properties return — so relative links mean the same thing everywhere.
//! - **Texts**: each DOM text node's data with every run of white space (JavaScript's `\s`)
//!   collapsed to one space and trimmed, attached to its parent element; empty results are left out.
//!
//! The work is linear in the document size: one parse, one walk, one pass to prune and renumber.

use std::collections::BTreeMap;

use scraper::{Html, Node};
use url::Url;

use super::snapshot::{ElementNode, MetaTag, PageSnapshot, TextNode, KEPT_ATTRIBUTES};

/// Longest attribute value copied into the snapshot; longer ones (inline `data:` images, giant
/// class lists) are dropped rather than bloating the message the shim sends.
pub const MAX_ATTRIBUTE_BYTES: usize = 4096;

/// Parse `html` (any HTML5, however broken) as the page at `url` and build its snapshot.
pub fn snapshot_from_html(html: &str, url: &str) -> PageSnapshot {
    let doc = Html::parse_document(html);
    let base = base_url(&doc, url);
    let mut b = Builder {
        base,
        tmp: Vec::new(),
        texts: Vec::new(),
        snap: PageSnapshot {
            url: url.to_string(),
            ..PageSnapshot::default()
        },
        title: None,
    };
    b.walk(&doc);
    b.finish()
}

/// The URL relative links are resolved against: `<base href>` (itself resolved against the page
/// URL), else the page URL; `None` if neither is absolute.
fn base_url(doc: &Html, url: &str) -> Option<Url> {
    let page = Url::parse(url).ok();
    let base_href = doc.tree.nodes().find_map(|n| match n.value() {
        Node::Element(e) if e.name() == "base" => e.attr("href"),
        _ => None,
    });
    match (base_href, &page) {
        (Some(href), Some(page)) => page.join(href.trim()).ok().or(Some(page.clone())),
        (Some(href), None) => Url::parse(href.trim()).ok(),
        (None, page) => page.clone(),
    }
}

/// An element before pruning.
struct Tmp {
    parent: Option<usize>,
    tag: String,
    attrs: BTreeMap<String, String>,
    has_text: bool,
}

struct Builder {
    base: Option<Url>,
    tmp: Vec<Tmp>,
    texts: Vec<(usize, String)>,
    snap: PageSnapshot,
    title: Option<String>,
}

/// Where the walk is, per open element.
#[derive(Clone, Copy)]
enum Frame {
    /// An element that became a (temporary) node.
    Node(usize),
    /// `<html>` or anything else outside `<body>` whose text is not page content.
    Outside,
    /// `<head>`: only title, meta, link and JSON-LD count.
    Head,
    /// A skipped subtree (hidden, script, style …): walked only for JSON-LD and meta.
    Skipped,
    /// The document's `<title>`: its text is the snapshot's title.
    Title,
    /// A `<script type="application/ld+json">`: its text is `json_ld[i]`.
    LdJson(usize),
}

impl Builder {
    fn walk(&mut self, doc: &Html) {
        let root = doc.tree.root();
        let mut stack: Vec<Frame> = Vec::new();
        let Some(mut cur) = root.first_child() else {
            return;
        };
        loop {
            let frame = self.enter(cur.value(), stack.last().copied());
            let descend = match cur.value() {
                Node::Element(_) => {
                    stack.push(frame);
                    true
                }
                _ => false,
            };
            if descend {
                if let Some(child) = cur.first_child() {
                    cur = child;
                    continue;
                }
                stack.pop();
            }
            // Leave `cur` (and every ancestor that has no next sibling).
            loop {
                if let Some(next) = cur.next_sibling() {
                    cur = next;
                    break;
                }
                match cur.parent() {
                    Some(p) if p.id() != root.id() => {
                        stack.pop();
                        cur = p;
                    }
                    _ => return,
                }
            }
        }
    }

    /// Handle one DOM node; for an element, return its frame.
    fn enter(&mut self, node: &Node, parent: Option<Frame>) -> Frame {
        let parent = parent.unwrap_or(Frame::Outside);
        match node {
            Node::Element(e) => {
                let tag = e.name();
                // Collected wherever they are, like `document.querySelectorAll(…)` in the shim.
                match tag {
                    "meta" => self.meta(e),
                    "link" => self.link(e),
                    "html" if self.snap.lang.is_none() => {
                        self.snap.lang = e
                            .attr("lang")
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(str::to_string);
                    }
                    "title"
                        if self.title.is_none()
                            && matches!(parent, Frame::Head | Frame::Outside) =>
                    {
                        self.title = Some(String::new());
                        return Frame::Title;
                    }
                    "script"
                        if e.attr("type").is_some_and(|t| {
                            t.trim().eq_ignore_ascii_case("application/ld+json")
                        }) =>
                    {
                        self.snap.json_ld.push(String::new());
                        return Frame::LdJson(self.snap.json_ld.len() - 1);
                    }
                    _ => {}
                }
                match parent {
                    Frame::Skipped | Frame::Head | Frame::Title | Frame::LdJson(_) => {
                        Frame::Skipped
                    }
                    Frame::Outside if tag == "head" => Frame::Head,
                    Frame::Outside if tag != "body" => Frame::Outside,
                    _ if is_skipped(e) => Frame::Skipped,
                    Frame::Outside | Frame::Node(_) => {
                        let parent = if let Frame::Node(p) = parent {
                            Some(p)
                        } else {
                            None
                        };
                        let attrs = self.attrs(e);
                        self.tmp.push(Tmp {
                            parent,
                            tag: tag.to_string(),
                            attrs,
                            has_text: false,
                        });
                        Frame::Node(self.tmp.len() - 1)
                    }
                }
            }
            Node::Text(t) => {
                self.text(t, parent);
                parent
            }
            _ => parent,
        }
    }

    fn text(&mut self, t: &str, parent: Frame) {
        match parent {
            Frame::LdJson(i) => self.snap.json_ld[i].push_str(t),
            Frame::Title => {
                if let Some(title) = &mut self.title {
                    title.push_str(t);
                }
            }
            Frame::Node(i) => {
                let collapsed = collapse_ws(t);
                if !collapsed.is_empty() {
                    self.tmp[i].has_text = true;
                    self.texts.push((i, collapsed));
                }
            }
            Frame::Outside | Frame::Head | Frame::Skipped => {}
        }
    }

    fn meta(&mut self, e: &scraper::node::Element) {
        let Some(content) = e.attr("content") else {
            return;
        };
        let name = ["name", "property", "itemprop"]
            .iter()
            .find_map(|a| e.attr(a).filter(|v| !v.trim().is_empty()));
        if let Some(name) = name {
            self.snap.meta.push(MetaTag {
                name: name.trim().to_string(),
                content: content.to_string(),
            });
        }
    }

    fn link(&mut self, e: &scraper::node::Element) {
        let canonical = e.attr("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("canonical"))
        });
        if let (true, Some(href)) = (canonical, e.attr("href")) {
            let content = self.resolve(href);
            self.snap.meta.push(MetaTag {
                name: "canonical".to_string(),
                content,
            });
        }
    }

    fn attrs(&self, e: &scraper::node::Element) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (name, value) in e.attrs() {
            if value.len() > MAX_ATTRIBUTE_BYTES || !KEPT_ATTRIBUTES.contains(&name) {
                continue;
            }
            let value = if name == "href" || name == "src" {
                self.resolve(value)
            } else {
                value.to_string()
            };
            out.insert(name.to_string(), value);
        }
        out
    }

    fn resolve(&self, href: &str) -> String {
        match &self.base {
            Some(base) => base
                .join(href.trim())
                .map(String::from)
                .unwrap_or_else(|_| href.to_string()),
            None => href.to_string(),
        }
    }

    fn finish(mut self) -> PageSnapshot {
        // Keep an element if it has text, a kept attribute or a kept descendant. Parents come
        // before children, so one backwards pass propagates "keep" upwards.
        let mut keep: Vec<bool> = self
            .tmp
            .iter()
            .map(|t| t.has_text || !t.attrs.is_empty())
            .collect();
        for i in (0..self.tmp.len()).rev() {
            if keep[i] {
                if let Some(p) = self.tmp[i].parent {
                    keep[p] = true;
                }
            }
        }
        let mut new_index = vec![u32::MAX; self.tmp.len()];
        let mut nodes = Vec::with_capacity(keep.iter().filter(|k| **k).count());
        for (i, t) in self.tmp.into_iter().enumerate() {
            if !keep[i] {
                continue;
            }
            new_index[i] = nodes.len() as u32;
            let parent = t.parent.map(|p| new_index[p]);
            nodes.push(ElementNode {
                parent,
                tag: t.tag,
                attrs: t.attrs,
            });
        }
        self.snap.nodes = nodes;
        self.snap.texts = self
            .texts
            .into_iter()
            .map(|(i, text)| TextNode {
                node: new_index[i],
                text,
            })
            .collect();
        self.snap.title = self.title.map(|t| collapse_ws(&t)).unwrap_or_default();
        self.snap
    }
}

/// Elements whose subtree is not visible page content.
fn is_skipped(e: &scraper::node::Element) -> bool {
    if matches!(
        e.name(),
        "script" | "style" | "noscript" | "template" | "iframe" | "head"
    ) {
        return true;
    }
    if e.attr("hidden").is_some() {
        return true;
    }
    if e.name() == "input"
        && e.attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden"))
    {
        return true;
    }
    e.attr("style").is_some_and(style_hides)
}

/// `display: none` or `visibility: hidden` in an inline style (case and spacing ignored).
fn style_hides(style: &str) -> bool {
    style.split(';').any(|decl| {
        let Some((prop, value)) = decl.split_once(':') else {
            return false;
        };
        let prop = prop.trim().to_ascii_lowercase();
        let value = value
            .trim()
            .trim_end_matches("!important")
            .trim()
            .to_ascii_lowercase();
        (prop == "display" && value == "none")
            || (prop == "visibility" && (value == "hidden" || value == "collapse"))
    })
}

/// JavaScript's `s.replace(/\s+/g, ' ').trim()`, in one pass.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{feff}' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}
