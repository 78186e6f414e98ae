// The labelled pages (tests/fixtures/pages) served at their own addresses: Chromium uses this
// server as its proxy (launch(…, { proxy })), so https://www.acme-robotics.com/company/team reaches
// it with the page's own scheme, host and path, and the extension sees the page's real address.
// https goes through CONNECT to a TLS server here with a throwaway self-signed certificate (the
// browser is told to accept it): labels are https, and some domains (.dev, .app) are https-only
// in every browser (HSTS preload). Every response carries a strict CSP; anything that is not a
// page of ours (fonts, trackers) is a 404 at once.
//
// A label with `"render": "late"` is served as a single-page app: the HTML keeps its <head>, its
// <body> is empty but for a same-origin script that puts the page's body in after a delay.
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { CSP } from "./server.mjs";

/** How long a late page takes to render its body (ms). */
export const LATE_MS = 700;
const LATE_PREFIX = "/__leadsync-late/";

/** `html` as a single-page app shell plus the script that renders its body after `LATE_MS`. */
function lateShell(name, html) {
  const open = html.match(/<body\b[^>]*>/i);
  const close = html.toLowerCase().lastIndexOf("</body>");
  if (!open || close < open.index) throw new Error(`${name}.html: no <body>…</body> to render late`);
  const start = open.index + open[0].length;
  const body = html.slice(start, close);
  const shell = `${html.slice(0, start)}<script src="${LATE_PREFIX}${name}.js"></script>${html.slice(close)}`;
  // As an app does after fetching its data: the body arrives in one go, later.
  const script = `setTimeout(() => { document.body.innerHTML = ${JSON.stringify(body).replace(/</g, "\\u003c")}; }, ${LATE_MS});\n`;
  return { shell, script };
}

/** A throwaway self-signed certificate (openssl), valid for a day. */
async function throwawayCertificate() {
  const dir = await mkdtemp(join(tmpdir(), "leadsync-e2e-cert-"));
  try {
    await promisify(execFile)("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=leadsync-e2e-sites"]);
    return { key: await readFile(join(dir, "key.pem")), cert: await readFile(join(dir, "cert.pem")) };
  } catch (err) {
    throw new Error(`openssl could not make a certificate for the https pages (${err.message}); install openssl`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Serve every `NAME.html` of `dir` that has a label `NAME.json`. `{ allLate: true }` serves every
 * page late. Resolves to {proxy, pages: [{name, label, url, late}], close()}; `url` is the label's
 * address.
 */
export async function startSites(dir, { allLate = false } = {}) {
  const names = (await readdir(dir)).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
  const pages = [];
  const byAddress = new Map();
  const scripts = new Map();
  for (const name of names) {
    let html;
    try {
      html = await readFile(join(dir, `${name}.html`), "utf8");
    } catch (err) {
      if (err.code === "ENOENT") continue; // a label without a page is not a page
      throw err;
    }
    const label = JSON.parse(await readFile(join(dir, `${name}.json`), "utf8"));
    if (!label.url) throw new Error(`${name}.json has no url`);
    const u = new URL(label.url);
    u.hash = "";
    const address = `${u.protocol}//${u.host}${u.pathname}${u.search}`;
    if (byAddress.has(address)) throw new Error(`${name}.json and ${byAddress.get(address).name}.json have the same url ${label.url}`);
    const late = allLate || label.render === "late";
    let body = html;
    if (late) {
      const { shell, script } = lateShell(name, html);
      body = shell;
      scripts.set(`${u.protocol}//${u.host}${LATE_PREFIX}${name}.js`, script);
    }
    const page = { name, label, url: u.toString(), late };
    byAddress.set(address, { name, body });
    pages.push(page);
  }

  const handle = (req, res) => {
    const headers = { "Content-Security-Policy": CSP, "Cache-Control": "no-store" };
    // Through the proxy an http request line holds the whole address; inside a CONNECT tunnel it
    // is a path, and Host is the page's host.
    const scheme = req.socket.encrypted ? "https:" : "http:";
    const u = new URL(req.url, `${scheme}//${req.headers.host}`);
    const page = byAddress.get(`${u.protocol}//${u.host}${u.pathname}${u.search}`);
    const script = scripts.get(`${u.protocol}//${u.host}${u.pathname}`);
    if (req.method === "GET" && page) {
      res.writeHead(200, { ...headers, "Content-Type": "text/html; charset=utf-8" });
      res.end(page.body);
    } else if (req.method === "GET" && script) {
      res.writeHead(200, { ...headers, "Content-Type": "text/javascript; charset=utf-8" });
      res.end(script);
    } else {
      res.writeHead(404, { ...headers, "Content-Type": "text/plain" });
      res.end("not found\n");
    }
  };
  const server = createServer(handle);
  const tls = createTlsServer(await throwawayCertificate(), handle);
  // https through the proxy: the tunnel ends here, in the TLS server.
  server.on("connect", (_req, socket, head) => {
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head && head.length) socket.unshift(head);
    tls.emit("connection", socket);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    proxy: `http://127.0.0.1:${port}`,
    pages,
    close: () => new Promise((resolve) => {
      tls.closeAllConnections();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
