//! Facts about the snapshot's element tree computed once, in linear time: each element's subtree
//! range (nodes are in document pre-order, so a subtree is a contiguous index range), the texts in
//! each element's subtree, and how much text a subtree holds.

use super::snapshot::PageSnapshot;

pub struct Tree<'a> {
    pub snap: &'a PageSnapshot,
    /// Last node index inside each node's subtree.
    pub subtree_end: Vec<u32>,
    /// Characters of text inside each node's subtree.
    pub text_len: Vec<u32>,
    /// Text indices grouped by element in element order (see [`csr`]): the texts of a subtree, a
    /// contiguous range of elements, are one contiguous run.
    text_start: Vec<u32>,
    text_list: Vec<u32>,
    /// Children of each node, in document order (see [`csr`]).
    child_start: Vec<u32>,
    child_list: Vec<u32>,
}

impl<'a> Tree<'a> {
    pub fn new(snap: &'a PageSnapshot) -> Self {
        let n = snap.nodes.len();
        let mut subtree_end: Vec<u32> = (0..n as u32).collect();
        let mut text_len = vec![0u32; n];
        for t in &snap.texts {
            if let Some(len) = text_len.get_mut(t.node as usize) {
                *len = len.saturating_add(t.text.chars().count().min(u32::MAX as usize) as u32);
            }
        }
        // Children come after parents, so one backwards pass folds every child into its parent.
        // A malformed snapshot (a parent after its child) only makes the ranges smaller, never
        // out of bounds.
        for i in (0..n).rev() {
            if let Some(p) = snap.nodes[i].parent {
                let p = p as usize;
                if p < i {
                    subtree_end[p] = subtree_end[p].max(subtree_end[i]);
                    text_len[p] = text_len[p].saturating_add(text_len[i]);
                }
            }
        }
        let parents = snap.nodes.iter().enumerate().filter_map(|(i, node)| {
            node.parent
                .filter(|p| (*p as usize) < i)
                .map(|p| (p, i as u32))
        });
        let (child_start, child_list) = csr(n, parents);
        let texts = snap
            .texts
            .iter()
            .enumerate()
            .filter(|(_, t)| (t.node as usize) < n)
            .map(|(i, t)| (t.node, i as u32));
        let (text_start, text_list) = csr(n, texts);
        Tree {
            snap,
            subtree_end,
            text_len,
            text_start,
            text_list,
            child_start,
            child_list,
        }
    }

    pub fn contains(&self, ancestor: u32, node: u32) -> bool {
        node >= ancestor
            && self
                .subtree_end
                .get(ancestor as usize)
                .is_some_and(|end| node <= *end)
    }

    /// Indices into `snap.texts` of the texts inside `node`'s subtree, by element and then in
    /// document order.
    pub fn texts_in(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        let texts = match self.subtree_end.get(node as usize) {
            Some(&end) => {
                &self.text_list[self.text_start[node as usize] as usize
                    ..self.text_start[end as usize + 1] as usize]
            }
            None => &[],
        };
        texts.iter().copied()
    }

    /// Children of `node`, in document order.
    pub fn children(&self, node: u32) -> &[u32] {
        slice(&self.child_start, &self.child_list, node)
    }

    pub fn parent(&self, node: u32) -> Option<u32> {
        self.snap
            .node(node)
            .and_then(|n| n.parent)
            .filter(|p| *p < node)
    }

    pub fn text_len(&self, node: u32) -> u32 {
        self.text_len.get(node as usize).copied().unwrap_or(0)
    }

    pub fn tag(&self, node: u32) -> &str {
        self.snap.node(node).map(|n| n.tag.as_str()).unwrap_or("")
    }

    /// Nearest ancestor (or self) with tag `tag`, looking at most `depth` levels up.
    pub fn enclosing(&self, node: u32, tag: &str, depth: usize) -> Option<u32> {
        self.snap
            .ancestors(node)
            .take(depth)
            .find(|a| self.tag(*a) == tag)
    }
}

/// Compressed adjacency lists: for each key in `0..n`, its values in input order — `list[start[k]
/// ..start[k + 1]]` (keys must be below `n`). Built by counting, in linear time.
pub(crate) fn csr(
    n: usize,
    pairs: impl Iterator<Item = (u32, u32)> + Clone,
) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for (k, _) in pairs.clone() {
        start[k as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut list = vec![0u32; start[n] as usize];
    for (k, v) in pairs {
        list[fill[k as usize] as usize] = v;
        fill[k as usize] += 1;
    }
    (start, list)
}

/// The values of key `i` in a [`csr`] list (none for a key out of range).
pub(crate) fn slice<'s>(start: &[u32], list: &'s [u32], i: u32) -> &'s [u32] {
    let i = i as usize;
    match (start.get(i), start.get(i + 1)) {
        (Some(a), Some(b)) => &list[*a as usize..*b as usize],
        _ => &[],
    }
}

/// UTF-16 offsets of byte positions in `text` (positions sorted ascending; each on a char boundary).
pub fn utf16_offsets(text: &str, sorted_bytes: &[usize]) -> Vec<u32> {
    // Up to the last position the text is mostly ASCII, where a byte is one UTF-16 unit.
    let last = sorted_bytes.last().map_or(0, |&b| b.min(text.len()));
    if text.as_bytes()[..last].is_ascii() {
        return sorted_bytes.iter().map(|&b| b.min(last) as u32).collect();
    }
    let mut out = Vec::with_capacity(sorted_bytes.len());
    let mut units = 0u32;
    let mut chars = text.char_indices().peekable();
    for &b in sorted_bytes {
        while let Some(&(i, c)) = chars.peek() {
            if i >= b {
                break;
            }
            units = units.saturating_add(c.len_utf16() as u32);
            chars.next();
        }
        out.push(units);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::snapshot::{ElementNode, TextNode};

    fn node(parent: Option<u32>, tag: &str) -> ElementNode {
        ElementNode {
            parent,
            tag: tag.into(),
            ..Default::default()
        }
    }

    #[test]
    fn subtrees_and_texts() {
        let snap = PageSnapshot {
            nodes: vec![
                node(None, "body"),
                node(Some(0), "div"),
                node(Some(1), "p"),
                node(Some(0), "div"),
                node(Some(3), "p"),
            ],
            texts: vec![
                TextNode {
                    node: 4,
                    text: "four".into(),
                },
                TextNode {
                    node: 2,
                    text: "two".into(),
                },
                TextNode {
                    node: 1,
                    text: "one".into(),
                },
            ],
            ..Default::default()
        };
        let tree = Tree::new(&snap);
        assert_eq!(tree.subtree_end, vec![4, 2, 2, 4, 4]);
        assert_eq!(tree.texts_in(1).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(tree.texts_in(3).collect::<Vec<_>>(), vec![0]);
        assert_eq!(tree.text_len(0), 10);
        assert!(tree.contains(1, 2) && !tree.contains(1, 3));
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let text = "a😀b é@x";
        let bytes: Vec<usize> = vec![0, 1, 5, 6, text.find('@').unwrap()];
        assert_eq!(utf16_offsets(text, &bytes), vec![0, 1, 3, 4, 6]);
        // An ASCII stretch before the last position (what follows it does not matter), and a
        // position past the end.
        assert_eq!(utf16_offsets("ab@cd é😀", &[0, 2, 5]), vec![0, 2, 5]);
        assert_eq!(utf16_offsets("abc", &[1, 10]), vec![1, 3]);
        assert_eq!(utf16_offsets("é😀", &[0, 2, 10]), vec![0, 1, 3]);
    }

    #[test]
    fn malformed_parents_do_not_panic() {
        let snap = PageSnapshot {
            nodes: vec![node(Some(3), "a"), node(Some(1), "b"), node(Some(0), "c")],
            texts: vec![
                TextNode {
                    node: 9,
                    text: "x".into(),
                },
                TextNode {
                    node: 2,
                    text: "y".into(),
                },
            ],
            ..Default::default()
        };
        let tree = Tree::new(&snap);
        assert_eq!(tree.texts_in(0).count(), 1);
        assert_eq!(snap.ancestors(1).count(), 1);
    }
}
