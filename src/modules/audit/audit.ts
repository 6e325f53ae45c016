import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Who did something: a staff user, a consumer, the system itself or a payment provider. */
export type Actor = {
  type: 'user' | 'consumer' | 'system' | 'provider';
  id: string | null;
  tenantId: bigint | null;
  ip?: string | undefined;
  requestId?: string | undefined;
};

/** One audit row: what changed, with the state before and after. */
export type AuditEntry = {
  action: string;
  entity: string;
  entityId: string | bigint | null;
  before?: unknown;
  after?: unknown;
  tenantId?: bigint | null;
  /** Path of the org unit the change concerns (its readers are those scoped above it); null = supplier-wide. */
  orgUnitPath?: string | null;
};

/** The system as actor (CLI, jobs, migrations). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, tenantId: null };

/**
 * Writes an audit row. Call it with the transaction that makes the change, so the change and its
 * audit row commit or roll back together.
 */
export async function writeAudit(
  db: Kysely<DB> | Transaction<DB>,
  actor: Actor,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      tenant_id: entry.tenantId ?? actor.tenantId,
      actor_type: actor.type,
      actor_id: actor.id,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      org_unit_path: entry.orgUnitPath ?? null,
      before: entry.before === undefined ? null : JSON.stringify(toJsonValue(entry.before)),
      after: entry.after === undefined ? null : JSON.stringify(toJsonValue(entry.after)),
      ip: actor.ip ?? null,
      request_id: actor.requestId ?? null,
    })
    .execute();
}

/** Makes a value JSON-safe: bigints become decimal strings, dates ISO strings. */
export function toJsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonValue(x)]));
  }
  return v;
}
