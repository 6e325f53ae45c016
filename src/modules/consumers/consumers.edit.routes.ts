import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { consumerCard } from './consumer-card.service.ts';
import { createConsumer } from './consumers.create.ts';
import { editOptions } from './consumers.edit.options.ts';
import {
  ZConsumerInput,
  ZContractInput,
  ZEditOptions,
  ZMeteringPointInput,
  ZRequisitesPatch,
  ZTerminateInput,
  ZVersionInput,
  ZVolumesInput,
} from './consumers.edit.schemas.ts';
import type { Editor } from './consumers.edit.shared.ts';
import { changeRequisites } from './consumers.requisites.ts';
import { ZConsumerCard } from './consumers.schemas.ts';
import { addContract } from './contracts.create.ts';
import { terminateContract } from './contracts.terminate.ts';
import { addContractVersion } from './contracts.versions.ts';
import { setContractVolumes } from './contracts.volumes.ts';
import { addMeteringPoint } from './metering-points.create.ts';

const tags = ['consumers'];
const card = { 200: ZConsumerCard, ...ERROR_RESPONSES };
const created = { 201: ZConsumerCard, ...ERROR_RESPONSES };
const byId = z.object({ id: ZId });

function editorOf(request: FastifyRequest): Editor {
  return { access: accessOf(request), actor: actorOf(request) };
}

/**
 * Editing consumers and contracts (issue 6 point 3, R2.1–R2.3) under `consumer.write`, inside the
 * caller's org units: a new consumer with its first contract, requisites, another contract, new
 * terms from a month, monthly volumes, the end of a contract, metering points. Each change is one
 * transaction with its audit rows (before and after) and answers with the consumer card.
 */
export const consumerEditRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  const cardOf = (request: FastifyRequest, id: bigint) => consumerCard(db, accessOf(request), String(id));

  app.get(
    '/api/consumers/options',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary:
          'What the editors offer: districts you may write in, active tariffs, categories and banks, the open period',
        response: { 200: ZEditOptions, ...ERROR_RESPONSES },
      },
    },
    async (request) => editOptions(db, accessOf(request)),
  );

  app.post(
    '/api/consumers',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary:
          'Create a consumer (legal entity, sole entrepreneur or household) with its first contract in a district of your scope',
        body: ZConsumerInput,
        response: created,
      },
    },
    async (request, reply) => {
      const id = await db
        .transaction()
        .execute((trx) => createConsumer(trx, editorOf(request), request.body));
      return reply.code(201).send(await cardOf(request, id));
    },
  );

  app.patch(
    '/api/consumers/:id',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary: 'Change a consumer’s requisites (a field left out stays, null clears it)',
        params: byId,
        body: ZRequisitesPatch,
        response: card,
      },
    },
    async (request) => {
      const consumerId = request.params.id;
      await db
        .transaction()
        .execute((trx) => changeRequisites(trx, editorOf(request), { consumerId, patch: request.body }));
      return cardOf(request, BigInt(consumerId));
    },
  );

  app.post(
    '/api/consumers/:id/contracts',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary: 'Add another contract (personal account) to a consumer',
        params: byId,
        body: ZContractInput,
        response: created,
      },
    },
    async (request, reply) => {
      const consumerId = request.params.id;
      await db
        .transaction()
        .execute((trx) => addContract(trx, editorOf(request), { consumerId, contract: request.body }));
      return reply.code(201).send(await cardOf(request, BigInt(consumerId)));
    },
  );

  app.post(
    '/api/contracts/:id/versions',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary:
          'New contract terms from the 1st of a month (the history is kept); never in a closed or billed period',
        params: byId,
        body: ZVersionInput,
        response: created,
      },
    },
    async (request, reply) => {
      const contractId = request.params.id;
      const { consumerId } = await db
        .transaction()
        .execute((trx) => addContractVersion(trx, editorOf(request), { contractId, version: request.body }));
      return reply.code(201).send(await cardOf(request, consumerId));
    },
  );

  app.put(
    '/api/contracts/:id/volumes',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary: 'Monthly contract volumes of one year: the months given are set, the others have none',
        params: byId,
        body: ZVolumesInput,
        response: card,
      },
    },
    async (request) => {
      const contractId = request.params.id;
      const { consumerId } = await db
        .transaction()
        .execute((trx) => setContractVolumes(trx, editorOf(request), { contractId, volumes: request.body }));
      return cardOf(request, consumerId);
    },
  );

  app.post(
    '/api/contracts/:id/terminate',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary: 'End a contract on a day (allowed with a debt; not in a closed period)',
        params: byId,
        body: ZTerminateInput,
        response: card,
      },
    },
    async (request) => {
      const contractId = request.params.id;
      const { consumerId } = await db
        .transaction()
        .execute((trx) => terminateContract(trx, editorOf(request), { contractId, terminate: request.body }));
      return cardOf(request, consumerId);
    },
  );

  app.post(
    '/api/contracts/:id/metering-points',
    {
      config: { permission: 'consumer.write' },
      schema: {
        tags,
        summary: 'Add a metering point (code unique in the supplier, name, address) to a contract',
        params: byId,
        body: ZMeteringPointInput,
        response: created,
      },
    },
    async (request, reply) => {
      const contractId = request.params.id;
      const { consumerId } = await db
        .transaction()
        .execute((trx) => addMeteringPoint(trx, editorOf(request), { contractId, point: request.body }));
      return reply.code(201).send(await cardOf(request, consumerId));
    },
  );
};
