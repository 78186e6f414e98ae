//! Microdata (`itemscope` / `itemtype` / `itemprop` / `itemref` / `itemid`) read from the snapshot's
//! element attributes, per the HTML microdata model, and mapped through [`super::schema`] exactly
//! like JSON-LD.
//!
//! An item's properties are the `itemprop` elements under it (and under the elements its `itemref`
//! names) that are not inside a nested item; a nested item with an `itemprop` is that property's
//! value. A property's value is, by element: `meta` → `content`; `img`, `audio`, `video`, `source`,
//! `embed`, `iframe`, `track` → `src`; `a`, `area`, `link` → `href`; `data`, `meter` → `value`;
//! `time` → `datetime`; otherwise the element's text. Values carry their element, so they are
//! anchored where the text is visible.

use std::collections::HashSet;

use super::page::Page;
use super::schema::{emit, short_name, Arena, Item, Val};
use super::Out;
use crate::extract::candidate::Provenance;

/// Elements visited through one item's `itemref`s (a page could point every item at one huge
/// subtree).
const MAX_ITEMREF_VISITS: usize = 4096;

pub(crate) fn find(out: &mut Out<'_, '_>) {
    let arena = build(out.page);
    emit(&arena, Provenance::Microdata, out);
}

fn build(page: &Page<'_>) -> Arena {
    let mut arena = Arena::default();
    let scopes: Vec<u32> = (0..page.len() as u32)
        .filter(|n| page.attr(*n, "itemscope").is_some())
        .collect();
    if scopes.is_empty() {
        return arena;
    }
    let mut item_of = vec![usize::MAX; page.len()];
    for n in &scopes {
        let types = page
            .attr(*n, "itemtype")
            .unwrap_or("")
            .split_ascii_whitespace()
            .map(|t| short_name(t).to_string())
            .collect();
        let id = page
            .attr(*n, "itemid")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        item_of[*n as usize] = arena.items.len();
        arena.items.push(Item {
            types,
            id,
            props: Vec::new(),
            node: Some(*n),
        });
    }
    let mut is_value = vec![false; arena.items.len()];
    for n in &scopes {
        let props = crawl(page, *n, &item_of);
        for (_, v) in &props {
            if let Val::Item(i) = v {
                is_value[*i] = true;
            }
        }
        arena.items[item_of[*n as usize]].props = props;
    }
    for i in 0..arena.items.len() {
        arena.register_id(i);
    }
    arena.roots = (0..arena.items.len()).filter(|i| !is_value[*i]).collect();
    arena
}

/// The properties of the item on element `scope`.
fn crawl(page: &Page<'_>, scope: u32, item_of: &[usize]) -> Vec<(String, Val)> {
    let mut props = Vec::new();
    let mut stack: Vec<u32> = page.children(scope).iter().rev().copied().collect();
    let mut seen_refs: HashSet<u32> = HashSet::new();
    let mut ref_visits = 0usize;
    let mut in_refs = false;
    let refs: Vec<u32> = page
        .attr(scope, "itemref")
        .unwrap_or("")
        .split_ascii_whitespace()
        .filter_map(|id| page.by_id(id))
        .filter(|r| *r != scope)
        .collect();
    let mut pending_refs = refs.into_iter().rev().collect::<Vec<_>>();
    loop {
        let n = match stack.pop() {
            Some(n) => n,
            None => match pending_refs.pop() {
                Some(r) if seen_refs.insert(r) => {
                    in_refs = true;
                    r
                }
                Some(_) => continue,
                None => break,
            },
        };
        if in_refs {
            ref_visits += 1;
            if ref_visits > MAX_ITEMREF_VISITS {
                break;
            }
        }
        let nested = page.attr(n, "itemscope").is_some();
        if let Some(names) = page.attr(n, "itemprop") {
            for name in names.split_ascii_whitespace() {
                let value = if nested {
                    Val::Item(item_of[n as usize])
                } else {
                    Val::Text {
                        text: value_of(page, n),
                        node: Some(n),
                    }
                };
                props.push((short_name(name).to_string(), value));
            }
        }
        if !nested {
            stack.extend(page.children(n).iter().rev());
        }
    }
    props
}

fn value_of(page: &Page<'_>, n: u32) -> String {
    let attr = |a| page.attr(n, a).unwrap_or("").to_string();
    match page.tag(n) {
        "meta" => attr("content"),
        "img" | "audio" | "video" | "source" | "embed" | "iframe" | "track" => attr("src"),
        "a" | "area" | "link" => attr("href"),
        "data" | "meter" => attr("value"),
        "time" if page.attr(n, "datetime").is_some() => attr("datetime"),
        _ => page.text_content(n, false),
    }
}
