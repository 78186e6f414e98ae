// A tiny static server on 127.0.0.1 for the e2e tests: the labelled fixture pages
// (tests/fixtures/pages) and our own (tests/e2e/pages), every response under a strict CSP.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, basename } from "node:path";

export const CSP = "script-src 'self'";

/**
 * Serve `/NAME.html` from the first of `dirs` that has it, and `/__ref/NAME.html`: a page that
 * shows NAME.html in an iframe of the given size (content scripts do not run in frames, so the
 * iframe is the page as it looks without the extension). Resolves to {origin, close()}.
 */
export async function startServer(dirs) {
  const server = createServer(async (req, res) => {
    const headers = { "Content-Security-Policy": CSP, "Cache-Control": "no-store" };
    const url = new URL(req.url, "http://127.0.0.1");
    try {
      const ref = url.pathname.match(/^\/__ref\/([\w-]+\.html)$/);
      if (ref) {
        const w = Number(url.searchParams.get("w")) || 1280;
        const h = Number(url.searchParams.get("h")) || 900;
        res.writeHead(200, { ...headers, "Content-Type": "text/html; charset=utf-8" });
        res.end(`<!doctype html><html><head><title>reference</title><style>html,body{margin:0}iframe{border:0;display:block}</style></head>` +
          `<body><iframe id="ref" src="/${ref[1]}?ref" width="${w}" height="${h}"></iframe></body></html>`);
        return;
      }
      const name = basename(url.pathname);
      if (!/^[\w-]+\.html$/.test(name) || `/${name}` !== url.pathname) throw Object.assign(new Error("not found"), { code: "ENOENT" });
      for (const dir of dirs) {
        try {
          const body = await readFile(join(dir, name));
          res.writeHead(200, { ...headers, "Content-Type": "text/html; charset=utf-8" });
          res.end(body);
          return;
        } catch (err) {
          if (err.code !== "ENOENT") throw err;
        }
      }
      throw Object.assign(new Error("not found"), { code: "ENOENT" });
    } catch (err) {
      res.writeHead(err.code === "ENOENT" ? 404 : 500, { ...headers, "Content-Type": "text/plain" });
      res.end(err.code === "ENOENT" ? "not found\n" : `${err.message}\n`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
