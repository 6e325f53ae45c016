import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

/** A legal-entity consumer with one contract, a metering point and a one-register meter. */
export async function createCabinetContract(
  db: Kysely<DB>,
  c: { tenantId: bigint; orgUnitId: bigint; number: string; inn: string; name: string; serial?: string },
): Promise<{ contractId: bigint; serial: string }> {
  const consumer = await db
    .insertInto('consumer')
    .values({
      tenant_id: c.tenantId,
      org_unit_id: c.orgUnitId,
      kind: 'legal',
      name: c.name,
      inn: c.inn,
      legal_address: 'Toshkent sh.',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const k = await db
    .insertInto('contract')
    .values({
      tenant_id: c.tenantId,
      consumer_id: consumer.id,
      org_unit_id: c.orgUnitId,
      number: c.number,
      commodity: 'electricity',
      start_date: '2025-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const point = await db
    .insertInto('metering_point')
    .values({ tenant_id: c.tenantId, contract_id: k.id, code: `MP-${c.number}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const serial = c.serial ?? `M-${c.number}`;
  const meter = await db
    .insertInto('meter')
    .values({
      tenant_id: c.tenantId,
      metering_point_id: point.id,
      serial,
      digits: 6,
      installed_on: '2025-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('register')
    .values({ meter_id: meter.id, obis: '1.8.0', install_reading: 0n })
    .execute();
  return { contractId: k.id, serial };
}

/** A signed-in cabinet consumer whose first password (the INN) is already replaced. */
export type CabinetClient = {
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, payload?: object, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
};

/** Signs a consumer in with the INN and sets a new password; returns a client for the cabinet API. */
export async function cabinetClient(
  app: FastifyInstance,
  number: string,
  inn: string,
): Promise<CabinetClient> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/cabinet/login',
    payload: { contract: number, password: inn },
  });
  if (res.statusCode !== 200) throw new Error(`cabinet sign-in of ${number} failed: ${res.body}`);
  const cookie = `hisob_cab=${res.cookies.find((c) => c.name === 'hisob_cab')?.value}`;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  const client: CabinetClient = {
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers: { cookie, ...headers } }),
    post: (url, payload = {}, headers = {}) =>
      app.inject({ method: 'POST', url, payload, headers: { cookie, 'x-csrf-token': csrf, ...headers } }),
  };
  const changed = await client.post('/api/cabinet/password', { current: inn, next: `Yangi${inn}parol` });
  if (changed.statusCode !== 204) throw new Error(`password change of ${number} failed: ${changed.body}`);
  return client;
}
