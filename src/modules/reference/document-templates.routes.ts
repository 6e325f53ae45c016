import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { todayInTashkent } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { sendFile } from '../../http/files.ts';
import { previewTemplate } from './document-template-preview.ts';
import {
  ZTemplateDetail,
  ZTemplateKind,
  ZTemplateLang,
  ZTemplateOverview,
  ZTemplatePreviewInput,
  ZTemplateVersionInput,
} from './document-templates.schemas.ts';
import {
  addTemplateVersion,
  changeTemplateVersion,
  listTemplates,
  removeTemplateVersion,
  templateDetail,
} from './document-templates.ts';
import { assertReferenceWriter } from './reference.shared.ts';

const ZKindLang = z.object({ kind: ZTemplateKind, lang: ZTemplateLang });
const ZVersionPath = ZKindLang.extend({ id: ZId });

/**
 * Document templates (R1, docs/decisions/019-document-templates.md): the wording of the contract's
 * settlement terms, the invoice note and the act's closing text, per language, in versions from a
 * date. Everyone with `reference.read` reads and previews; `reference.write` at the supplier's
 * company unit adds, changes (future versions only) and removes; every change is audited.
 */
export const documentTemplateRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  const tags = ['reference'];
  const base = '/api/reference/document-templates';

  app.get(
    base,
    {
      config: { permission: 'reference.read' },
      schema: {
        tags,
        summary:
          'Every template kind × language: the version in force today, the built-in text, the placeholders',
        response: { 200: ZTemplateOverview, ...ERROR_RESPONSES },
      },
    },
    async (request) => listTemplates(db, accessOf(request).user.tenantId, todayInTashkent()),
  );

  app.get(
    `${base}/:kind/:lang`,
    {
      config: { permission: 'reference.read' },
      schema: {
        tags,
        summary: 'One template kind in one language: its versions (who, when) and the audit trail',
        params: ZKindLang,
        response: { 200: ZTemplateDetail, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      templateDetail(
        db,
        accessOf(request).user.tenantId,
        request.params.kind,
        request.params.lang,
        todayInTashkent(),
      ),
  );

  app.post(
    `${base}/:kind/:lang/versions`,
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: 'Add a version from a day of the open period or later',
        params: ZKindLang,
        body: ZTemplateVersionInput,
        response: { 201: ZTemplateDetail, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const { kind, lang } = request.params;
      const today = todayInTashkent();
      await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        await addTemplateVersion(trx, actorOf(request), { tenantId, kind, lang, today, input: request.body });
      });
      return reply.code(201).send(await templateDetail(db, tenantId, kind, lang, today));
    },
  );

  app.put(
    `${base}/:kind/:lang/versions/:id`,
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: 'Change a version that starts after today',
        params: ZVersionPath,
        body: ZTemplateVersionInput,
        response: { 200: ZTemplateDetail, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const { kind, lang, id } = request.params;
      const today = todayInTashkent();
      await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        await changeTemplateVersion(trx, actorOf(request), {
          tenantId,
          kind,
          lang,
          today,
          versionId: BigInt(id),
          input: request.body,
        });
      });
      return templateDetail(db, tenantId, kind, lang, today);
    },
  );

  app.delete(
    `${base}/:kind/:lang/versions/:id`,
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: 'Remove a version that starts after today',
        params: ZVersionPath,
        response: { 200: ZTemplateDetail, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const { kind, lang, id } = request.params;
      const today = todayInTashkent();
      await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        await removeTemplateVersion(trx, actorOf(request), {
          tenantId,
          kind,
          lang,
          today,
          versionId: BigInt(id),
        });
      });
      return templateDetail(db, tenantId, kind, lang, today);
    },
  );

  app.post(
    `${base}/:kind/:lang/preview`,
    {
      config: { permission: 'reference.read' },
      schema: {
        tags,
        summary: 'Render a text (not saved) into its document as a PDF, for a contract or with sample values',
        params: ZKindLang,
        body: ZTemplatePreviewInput,
        response: { 200: z.unknown().describe('application/pdf'), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await previewTemplate(db, accessOf(request), {
        ...request.params,
        body: request.body.body,
        contractNumber: request.body.contractNumber || undefined,
      });
      return sendFile(reply, { type: 'application/pdf', fileName, body: pdf });
    },
  );
};
