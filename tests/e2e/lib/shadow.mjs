// Look inside closed shadow roots through the DevTools protocol (DOM.getDocument with pierce:
// true), the way a test can see what a user sees in our badges and menus.

/** A flat list of {node, parent} for the whole document, shadow roots included. */
export async function domTree(client) {
  const { root } = await client.send("DOM.getDocument", { depth: -1, pierce: true });
  const out = [];
  const walk = (node, parent) => {
    out.push({ node, parent });
    for (const c of node.shadowRoots || []) walk(c, node);
    for (const c of node.children || []) walk(c, node);
  };
  walk(root, null);
  return out;
}

export function attrs(node) {
  const a = {};
  for (let i = 0; node.attributes && i < node.attributes.length; i += 2) a[node.attributes[i]] = node.attributes[i + 1];
  return a;
}

/** The text of a node (its text descendants, in order). */
export function text(node) {
  if (node.nodeType === 3) return node.nodeValue;
  return [...(node.shadowRoots || []), ...(node.children || [])].map(text).join("");
}

/** Every element below `node` (its shadow roots included) matching `pred`. */
export function findAll(node, pred) {
  const out = [];
  const walk = (n) => {
    if (n.nodeType === 1 && pred(n)) out.push(n);
    for (const c of n.shadowRoots || []) walk(c);
    for (const c of n.children || []) walk(c);
  };
  walk(node);
  return out;
}

/** The badge host for `value` (its data-value), or undefined. */
export async function badgeHost(client, value) {
  const tree = await domTree(client);
  const hit = tree.find(({ node }) => node.localName === "leadsync-badge" && attrs(node)["data-value"] === value);
  return hit && hit.node;
}

/** Poll `fn` until it returns a truthy value; fail with `what` after `timeout` ms. */
export async function waitFor(what, fn, { timeout = 20_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let lastErr;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${lastErr ? ` (last error: ${lastErr.message})` : ""}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Centre of an element's border box in page coordinates, for mouse clicks. */
export async function centre(client, node) {
  const { model } = await client.send("DOM.getBoxModel", { backendNodeId: node.backendNodeId });
  const [x1, y1, , , x3, y3] = model.border;
  return { x: (x1 + x3) / 2, y: (y1 + y3) / 2, width: model.width, height: model.height };
}
