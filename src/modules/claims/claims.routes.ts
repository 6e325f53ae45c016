import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { parseMoney } from '../../domain/money.ts';
import { parseLocalDate, todayInTashkent } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { sendXlsx, XLSX_MAX_ROWS, ZListPage } from '../../http/list.ts';
import { LOCALES } from '../../i18n/locale.ts';
import { filterUnitPath } from '../auth/unit-filter.ts';
import { accountOf } from '../documents/documents.service.ts';
import { renderClaimPdf } from './claim.pdf.ts';
import { listClaims } from './claims.list.ts';
import { changeClaimStatus } from './claims.move.ts';
import {
  ZClaim,
  ZClaimInput,
  ZClaimListQuery,
  ZClaimMove,
  ZClaimSummary,
  ZDebtor,
  ZDebtorQuery,
} from './claims.schemas.ts';
import { claimInScope, createClaim } from './claims.service.ts';
import { claimView } from './claims.views.ts';
import { claimColumns, debtorColumns } from './claims.xlsx.ts';
import { listDebtors } from './debtors.ts';

/**
 * Claims and litigation (R11, docs/decisions/018-claims.md): the debtor list, the claims of the
 * caller's units (warning letters, pre-trial claims, court cases, disconnection orders) as office
 * tables with XLSX, one claim with its history, opening a claim, moving its status, and the
 * printable warning letter or pre-trial claim. Read: claim.read; changes: claim.write; both within
 * the caller's org units.
 */
export const claimRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;

  app.get(
    '/api/claims/debtors',
    {
      config: { permission: 'claim.read' },
      schema: {
        tags: ['claims'],
        summary:
          'Debtors: contracts whose balance on a day (the Vitrina’s) is above minDebt and overdue by more than minDays days (format=xlsx for all)',
        querystring: ZDebtorQuery,
        response: { 200: ZListPage(ZDebtor), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const q = request.query;
      const today = todayInTashkent();
      const on = parseLocalDate(q.on ?? today);
      if (on > today)
        throw new AppError('CLAIM_DATE_INVALID', `${on} is after today`, { from: '2000-01-01', to: today });
      const query = {
        tenantId: access.user.tenantId,
        scope: access.scope('claim.read'),
        on,
        unitPath: q.orgUnitId ? await filterUnitPath(db, access, 'claim.read', q.orgUnitId) : null,
        minDebt: parseMoney(q.minDebt),
        minDays: q.minDays,
        hasOpenClaim: q.hasOpenClaim === undefined ? undefined : q.hasOpenClaim === 'true',
        consumerKind: q.consumerKind,
        q: q.q || undefined,
        sort: q.sort,
        dir: q.dir,
      };
      if (q.format === 'xlsx') {
        const all = await listDebtors(db, { ...query, limit: XLSX_MAX_ROWS, offset: 0 });
        const locale = q.lang ?? request.locale;
        return sendXlsx(reply, {
          fileName: `debtors-${on}.xlsx`,
          sheet: { uz: 'Qarzdorlar', 'uz-Cyrl': 'Қарздорлар', ru: 'Должники', en: 'Debtors' },
          columns: debtorColumns(),
          rows: all.items,
          locale,
        });
      }
      return listDebtors(db, { ...query, limit: q.limit, offset: q.offset });
    },
  );

  app.get(
    '/api/claims',
    {
      config: { permission: 'claim.read' },
      schema: {
        tags: ['claims'],
        summary:
          'Claims in the caller’s org units: filter, sort, page (format=xlsx for the whole filtered list)',
        querystring: ZClaimListQuery,
        response: { 200: ZListPage(ZClaimSummary), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const q = request.query;
      if (q.format === 'xlsx') {
        const all = await listClaims(db, access, q, { limit: XLSX_MAX_ROWS, offset: 0 });
        const locale = q.lang ?? request.locale;
        return sendXlsx(reply, {
          fileName: 'claims.xlsx',
          sheet: { uz: 'Daʼvolar', 'uz-Cyrl': 'Даъволар', ru: 'Претензии и иски', en: 'Claims' },
          columns: claimColumns(locale),
          rows: all.items,
          locale,
        });
      }
      return listClaims(db, access, q, { limit: q.limit, offset: q.offset });
    },
  );

  app.get(
    '/api/claims/:id',
    {
      config: { permission: 'claim.read' },
      schema: {
        tags: ['claims'],
        summary:
          'One claim with its history, parent pre-trial claim or court cases, and the moves open to it',
        params: z.object({ id: ZId }),
        response: { 200: ZClaim, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const found = await claimInScope(db, accessOf(request), 'claim.read', request.params.id);
      return claimView(db, found.id);
    },
  );

  app.post(
    '/api/claims',
    {
      config: { permission: 'claim.write' },
      schema: {
        tags: ['claims'],
        summary:
          'Open a claim against a contract (the debt defaults to its debt on debtAsOf); 409 when one of the kind is open',
        body: ZClaimInput,
        response: { 201: ZClaim, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const view = await createClaim(db, accessOf(request), actorOf(request), request.body);
      return reply.code(201).send(view);
    },
  );

  app.post(
    '/api/claims/:id/status',
    {
      config: { permission: 'claim.write' },
      schema: {
        tags: ['claims'],
        summary:
          'Move a claim along its kind’s state machine on a day, with a note (409 CLAIM_TRANSITION when not allowed)',
        params: z.object({ id: ZId }),
        body: ZClaimMove,
        response: { 200: ZClaim, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const found = await claimInScope(db, accessOf(request), 'claim.write', request.params.id);
      return changeClaimStatus(db, actorOf(request), { claimId: found.id, move: request.body });
    },
  );

  app.get(
    '/api/claims/:id/pdf',
    {
      config: { permission: 'claim.read' },
      schema: {
        tags: ['claims'],
        summary: 'The printable warning letter or pre-trial claim (PDF) in a language',
        params: z.object({ id: ZId }),
        querystring: z.object({ lang: z.enum(LOCALES).optional() }),
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const found = await claimInScope(db, accessOf(request), 'claim.read', request.params.id);
      const view = await claimView(db, found.id);
      if (view.kind !== 'warning_letter' && view.kind !== 'pretrial_claim')
        throw new AppError('CLAIM_NOT_PRINTABLE', `${view.kind} has no printable form`);
      const account = await accountOf(db, found.tenantId, BigInt(view.contract.id));
      const pdf = await renderClaimPdf(
        { ...view, kind: view.kind },
        account,
        request.query.lang ?? request.locale,
      );
      return sendFile(reply, { type: 'application/pdf', fileName: `${view.number}.pdf`, body: pdf });
    },
  );
};
