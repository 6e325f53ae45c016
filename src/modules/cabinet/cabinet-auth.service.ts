import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { csrfTokenFor, LOCK_MINUTES, MAX_FAILED_ATTEMPTS, sessionIdOf } from '../auth/auth.service.ts';
import { assertStrongPassword, hashPassword, verifyPassword } from '../auth/password.ts';

// Sign-in to the consumers' cabinet (requirements R6): login = contract number exactly as issued
// (leading zeros are significant: "00017" and "17" are two contracts), first password = the
// consumer's INN, a new password before anything else opens, 5 failures lock for 15 minutes,
// 10 minutes idle sign out.

/** Cabinet sessions: 10 minutes idle (R6), 12 hours at most. */
export const CABINET_POLICY = { idleMinutes: 10, maxHours: 12 } as const;

/** The signed-in consumer of a cabinet request. */
export type CabinetAuth = {
  sessionId: string;
  csrfSecret: string;
  contractId: bigint;
  tenantId: bigint;
  account: string;
  consumerName: string;
  commodity: 'electricity' | 'heat';
  mustChangePassword: boolean;
  expiresAt: Date;
  lastSeenAt: Date;
};

let dummyHash: Promise<string> | undefined;

/** Compares two strings in constant time (for the INN as first password). */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type Contract = {
  contract_id: bigint;
  tenant_id: bigint;
  number: string;
  name: string;
  inn: string | null;
  path: string;
  commodity: string;
};

async function findContracts(
  db: Kysely<DB>,
  number: string,
  supplier: string | undefined,
): Promise<Contract[]> {
  const rows = await sql<Contract>`
    select k.id as contract_id, k.tenant_id, k.number, k.commodity, c.name, c.inn, ou.path
      from contract k join consumer c on c.id = k.consumer_id join org_unit ou on ou.id = k.org_unit_id
      join tenant t on t.id = k.tenant_id
     where k.number = ${number} and k.status = 'active' and c.kind <> 'household'
       and (${supplier ?? null}::text is null or t.code = ${supplier ?? null})`.execute(db);
  return rows.rows;
}

/**
 * Signs a consumer in. Unknown contract, wrong password and "no cabinet" all answer the same
 * AUTH_INVALID_CREDENTIALS, after the same work, so that contract numbers cannot be probed.
 * When one number exists at two suppliers, the supplier's code is needed (CABINET_SUPPLIER_REQUIRED).
 */
export async function cabinetLogin(
  db: Kysely<DB>,
  input: {
    contract: string;
    password: string;
    supplier?: string;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<{ token: string; csrfToken: string; auth: CabinetAuth }> {
  const found = await findContracts(db, input.contract, input.supplier);
  if (found.length > 1)
    throw new AppError(
      'CABINET_SUPPLIER_REQUIRED',
      'This contract number exists at several suppliers: choose one',
    );
  const contract = found[0];
  const outcome = await db.transaction().execute(async (trx) => {
    if (!contract?.inn) {
      dummyHash ??= hashPassword('not-a-real-password-0');
      await verifyPassword(await dummyHash, input.password);
      return { error: new AppError('AUTH_INVALID_CREDENTIALS', 'Wrong contract number or password') };
    }
    await trx
      .insertInto('cabinet_account')
      .values({ contract_id: contract.contract_id, tenant_id: contract.tenant_id })
      .onConflict((oc) => oc.column('contract_id').doNothing())
      .execute();
    const account = await trx
      .selectFrom('cabinet_account')
      .selectAll()
      .where('contract_id', '=', contract.contract_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const actor: Actor = {
      type: 'consumer',
      id: contract.number,
      tenantId: contract.tenant_id,
      ip: input.ip ?? undefined,
    };
    if (account.locked_until && account.locked_until.getTime() > Date.now()) {
      const minutes = Math.ceil((account.locked_until.getTime() - Date.now()) / 60_000);
      return {
        error: new AppError('AUTH_LOCKED', 'Sign-in is locked', { minutes, until: account.locked_until }),
      };
    }
    let ok: boolean;
    if (account.password_hash === null) {
      dummyHash ??= hashPassword('not-a-real-password-0');
      await verifyPassword(await dummyHash, input.password);
      ok = sameText(input.password, contract.inn ?? '');
    } else {
      ok = await verifyPassword(account.password_hash, input.password);
    }
    if (!ok) {
      const attempts = account.failed_attempts + 1;
      const lockUntil = attempts >= MAX_FAILED_ATTEMPTS ? new Date(Date.now() + LOCK_MINUTES * 60_000) : null;
      await trx
        .updateTable('cabinet_account')
        .set({ failed_attempts: lockUntil ? 0 : attempts, locked_until: lockUntil })
        .where('contract_id', '=', contract.contract_id)
        .execute();
      await writeAudit(trx, actor, {
        action: lockUntil ? 'cabinet.locked' : 'cabinet.login_failed',
        entity: 'contract',
        entityId: contract.contract_id,
        tenantId: contract.tenant_id,
        orgUnitPath: contract.path,
        after: { failed_attempts: lockUntil ? 0 : attempts, locked_until: lockUntil },
      });
      return {
        error: lockUntil
          ? new AppError('AUTH_LOCKED', 'Sign-in is locked', { minutes: LOCK_MINUTES, until: lockUntil })
          : new AppError('AUTH_INVALID_CREDENTIALS', 'Wrong contract number or password'),
      };
    }
    await trx
      .updateTable('cabinet_account')
      .set({ failed_attempts: 0, locked_until: null, last_login_at: sql<Date>`now()` })
      .where('contract_id', '=', contract.contract_id)
      .execute();
    const token = randomBytes(32).toString('base64url');
    const sessionId = sessionIdOf(token);
    const expiresAt = new Date(Date.now() + CABINET_POLICY.maxHours * 3_600_000);
    const csrfSecret = randomBytes(18).toString('base64url');
    await trx
      .insertInto('cabinet_session')
      .values({
        id: sessionId,
        contract_id: contract.contract_id,
        csrf_secret: csrfSecret,
        expires_at: expiresAt,
        ip: input.ip,
        user_agent: input.userAgent,
      })
      .execute();
    await writeAudit(trx, actor, {
      action: 'cabinet.login',
      entity: 'contract',
      entityId: contract.contract_id,
      tenantId: contract.tenant_id,
      orgUnitPath: contract.path,
    });
    const auth: CabinetAuth = {
      sessionId,
      csrfSecret,
      contractId: contract.contract_id,
      tenantId: contract.tenant_id,
      account: contract.number,
      consumerName: contract.name,
      commodity: contract.commodity === 'heat' ? 'heat' : 'electricity',
      mustChangePassword: account.must_change_password,
      expiresAt,
      lastSeenAt: new Date(),
    };
    return { token, csrfToken: csrfTokenFor(csrfSecret), auth };
  });
  // Failures are committed (the counter must survive) and only then reported.
  if ('error' in outcome) throw outcome.error;
  return outcome;
}

/** Resolves a cabinet session token; AUTH_REQUIRED / AUTH_SESSION_EXPIRED (10 minutes idle). */
export async function cabinetAuthenticate(db: Kysely<DB>, token: string): Promise<CabinetAuth> {
  const sessionId = sessionIdOf(token);
  const row = await db
    .selectFrom('cabinet_session as s')
    .innerJoin('contract as k', 'k.id', 's.contract_id')
    .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
    .innerJoin('cabinet_account as a', 'a.contract_id', 's.contract_id')
    .select([
      's.csrf_secret',
      's.expires_at',
      's.last_seen_at',
      'k.id as contract_id',
      'k.tenant_id',
      'k.number',
      'k.commodity',
      'c.name',
      'a.must_change_password',
    ])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
  if (!row) throw new AppError('AUTH_REQUIRED', 'Not signed in');
  const now = Date.now();
  const idleDeadline = row.last_seen_at.getTime() + CABINET_POLICY.idleMinutes * 60_000;
  if (row.expires_at.getTime() <= now || idleDeadline <= now) {
    await db.deleteFrom('cabinet_session').where('id', '=', sessionId).execute();
    throw new AppError('AUTH_SESSION_EXPIRED', 'Session expired');
  }
  // The idle clock restarts with every call (the cabinet warns a minute before it runs out).
  await db
    .updateTable('cabinet_session')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('id', '=', sessionId)
    .execute();
  return {
    sessionId,
    csrfSecret: row.csrf_secret,
    contractId: row.contract_id,
    tenantId: row.tenant_id,
    account: row.number,
    consumerName: row.name,
    commodity: row.commodity === 'heat' ? 'heat' : 'electricity',
    mustChangePassword: row.must_change_password,
    expiresAt: row.expires_at,
    lastSeenAt: new Date(now),
  };
}

/** Ends a cabinet session. */
export async function cabinetLogout(db: Kysely<DB>, auth: CabinetAuth): Promise<void> {
  await db.deleteFrom('cabinet_session').where('id', '=', auth.sessionId).execute();
}

/**
 * Sets the consumer's own password: the current one (the INN at first) must be right, the new one
 * strong and not the INN. Other sessions of the contract end; audited without the hash.
 */
export async function cabinetChangePassword(
  db: Kysely<DB>,
  auth: CabinetAuth,
  input: { current: string; next: string; ip: string | null },
): Promise<void> {
  assertStrongPassword(input.next);
  const passwordHash = await hashPassword(input.next);
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('cabinet_account as a')
      .innerJoin('contract as k', 'k.id', 'a.contract_id')
      .innerJoin('consumer as c', 'c.id', 'k.consumer_id')
      .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
      .select(['a.password_hash', 'a.must_change_password', 'c.inn', 'ou.path'])
      .where('a.contract_id', '=', auth.contractId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const currentOk =
      row.password_hash === null
        ? sameText(input.current, row.inn ?? '')
        : await verifyPassword(row.password_hash, input.current);
    if (!currentOk) throw new AppError('AUTH_INVALID_CREDENTIALS', 'The current password is wrong');
    if (input.next === input.current || input.next === row.inn)
      throw new AppError(
        'AUTH_WEAK_PASSWORD',
        'The new password must differ from the current one and the INN',
      );
    await trx
      .updateTable('cabinet_account')
      .set({
        password_hash: passwordHash,
        must_change_password: false,
        password_changed_at: sql<Date>`now()`,
      })
      .where('contract_id', '=', auth.contractId)
      .execute();
    await trx
      .deleteFrom('cabinet_session')
      .where('contract_id', '=', auth.contractId)
      .where('id', '<>', auth.sessionId)
      .execute();
    await writeAudit(
      trx,
      { type: 'consumer', id: auth.account, tenantId: auth.tenantId, ip: input.ip ?? undefined },
      {
        action: 'cabinet.password_changed',
        entity: 'contract',
        entityId: auth.contractId,
        tenantId: auth.tenantId,
        orgUnitPath: row.path,
        before: { must_change_password: row.must_change_password },
        after: { must_change_password: false },
      },
    );
  });
}
