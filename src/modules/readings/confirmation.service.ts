import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { type LocalDate, type Period, periodOf } from '../../domain/period.ts';
import { formatReading, milli } from '../../domain/quantity.ts';
import type { Locale } from '../../i18n/locale.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import { assertPeriodOpen } from '../billing/periods.ts';
import { trustedRootsPem } from '../signature/local-ca.ts';
import { verifyDetached } from '../signature/signer.ts';
import { signerPersonOf } from '../signature/staff-key.ts';
import { type ConfirmationLine, renderConfirmationDocument } from './confirmation.document.ts';
import { nextConfirmationId, readingsForConfirmation } from './confirmation.repository.ts';

// R3.4: readings entered by district staff (status `submitted`) become billable (`accepted`) only
// when a user with `reading.confirm` signs a confirmation document covering them with their own
// key. The user prepares the document (a draft with its exact bytes), signs those bytes in the
// browser, and the server verifies the detached CMS, checks that the certificate's PINFL is the
// user's, and accepts every covered reading in one transaction. See
// docs/decisions/013-reading-confirmation.md.

/** What `reading.signature` holds for a reading accepted through a signed confirmation. */
export const confirmationReference = (id: bigint | string) => `reading_confirmation:${id}`;

/** The id in a `reading.signature` reference, or null for anything else. */
export function confirmationIdOf(signature: string | null): string | null {
  const m = /^reading_confirmation:([0-9]+)$/.exec(signature ?? '');
  return m?.[1] ?? null;
}

/** A prepared draft: its id and the bytes to sign. */
export type PreparedConfirmation = { id: string; document: string; sha256: string; readingCount: number };

/** A confirmation as the office sees it. */
export type ConfirmationView = {
  id: string;
  status: 'draft' | 'signed';
  createdAt: string;
  preparedBy: { id: string; name: string; pinfl: string };
  orgUnit: { id: string; name: string };
  readingCount: number;
  lang: string;
  /** The document's bytes, base64. */
  document: string;
  sha256: string;
  signer: { subject: string; commonName: string; serialNumber: string; pinfl: string } | null;
  signedAt: string | null;
  confirmedAt: string | null;
  readings: {
    id: string;
    contract: string;
    meter: string;
    obis: string;
    readOn: string;
    value: string;
    status: string;
  }[];
};

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The deepest org-unit path above every one of `paths` ('/1/4/9/' and '/1/4/12/' → '/1/4/'). */
export function commonPath(paths: readonly string[]): string {
  const split = paths.map((p) => p.split('/').filter(Boolean));
  const first = split[0] ?? [];
  let n = 0;
  while (n < first.length && split.every((s) => s[n] === first[n])) n++;
  return `/${first.slice(0, n).join('/')}/`;
}

/** The confirming user: name, login, PINFL (READING_CONFIRMER_NO_PINFL without one) and supplier. */
async function confirmer(db: Kysely<DB>, userId: bigint) {
  const user = await db
    .selectFrom('app_user as u')
    .innerJoin('tenant as t', 't.id', 'u.tenant_id')
    .select(['u.id', 'u.login', 'u.full_name', 'u.pinfl', 't.name as tenant_name', 't.inn as tenant_inn'])
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();
  if (!user.pinfl)
    throw new AppError('READING_CONFIRMER_NO_PINFL', `User ${user.login} has no PINFL`, {
      login: user.login,
    });
  return { ...user, pinfl: user.pinfl };
}

/**
 * Prepares the confirmation of `readingIds` (each in the caller's `reading.confirm` scope and
 * submitted): renders the document and stores it as a draft of the caller's.
 */
export async function prepareConfirmation(
  db: Kysely<DB>,
  input: { access: Access; readingIds: readonly bigint[]; lang: Locale; now?: Date },
): Promise<PreparedConfirmation> {
  const { access } = input;
  const user = await confirmer(db, access.user.id);
  const rows = await readingsForConfirmation(db, access.user.tenantId, input.readingIds);
  for (const id of input.readingIds) {
    const row = rows.find((r) => r.id === id);
    if (!row)
      throw new AppError('READING_CONFIRMATION_UNKNOWN_READING', `Reading ${id} not found`, {
        readingId: String(id),
      });
    access.assertAt('reading.confirm', row.path);
    if (row.status !== 'submitted')
      throw new AppError('READING_CONFIRMATION_NOT_SUBMITTED', `Reading ${id} is ${row.status}`, {
        readingId: String(id),
        status: row.status,
      });
  }
  // Printed in a stable order a person can follow: contract, meter, register, date.
  const sorted = [...rows].sort(
    (a, b) =>
      a.contract.localeCompare(b.contract) ||
      a.meter.localeCompare(b.meter) ||
      a.obis.localeCompare(b.obis) ||
      a.read_on.localeCompare(b.read_on) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const path = commonPath(sorted.map((r) => r.path));
  const unitId = BigInt(path.split('/').filter(Boolean).at(-1) ?? '0');
  const id = await nextConfirmationId(db);
  const preparedAt = new Date(Math.floor((input.now ?? new Date()).getTime() / 1000) * 1000);
  const lines: ConfirmationLine[] = sorted.map((r) => ({
    readingId: String(r.id),
    contract: r.contract,
    consumer: r.consumer,
    meter: r.meter,
    obis: r.obis,
    readOn: r.read_on,
    value: formatReading(milli(r.value)),
    enteredBy: r.entered_by ?? '—',
  }));
  const document = renderConfirmationDocument({
    number: String(id),
    lang: input.lang,
    tenant: { name: user.tenant_name, inn: user.tenant_inn },
    user: { name: user.full_name, login: user.login, pinfl: user.pinfl },
    preparedAt,
    lines,
  });
  const sha256 = sha256Hex(document);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('reading_confirmation')
      .values({
        id,
        tenant_id: access.user.tenantId,
        org_unit_id: unitId,
        user_id: user.id,
        user_name: user.full_name,
        user_pinfl: user.pinfl,
        reading_count: sorted.length,
        lang: input.lang,
        document: Buffer.from(document),
        document_sha256: sha256,
        created_at: preparedAt,
      })
      .execute();
    await trx
      .insertInto('reading_confirmation_item')
      .values(
        sorted.map((r, i) => ({
          confirmation_id: id,
          line_no: i + 1,
          reading_id: r.id,
          read_on: r.read_on,
          value: r.value,
        })),
      )
      .execute();
  });
  return {
    id: String(id),
    document: Buffer.from(document).toString('base64'),
    sha256,
    readingCount: sorted.length,
  };
}

/**
 * A confirmation the caller may see (their own, or one whose unit lies in their `reading.read`
 * scope); UNKNOWN_READING_CONFIRMATION otherwise, exactly as if it did not exist.
 */
export async function findVisibleConfirmation(db: Kysely<DB>, access: Access, id: bigint) {
  const row = await db
    .selectFrom('reading_confirmation as rc')
    .innerJoin('org_unit as ou', 'ou.id', 'rc.org_unit_id')
    .selectAll('rc')
    .select(['ou.path', 'ou.name as org_unit_name'])
    .where('rc.id', '=', id)
    .where('rc.tenant_id', '=', access.user.tenantId)
    .executeTakeFirst();
  if (!row || (row.user_id !== access.user.id && !access.canAt('reading.read', row.path)))
    throw new AppError('UNKNOWN_READING_CONFIRMATION', `Unknown confirmation ${id}`, { id: String(id) });
  return row;
}

/** One confirmation with its readings. */
export async function confirmationView(
  db: Kysely<DB>,
  access: Access,
  id: bigint,
): Promise<ConfirmationView> {
  const c = await findVisibleConfirmation(db, access, id);
  const readings = await db
    .selectFrom('reading_confirmation_item as i')
    .innerJoin('reading as r', (j) =>
      j.onRef('r.id', '=', 'i.reading_id').onRef('r.read_on', '=', 'i.read_on'),
    )
    .innerJoin('register as g', 'g.id', 'r.register_id')
    .innerJoin('meter as m', 'm.id', 'g.meter_id')
    .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
    .innerJoin('contract as k', 'k.id', 'p.contract_id')
    .select(['i.reading_id', 'i.read_on', 'i.value', 'r.status', 'k.number', 'm.serial', 'g.obis'])
    .where('i.confirmation_id', '=', c.id)
    .orderBy('i.line_no')
    .execute();
  return {
    id: String(c.id),
    status: c.status === 'signed' ? 'signed' : 'draft',
    createdAt: c.created_at.toISOString(),
    preparedBy: { id: String(c.user_id), name: c.user_name, pinfl: c.user_pinfl },
    orgUnit: { id: String(c.org_unit_id), name: c.org_unit_name },
    readingCount: c.reading_count,
    lang: c.lang,
    document: Buffer.from(c.document).toString('base64'),
    sha256: c.document_sha256,
    signer:
      c.signer_subject !== null &&
      c.signer_name !== null &&
      c.signer_serial !== null &&
      c.signer_pinfl !== null
        ? {
            subject: c.signer_subject,
            commonName: c.signer_name,
            serialNumber: c.signer_serial,
            pinfl: c.signer_pinfl,
          }
        : null,
    signedAt: c.signed_at?.toISOString() ?? null,
    confirmedAt: c.confirmed_at?.toISOString() ?? null,
    readings: readings.map((r) => ({
      id: String(r.reading_id),
      contract: r.number,
      meter: r.serial,
      obis: r.obis,
      readOn: r.read_on,
      value: formatReading(milli(r.value)),
      status: r.status,
    })),
  };
}

/** The stored document and signature of a confirmation the caller may see. */
export async function confirmationFiles(db: Kysely<DB>, access: Access, id: bigint) {
  const c = await findVisibleConfirmation(db, access, id);
  return {
    document: new Uint8Array(c.document),
    signature: c.signature ? new Uint8Array(c.signature) : null,
  };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/**
 * Signs a draft: the detached CMS must verify over the stored document against the trusted roots
 * and name the caller's PINFL; then, in one transaction, every covered reading must still be
 * submitted with the printed value, and all become accepted, referring to this confirmation.
 * The same signature again answers the same result and changes nothing.
 */
export async function signConfirmation(
  db: Kysely<DB>,
  actor: Actor,
  input: { access: Access; id: bigint; signature: Uint8Array },
): Promise<ConfirmationView> {
  const { access, id, signature } = input;
  const draft = await findVisibleConfirmation(db, access, id);
  if (draft.user_id !== access.user.id)
    throw new AppError('READING_CONFIRMATION_NOT_AUTHOR', 'Only the user who prepared it may sign it');
  if (draft.signature) {
    if (sameBytes(draft.signature, signature)) return confirmationView(db, access, id);
    throw new AppError('READING_CONFIRMATION_SIGNED', `Confirmation ${id} is already signed`);
  }
  const user = await confirmer(db, access.user.id);
  const result = await verifyDetached(draft.document, signature, await trustedRootsPem(db));
  if (!result.valid || !result.signer || !result.signedAt) {
    if (result.reason === 'digest_mismatch')
      throw new AppError('READING_CONFIRMATION_SIGNATURE_MISMATCH', 'The signature covers other bytes');
    throw new AppError('READING_CONFIRMATION_SIGNATURE_INVALID', 'The signature is not valid', {
      reason: result.reason ?? 'malformed',
    });
  }
  const person = signerPersonOf(signature);
  if (!person || person.pinfl !== user.pinfl)
    throw new AppError('READING_CONFIRMATION_SIGNER_PINFL', 'The certificate is not the user’s', {
      signerPinfl: person?.pinfl ?? '—',
    });
  const signedAt = result.signedAt;

  await db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('reading_confirmation')
      .select(['status', 'signature'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.signature) {
      if (sameBytes(locked.signature, signature)) return 'repeated' as const;
      throw new AppError('READING_CONFIRMATION_SIGNED', `Confirmation ${id} is already signed`);
    }
    const items = await trx
      .selectFrom('reading_confirmation_item as i')
      .innerJoin('reading as r', (j) =>
        j.onRef('r.id', '=', 'i.reading_id').onRef('r.read_on', '=', 'i.read_on'),
      )
      .innerJoin('register as g', 'g.id', 'r.register_id')
      .innerJoin('meter as m', 'm.id', 'g.meter_id')
      .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
      .innerJoin('contract as k', 'k.id', 'p.contract_id')
      .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
      .select([
        'i.reading_id',
        'i.read_on',
        'i.value as printed',
        'r.value',
        'r.status',
        'r.tenant_id',
        'k.id as contract_id',
        'ou.path',
      ])
      .where('i.confirmation_id', '=', id)
      .orderBy('i.reading_id')
      .forUpdate('r')
      .execute();
    for (const item of items) {
      if (item.status !== 'submitted' || item.value !== item.printed)
        throw new AppError('READING_CONFIRMATION_STALE', `Reading ${item.reading_id} changed`, {
          readingId: String(item.reading_id),
          status: item.status,
        });
      access.assertAt('reading.confirm', item.path);
    }
    const periods = [...new Set(items.map((i) => periodOf(i.read_on as LocalDate)))] as Period[];
    for (const period of periods) await assertPeriodOpen(trx, access.user.tenantId, period);
    // A bill already made for the reading's period would never include it (as recordReading refuses).
    for (const item of items) {
      const period = periodOf(item.read_on as LocalDate);
      const billed = await trx
        .selectFrom('bill')
        .select('id')
        .where('contract_id', '=', item.contract_id)
        .where('period', '=', period)
        .where('billed_at', 'is not', null)
        .executeTakeFirst();
      if (billed)
        throw new AppError('READING_PERIOD_BILLED', `The account is already billed for ${period}`, {
          period,
        });
    }
    const reference = confirmationReference(id);
    const updated = await trx
      .updateTable('reading')
      .set({
        status: 'accepted',
        confirmed_by: access.user.id,
        confirmed_at: sql<Date>`now()`,
        signature: reference,
      })
      .where(
        'id',
        'in',
        items.map((i) => i.reading_id),
      )
      .where('read_on', 'in', [...new Set(items.map((i) => i.read_on))])
      .where('status', '=', 'submitted')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== items.length)
      throw new Error(`confirmation ${id}: ${updated.numUpdatedRows} of ${items.length} readings updated`);
    for (const item of items)
      await writeAudit(trx, actor, {
        action: 'reading.confirm',
        entity: 'reading',
        entityId: item.reading_id,
        tenantId: item.tenant_id,
        orgUnitPath: item.path,
        before: { status: 'submitted', value: item.value },
        after: {
          status: 'accepted',
          value: item.value,
          confirmed_by: access.user.id,
          signature: reference,
        },
      });
    const signer = {
      subject: person.subject,
      common_name: person.commonName,
      serial_number: person.serialNumber,
      pinfl: person.pinfl,
    };
    const signatureSha256 = sha256Hex(signature);
    await trx
      .updateTable('reading_confirmation')
      .set({
        status: 'signed',
        signature: Buffer.from(signature),
        signature_sha256: signatureSha256,
        signer_subject: person.subject,
        signer_name: person.commonName,
        signer_serial: person.serialNumber,
        signer_pinfl: user.pinfl,
        signed_at: new Date(signedAt),
        confirmed_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, actor, {
      action: 'reading_confirmation.sign',
      entity: 'reading_confirmation',
      entityId: id,
      tenantId: access.user.tenantId,
      orgUnitPath: draft.path,
      before: { status: 'draft' },
      after: {
        status: 'signed',
        user_id: access.user.id,
        reading_ids: items.map((i) => i.reading_id),
        document_sha256: draft.document_sha256,
        signature_sha256: signatureSha256,
        signer,
        signed_at: signedAt,
      },
    });
    return 'signed' as const;
  });
  return confirmationView(db, access, id);
}
