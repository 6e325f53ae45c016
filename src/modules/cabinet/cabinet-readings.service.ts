import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { pgArray } from '../../db/arrays.ts';
import type { DB } from '../../db/schema.ts';
import { consumptionOf, readingAdvance } from '../../domain/consumption.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { todayInTashkent } from '../../domain/period.ts';
import { formatQuantity, formatReading, type Milli, milli, parseReading } from '../../domain/quantity.ts';
import {
  assertSubmissionWindowOpen,
  type SubmissionWindow,
  submissionWindow,
} from '../../domain/submission-window.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { confirmationIdOf } from '../readings/confirmation.service.ts';
import { recordReading } from '../readings/readings.service.ts';
import type { CabinetAuth } from './cabinet-auth.service.ts';

// Meter readings in the consumers' cabinet (requirements R3.1, R6 function 2): the history of each
// register of the contract's meters in service, and the consumer's own monthly submission with an
// optional photo or scan. Every query is bounded by the signed-in consumer's contract.

/** The largest attachment accepted: 10 MB (R3.1). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** How many readings of each register the cabinet lists. */
export const HISTORY_LENGTH = 24;

/** The media types an attachment may have, recognised by their first bytes. */
export type AttachmentMediaType = 'image/jpeg' | 'image/png' | 'application/pdf';

const SIGNATURES: readonly { type: AttachmentMediaType; magic: readonly number[] }[] = [
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // "%PDF-"
];

/** The media type of a file by its magic bytes (the declared type is not trusted), or null. */
export function detectMediaType(bytes: Uint8Array): AttachmentMediaType | null {
  const found = SIGNATURES.find((s) => s.magic.every((b, i) => bytes[i] === b));
  return found?.type ?? null;
}

/** The details of ATTACHMENT_TOO_LARGE: the limit, in bytes and in MB for the message. */
export const ATTACHMENT_LIMIT_DETAILS = {
  limitBytes: MAX_ATTACHMENT_BYTES,
  limitMb: MAX_ATTACHMENT_BYTES / (1024 * 1024),
} as const;

/** A file name safe to store and to send back: no path, no control characters, ≤ 120 characters. */
function cleanFileName(name: string, type: AttachmentMediaType): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(-120);
  if (base && base !== '.' && base !== '..') return base;
  const ext = type === 'image/jpeg' ? 'jpg' : type === 'image/png' ? 'png' : 'pdf';
  return `meter-reading.${ext}`;
}

/** An uploaded file, already read within the size limit. */
export type UploadedFile = { fileName: string; bytes: Buffer };

/** One entry of a submission as the consumer sent it. */
export type SubmissionEntry = { registerId: string; value: string };

const actorOf = (auth: CabinetAuth, ip: string | null, requestId: string | undefined): Actor => ({
  type: 'consumer',
  id: auth.account,
  tenantId: auth.tenantId,
  ip: ip ?? undefined,
  requestId,
});

/** The submission window of the consumer's supplier today (its own deadline day, 25 by default). */
export async function cabinetSubmissionWindow(
  db: Kysely<DB> | Transaction<DB>,
  auth: CabinetAuth,
  now: Date = new Date(),
): Promise<SubmissionWindow> {
  const tenant = await db
    .selectFrom('tenant')
    .select('reading_deadline_day')
    .where('id', '=', auth.tenantId)
    .executeTakeFirstOrThrow();
  return submissionWindow(todayInTashkent(now), tenant.reading_deadline_day);
}

type HistoryRow = {
  id: bigint;
  register_id: bigint;
  read_on: string;
  value: bigint;
  source: string;
  status: string;
  previous: bigint | null;
  confirmed_at: Date | string | null;
  confirmed_by_name: string | null;
  signature: string | null;
  attachment_id: bigint | null;
  file_name: string | null;
  size: number | null;
};

/** A stored reading as "1250.00"; one with a third decimal (never from recordReading) keeps it. */
function readingText(value: bigint): string {
  return value % 10n === 0n ? formatReading(milli(value)) : formatQuantity(milli(value));
}

/**
 * Who confirmed an accepted reading and when (R3.4), and whether with a signed confirmation
 * (`reading.signature` refers to one); null for a reading not confirmed.
 */
function confirmationOf(
  row: HistoryRow,
): { readingId: string; by: string | null; at: string; signed: boolean } | null {
  if (row.status !== 'accepted' || row.confirmed_at === null) return null;
  return {
    readingId: String(row.id),
    by: row.confirmed_by_name,
    at: new Date(row.confirmed_at).toISOString(),
    signed: confirmationIdOf(row.signature) !== null,
  };
}

/** The consumption of a reading since the previous accepted one, or null when it has none. */
function consumptionText(
  row: HistoryRow,
  installReading: bigint,
  digits: number,
  multiplier: bigint,
): string | null {
  if (row.status === 'rejected') return null;
  try {
    const advance = readingAdvance({
      previous: milli(row.previous ?? installReading),
      value: milli(row.value),
      digits,
    });
    return formatQuantity(consumptionOf(advance, multiplier));
  } catch (e) {
    // A reading that never passed the checks (below the previous, too many digits) has no consumption.
    if (isAppError(e)) return null;
    throw e;
  }
}

/** The contract's meters in service, each register with its last accepted reading and history. */
export async function listCabinetReadings(db: Kysely<DB>, auth: CabinetAuth, now: Date = new Date()) {
  const window = await cabinetSubmissionWindow(db, auth, now);
  const meters = await db
    .selectFrom('metering_point as p')
    .innerJoin('meter as m', 'm.metering_point_id', 'p.id')
    .leftJoin('meter_type as t', 't.id', 'm.meter_type_id')
    .select(['m.id', 'm.serial', 'p.code', 't.name as type', 'm.digits', 'm.multiplier'])
    .where('p.contract_id', '=', auth.contractId)
    .where('m.tenant_id', '=', auth.tenantId)
    .where('m.removed_on', 'is', null)
    .orderBy('p.code')
    .orderBy('m.serial')
    .execute();
  const registers =
    meters.length === 0
      ? []
      : await db
          .selectFrom('register')
          .select(['id', 'meter_id', 'obis', 'install_reading'])
          .where(
            'meter_id',
            'in',
            meters.map((m) => m.id),
          )
          .orderBy('obis')
          .execute();
  const ids = pgArray(registers.map((g) => g.id));
  const last = await sql<{ register_id: bigint; read_on: string; value: bigint }>`
    select distinct on (register_id) register_id, read_on, value
      from reading
     where register_id = any(${ids}::bigint[]) and status = 'accepted'
     order by register_id, read_on desc, id desc`.execute(db);
  // The newest readings of each register, each with the accepted reading before it (same-day
  // readings in the order they were entered, as recordReading compares them).
  const history = await sql<HistoryRow>`
    select r.id, r.register_id, r.read_on, r.value, r.source, r.status, r.attachment_id,
           a.file_name, a.size, r.confirmed_at, r.signature, u.full_name as confirmed_by_name,
           (select p.value from reading p
             where p.register_id = r.register_id and p.status = 'accepted'
               and (p.read_on, p.id) < (r.read_on, r.id)
             order by p.read_on desc, p.id desc limit 1) as previous
      from (select r.*, row_number() over (partition by register_id order by read_on desc, id desc) as n
              from reading r where r.register_id = any(${ids}::bigint[])) r
      left join reading_attachment a on a.id = r.attachment_id and a.contract_id = ${auth.contractId}
      left join app_user u on u.id = r.confirmed_by
     where r.n <= ${HISTORY_LENGTH}
     order by r.register_id, r.read_on desc, r.id desc`.execute(db);

  return {
    dataAsOf: now.toISOString(),
    window,
    // Kept beside the meters (by reading id) rather than in each history row, so the rows keep
    // their shape for the clients that compare them whole.
    confirmations: history.rows.flatMap((h) => {
      const c = confirmationOf(h);
      return c ? [c] : [];
    }),
    meters: meters.map((m) => ({
      meterId: String(m.id),
      serial: m.serial,
      pointCode: m.code,
      type: m.type,
      digits: Number(m.digits),
      multiplier: String(m.multiplier),
      registers: registers
        .filter((g) => g.meter_id === m.id)
        .map((g) => {
          const latest = last.rows.find((l) => l.register_id === g.id);
          return {
            registerId: String(g.id),
            obis: g.obis,
            last: latest ? { readOn: latest.read_on, value: readingText(latest.value) } : null,
            history: history.rows
              .filter((h) => h.register_id === g.id)
              .map((h) => ({
                id: String(h.id),
                readOn: h.read_on,
                value: readingText(h.value),
                consumption: consumptionText(h, g.install_reading, Number(m.digits), m.multiplier),
                source: h.source,
                status: h.status,
                attachment:
                  h.attachment_id !== null && h.file_name !== null && h.size !== null
                    ? { id: String(h.attachment_id), fileName: h.file_name, size: h.size }
                    : null,
              })),
          };
        }),
    })),
  };
}

/** Parses the entries of a submission: one per register, each value as XXXXXX,XX (comma or dot). */
function parseEntries(entries: readonly SubmissionEntry[]): { registerId: bigint; value: Milli }[] {
  const seen = new Set<string>();
  return entries.map((e) => {
    const registerId = BigInt(e.registerId);
    if (seen.has(String(registerId))) {
      throw new AppError('VALIDATION_FAILED', `Register ${e.registerId} appears twice in one submission`, {
        issues: `registerId ${e.registerId} twice`,
        registerId: e.registerId,
      });
    }
    seen.add(String(registerId));
    try {
      return { registerId, value: parseReading(e.value, { allowComma: true }) };
    } catch (err) {
      if (isAppError(err))
        throw new AppError(err.code, err.message, { ...err.details, registerId: e.registerId });
      throw err;
    }
  });
}

/** Checks an uploaded file's type by its magic bytes and size; ATTACHMENT_TYPE / ATTACHMENT_TOO_LARGE. */
function checkAttachment(file: UploadedFile): UploadedFile & { mediaType: AttachmentMediaType } {
  if (file.bytes.length > MAX_ATTACHMENT_BYTES) {
    throw new AppError(
      'ATTACHMENT_TOO_LARGE',
      'The attachment is larger than 10 MB',
      ATTACHMENT_LIMIT_DETAILS,
    );
  }
  const mediaType = detectMediaType(file.bytes);
  if (!mediaType) throw new AppError('ATTACHMENT_TYPE', 'Attach a photo (JPEG, PNG) or PDF');
  return { fileName: cleanFileName(file.fileName, mediaType), bytes: file.bytes, mediaType };
}

/**
 * The consumer's monthly submission (R3.1): today's readings of the contract's registers, recorded
 * through recordReading (source cabinet, accepted once they pass its checks) with one optional
 * attachment shared by them, all in one transaction: any refusal stores nothing.
 */
export async function submitCabinetReadings(
  db: Kysely<DB>,
  auth: CabinetAuth,
  input: {
    entries: readonly SubmissionEntry[];
    attachment: UploadedFile | null;
    ip: string | null;
    requestId?: string;
    now?: Date;
  },
) {
  const now = input.now ?? new Date();
  const today = todayInTashkent(now);
  assertSubmissionWindowOpen(await cabinetSubmissionWindow(db, auth, now));
  const entries = parseEntries(input.entries);
  const file = input.attachment ? checkAttachment(input.attachment) : null;
  const actor = actorOf(auth, input.ip, input.requestId);

  return db.transaction().execute(async (trx) => {
    const registerIds = [...new Set(entries.map((e) => e.registerId))].sort((a, b) => (a < b ? -1 : 1));
    // Locked in id order, so that two submissions of one contract wait for each other.
    const own = await trx
      .selectFrom('register as g')
      .innerJoin('meter as m', 'm.id', 'g.meter_id')
      .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
      .select(['g.id', 'm.multiplier'])
      .where('g.id', 'in', registerIds)
      .where('p.contract_id', '=', auth.contractId)
      .where('m.tenant_id', '=', auth.tenantId)
      .where('m.removed_on', 'is', null)
      .orderBy('g.id')
      .forUpdate('g')
      .execute();
    const missing = entries.find((e) => !own.some((g) => g.id === e.registerId));
    // Another consumer's register answers exactly like one that does not exist.
    if (missing) {
      throw new AppError('UNKNOWN_REGISTER', `Register ${missing.registerId} not found`, {
        registerId: String(missing.registerId),
      });
    }
    const already = await trx
      .selectFrom('reading')
      .select('register_id')
      .where('register_id', 'in', registerIds)
      .where('read_on', '=', today)
      .where('source', '=', 'cabinet')
      .where('status', '<>', 'rejected')
      .executeTakeFirst();
    if (already) {
      throw new AppError(
        'READING_ALREADY_SUBMITTED',
        `Register ${already.register_id} already has a reading`,
        {
          registerId: String(already.register_id),
          readOn: today,
        },
      );
    }

    const recorded = [];
    for (const e of entries) {
      const multiplier = own.find((g) => g.id === e.registerId)?.multiplier ?? 1n;
      try {
        const r = await recordReading(trx, actor, {
          tenantId: auth.tenantId,
          registerId: e.registerId,
          readOn: today,
          value: e.value,
          source: 'cabinet',
          today,
          accept: true,
        });
        recorded.push({
          registerId: String(e.registerId),
          id: String(r.id),
          readOn: today,
          value: formatReading(e.value),
          consumption: formatQuantity(consumptionOf(r.advance, multiplier)),
        });
      } catch (err) {
        // Name the register that failed: a submission covers several.
        if (isAppError(err))
          throw new AppError(err.code, err.message, { ...err.details, registerId: String(e.registerId) });
        throw err;
      }
    }

    if (!file) return { readings: recorded, attachment: null };
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    const stored = await trx
      .insertInto('reading_attachment')
      .values({
        tenant_id: auth.tenantId,
        contract_id: auth.contractId,
        file_name: file.fileName,
        media_type: file.mediaType,
        size: file.bytes.length,
        sha256,
        content: file.bytes,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const readingIds = recorded.map((r) => BigInt(r.id));
    await trx
      .updateTable('reading')
      .set({ attachment_id: stored.id })
      .where('id', 'in', readingIds)
      .where('read_on', '=', today)
      .execute();
    const unit = await trx
      .selectFrom('contract as k')
      .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
      .select('ou.path')
      .where('k.id', '=', auth.contractId)
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'reading_attachment.create',
      entity: 'reading_attachment',
      entityId: stored.id,
      tenantId: auth.tenantId,
      orgUnitPath: unit.path,
      after: {
        file_name: file.fileName,
        media_type: file.mediaType,
        size: file.bytes.length,
        sha256,
        reading_ids: readingIds,
      },
    });
    return {
      readings: recorded,
      attachment: { id: String(stored.id), fileName: file.fileName, size: file.bytes.length },
    };
  });
}

/** An attachment of the signed-in consumer's contract; NOT_FOUND for any other. */
export async function findCabinetAttachment(db: Kysely<DB>, auth: CabinetAuth, id: bigint) {
  const row = await db
    .selectFrom('reading_attachment')
    .select(['file_name', 'media_type', 'size', 'content'])
    .where('id', '=', id)
    .where('contract_id', '=', auth.contractId)
    .where('tenant_id', '=', auth.tenantId)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `Attachment ${id} not found`);
  return { fileName: row.file_name, mediaType: row.media_type, content: Buffer.from(row.content) };
}
