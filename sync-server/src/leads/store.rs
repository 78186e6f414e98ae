//! The one write path for leads, shared by sync push and the REST routes: lock, merge with the shared
//! merge function, bump the tenant version last, write back in one batched statement, notify.

use std::collections::BTreeMap;

use leadsync_types::lead::Registers;
use leadsync_types::{Field, Lead};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::ApiError;
use crate::ws::hub::POKE_CHANNEL;

/// A lead as stored, with the tenant version at which it last changed.
#[derive(Debug, Clone)]
pub struct StoredLead {
    pub lead: Lead,
    pub version: u64,
}

pub struct MergeOutcome {
    /// The new tenant version, if anything changed.
    pub version: Option<u64>,
    /// Every touched lead after the merge, by id.
    pub leads: BTreeMap<Uuid, StoredLead>,
}

pub fn parse_registers(id: Uuid, value: serde_json::Value) -> Result<Registers, ApiError> {
    serde_json::from_value(value)
        .map_err(|e| ApiError::Internal(format!("stored registers of lead {id} do not parse: {e}")))
}

/// Merge `incoming` into the tenant's leads inside the caller's tenant transaction.
///
/// Rows are created empty and locked in id order first (so concurrent writers of the same new lead
/// merge instead of overwriting each other, and never deadlock), and the tenant version row is taken
/// only after every lead lock, as late as possible: the version lock is held until commit, so versions
/// are handed out in commit order and a pull can never see version N+1 before version N.
pub async fn merge_leads(
    conn: &mut PgConnection,
    tenant: Uuid,
    incoming: Vec<Lead>,
) -> Result<MergeOutcome, ApiError> {
    let mut wanted: BTreeMap<Uuid, Registers> = BTreeMap::new();
    for lead in incoming.into_iter().filter(|l| !l.registers.is_empty()) {
        wanted.entry(lead.id).or_default().merge(&lead.registers);
    }
    let mut out = MergeOutcome {
        version: None,
        leads: BTreeMap::new(),
    };
    if wanted.is_empty() {
        return Ok(out);
    }
    let ids: Vec<Uuid> = wanted.keys().copied().collect();
    sqlx::query(
        "INSERT INTO leads (tenant_id, id, registers, version) \
         SELECT $1, u.id, '{}'::jsonb, 0 FROM UNNEST($2::uuid[]) AS u(id) ORDER BY u.id \
         ON CONFLICT (tenant_id, id) DO NOTHING",
    )
    .bind(tenant)
    .bind(&ids)
    .execute(&mut *conn)
    .await?;
    let rows: Vec<(Uuid, serde_json::Value, i64, bool)> = sqlx::query_as(
        "SELECT id, registers, version, purged FROM leads WHERE tenant_id = $1 AND id = ANY($2) ORDER BY id FOR UPDATE",
    )
    .bind(tenant)
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;

    let mut changed: Vec<Lead> = Vec::new();
    for (id, registers, version, purged) in rows {
        let mut lead = Lead {
            id,
            registers: parse_registers(id, registers)?,
        };
        // A purged tombstone stays a bare tombstone: late writes neither resurrect nor refill it.
        let incoming = wanted.get(&id).filter(|_| !purged);
        if let Some(regs) = incoming {
            if lead.registers.merge(regs) {
                changed.push(lead.clone());
            }
        }
        out.leads.insert(
            id,
            StoredLead {
                lead,
                version: version as u64,
            },
        );
    }
    if changed.is_empty() {
        return Ok(out);
    }

    let (version,): (i64,) = sqlx::query_as(
        "UPDATE tenant_versions SET version = version + 1 WHERE tenant_id = $1 RETURNING version",
    )
    .bind(tenant)
    .fetch_one(&mut *conn)
    .await?;
    write_back(conn, tenant, version, &changed).await?;
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(POKE_CHANNEL)
        .bind(format!("{tenant}:{version}"))
        .execute(&mut *conn)
        .await?;
    for lead in changed {
        out.leads.insert(
            lead.id,
            StoredLead {
                lead,
                version: version as u64,
            },
        );
    }
    out.version = Some(version as u64);
    Ok(out)
}

/// One statement for all changed rows; the filter columns are derived from the registers here.
async fn write_back(
    conn: &mut PgConnection,
    tenant: Uuid,
    version: i64,
    leads: &[Lead],
) -> Result<(), ApiError> {
    let mut ids = Vec::with_capacity(leads.len());
    let mut regs = Vec::with_capacity(leads.len());
    let mut deleted = Vec::with_capacity(leads.len());
    let mut status = Vec::with_capacity(leads.len());
    let mut owner: Vec<Option<Uuid>> = Vec::with_capacity(leads.len());
    let mut search = Vec::with_capacity(leads.len());
    for lead in leads {
        ids.push(lead.id);
        regs.push(
            serde_json::to_value(&lead.registers).map_err(|e| ApiError::Internal(e.to_string()))?,
        );
        deleted.push(lead.is_deleted());
        status.push(lead.status().as_str().to_string());
        owner.push(lead.get(Field::Owner).and_then(|o| Uuid::try_parse(o).ok()));
        search.push(search_text(lead));
    }
    sqlx::query(
        "UPDATE leads l SET registers = u.reg, version = $2, deleted = u.del, \
             deleted_at = CASE WHEN u.del THEN COALESCE(l.deleted_at, now()) END, \
             status = u.status, owner = u.owner, search = u.search, updated_at = now(), \
             tags = ARRAY(SELECT t.key FROM jsonb_each(u.reg->'tags') t WHERE t.value->'value' = 'true'::jsonb ORDER BY t.key) \
         FROM UNNEST($3::uuid[], $4::jsonb[], $5::bool[], $6::text[], $7::uuid[], $8::text[]) AS u(id, reg, del, status, owner, search) \
         WHERE l.tenant_id = $1 AND l.id = u.id",
    )
    .bind(tenant)
    .bind(version)
    .bind(&ids)
    .bind(&regs)
    .bind(&deleted)
    .bind(&status)
    .bind(&owner)
    .bind(&search)
    .execute(conn)
    .await?;
    Ok(())
}

/// Lower-cased text the `q` filter searches: the main fields and every other contact.
fn search_text(lead: &Lead) -> String {
    const SEARCHED: [Field; 7] = [
        Field::Name,
        Field::Email,
        Field::Phone,
        Field::Company,
        Field::Title,
        Field::Location,
        Field::Website,
    ];
    let fields = SEARCHED.iter().filter_map(|f| lead.get(*f));
    let others = lead
        .other_contacts()
        .map(|c| c.split_once(':').map_or(c, |(_, v)| v));
    fields
        .chain(others)
        .collect::<Vec<&str>>()
        .join(" ")
        .to_lowercase()
}

/// The tenant's current version.
pub async fn current_version(conn: &mut PgConnection, tenant: Uuid) -> Result<u64, ApiError> {
    let v: Option<(i64,)> =
        sqlx::query_as("SELECT version FROM tenant_versions WHERE tenant_id = $1")
            .bind(tenant)
            .fetch_optional(conn)
            .await?;
    Ok(v.map(|(v,)| v as u64).unwrap_or(0))
}

/// Strip tombstones deleted longer than `retention` ago down to their ids and record the highest
/// version purged, so that older cursors are told to resync (410). Runs across all tenants as the
/// owner role's maintenance job; returns how many were purged.
pub async fn purge_tombstones(
    conn: &mut PgConnection,
    tenant: Uuid,
    retention: std::time::Duration,
) -> Result<u64, ApiError> {
    let cutoff = chrono::Utc::now()
        - chrono::Duration::from_std(retention).unwrap_or(chrono::Duration::days(30));
    let purged: Vec<(i64,)> = sqlx::query_as(
        "UPDATE leads SET purged = true, registers = jsonb_build_object('deleted', registers->'deleted') \
         WHERE tenant_id = $1 AND deleted AND NOT purged AND deleted_at <= $2 RETURNING version",
    )
    .bind(tenant)
    .bind(cutoff)
    .fetch_all(&mut *conn)
    .await?;
    if let Some(max) = purged.iter().map(|(v,)| *v).max() {
        sqlx::query("UPDATE tenant_versions SET purged_version = GREATEST(purged_version, $2) WHERE tenant_id = $1")
            .bind(tenant)
            .bind(max)
            .execute(conn)
            .await?;
    }
    Ok(purged.len() as u64)
}
