import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** The office payment desk: the payment list, manual booking and reversal (R5). */
export const paymentRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (_app, _opts) => {};
