// The real leadsync server for the e2e tests: a fresh Postgres database per test file, the built
// `leadsync-server` binary on a fixed port (so it can be stopped and started again to play
// "offline"), and a small HTTP client for checking what reached it.
import { spawn, execFile } from "node:child_process";
import { freePort } from "./net.mjs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);


/** `base` (a Postgres URL) with its database name replaced by `db`. */
function withDatabase(base, db) {
  const u = new URL(base);
  u.pathname = `/${db}`;
  return u.toString();
}

async function psql(url, sql) {
  await run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql]);
}

/**
 * Start a server on a fresh database. `root` is the repository (the binary is target/debug/leadsync-server).
 * Resolves to {url, start(), stop(), signup(), login(), get(), close()}.
 */
export async function startLeadsync(root, { env = {} } = {}) {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set: run the e2e tests through scripts/test.sh (or set it to a Postgres URL that may CREATE DATABASE)");
  const db = `leadsync_e2e_${process.pid}_${Date.now()}`;
  await psql(base, `CREATE DATABASE ${db}`);
  const databaseUrl = withDatabase(base, db);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const bin = join(root, "target/debug/leadsync-server");
  let child = null;
  let log = "";

  async function start() {
    if (child) return;
    child = spawn(bin, [], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LEADSYNC_ADDR: `127.0.0.1:${port}`, LEADSYNC_JWT_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123", LEADSYNC_LOG_FORMAT: "pretty", RUST_LOG: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (d) => { log = (log + d).slice(-20_000); };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const me = child;
    child.once("exit", () => { if (child === me) child = null; });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const r = await fetch(`${url}/readyz`);
        if (r.ok) return;
      } catch (_) { /* not up yet */ }
      if (!child) throw new Error(`leadsync-server exited while starting:\n${log}`);
      if (Date.now() > deadline) throw new Error(`leadsync-server did not become ready on ${url}:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stop the server process this module started (by its own handle) and wait for it to exit. */
  async function stop() {
    const c = child;
    if (!c) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    const timer = setTimeout(() => c.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
    child = null;
  }

  async function request(method, path, token, body) {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
    return { status: r.status, json, text };
  }

  await start();
  return {
    url,
    start,
    stop,
    log: () => log,
    request,
    async signup(tenant, email, password) {
      const r = await request("POST", "/v1/auth/signup", null, { tenant_name: tenant, email, password });
      if (r.status !== 201) throw new Error(`signup answered ${r.status}: ${r.text}`);
      return r.json;
    },
    async login(email, password) {
      const r = await request("POST", "/v1/auth/login", null, { email, password });
      if (r.status !== 200) throw new Error(`login answered ${r.status}: ${r.text}`);
      return r.json;
    },
    /** Every lead of the token's tenant (follows next_cursor). */
    /**
     * Every lead of the caller's tenant (follows next_cursor). `auth`: an access token, or the
     * token response of login() — then an expired access token is refreshed (rotating it in place).
     */
    async leads(auth) {
      const items = [];
      let cursor = "";
      for (let refreshed = false; ;) {
        const token = typeof auth === "string" ? auth : auth.access_token;
        const r = await request("GET", `/v1/leads?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, token);
        if (r.status === 401 && typeof auth === "object" && !refreshed) {
          const t = await request("POST", "/v1/auth/refresh", null, { refresh_token: auth.refresh_token });
          if (t.status !== 200) throw new Error(`refresh answered ${t.status}: ${t.text}`);
          Object.assign(auth, t.json);
          refreshed = true;
          continue;
        }
        if (r.status !== 200) throw new Error(`GET /v1/leads answered ${r.status}: ${r.text}`);
        items.push(...r.json.items);
        if (!r.json.next_cursor) return items;
        cursor = r.json.next_cursor;
        refreshed = false;
      }
    },
    async close() {
      await stop();
      await psql(base, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => {});
    },
  };
}
