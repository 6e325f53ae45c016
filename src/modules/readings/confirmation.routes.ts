import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Signed confirmation of the readings district staff entered (R3.4). */
export const readingConfirmationRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (_app, _opts) => {};
