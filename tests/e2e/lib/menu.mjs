// The in-page UI as a user meets it: badge hosts in the page, their menus in closed shadow roots
// (read through the DevTools DOM tree), clicks where a person would click.
import assert from "node:assert/strict";

import { attrs, centre, domTree, findAll, text, waitFor } from "./shadow.mjs";

/** Every badge host on the page: [{field, value}]. Hosts are ordinary elements of the page's DOM. */
export function badges(page) {
  return page.evaluate(() => [...document.querySelectorAll("leadsync-badge")].map((h) => ({ field: h.dataset.field, value: h.dataset.value })));
}

/** Click an element inside a closed shadow root, where a user would. */
export async function click(page, client, node) {
  const { x, y } = await centre(client, node);
  await page.mouse.click(x, y);
}

/** Open the menu of the badge for `value` and return its (fresh) DOM node once it has items. */
export async function openMenu(page, client, value) {
  const sel = `leadsync-badge[data-value="${value}"]`;
  await page.evaluate((s) => document.querySelector(s).scrollIntoView({ block: "center" }), sel);
  await page.click(sel);
  return menuOf(client, value);
}

export async function menuOf(client, value) {
  return waitFor(`the menu of ${value}`, async () => {
    const host = (await domTree(client)).find(({ node }) => node.localName === "leadsync-badge" && attrs(node)["data-value"] === value);
    const [menu] = host ? findAll(host.node, (n) => attrs(n).role === "menu") : [];
    return menu && findAll(menu, (n) => attrs(n).role === "menuitem").length ? menu : null;
  });
}

export function item(menu, label) {
  const hit = findAll(menu, (n) => ["menuitem", "menuitemradio"].includes(attrs(n).role) && text(n).trim().startsWith(label));
  assert.equal(hit.length, 1, `one "${label}" item in the menu`);
  return hit[0];
}

export async function noteText(client, value) {
  const menu = await menuOf(client, value);
  const [note] = findAll(menu, (n) => attrs(n).role === "status");
  return note ? text(note).trim() : "";
}


/**
 * The status a saved contact's badge shows ("new", "lost", …), read inside its closed shadow root
 * (DevTools sees it; the page cannot), or null when the contact is not a lead.
 */
export async function badgeStatus(client, value) {
  const host = (await domTree(client)).find(({ node }) => node.localName === "leadsync-badge" && attrs(node)["data-value"] === value);
  const [badge] = host ? findAll(host.node, (n) => n.localName === "button" && (attrs(n).class || "").split(" ").includes("badge")) : [];
  return badge ? attrs(badge)["data-status"] ?? null : null;
}
