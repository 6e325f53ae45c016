import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import type { LocalDate } from '../../domain/period.ts';
import { messageOf } from '../../http/error-codes.ts';
import type { Locale } from '../../i18n/locale.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import type { Access } from '../auth/access.ts';
import {
  type ImportField,
  type ImportLine,
  type RowProblem,
  readReadingsFile,
} from './readings.import-file.ts';
import type { ImportProblem } from './readings.schemas.ts';
import { recordReading } from './readings.service.ts';

// Bulk import of readings (R3.1): a CSV or XLSX file, all or nothing. Every row is resolved to a
// register of the caller's org units and recorded through recordReading with VEE (source
// `import`), in one transaction; any bad row refuses the file with a report of every bad row.

/** The most problems an error report lists (the count says how many there were). */
export const MAX_REPORTED_PROBLEMS = 500;

const FIELD_NAMES: Record<ImportField, Record<Locale, string>> = {
  contract: { uz: 'Shartnoma', 'uz-Cyrl': 'Шартнома', ru: 'Договор', en: 'Contract' },
  meter: { uz: 'Hisoblagich', 'uz-Cyrl': 'Ҳисоблагич', ru: 'Счётчик', en: 'Meter' },
  register: { uz: 'Registr', 'uz-Cyrl': 'Регистр', ru: 'Регистр', en: 'Register' },
  date: { uz: 'Sana', 'uz-Cyrl': 'Сана', ru: 'Дата', en: 'Date' },
  value: { uz: "Ko'rsatkich", 'uz-Cyrl': 'Кўрсаткич', ru: 'Показание', en: 'Reading' },
};

/** Which cell a refusal of recordReading is about. */
const FIELD_OF_CODE: Record<string, ImportField> = {
  INVALID_READING: 'value',
  READING_BELOW_PREVIOUS: 'value',
  READING_TOO_LARGE: 'value',
  READING_IN_FUTURE: 'date',
  READING_OUTSIDE_METER_LIFE: 'date',
  PERIOD_CLOSED: 'date',
  READING_PERIOD_BILLED: 'date',
};

/** The report line of a problem, its message in `locale`. */
function reportLine(p: RowProblem, locale: Locale): ImportProblem {
  const details =
    p.code === 'READING_IMPORT_MISSING_COLUMN' && p.field
      ? { column: FIELD_NAMES[p.field][locale] }
      : p.details;
  return {
    row: p.row,
    field: p.field,
    code: p.code,
    message: messageOf(p.code, locale, details),
    ...(p.value !== undefined ? { value: p.value } : {}),
  };
}

function invalidFile(problems: RowProblem[], locale: Locale): AppError {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  return new AppError('READING_IMPORT_INVALID', `${problems.length} problems in the readings file`, {
    count: problems.length,
    problems: sorted.slice(0, MAX_REPORTED_PROBLEMS).map((p) => reportLine(p, locale)),
  });
}

type Target = { registerId: bigint; path: string };

/** Resolves each line to a register (contract number → meter serial → OBIS), set-based. */
async function resolveLines(
  db: Kysely<DB>,
  access: Access,
  lines: readonly ImportLine[],
): Promise<{ targets: Map<number, Target>; problems: RowProblem[] }> {
  const tenantId = access.user.tenantId;
  const numbers = [...new Set(lines.map((l) => l.contract))];
  const registers =
    numbers.length === 0
      ? []
      : await db
          .selectFrom('contract as k')
          .innerJoin('org_unit as ou', 'ou.id', 'k.org_unit_id')
          .leftJoin('metering_point as p', 'p.contract_id', 'k.id')
          .leftJoin('meter as m', 'm.metering_point_id', 'p.id')
          .leftJoin('register as g', 'g.meter_id', 'm.id')
          .select([
            'k.number',
            'ou.path',
            'm.serial',
            'm.installed_on',
            'm.removed_on',
            'g.id as register_id',
            'g.obis',
          ])
          .where('k.tenant_id', '=', tenantId)
          .where('k.number', 'in', numbers)
          .execute();
  const targets = new Map<number, Target>();
  const problems: RowProblem[] = [];
  const firstOf = new Map<string, number>();
  for (const line of lines) {
    const ofContract = registers.filter((r) => r.number === line.contract);
    const contract = ofContract[0];
    if (!contract) {
      problems.push({
        row: line.row,
        field: 'contract',
        code: 'UNKNOWN_ACCOUNT',
        details: { account: line.contract },
        value: line.contract,
      });
      continue;
    }
    if (!access.canAt('reading.write', contract.path)) {
      problems.push({
        row: line.row,
        field: 'contract',
        code: 'ORG_UNIT_OUT_OF_SCOPE',
        value: line.contract,
      });
      continue;
    }
    // The meter with this serial that was in service on the date, else the newest with it.
    const ofMeter = ofContract
      .filter((r) => r.serial !== null && r.serial.toLowerCase() === line.serial.toLowerCase())
      .sort((a, b) => String(b.installed_on).localeCompare(String(a.installed_on)));
    if (ofMeter.length === 0) {
      problems.push({
        row: line.row,
        field: 'meter',
        code: 'METER_NOT_FOUND',
        details: { serial: line.serial },
        value: line.serial,
      });
      continue;
    }
    const inService = ofMeter.filter(
      (r) =>
        r.installed_on !== null &&
        r.installed_on <= line.readOn &&
        (r.removed_on === null || r.removed_on >= line.readOn),
    );
    const register = (inService.length > 0 ? inService : ofMeter).find((r) => r.obis === line.obis);
    if (!register || register.register_id === null) {
      problems.push({
        row: line.row,
        field: 'register',
        code: 'READING_IMPORT_NO_REGISTER',
        details: { serial: line.serial, obis: line.obis },
        value: line.obis,
      });
      continue;
    }
    const key = `${register.register_id}/${line.readOn}`;
    const first = firstOf.get(key);
    if (first !== undefined) {
      problems.push({
        row: line.row,
        field: 'date',
        code: 'READING_IMPORT_DUPLICATE_ROW',
        details: { first: String(first) },
        value: line.readOn,
      });
      continue;
    }
    firstOf.set(key, line.row);
    targets.set(line.row, { registerId: register.register_id, path: contract.path });
  }
  return { targets, problems };
}

/** The counts of a good import. */
export type ImportCounts = { rows: number; submitted: number; suspect: number; format: 'csv' | 'xlsx' };

/**
 * Imports a readings file all or nothing: READING_IMPORT_INVALID with every bad row (its number,
 * cell, code and message in `locale`) and nothing stored, or every row recorded (source `import`,
 * VEE applied) in one transaction with one audit row for the file besides each reading's own.
 */
export async function importReadings(
  db: Kysely<DB>,
  actor: Actor,
  access: Access,
  input: { fileName: string; bytes: Uint8Array; today: LocalDate; locale: Locale },
): Promise<ImportCounts> {
  const file = await readReadingsFile(input.bytes);
  const { targets, problems } = await resolveLines(db, access, file.lines);
  const all = [...file.problems, ...problems];
  const tenantId = access.user.tenantId;

  return db.transaction().execute(async (trx) => {
    let submitted = 0;
    let suspect = 0;
    // The rows that resolved are still recorded, to report their refusals too; any problem rolls
    // the whole transaction back below. recordReading refuses before writing, so the transaction
    // stays usable after a refusal.
    for (const line of file.lines) {
      const target = targets.get(line.row);
      if (!target) continue;
      try {
        const r = await recordReading(trx, actor, {
          tenantId,
          registerId: target.registerId,
          readOn: line.readOn,
          value: line.value,
          source: 'import',
          today: input.today,
          accept: false,
          vee: true,
        });
        if (r.status === 'suspect') suspect++;
        else submitted++;
      } catch (e) {
        if (!isAppError(e)) throw e;
        all.push({
          row: line.row,
          field: FIELD_OF_CODE[e.code] ?? null,
          code: e.code,
          details: Object.fromEntries(Object.entries(e.details ?? {}).map(([k, v]) => [k, String(v)])),
        });
      }
    }
    if (all.length > 0) throw invalidFile(all, input.locale);
    await writeAudit(trx, actor, {
      action: 'reading.import',
      entity: 'reading_import',
      entityId: null,
      tenantId,
      orgUnitPath: access.homeUnit()?.orgUnitPath ?? null,
      after: {
        file_name: input.fileName,
        format: file.format,
        sha256: createHash('sha256').update(input.bytes).digest('hex'),
        rows: file.lines.length,
        submitted,
        suspect,
      },
    });
    return { rows: file.lines.length, submitted, suspect, format: file.format };
  });
}
