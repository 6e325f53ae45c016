import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Staff reading entry, the VEE queue and confirmation (R3). */
export const readingRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (_app, _opts) => {};
