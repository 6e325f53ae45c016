import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { todayInTashkent } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { assertReferenceWriter } from './reference.shared.ts';
import { ZTariffInput, ZTariffPatch, ZTariffView, ZVersionInput, ZVersionView } from './tariffs.schemas.ts';
import {
  addVersion,
  changeVersion,
  createTariff,
  listTariffs,
  patchTariff,
  removeVersion,
  tariffDetail,
} from './tariffs.service.ts';

const ZTariffDetail = z.object({
  tariff: ZTariffView,
  openPeriod: z.string(),
  versions: z.array(ZVersionView),
});

/**
 * Tariffs and their versions (R1, billing-rules §7). A version starts on the 1st of a month,
 * never in a closed period, and a version whose prices a bill used is never changed or removed:
 * prices change by adding a version from a later month.
 */
export const referenceTariffRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  const tags = ['reference'];

  app.get(
    '/api/reference/tariffs',
    {
      config: { permission: 'reference.read' },
      schema: {
        tags,
        summary: 'The supplier’s tariffs with the version in force in the open period',
        response: { 200: z.object({ items: z.array(ZTariffView) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => ({
      items: await listTariffs(db, accessOf(request).user.tenantId, todayInTashkent()),
    }),
  );

  app.post(
    '/api/reference/tariffs',
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: 'Create a tariff with its first version',
        body: ZTariffInput,
        response: { 201: ZTariffDetail, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const today = todayInTashkent();
      const id = await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        return createTariff(trx, actorOf(request), { tenantId, today, ...request.body });
      });
      return reply.code(201).send(await tariffDetail(db, tenantId, id, today));
    },
  );

  app.get(
    '/api/reference/tariffs/:id',
    {
      config: { permission: 'reference.read' },
      schema: {
        tags,
        summary: 'A tariff with its versions, oldest first, and whether each may still be changed',
        params: z.object({ id: ZId }),
        response: { 200: ZTariffDetail, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      tariffDetail(db, accessOf(request).user.tenantId, BigInt(request.params.id), todayInTashkent()),
  );

  app.patch(
    '/api/reference/tariffs/:id',
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: 'Rename or (de)activate a tariff (send the revision you saw)',
        params: z.object({ id: ZId }),
        body: ZTariffPatch,
        response: { 200: ZTariffDetail, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const id = BigInt(request.params.id);
      await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        await patchTariff(trx, actorOf(request), { tenantId, id, ...request.body });
      });
      return tariffDetail(db, tenantId, id, todayInTashkent());
    },
  );

  app.post(
    '/api/reference/tariffs/:id/versions',
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: 'Add a version from the 1st of the open or a later month',
        params: z.object({ id: ZId }),
        body: ZVersionInput,
        response: { 201: ZTariffDetail, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const tariffId = BigInt(request.params.id);
      const today = todayInTashkent();
      await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        await addVersion(trx, actorOf(request), { tenantId, tariffId, today, input: request.body });
      });
      return reply.code(201).send(await tariffDetail(db, tenantId, tariffId, today));
    },
  );

  app.put(
    '/api/reference/tariffs/:id/versions/:versionId',
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: 'Change a version that starts in the open period or later and that no bill used',
        params: z.object({ id: ZId, versionId: ZId }),
        body: ZVersionInput,
        response: { 200: ZTariffDetail, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const tariffId = BigInt(request.params.id);
      const today = todayInTashkent();
      await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        await changeVersion(trx, actorOf(request), {
          tenantId,
          tariffId,
          today,
          versionId: BigInt(request.params.versionId),
          input: request.body,
        });
      });
      return tariffDetail(db, tenantId, tariffId, today);
    },
  );

  app.delete(
    '/api/reference/tariffs/:id/versions/:versionId',
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: 'Remove a version that starts in the open period or later and that no bill used',
        params: z.object({ id: ZId, versionId: ZId }),
        response: { 200: ZTariffDetail, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const tenantId = access.user.tenantId;
      const tariffId = BigInt(request.params.id);
      const today = todayInTashkent();
      await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        await removeVersion(trx, actorOf(request), {
          tenantId,
          tariffId,
          today,
          versionId: BigInt(request.params.versionId),
        });
      });
      return tariffDetail(db, tenantId, tariffId, today);
    },
  );
};
