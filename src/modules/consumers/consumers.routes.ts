import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { parseLocalDate } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf } from '../../http/context.ts';
import { sendXlsx, XLSX_MAX_ROWS, type XlsxColumn, ZListPage } from '../../http/list.ts';
import { consumerCard } from './consumer-card.service.ts';
import { consumerEditRoutes } from './consumers.edit.routes.ts';
import { type ConsumerRow, orgUnitPath, searchConsumers } from './consumers.repository.ts';
import { ZConsumerCard, ZConsumerQuery, ZConsumerRow, ZVitrina, ZVitrinaQuery } from './consumers.schemas.ts';
import { accountVitrina } from './vitrina.service.ts';

type Row = z.infer<typeof ZConsumerRow>;

function rowView(r: ConsumerRow): Row {
  return {
    id: String(r.id),
    kind: r.kind,
    name: r.name,
    inn: r.inn,
    pinfl: r.pinfl,
    phone: r.phone,
    address: r.legal_address,
    status: r.status,
    orgUnit: { id: String(r.org_unit_id), name: r.org_unit_name },
    contracts: r.contracts ?? [],
  };
}

const KIND_NAMES: Record<string, Record<'uz' | 'uz-Cyrl' | 'ru' | 'en', string>> = {
  legal: { uz: 'Yuridik shaxs', 'uz-Cyrl': 'Юридик шахс', ru: 'Юридическое лицо', en: 'Legal entity' },
  entrepreneur: {
    uz: 'Yakka tadbirkor',
    'uz-Cyrl': 'Якка тадбиркор',
    ru: 'Индивидуальный предприниматель',
    en: 'Sole entrepreneur',
  },
  household: { uz: 'Aholi', 'uz-Cyrl': 'Аҳоли', ru: 'Население', en: 'Household' },
};

const SHEET = { uz: "Iste'molchilar", 'uz-Cyrl': 'Истеъмолчилар', ru: 'Потребители', en: 'Consumers' };

/** The consumer table's columns in the XLSX export; the kind is named in the file's language. */
function columnsFor(locale: 'uz' | 'uz-Cyrl' | 'ru' | 'en'): XlsxColumn<Row>[] {
  return [
    {
      header: { uz: 'Shartnomalar', 'uz-Cyrl': 'Шартномалар', ru: 'Договоры', en: 'Contracts' },
      value: (r) => r.contracts.join(', '),
      width: 16,
    },
    {
      header: { uz: 'Nomi', 'uz-Cyrl': 'Номи', ru: 'Наименование', en: 'Name' },
      value: (r) => r.name,
      width: 36,
    },
    {
      header: { uz: 'Turi', 'uz-Cyrl': 'Тури', ru: 'Вид', en: 'Kind' },
      value: (r) => KIND_NAMES[r.kind]?.[locale] ?? r.kind,
    },
    { header: { uz: 'STIR', 'uz-Cyrl': 'СТИР', ru: 'ИНН', en: 'INN' }, value: (r) => r.inn, width: 12 },
    {
      header: { uz: 'JShShIR', 'uz-Cyrl': 'ЖШШИР', ru: 'ПИНФЛ', en: 'PINFL' },
      value: (r) => r.pinfl,
      width: 16,
    },
    {
      header: { uz: 'Telefon', 'uz-Cyrl': 'Телефон', ru: 'Телефон', en: 'Phone' },
      value: (r) => r.phone,
      width: 15,
    },
    {
      header: { uz: 'Manzil', 'uz-Cyrl': 'Манзил', ru: 'Адрес', en: 'Address' },
      value: (r) => r.address,
      width: 36,
    },
    {
      header: { uz: "Bo'linma", 'uz-Cyrl': 'Бўлинма', ru: 'Подразделение', en: 'Org unit' },
      value: (r) => r.orgUnit.name,
      width: 20,
    },
  ];
}

/**
 * Consumers: the office table (search by account number, INN, PINFL, phone, meter serial or name
 * prefix, filters, sort, XLSX), the consumer card, and the Vitrina of an account on a day (R14).
 * All read under `consumer.read` within the caller's org units; the editors (consumers.edit.routes.ts)
 * change them under `consumer.write`.
 */
export const consumerRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  await app.register(consumerEditRoutes, { db });

  app.get(
    '/api/consumers',
    {
      config: { permission: 'consumer.read' },
      schema: {
        tags: ['consumers'],
        summary:
          'Consumers in your scope by contract/account number (exactly), INN, PINFL, phone, meter serial or name prefix; paged, sorted, format=xlsx for the whole list',
        querystring: ZConsumerQuery,
        response: { 200: ZListPage(ZConsumerRow), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const q = request.query;
      let underPath: string | undefined;
      if (q.orgUnitId) {
        const path = await orgUnitPath(db, access.user.tenantId, BigInt(q.orgUnitId));
        if (!path) throw new AppError('NOT_FOUND', `Unknown org unit ${q.orgUnitId}`, { id: q.orgUnitId });
        access.assertAt('consumer.read', path);
        underPath = path;
      }
      const search = {
        tenantId: access.user.tenantId,
        scopePaths: access.scope('consumer.read'),
        q: q.q,
        kind: q.kind,
        underPath,
        sort: q.sort,
        dir: q.dir,
      };
      if (q.format === 'xlsx') {
        const locale = q.lang ?? request.locale;
        const { rows } = await searchConsumers(db, { ...search, limit: XLSX_MAX_ROWS, offset: 0 });
        return sendXlsx(reply, {
          fileName: 'consumers.xlsx',
          sheet: SHEET,
          columns: columnsFor(locale),
          rows: rows.map(rowView),
          locale,
        });
      }
      const { rows, total } = await searchConsumers(db, { ...search, limit: q.limit, offset: q.offset });
      return { total, items: rows.map(rowView) };
    },
  );

  app.get(
    '/api/consumers/:id',
    {
      config: { permission: 'consumer.read' },
      schema: {
        tags: ['consumers'],
        summary:
          'The consumer card: requisites, contracts with terms and history, meters and registers with the last readings, balance, last bills and payments',
        params: z.object({ id: ZId }),
        response: { 200: ZConsumerCard, ...ERROR_RESPONSES },
      },
    },
    async (request) => consumerCard(db, accessOf(request), request.params.id),
  );

  app.get(
    '/api/accounts/:contractId/vitrina',
    {
      config: { permission: 'consumer.read' },
      schema: {
        tags: ['consumers'],
        summary:
          'Vitrina: one account’s status on a day (default today in Tashkent) — balance, bills, payments, meters and readings, open applications, claims, switch state',
        params: z.object({ contractId: ZId }),
        querystring: ZVitrinaQuery,
        response: { 200: ZVitrina, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      accountVitrina(
        db,
        accessOf(request),
        request.params.contractId,
        request.query.on === undefined ? undefined : parseLocalDate(request.query.on),
      ),
  );
};
