//! JSON-LD: the `<script type="application/ld+json">` bodies of the page, read leniently and mapped
//! through [`super::schema`].
//!
//! Real pages ship broken JSON-LD, so [`parse_lenient`] first tries the body as it is, then repairs
//! what CMSs and hand-editing commonly break: a byte-order mark, HTML comment (`<!-- -->`) and CDATA
//! (`<![CDATA[ ]]>`) wrappers, `//` and `/* */` comments, trailing and doubled commas, stray
//! semicolons, raw control characters (line breaks, tabs) inside strings, and invalid escapes such as
//! `\'`. Several values back to back (`{…}{…}`) are all read; a JSON string holding JSON is unwrapped
//! once. What still does not parse is skipped, block by block — never a panic.
//!
//! All blocks of a page go into one [`Arena`], so an `@id` reference in one block finds its node
//! in another; `@graph`, top-level arrays, nested items and `{"@value": …}` literals are followed.

use serde_json::{Map, Value as Json};

use super::schema::{emit, short_name, Arena, Item, Val};
use super::Out;
use crate::extract::candidate::Provenance;

pub(crate) fn find(out: &mut Out<'_, '_>) {
    let mut arena = Arena::default();
    for body in &out.page.snap.json_ld {
        for v in parse_lenient(body) {
            add_root(&v, &mut arena, 0);
        }
    }
    emit(&arena, Provenance::JsonLd, out);
}

/// Every JSON value in a JSON-LD script body, repairing common breakage (see the module docs).
/// Returns what could be read, possibly nothing.
pub fn parse_lenient(body: &str) -> Vec<Json> {
    parse_lenient_at(body, 0)
}

fn parse_lenient_at(body: &str, depth: u32) -> Vec<Json> {
    let body = body.trim_start_matches('\u{feff}').trim();
    if body.is_empty() {
        return Vec::new();
    }
    let (values, clean) = stream(body);
    let values = if clean && !values.is_empty() {
        values
    } else {
        let repaired = repair(body);
        let (fixed, _) = stream(&repaired);
        if fixed.len() >= values.len() {
            fixed
        } else {
            values
        }
    };
    // `"{\"@type\": …}"`: JSON-LD serialised twice.
    values
        .into_iter()
        .flat_map(|v| match v {
            Json::String(s) if depth == 0 && s.trim_start().starts_with(['{', '[']) => {
                parse_lenient_at(&s, 1)
            }
            v => vec![v],
        })
        .collect()
}

/// The values of a stream of JSON texts, and whether it was read to the end without error.
fn stream(s: &str) -> (Vec<Json>, bool) {
    let mut out = Vec::new();
    for v in serde_json::Deserializer::from_str(s).into_iter::<Json>() {
        match v {
            Ok(v) => out.push(v),
            Err(_) => return (out, false),
        }
    }
    (out, true)
}

/// One linear pass fixing what breaks JSON-LD in the wild, outside and inside strings.
fn repair(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut in_string = false;
    let mut i = 0;
    let b = s.as_bytes();
    while i < s.len() {
        let rest = &s[i..];
        let Some(c) = rest.chars().next() else { break };
        if in_string {
            match c {
                '\\' => {
                    let Some(e) = rest[1..].chars().next() else {
                        break;
                    };
                    if matches!(e, '"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't') {
                        out.push('\\');
                        out.push(e);
                    } else if e == 'u'
                        && rest.len() >= 6
                        && rest.as_bytes()[2..6].iter().all(u8::is_ascii_hexdigit)
                    {
                        out.push('\\');
                        out.push('u');
                    } else {
                        push_char(&mut out, e); // `\'`, `\x`: keep the character, drop the backslash
                    }
                    i += 1 + e.len_utf8();
                }
                '"' => {
                    in_string = false;
                    out.push('"');
                    i += 1;
                }
                _ => {
                    push_char(&mut out, c);
                    i += c.len_utf8();
                }
            }
            continue;
        }
        let skip = ["<!--", "-->", "<![CDATA[", "]]>"]
            .iter()
            .find(|p| rest.starts_with(**p));
        if let Some(p) = skip {
            i += p.len();
            continue;
        }
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
            continue;
        }
        if let Some(comment) = rest.strip_prefix("/*") {
            i += 2 + comment.find("*/").map_or(comment.len(), |e| e + 2);
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push('"');
            }
            ',' => {
                // Dropped before `}`/`]` (trailing) or another `,` (doubled).
                let next = b[i + 1..].iter().find(|x| !x.is_ascii_whitespace());
                if !matches!(next, Some(b'}' | b']' | b',') | None) {
                    out.push(',');
                }
            }
            ';' => {}
            _ => out.push(c),
        }
        i += c.len_utf8();
    }
    out
}

/// A character inside a string, escaped if JSON does not allow it raw.
fn push_char(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push(c),
    }
}

fn add_root(v: &Json, arena: &mut Arena, depth: u32) {
    match v {
        Json::Array(a) => a.iter().for_each(|x| add_root(x, arena, depth + 1)),
        Json::Object(o) => {
            if let Some(g) = o.get("@graph") {
                add_root(g, arena, depth + 1);
            }
            let describes = o
                .keys()
                .any(|k| !matches!(k.as_str(), "@context" | "@graph" | "@id"));
            if describes {
                let i = add_item(o, arena, depth);
                arena.roots.push(i);
            }
        }
        _ => {}
    }
}

fn add_item(o: &Map<String, Json>, arena: &mut Arena, depth: u32) -> usize {
    let types = match o.get("@type") {
        Some(Json::String(t)) => vec![short_name(t).to_string()],
        Some(Json::Array(ts)) => ts
            .iter()
            .filter_map(Json::as_str)
            .map(|t| short_name(t).to_string())
            .collect(),
        _ => Vec::new(),
    };
    let id = o
        .get("@id")
        .and_then(Json::as_str)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    // Reserve the slot first so children get later indices and the item its final one.
    let idx = arena.items.len();
    arena.items.push(Item::default());
    let mut props = Vec::new();
    for (k, v) in o {
        if k.starts_with('@') {
            continue;
        }
        let key = short_name(k).to_string();
        let mut vals = Vec::new();
        values(v, arena, depth + 1, &mut vals);
        props.extend(vals.into_iter().map(|v| (key.clone(), v)));
    }
    arena.items[idx] = Item {
        types,
        id,
        props,
        node: None,
    };
    arena.register_id(idx);
    idx
}

fn values(v: &Json, arena: &mut Arena, depth: u32, out: &mut Vec<Val>) {
    match v {
        Json::String(s) => out.push(Val::Text {
            text: s.clone(),
            node: None,
        }),
        Json::Number(n) => out.push(Val::Text {
            text: n.to_string(),
            node: None,
        }),
        Json::Bool(_) | Json::Null => {}
        Json::Array(a) => a.iter().for_each(|x| values(x, arena, depth + 1, out)),
        Json::Object(o) => {
            if let Some(v) = o.get("@value") {
                values(v, arena, depth + 1, out);
            } else if o.keys().all(|k| k == "@id" || k == "@context") {
                if let Some(id) = o.get("@id").and_then(Json::as_str) {
                    out.push(Val::Ref(id.trim().to_string()));
                }
            } else {
                out.push(Val::Item(add_item(o, arena, depth)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs() {
        let ok = |s: &str| {
            let v = parse_lenient(s);
            assert_eq!(v.len(), 1, "{s:?} -> {v:?}");
            v.into_iter().next().unwrap()
        };
        assert_eq!(ok("\u{feff}{\"a\": 1}")["a"], 1);
        assert_eq!(ok("<!--\n{\"a\": 1}\n-->")["a"], 1);
        assert_eq!(ok("//<![CDATA[\n{\"a\": [1, 2,],}\n//]]>")["a"][1], 2);
        assert_eq!(
            ok("/* x */ {\"a\": \"line\nbreak\ttab\"};")["a"],
            "line\nbreak\ttab"
        );
        assert_eq!(
            ok("{\"a\": \"it\\'s\", \"b\": \"http://x.com/a\",, \"c\": 3}")["a"],
            "it's"
        );
        assert_eq!(ok("\"{\\\"a\\\": 5}\"")["a"], 5);
        assert_eq!(parse_lenient("{\"a\":1}{\"b\":2}").len(), 2);
        assert!(parse_lenient("{\"a\": ").is_empty());
        assert!(parse_lenient("").is_empty());
        assert!(parse_lenient("\\").is_empty());
    }
}
