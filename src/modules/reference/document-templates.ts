import { type SqlBool, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { firstDay, type LocalDate, parseLocalDate } from '../../domain/period.ts';
import { LOCALES, type Locale } from '../../i18n/locale.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { TEMPLATE_KIND_SPECS, TEMPLATE_KINDS, type TemplateKind } from './document-template-kinds.ts';
import { checkTemplateBody, fillTemplate } from './document-template-text.ts';
import type {
  TemplateDetail,
  TemplateVersionInput,
  TemplateVersionView,
} from './document-templates.schemas.ts';
import { type Db, isUniqueViolation, openPeriodOf } from './reference.shared.ts';

// Document templates as versioned reference data (R1, docs/decisions/019-document-templates.md).
// A (kind, language) reads the supplier's latest version starting on or before the document's
// date, else the built-in text. Versions start no earlier than the open period, and change only
// while they start after today, so no document issued (or in force today) ever reads differently.

export { fillTemplate } from './document-template-text.ts';

/** The text of a kind in a language in force on a day. */
export type TemplateText = { body: string; versionId: bigint | null };

/** The text of `kind` in `lang` in force on `on`: the supplier's version, or the built-in one (versionId null). */
export async function templateFor(
  db: Db,
  tenantId: bigint,
  kind: TemplateKind,
  lang: Locale,
  on: LocalDate,
): Promise<TemplateText> {
  return (await templatesFor(db, tenantId, kind, on))[lang];
}

/** The texts of `kind` in force on `on` in every language, in one query. */
export async function templatesFor(
  db: Db,
  tenantId: bigint,
  kind: TemplateKind,
  on: LocalDate,
): Promise<Record<Locale, TemplateText>> {
  const rows = await db
    .selectFrom('document_template_version')
    .distinctOn('lang')
    .select(['id', 'lang', 'body'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('valid_from', '<=', on)
    .orderBy('lang')
    .orderBy('valid_from', 'desc')
    .execute();
  const builtIn = TEMPLATE_KIND_SPECS[kind].builtIn;
  const texts = {} as Record<Locale, TemplateText>;
  for (const lang of LOCALES) {
    const row = rows.find((r) => r.lang === lang);
    texts[lang] = row ? { body: row.body, versionId: row.id } : { body: builtIn[lang], versionId: null };
  }
  return texts;
}

/** The texts of `kind` in force on `on`, filled with `values(lang)`, in every language. */
export async function filledTemplates(
  db: Db,
  tenantId: bigint,
  kind: TemplateKind,
  on: LocalDate,
  values: (lang: Locale) => Record<string, string>,
): Promise<Record<Locale, string>> {
  const texts = await templatesFor(db, tenantId, kind, on);
  const filled = {} as Record<Locale, string>;
  for (const lang of LOCALES) filled[lang] = fillTemplate(texts[lang].body, values(lang));
  return filled;
}

/**
 * A document's note (invoice, act) in every language where it is not blank, trimmed; undefined
 * when blank in all, so a document without notes is what it was before templates.
 */
export async function documentNotes(
  db: Db,
  tenantId: bigint,
  kind: TemplateKind,
  on: LocalDate,
  values: (lang: Locale) => Record<string, string>,
): Promise<Partial<Record<Locale, string>> | undefined> {
  const filled = await filledTemplates(db, tenantId, kind, on, values);
  const notes: Partial<Record<Locale, string>> = {};
  for (const lang of LOCALES) {
    const text = filled[lang].trim();
    if (text) notes[lang] = text;
  }
  return Object.keys(notes).length > 0 ? notes : undefined;
}

type Stored = {
  id: bigint;
  kind: string;
  lang: string;
  validFrom: LocalDate;
  body: string;
  createdAt: Date;
  createdBy: string | null;
  updatedAt: Date | null;
  updatedBy: string | null;
};

/** The supplier's versions (of one kind and language, if given), oldest first. */
async function storedVersions(
  db: Db,
  tenantId: bigint,
  only?: { kind: TemplateKind; lang: Locale },
): Promise<Stored[]> {
  let q = db
    .selectFrom('document_template_version as v')
    .leftJoin('app_user as c', 'c.id', 'v.created_by')
    .leftJoin('app_user as u', 'u.id', 'v.updated_by')
    .select(['v.id', 'v.kind', 'v.lang', 'v.valid_from', 'v.body', 'v.created_at', 'v.updated_at'])
    .select(['c.full_name as created_name', 'u.full_name as updated_name'])
    .where('v.tenant_id', '=', tenantId);
  if (only) q = q.where('v.kind', '=', only.kind).where('v.lang', '=', only.lang);
  const rows = await q.orderBy('v.valid_from').execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    lang: r.lang,
    validFrom: parseLocalDate(String(r.valid_from).slice(0, 10)),
    body: r.body,
    createdAt: r.created_at,
    createdBy: r.created_name ?? null,
    updatedAt: r.updated_at,
    updatedBy: r.updated_name ?? null,
  }));
}

/** Views of one (kind, language)'s versions, newest first, with their state on `today`. */
function viewsOf(versions: readonly Stored[], today: LocalDate, openFrom: LocalDate): TemplateVersionView[] {
  const current = versions.filter((v) => v.validFrom <= today).at(-1)?.id;
  return versions
    .map((v): TemplateVersionView => {
      const state = v.validFrom > today ? 'future' : v.id === current ? 'current' : 'past';
      return {
        id: String(v.id),
        validFrom: v.validFrom,
        body: v.body,
        state,
        editable: state === 'future' && v.validFrom >= openFrom,
        createdAt: v.createdAt.toISOString(),
        createdBy: v.createdBy,
        updatedAt: v.updatedAt ? v.updatedAt.toISOString() : null,
        updatedBy: v.updatedBy,
      };
    })
    .reverse();
}

/** Every kind with its rules and, per language, the version in force today and the next one. */
export async function listTemplates(db: Db, tenantId: bigint, today: LocalDate) {
  const openFrom = firstDay(await openPeriodOf(db, tenantId, today));
  const all = await storedVersions(db, tenantId);
  return {
    today,
    openFrom,
    kinds: TEMPLATE_KINDS.map((kind) => {
      const spec = TEMPLATE_KIND_SPECS[kind];
      return {
        kind,
        variables: [...spec.variables],
        required: spec.required,
        maxLength: spec.maxLength,
        languages: LOCALES.map((lang) => {
          const views = viewsOf(
            all.filter((v) => v.kind === kind && v.lang === lang),
            today,
            openFrom,
          );
          return {
            lang,
            builtIn: spec.builtIn[lang],
            current: views.find((v) => v.state === 'current') ?? null,
            next: views.filter((v) => v.state === 'future').at(-1) ?? null,
            versionCount: views.length,
          };
        }),
      };
    }),
  };
}

/** The audit entity id of a (kind, language): every change of its versions is filed under it. */
const entityIdOf = (kind: TemplateKind, lang: Locale) => `${kind}/${lang}`;

/** One kind in one language: rules, versions newest first, and the audit trail, newest first. */
export async function templateDetail(
  db: Db,
  tenantId: bigint,
  kind: TemplateKind,
  lang: Locale,
  today: LocalDate,
): Promise<TemplateDetail> {
  const spec = TEMPLATE_KIND_SPECS[kind];
  const openFrom = firstDay(await openPeriodOf(db, tenantId, today));
  const versions = viewsOf(await storedVersions(db, tenantId, { kind, lang }), today, openFrom);
  const history = await db
    .selectFrom('audit_log as a')
    .leftJoin('app_user as u', (j) =>
      j.on('a.actor_type', '=', 'user').on(sql<SqlBool>`a.actor_id = u.id::text`),
    )
    .select(['a.at', 'a.action', 'a.before', 'a.after', 'u.full_name', 'a.actor_type'])
    .where('a.entity', '=', 'document_template')
    .where('a.entity_id', '=', entityIdOf(kind, lang))
    .where('a.tenant_id', '=', tenantId)
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(200)
    .execute();
  return {
    kind,
    lang,
    variables: [...spec.variables],
    required: spec.required,
    maxLength: spec.maxLength,
    builtIn: spec.builtIn[lang],
    today,
    openFrom,
    current: versions.find((v) => v.state === 'current')?.id ?? null,
    versions,
    history: history.map((h) => ({
      at: h.at.toISOString(),
      action: h.action,
      actor: h.full_name ?? h.actor_type,
      before: h.before,
      after: h.after,
    })),
  };
}

/** What a change of versions needs: the supplier, the kind and language, the day it happens. */
type TemplateChange = { tenantId: bigint; kind: TemplateKind; lang: Locale; today: LocalDate };

function actorUserId(actor: Actor): bigint | null {
  return actor.type === 'user' && actor.id ? BigInt(actor.id) : null;
}

/**
 * Refuses a start before the open period: the documents of closed periods are issued. Holds the
 * supplier's billing lock in shared mode until commit (the key of `lockBilling`, which a period
 * close takes exclusively), so a close cannot slip in between this check and the write.
 */
async function assertOpen(trx: Transaction<DB>, change: TemplateChange, validFrom: LocalDate): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(7340, ${String(change.tenantId)}::int)`.execute(trx);
  const openFrom = firstDay(await openPeriodOf(trx, change.tenantId, change.today));
  if (validFrom < openFrom)
    throw new AppError('TEMPLATE_VERSION_IN_CLOSED_PERIOD', `Version from ${validFrom} before ${openFrom}`, {
      validFrom,
      openFrom,
    });
}

/** A version of this (kind, language), locked for the rest of the transaction. */
async function lockVersion(trx: Transaction<DB>, change: TemplateChange, id: bigint) {
  const row = await trx
    .selectFrom('document_template_version')
    .select(['id', 'valid_from', 'body'])
    .where('id', '=', id)
    .where('tenant_id', '=', change.tenantId)
    .where('kind', '=', change.kind)
    .where('lang', '=', change.lang)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new AppError('TEMPLATE_VERSION_NOT_FOUND', `No template version ${id}`);
  const validFrom = parseLocalDate(String(row.valid_from).slice(0, 10));
  // In force today or earlier: documents may have been made with it, so it stays as it is.
  if (validFrom <= change.today)
    throw new AppError('TEMPLATE_VERSION_IN_FORCE', `Version from ${validFrom} is in force`, { validFrom });
  return { id: row.id, validFrom, body: row.body };
}

/** Runs a write, turning a second version with the same start into TEMPLATE_VERSION_DUPLICATE. */
async function uniqueStart<T>(validFrom: LocalDate, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError('TEMPLATE_VERSION_DUPLICATE', `A version from ${validFrom} exists`, { validFrom });
    throw e;
  }
}

/** Adds a version from the open period or later; checked (placeholders, braces, size) and audited. */
export async function addTemplateVersion(
  trx: Transaction<DB>,
  actor: Actor,
  change: TemplateChange & { input: TemplateVersionInput },
): Promise<bigint> {
  const validFrom = parseLocalDate(change.input.validFrom);
  const body = checkTemplateBody(TEMPLATE_KIND_SPECS[change.kind], change.input.body);
  await assertOpen(trx, change, validFrom);
  const { id } = await uniqueStart(validFrom, () =>
    trx
      .insertInto('document_template_version')
      .values({
        tenant_id: change.tenantId,
        kind: change.kind,
        lang: change.lang,
        valid_from: validFrom,
        body,
        created_by: actorUserId(actor),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  await writeAudit(trx, actor, {
    action: 'document_template.version_add',
    entity: 'document_template',
    entityId: entityIdOf(change.kind, change.lang),
    tenantId: change.tenantId,
    after: { versionId: String(id), kind: change.kind, lang: change.lang, validFrom, body },
  });
  return id;
}

/** Changes a version that starts after today (to a start in the open period or later); audited with before and after. */
export async function changeTemplateVersion(
  trx: Transaction<DB>,
  actor: Actor,
  change: TemplateChange & { versionId: bigint; input: TemplateVersionInput },
): Promise<void> {
  const validFrom = parseLocalDate(change.input.validFrom);
  const body = checkTemplateBody(TEMPLATE_KIND_SPECS[change.kind], change.input.body);
  const old = await lockVersion(trx, change, change.versionId);
  await assertOpen(trx, change, old.validFrom);
  await assertOpen(trx, change, validFrom);
  await uniqueStart(validFrom, () =>
    trx
      .updateTable('document_template_version')
      .set({ valid_from: validFrom, body, updated_by: actorUserId(actor), updated_at: new Date() })
      .where('id', '=', old.id)
      .execute(),
  );
  const base = { versionId: String(old.id), kind: change.kind, lang: change.lang };
  await writeAudit(trx, actor, {
    action: 'document_template.version_change',
    entity: 'document_template',
    entityId: entityIdOf(change.kind, change.lang),
    tenantId: change.tenantId,
    before: { ...base, validFrom: old.validFrom, body: old.body },
    after: { ...base, validFrom, body },
  });
}

/** Removes a version that starts after today; audited with what it said. */
export async function removeTemplateVersion(
  trx: Transaction<DB>,
  actor: Actor,
  change: TemplateChange & { versionId: bigint },
): Promise<void> {
  const old = await lockVersion(trx, change, change.versionId);
  await assertOpen(trx, change, old.validFrom);
  await trx.deleteFrom('document_template_version').where('id', '=', old.id).execute();
  await writeAudit(trx, actor, {
    action: 'document_template.version_remove',
    entity: 'document_template',
    entityId: entityIdOf(change.kind, change.lang),
    tenantId: change.tenantId,
    before: {
      versionId: String(old.id),
      kind: change.kind,
      lang: change.lang,
      validFrom: old.validFrom,
      body: old.body,
    },
  });
}
