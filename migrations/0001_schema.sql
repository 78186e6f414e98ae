-- leadsync schema. Every tenant-owned table carries tenant_id and is guarded by row-level security
-- keyed on the per-transaction setting `app.tenant_id` (set by the server with set_config(..., true)).
-- The server's request traffic runs as `leadsync_app`, a role that is neither superuser nor
-- BYPASSRLS, so a query that forgets its tenant filter still sees nothing of other tenants.

-- The role is global to the cluster while migrations run per database (tests create many databases
-- at once), so creating it must tolerate a concurrent creator.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leadsync_app') THEN
        CREATE ROLE leadsync_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

CREATE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email          text NOT NULL,
    password_hash  text NOT NULL,
    role           text NOT NULL CHECK (role IN ('admin', 'manager', 'rep', 'viewer')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email)
);
CREATE INDEX users_tenant_idx ON users (tenant_id);

-- Refresh tokens rotate: each use spends the token and issues its successor in the same family.
-- Presenting a spent token again means it leaked, so the whole family is revoked.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (tenant_id, family_id);

-- The tenant's change counter. Every write transaction bumps it as its last statement, holding the
-- row lock until commit, so versions are handed out in commit order and a pull never skips a change.
CREATE TABLE tenant_versions (
    tenant_id       uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    version         bigint NOT NULL DEFAULT 0,
    -- Tombstones at or below this version were purged: an older cursor must resync (410).
    purged_version  bigint NOT NULL DEFAULT 0
);

CREATE TABLE leads (
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id          uuid NOT NULL,
    -- Every register, exactly as leadsync_types::Registers serialises it.
    registers   jsonb NOT NULL,
    version     bigint NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    deleted_at  timestamptz,
    -- Tombstone stripped to its ids: no longer pulled, kept so a late write cannot resurrect it.
    purged      boolean NOT NULL DEFAULT false,
    -- Denormalised from the registers for filtering; rewritten on every merge.
    status      text NOT NULL DEFAULT 'new',
    owner       uuid,
    tags        text[] NOT NULL DEFAULT '{}',
    search      text NOT NULL DEFAULT '',
    score       integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX leads_feed_idx ON leads (tenant_id, version, id);
CREATE INDEX leads_list_idx ON leads (tenant_id, id DESC) WHERE NOT deleted;
CREATE INDEX leads_tags_idx ON leads USING gin (tags);

-- One row per client install: the last mutation id applied, for exactly-once pushes.
CREATE TABLE sync_clients (
    tenant_id         uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    client_id         uuid NOT NULL,
    user_id           uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    last_mutation_id  bigint NOT NULL DEFAULT 0,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, client_id)
);

CREATE TABLE events (
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id           uuid NOT NULL,
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lead_id      uuid,
    type         text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    props        jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX events_time_idx ON events (tenant_id, occurred_at);

-- Row-level security: FORCE makes it apply to the tables' owner too, except on users, where the
-- owner-run login lookup below must find an email before any tenant is known.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['refresh_tokens', 'tenant_versions', 'leads', 'sync_clients', 'events', 'users'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['refresh_tokens', 'tenant_versions', 'leads', 'sync_clients', 'events'] LOOP
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;
-- Not FORCEd, like users: the owner-run maintenance listing below must see every tenant.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = app_tenant()) WITH CHECK (id = app_tenant());

-- Login knows only an email. This function runs as its owner (the migrating role) to find the one
-- matching user across tenants, and returns nothing else.
CREATE FUNCTION login_lookup(p_email text)
RETURNS TABLE (id uuid, tenant_id uuid, password_hash text, role text)
-- pg_temp is named last so a session's temporary table can never shadow public.users.
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ SELECT u.id, u.tenant_id, u.password_hash, u.role FROM public.users u WHERE u.email = lower(p_email) $$;
REVOKE ALL ON FUNCTION login_lookup(text) FROM PUBLIC;

-- Maintenance jobs (tombstone purge) walk every tenant, then work inside each tenant's own scope.
CREATE FUNCTION list_tenant_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$ SELECT t.id FROM public.tenants t ORDER BY t.id $$;
REVOKE ALL ON FUNCTION list_tenant_ids() FROM PUBLIC;

GRANT USAGE ON SCHEMA public TO leadsync_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, users, refresh_tokens, tenant_versions, leads, sync_clients, events TO leadsync_app;
GRANT EXECUTE ON FUNCTION login_lookup(text), list_tenant_ids(), app_tenant() TO leadsync_app;
