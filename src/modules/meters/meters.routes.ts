import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { todayInTashkent } from '../../domain/period.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { ZErrorResponse } from '../auth/auth.schemas.ts';
import { listSeals, removeSeal, setSeal } from './meter-seals.ts';
import { installOnPoint, patchVerification, removeInOffice, replaceInOffice } from './meters.office.ts';
import {
  ZInstallMeter,
  ZMeterView,
  ZPatchMeter,
  ZRemoveMeter,
  ZRemoveSeal,
  ZReplaceMeter,
  ZSeal,
  ZSetSeal,
} from './meters.schemas.ts';

const RESPONSES = { ...ERROR_RESPONSES, 422: ZErrorResponse } as const;

/**
 * Meters of accounts (R2.3): install on a metering point, replace, remove (each with the register
 * readings billing-rules §2 bills from), verification dates, and seals with their history. Writes
 * need consumer.write at the account's org unit (and reading.write where register values are
 * recorded); each runs in one transaction with its audit row.
 */
export const meterRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  const tags = ['meters'];
  const params = z.object({ id: ZId });

  app.post(
    '/api/metering-points/:id/meters',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary:
          'Install a meter on a metering point without one in service: type, serial, digits, multiplier, installation day, verification dates, the installation reading of each register, seals',
        params,
        body: ZInstallMeter,
        response: { 201: ZMeterView, ...RESPONSES },
      },
    },
    async (request, reply) => {
      const view = await installOnPoint(
        db,
        actorOf(request),
        accessOf(request),
        request.params.id,
        request.body,
        todayInTashkent(),
      );
      return reply.code(201).send(view);
    },
  );

  app.post(
    '/api/meters/:id/replace',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary:
          'Replace a meter: the removal reading of every register of the old meter and the new meter with its installation readings, on one day',
        params,
        body: ZReplaceMeter,
        response: { 201: z.object({ removed: ZMeterView, installed: ZMeterView }), ...RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await replaceInOffice(
        db,
        actorOf(request),
        accessOf(request),
        request.params.id,
        request.body,
        todayInTashkent(),
      );
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/api/meters/:id/remove',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary: 'Remove a meter (e.g. the contract ends) with the removal reading of every register',
        params,
        body: ZRemoveMeter,
        response: { 200: ZMeterView, ...RESPONSES },
      },
    },
    async (request) =>
      removeInOffice(
        db,
        actorOf(request),
        accessOf(request),
        request.params.id,
        request.body,
        todayInTashkent(),
      ),
  );

  app.patch(
    '/api/meters/:id',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary: 'Change the verification dates of a meter in service (null clears one)',
        params,
        body: ZPatchMeter,
        response: { 200: ZMeterView, ...RESPONSES },
      },
    },
    async (request) =>
      patchVerification(
        db,
        actorOf(request),
        accessOf(request),
        request.params.id,
        request.body,
        todayInTashkent(),
      ),
  );

  app.get(
    '/api/meters/:id/seals',
    {
      config: { permission: 'consumer.read' },
      schema: {
        tags,
        summary: 'The seals of a meter with their history: in place first, then removed ones',
        params,
        response: { 200: z.object({ items: z.array(ZSeal) }), ...RESPONSES },
      },
    },
    async (request) => ({ items: await listSeals(db, accessOf(request), request.params.id) }),
  );

  app.post(
    '/api/meters/:id/seals',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary:
          'Set a seal on a meter in service: number (unique among seals in place), place, day (default today)',
        params,
        body: ZSetSeal,
        response: { 201: ZSeal, ...RESPONSES },
      },
    },
    async (request, reply) => {
      const seal = await setSeal(
        db,
        actorOf(request),
        accessOf(request),
        request.params.id,
        request.body,
        todayInTashkent(),
      );
      return reply.code(201).send(seal);
    },
  );

  app.post(
    '/api/meter-seals/:id/remove',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary: 'Remove a seal in place, with the reason and the day (default today)',
        params,
        body: ZRemoveSeal,
        response: { 200: ZSeal, ...RESPONSES },
      },
    },
    async (request) =>
      removeSeal(db, actorOf(request), accessOf(request), request.params.id, request.body, todayInTashkent()),
  );
};
