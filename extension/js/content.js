// leadsync content shim — plain JavaScript, no modules, no wasm.
//
// Pages with a strict CSP (`script-src 'self'`) forbid compiling WebAssembly in content scripts, so
// all logic runs in the background worker (Rust/wasm). This shim only:
//   1. snapshots the page exactly as shared-types/src/extract/html.rs describes (the contract of
//      leadsync_types::extract::PageSnapshot), remembering the DOM text node behind every text;
//   2. sends {type: "ExtractPage", snapshot} to the background and gets lead candidates back;
//   3. draws a badge right after each email and phone the candidates anchor in the page, inside a
//      closed shadow root (page CSS cannot reach in, ours cannot leak out), with a small menu;
//   4. re-scans when the page changes (debounced), ignoring the changes it makes itself.
(() => {
  "use strict";

  // ---------------------------------------------------------------------------------------------
  // The snapshot contract (mirror of html.rs; keep the two in step).

  /** leadsync_types::extract::snapshot::KEPT_ATTRIBUTES */
  const KEPT_ATTRIBUTES = [
    "class", "href", "src", "title", "alt", "rel", "type", "content", "value", "datetime", "itemscope",
    "itemtype", "itemprop", "itemid", "itemref", "id", "lang", "aria-label", "data-cfemail",
    "data-mailto-token",
  ];
  /** html.rs MAX_ATTRIBUTE_BYTES: longer values (inline data: images) are dropped. */
  const MAX_ATTRIBUTE_BYTES = 4096;
  /** Subtrees that are not visible page content. */
  const SKIPPED_TAGS = new Set(["script", "style", "noscript", "template", "iframe", "head"]);
  /** Our own elements: never part of a snapshot. */
  const BADGE_TAG = "leadsync-badge";
  const TOAST_TAG = "leadsync-toast";
  /** Rust's char::is_whitespace plus U+FEFF (what html.rs collapses) = JavaScript's \s plus U+0085. */
  const WS_RUN = /[\s\u0085]+/g;
  const WS_CHAR = /[\s\u0085]/;

  const SCAN_DEBOUNCE_MS = 500; // quiet time after the last page change before a re-scan
  const SCAN_MAX_WAIT_MS = 3000; // a page that never stops changing is still re-scanned this often

  /** `s.replace(/\s+/g, " ").trim()`, the collapse html.rs applies to every text. */
  function collapse(s) {
    return s.replace(WS_RUN, " ").trim();
  }

  function utf8Length(s) {
    if (s.length > MAX_ATTRIBUTE_BYTES) return s.length; // already too long, whatever the encoding
    if (s.length * 3 <= MAX_ATTRIBUTE_BYTES) return s.length; // cannot be too long
    return new TextEncoder().encode(s).length;
  }

  /** What `a.href` returns: the value resolved against the document base URL (raw if it won't parse). */
  function resolveUrl(value) {
    try {
      return new URL(value.trim(), document.baseURI).href;
    } catch (_) {
      return value;
    }
  }

  function isOurs(node) {
    const name = node.localName;
    return name === BADGE_TAG || name === TOAST_TAG;
  }

  /**
   * Elements that never render, so the browser's own style sheet says `display: none` for them,
   * yet carry data: microdata `<meta itemprop content>` / `<link itemprop href>` in the body.
   * For these only html.rs's inline-style rule applies, not the computed style.
   */
  const NEVER_RENDERED = new Set(["meta", "link", "base", "title", "area", "param", "source", "track", "datalist", "rp", "noembed", "noframes"]);

  function hides(style) {
    return style.display === "none" || style.visibility === "hidden" || style.visibility === "collapse";
  }

  /** Hidden or not page content: html.rs's rules, plus what CSS hides (we have a style engine). */
  function isSkipped(el) {
    const tag = el.localName;
    if (SKIPPED_TAGS.has(tag) || isOurs(el) || el.hasAttribute("hidden")) return true;
    if (tag === "input" && (el.getAttribute("type") || "").trim().toLowerCase() === "hidden") return true;
    return hides(NEVER_RENDERED.has(tag) ? el.style : getComputedStyle(el));
  }

  function keptAttributes(el) {
    let attrs = null;
    for (const name of KEPT_ATTRIBUTES) {
      const value = el.getAttribute(name);
      if (value === null || utf8Length(value) > MAX_ATTRIBUTE_BYTES) continue;
      (attrs ||= {})[name] = name === "href" || name === "src" ? resolveUrl(value) : value;
    }
    return attrs;
  }

  /**
   * The page as a PageSnapshot, plus `domTexts[i]`: the DOM Text node of `snapshot.texts[i]`.
   * One pre-order walk of <body>, then one backwards pass to prune elements that carry nothing.
   */
  function buildSnapshot() {
    const tmp = []; // {parent, tag, attrs, keep}
    const texts = []; // [tmp index, collapsed text, Text node]
    const body = document.body;
    if (body && !isSkipped(body)) {
      const stack = [[body, undefined]];
      while (stack.length) {
        const [node, parent] = stack.pop();
        if (node.nodeType === Node.TEXT_NODE) {
          const text = collapse(node.data);
          if (text && parent !== undefined) {
            tmp[parent].keep = true;
            texts.push([parent, text, node]);
          }
          continue;
        }
        if (node.nodeType !== Node.ELEMENT_NODE || (node !== body && isSkipped(node))) continue;
        const attrs = keptAttributes(node);
        tmp.push({ parent, tag: node.localName, attrs, keep: attrs !== null });
        const index = tmp.length - 1;
        // Children in reverse, so they pop in document order.
        for (let child = node.lastChild; child; child = child.previousSibling) stack.push([child, index]);
      }
    }
    // Keep an element with text, a kept attribute or a kept descendant (children follow parents).
    for (let i = tmp.length - 1; i >= 0; i--) {
      if (tmp[i].keep && tmp[i].parent !== undefined) tmp[tmp[i].parent].keep = true;
    }
    const newIndex = new Array(tmp.length);
    const nodes = [];
    tmp.forEach((t, i) => {
      if (!t.keep) return;
      newIndex[i] = nodes.length;
      const node = { tag: t.tag };
      if (t.parent !== undefined) node.parent = newIndex[t.parent];
      if (t.attrs) node.attrs = t.attrs;
      nodes.push(node);
    });

    const jsonLd = [];
    for (const s of document.querySelectorAll("script[type]")) {
      if (s.getAttribute("type").trim().toLowerCase() === "application/ld+json") jsonLd.push(s.textContent);
    }
    const meta = [];
    for (const el of document.querySelectorAll("meta, link")) {
      if (el.localName === "meta") {
        const content = el.getAttribute("content");
        const name = ["name", "property", "itemprop"].map((a) => el.getAttribute(a)).find((v) => v && v.trim());
        if (content !== null && name) meta.push({ name: name.trim(), content });
      } else if (el.hasAttribute("href") && (el.getAttribute("rel") || "").toLowerCase().split(/[\t\n\f\r ]+/).includes("canonical")) {
        meta.push({ name: "canonical", content: resolveUrl(el.getAttribute("href")) });
      }
    }
    const titleEl = document.querySelector("head > title, html > title");
    const lang = (document.documentElement.getAttribute("lang") || "").trim();

    const snapshot = {
      url: location.href,
      title: titleEl ? collapse(titleEl.textContent) : "",
      nodes,
      texts: texts.map(([node, text]) => ({ node: newIndex[node], text })),
      json_ld: jsonLd,
      meta,
    };
    if (lang) snapshot.lang = lang;
    return { snapshot, domTexts: texts.map((t) => t[2]) };
  }

  /**
   * For a raw text node value: where each UTF-16 unit of its collapsed form came from.
   * `map[i]` is the raw offset of collapsed unit i (a collapsed space maps to its run's first unit).
   */
  function collapsedToRaw(raw) {
    const map = [];
    let pendingSpace = -1;
    for (let r = 0; r < raw.length; r++) {
      if (WS_CHAR.test(raw[r])) {
        if (map.length && pendingSpace < 0) pendingSpace = r;
        continue;
      }
      if (pendingSpace >= 0) map.push(pendingSpace);
      pendingSpace = -1;
      map.push(r);
    }
    return map;
  }

  // ---------------------------------------------------------------------------------------------
  // Talking to the background.

  const t = (key, ...subs) => chrome.i18n.getMessage(key, subs.map(String)) || key;
  /** An error from the background in the user's language (`error_<code>` in _locales), else as sent. */
  const errorText = (e) => chrome.i18n.getMessage(`error_${e.code}`, (e.params || []).map(String)) || e.message;

  let contextAlive = true;

  /** Send a request to the background; resolves to its response object (`{error}` on failure). */
  async function send(request) {
    try {
      const response = await chrome.runtime.sendMessage(request);
      return response || { error: { code: "no_response", message: "the background worker did not answer" } };
    } catch (err) {
      const message = (err && err.message) || String(err);
      // The extension was reloaded or removed: this shim is orphaned, stop watching the page.
      if (/context invalidated/i.test(message) || !chrome.runtime?.id) {
        contextAlive = false;
        observer.disconnect();
      }
      return { error: { code: "unreachable", message } };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Our own UI: shared style sheet and a tiny element builder (no innerHTML: Trusted Types pages).

  const CSS = `
    :host { all: initial !important; display: inline-block !important; position: static !important;
      vertical-align: middle !important; margin: 0 0 0 4px !important; padding: 0 !important;
      line-height: 0 !important; visibility: visible !important; opacity: 1 !important; }
    :host([data-kind="toast"]) { position: fixed !important; right: 16px !important; bottom: 16px !important;
      z-index: 2147483647 !important; margin: 0 !important; line-height: normal !important; }
    * { box-sizing: border-box; }
    .badge { all: unset; box-sizing: border-box; display: inline-flex; align-items: center; justify-content: center;
      width: 16px; height: 16px; border-radius: 4px; background: #2563eb; cursor: pointer;
      box-shadow: 0 0 0 1px rgba(255,255,255,.7); }
    .badge:hover { background: #1d4ed8; }
    .badge.saved { background: #059669; }
    .badge.saved:hover { background: #047857; }
    .badge:focus-visible { outline: 2px solid #93c5fd; outline-offset: 1px; }
    .badge svg { width: 12px; height: 12px; display: block; }
    .menu { inset: auto; margin: 0; overflow: visible; min-width: 190px; max-width: 280px; padding: 4px; border: 1px solid #d0d5dd;
      border-radius: 8px; background: #fff; color: #101828; box-shadow: 0 8px 24px rgba(16,24,40,.18);
      font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left; }
    .head { padding: 4px 10px 6px; font-size: 12px; color: #475467; overflow: hidden; text-overflow: ellipsis;
      white-space: nowrap; border-bottom: 1px solid #eaecf0; margin-bottom: 4px; }
    .item { all: unset; box-sizing: border-box; display: flex; justify-content: space-between; gap: 8px; width: 100%; padding: 6px 10px;
      border-radius: 6px; cursor: pointer; color: #101828; font: inherit; text-decoration: none; }
    .item:hover, .item:focus-visible { background: #eff4ff; outline: none; }
    .item[aria-disabled="true"] { color: #98a2b3; cursor: not-allowed; background: none; }
    .sub { padding-left: 12px; }
    .item[aria-checked="true"] { font-weight: 600; }
    .item[aria-checked="true"]::after { content: "✓"; color: #059669; }
    .note { padding: 6px 10px; font-size: 12px; color: #344054; white-space: normal; }
    .note:empty { display: none; }
    .toast { padding: 10px 14px; border-radius: 8px; background: #101828; color: #fff; max-width: 360px;
      font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; box-shadow: 0 8px 24px rgba(16,24,40,.3); }
  `;
  let sheet = null; // one constructed sheet shared by every shadow root, when the browser allows it

  function styleShadow(root) {
    try {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [sheet];
    } catch (_) {
      // Firefox content scripts cannot always adopt a sheet made in their own compartment.
      root.append(h("style", { text: CSS }));
    }
  }

  function h(tag, props = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null) continue;
      if (k === "text") el.textContent = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v);
    }
    el.append(...children);
    return el;
  }

  function icon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    const shapes = [
      ["circle", { cx: 5.5, cy: 6, r: 2.2 }],
      ["path", { d: "M1.8 13c.4-2.4 1.9-3.6 3.7-3.6s3.3 1.2 3.7 3.6z" }],
      ["rect", { x: 9.5, y: 4.5, width: 5, height: 1.8, rx: 0.9 }],
      ["rect", { x: 9.5, y: 8, width: 3.5, height: 1.8, rx: 0.9 }],
    ];
    for (const [tag, attrs] of shapes) {
      const el = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
      el.setAttribute("fill", "#fff");
      svg.append(el);
    }
    return svg;
  }

  // ---------------------------------------------------------------------------------------------
  // Badges.

  /** host element → "field:value" it stands for (our bookkeeping; hosts carry it as data-* too). */
  const hostKeys = new WeakMap();

  /** The badge hosts right after `node` (several values can end at the same place). */
  function hostsAfter(node) {
    const hosts = [];
    for (let n = node.nextSibling; n && n.nodeType === Node.ELEMENT_NODE && n.localName === BADGE_TAG; n = n.nextSibling) {
      hosts.push(n);
    }
    return hosts;
  }

  /**
   * Put a badge for `value` (of `candidate`) right after collapsed characters [start, end) of
   * `expected`, the text of DOM Text node `textNode`; `map` is collapsedToRaw() of its data as it
   * was when checked (splitting it later keeps earlier offsets valid). True if a badge was drawn.
   */
  function badgeAt(textNode, map, expected, start, end, field, value, candidate) {
    if (!(start < end && end <= map.length)) return false;
    const rawEnd = map[end - 1] + 1;
    const shown = expected.slice(start, end);

    // Whole text of a link ("Email", "(415) 723-4568"): badge after the link, not inside it.
    const link = textNode.parentElement && textNode.parentElement.closest("a");
    let after;
    if (link && collapse(link.textContent) === shown) {
      after = link;
    } else {
      if (rawEnd < textNode.data.length) textNode.splitText(rawEnd); // textNode now ends at rawEnd
      after = textNode;
    }
    const key = `${field}:${value}`;
    const existing = hostsAfter(after);
    if (existing.some((host) => hostKeys.get(host) === key)) return false; // badged by an earlier scan
    const host = makeBadge(field, value, candidate);
    hostKeys.set(host, key);
    (existing.length ? existing[existing.length - 1] : after).after(host);
    return true;
  }

  /** Draw the badges for every anchored email and phone of `candidates`. */
  function drawBadges(snapshot, domTexts, candidates) {
    // Anchors grouped by text, each group from the last range to the first.
    const byText = new Map();
    const seen = new Set();
    for (const candidate of candidates) {
      for (const v of candidate.values) {
        if (v.field !== "email" && v.field !== "phone") continue;
        for (const a of v.anchors || []) {
          const id = `${a.text}:${a.start}:${a.end}:${v.field}:${v.value}`;
          if (seen.has(id) || !snapshot.texts[a.text] || !domTexts[a.text]) continue;
          seen.add(id);
          if (!byText.has(a.text)) byText.set(a.text, []);
          byText.get(a.text).push({ a, v, candidate });
        }
      }
    }
    let drawn = 0;
    for (const [ti, jobs] of byText) {
      const textNode = domTexts[ti];
      const expected = snapshot.texts[ti].text;
      // The page may have changed since the snapshot: then the next scan badges it.
      if (!textNode.isConnected || collapse(textNode.data) !== expected) continue;
      const map = collapsedToRaw(textNode.data);
      jobs.sort((x, y) => y.a.end - x.a.end);
      for (const { a, v, candidate } of jobs) {
        if (badgeAt(textNode, map, expected, a.start, a.end, v.field, v.value, candidate)) drawn++;
      }
    }
    return drawn;
  }

  function best(candidate, field) {
    const v = candidate.values.find((x) => x.field === field);
    return v ? v.value : null;
  }

  function makeBadge(field, value, candidate) {
    const host = document.createElement(BADGE_TAG);
    host.dataset.field = field;
    host.dataset.value = value;
    const root = host.attachShadow({ mode: "closed" });
    styleShadow(root);
    const label = t("badgeLabel", value);
    const badge = h("button", { class: "badge", type: "button", "aria-haspopup": "menu", "aria-expanded": "false", "aria-label": label, title: label }, icon());
    badgeParts.set(host, { badge, candidate, label });
    restyle(host);
    const menu = h("div", { class: "menu", role: "menu", popover: "manual" });
    root.append(badge, menu);

    // Page handlers must not see our clicks (a card that opens on click, a link around the badge).
    root.addEventListener("click", (e) => e.stopPropagation());
    badge.addEventListener("click", (e) => {
      e.preventDefault();
      if (menu.matches(":popover-open")) closeMenu();
      else openMenu(host, menu, badge, field, value, candidate);
    });
    menu.addEventListener("keydown", (e) => menuKeys(e, menu, badge));
    return host;
  }

  let openState = null; // {host, menu, badge} of the one open menu
  const badgeParts = new WeakMap(); // host → {badge, candidate, label}

  /**
   * A saved contact's badge says so: "in leadsync · qualified". Only inside the closed shadow root
   * (the badge's `data-status`, colour and tooltip): on the host, in the page's DOM, it would tell
   * the page which of the contacts it shows are in the user's CRM.
   */
  function restyle(host) {
    const parts = badgeParts.get(host);
    if (!parts) return;
    const lead = parts.candidate.dedup_key && known.get(parts.candidate.dedup_key);
    if (lead) {
      const text = t("inLeadsync", statusLabel(lead.status));
      parts.badge.dataset.status = lead.status;
      parts.badge.classList.add("saved");
      parts.badge.title = `${text} — ${parts.label}`;
    } else {
      delete parts.badge.dataset.status;
      parts.badge.classList.remove("saved");
      parts.badge.title = parts.label;
    }
  }

  const STATUSES = ["new", "contacted", "qualified", "converted", "lost"];
  const statusLabel = (s) => t(`status${s[0].toUpperCase()}${s.slice(1)}`);

  function closeMenu(focusBadge = false) {
    if (!openState) return;
    const { menu, badge } = openState;
    openState = null;
    if (menu.matches(":popover-open")) menu.hidePopover();
    badge.setAttribute("aria-expanded", "false");
    if (focusBadge) badge.focus({ preventScroll: true });
  }

  // Light dismiss: a press outside the open menu's host closes it. (Seen from the document, a
  // closed shadow root's insides are not in composedPath(); the host is.)
  document.addEventListener("pointerdown", (e) => {
    if (openState && !e.composedPath().includes(openState.host)) closeMenu();
  }, true);
  window.addEventListener("scroll", () => openState && place(openState.menu, openState.badge), { capture: true, passive: true });
  window.addEventListener("resize", () => openState && place(openState.menu, openState.badge), { passive: true });

  /** Put the (top-layer, fixed) menu under its badge, inside the viewport. */
  function place(menu, badge) {
    const r = badge.getBoundingClientRect();
    const w = menu.offsetWidth, hgt = menu.offsetHeight;
    const left = Math.min(r.left, window.innerWidth - w - 8);
    let top = r.bottom + 4;
    if (top + hgt > window.innerHeight - 8 && r.top - hgt - 4 >= 8) top = r.top - hgt - 4;
    menu.style.left = `${Math.max(8, left)}px`;
    menu.style.top = `${Math.max(8, top)}px`;
  }

  function openMenu(host, menu, badge, field, value, candidate) {
    closeMenu();
    menu.replaceChildren(...menuItems(field, value, candidate));
    menu.showPopover();
    openState = { host, menu, badge };
    badge.setAttribute("aria-expanded", "true");
    place(menu, badge);
    const first = menu.querySelector('.item:not([aria-disabled="true"])');
    if (first) first.focus({ preventScroll: true });
  }

  /** Arrow keys move between items; Escape closes and gives focus back to the badge. */
  function menuKeys(e, menu, badge) {
    if (e.key === "Escape") {
      e.preventDefault();
      closeMenu(true);
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    const items = [...menu.querySelectorAll('.item:not([aria-disabled="true"])')];
    const at = items.indexOf(menu.getRootNode().activeElement);
    const next = items[(at + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length];
    if (next) next.focus();
  }

  function menuItems(field, value, candidate) {
    const note = h("div", { class: "note", role: "status", "aria-live": "polite" });
    const say = (text) => { note.textContent = text; };
    const phone = field === "phone" ? value : best(candidate, "phone");
    const email = field === "email" ? value : best(candidate, "email");
    const name = best(candidate, "name");

    const linkItem = (text, href, missing) => href
      ? h("a", { class: "item", role: "menuitem", href, onclick: () => { track(href.startsWith("tel:") ? "call" : "email"); setTimeout(closeMenu, 0); } }, text)
      : h("span", { class: "item", role: "menuitem", "aria-disabled": "true", title: missing }, text);

    const leadOf = () => candidate.dedup_key && known.get(candidate.dedup_key);
    const save = h("button", { class: "item", type: "button", role: "menuitem", "data-action": "save", text: t("menuSaveLead") });
    save.addEventListener("click", async () => {
      save.setAttribute("aria-disabled", "true");
      const res = await send({ type: "SaveLead", candidate, page: { url: location.href, title: document.title } });
      save.removeAttribute("aria-disabled");
      if (res.error) return say(`${errorText(res.error)} (${res.error.code})`);
      const lead = res.saved.lead;
      if (candidate.dedup_key) known.set(candidate.dedup_key, { id: lead.id, status: lead.status });
      quietly(() => {
        for (const host of document.querySelectorAll(BADGE_TAG)) restyle(host);
      });
      enableStatuses();
      say(t(res.saved.created ? "savedAs" : "savedAgain", statusLabel(lead.status)));
    });
    // Activity for the team's funnel; the action itself never waits on it.
    const track = (action) => send({ type: "QuickAction", action, lead_id: leadOf()?.id, url: location.href });

    const copy = h("button", { class: "item", type: "button", role: "menuitem", "data-action": "copy", text: t("menuCopy") });
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(value);
        say(t("copied", value));
        track("copy");
      } catch (err) {
        say(t("copyFailed", (err && err.message) || String(err)));
      }
    });

    // Statuses belong to saved leads: enabled once this contact is one.
    const statuses = h("div", { class: "sub", hidden: "" },
      ...STATUSES.map((st) => {
        const item = h("button", { class: "item", type: "button", role: "menuitemradio", "data-status": st, text: statusLabel(st) });
        item.addEventListener("click", async () => {
          const lead = leadOf();
          if (!lead) return;
          const res = await send({ type: "SetStatus", id: lead.id, status: st });
          if (res.error) return say(`${errorText(res.error)} (${res.error.code})`);
          known.set(candidate.dedup_key, { id: lead.id, status: res.lead.status });
          quietly(() => {
            for (const host of document.querySelectorAll(BADGE_TAG)) restyle(host);
          });
          enableStatuses();
          say(t("inLeadsync", statusLabel(res.lead.status)));
        });
        return item;
      }));
    function enableStatuses() {
      const lead = leadOf();
      for (const item of statuses.children) {
        if (lead) {
          item.removeAttribute("aria-disabled");
          item.removeAttribute("title");
          item.setAttribute("aria-checked", String(item.dataset.status === lead.status));
        } else {
          item.setAttribute("aria-disabled", "true");
          item.title = t("statusNeedsSavedLead");
        }
      }
    }
    enableStatuses();
    const arrow = h("span", { "aria-hidden": "true", text: "▸" });
    const setStatus = h("button", { class: "item", type: "button", role: "menuitem", "aria-haspopup": "menu", "aria-expanded": "false", "data-action": "status" },
      h("span", { text: t("menuSetStatus") }), arrow);
    setStatus.addEventListener("click", () => {
      const open = statuses.hidden;
      statuses.hidden = !open;
      arrow.textContent = open ? "▾" : "▸";
      setStatus.setAttribute("aria-expanded", String(open));
      say(open && !leadOf() ? t("statusNeedsSavedLead") : "");
    });

    return [
      h("div", { class: "head", title: value, text: [name, value, leadOf() && t("inLeadsync", statusLabel(leadOf().status))].filter(Boolean).join(" · ") }),
      save,
      linkItem(t("menuCall"), phone && `tel:${encodeURI(phone)}`, t("noPhone")),
      // `?` and `#` would start mailto headers or a fragment: escape them (and `%`, via encodeURI).
      linkItem(t("menuEmail"), email && `mailto:${encodeURI(email).replace(/[?#]/g, encodeURIComponent)}`, t("noEmail")),
      copy,
      setStatus,
      statuses,
      note,
    ];
  }

  // ---------------------------------------------------------------------------------------------
  // Toast (answers to the keyboard command, the toolbar button and "Save selection as lead").

  let toastHost = null;
  let toastBox = null;
  let toastTimer = 0;

  function toast(text) {
    quietly(() => {
      if (!toastHost || !toastHost.isConnected) {
        toastHost = document.createElement(TOAST_TAG);
        toastHost.dataset.kind = "toast";
        const root = toastHost.attachShadow({ mode: "closed" });
        styleShadow(root);
        toastBox = h("div", { class: "toast", role: "status", "aria-live": "polite" });
        root.append(toastBox);
        document.documentElement.append(toastHost);
      }
      toastBox.textContent = text;
    });
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => quietly(() => toastHost && toastHost.remove()), 6000);
  }

  // ---------------------------------------------------------------------------------------------
  // Scanning: now, and again when the page changes.

  let last = { json: "", candidates: [] };
  // Dedup key → {id, status} of the contacts on this page that are saved leads.
  let known = new Map();

  /** Ask the background which candidates are saved leads; restyle their badges. */
  async function refreshKnown(candidates) {
    const keys = [...new Set(candidates.map((c) => c.dedup_key).filter(Boolean))];
    if (!keys.length) return;
    const res = await send({ type: "LookupContacts", keys });
    if (res.error || !res.known) return;
    known = new Map(Object.entries(res.known));
    quietly(() => {
      for (const host of document.querySelectorAll(BADGE_TAG)) restyle(host);
    });
  }
  let scanning = false;
  let scanAgain = false;
  let announceAgain = false;

  /** Snapshot, extract, badge. `announce`: say what was found in a toast (capture command). */
  async function scan(announce = false) {
    if (!contextAlive || !document.body) return;
    if (scanning) {
      // One scan at a time; the one asked for now runs right after the current one.
      scanAgain = true;
      announceAgain ||= announce;
      return;
    }
    scanning = true;
    try {
      const { snapshot, domTexts } = buildSnapshot();
      const json = JSON.stringify(snapshot);
      if (json !== last.json) {
        const res = await send({ type: "ExtractPage", snapshot });
        if (res.error) {
          console.warn(`leadsync: could not read this page: ${errorText(res.error)} (${res.error.code})`);
          if (announce) toast(t("errorPage", errorText(res.error)));
          return;
        }
        last = { json, candidates: res.candidates };
      }
      // Also when nothing changed: our badges may have been removed by the page.
      quietly(() => drawBadges(snapshot, domTexts, last.candidates));
      await refreshKnown(last.candidates);
      if (announce) {
        // A "contact" is someone you can reach: the core also returns names or profiles alone.
        const reachable = last.candidates.filter((c) => best(c, "email") || best(c, "phone")).length;
        toast(reachable ? t("toastFound", reachable) : t("toastNone"));
      }
    } finally {
      scanning = false;
      if (scanAgain) {
        const again = announceAgain;
        scanAgain = announceAgain = false;
        scan(again);
      }
    }
  }

  /** The capture command (Alt+Shift+L): scan now, then save every contact that can be reached. */
  async function capturePage() {
    await scan();
    const reachable = last.candidates.filter((c) => best(c, "email") || best(c, "phone"));
    if (!reachable.length) return toast(t("toastNone"));
    let created = 0, already = 0, failed = null;
    for (const candidate of reachable) {
      const res = await send({ type: "SaveLead", candidate, page: { url: location.href, title: document.title } });
      if (res.error) failed = res.error;
      else if (res.saved.created) created++;
      else already++;
    }
    if (failed && !created && !already) return toast(t("errorPage", errorText(failed)));
    toast(t("toastCaptured", created, already));
    await refreshKnown(last.candidates);
  }

  async function captureSelection() {
    const text = String(window.getSelection() || "").trim();
    if (!text) return toast(t("toastNoSelection"));
    const lang = (document.documentElement.getAttribute("lang") || "").trim() || undefined;
    const res = await send({ type: "ExtractSelection", text, url: location.href, lang });
    if (res.error) return toast(t("errorPage", errorText(res.error)));
    const c = res.candidates[0];
    if (!c) return toast(t("toastSelectionNone"));
    const saved = await send({ type: "SaveLead", candidate: c, page: { url: location.href, title: document.title } });
    if (saved.error) return toast(t("errorPage", errorText(saved.error)));
    const summary = ["name", "email", "phone"].map((f) => best(c, f)).filter(Boolean).join(" · ");
    toast(t(saved.saved.created ? "toastSelectionSaved" : "toastSelectionUpdated", summary));
    scan();
  }
  let debounceTimer = 0;
  let firstPending = 0;

  /** Re-scan after SCAN_DEBOUNCE_MS of quiet, but at least every SCAN_MAX_WAIT_MS. */
  function schedule() {
    const now = Date.now();
    if (!firstPending) firstPending = now;
    clearTimeout(debounceTimer);
    const wait = Math.max(0, Math.min(SCAN_DEBOUNCE_MS, firstPending + SCAN_MAX_WAIT_MS - now));
    debounceTimer = setTimeout(() => {
      firstPending = 0;
      scan();
    }, wait);
  }

  const OBSERVE = {
    childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ["hidden", "style", "class", "href", "data-cfemail"],
  };
  /** A change made by the page (not by us: our hosts, the text nodes we split while badging). */
  function pageChange(record) {
    if (record.target.nodeType === Node.ELEMENT_NODE && isOurs(record.target)) return false;
    if (record.type !== "childList") return true;
    const nodes = [...record.addedNodes, ...record.removedNodes];
    return nodes.length === 0 || nodes.some((n) => n.nodeType !== Node.ELEMENT_NODE || !isOurs(n));
  }
  const observer = new MutationObserver((records) => {
    if (records.some(pageChange)) schedule();
  });

  /** Run `fn` (our own DOM writes) without our observer seeing them; page changes queued before still count. */
  function quietly(fn) {
    const pending = observer.takeRecords();
    observer.disconnect();
    try {
      return fn();
    } finally {
      if (contextAlive) observer.observe(document.documentElement, OBSERVE);
      if (pending.some(pageChange)) schedule();
    }
  }

  // From the background: the capture command / toolbar button, and "Save selection as lead".
  chrome.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "ScanNow") scan(true);
    else if (msg.type === "CapturePage") capturePage();
    else if (msg.type === "CaptureSelection") captureSelection();
    else if (msg.type === "GetCandidates") {
      // The popup's "This page": what the last scan found, with where it was found.
      sendResponse({ candidates: last.candidates, page: { url: location.href, title: document.title } });
      return;
    } else return;
    sendResponse({ accepted: msg.type }); // the work goes on; its result is shown in the page
  });

  observer.observe(document.documentElement, OBSERVE);
  scan();
})();
