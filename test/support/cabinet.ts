import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

/** A meter of a test contract, with one register 1.8.0. */
export type TestMeter = {
  serial: string;
  digits?: number;
  multiplier?: bigint;
  installReading?: bigint;
  installedOn?: string;
  removedOn?: string | null;
  typeId?: bigint | null;
};

/** A legal-entity consumer with one contract, a metering point and its meters (one register each). */
export async function createCabinetContract(
  db: Kysely<DB>,
  c: {
    tenantId: bigint;
    orgUnitId: bigint;
    number: string;
    inn: string;
    name: string;
    commodity?: 'electricity' | 'heat';
    startDate?: string;
    pointName?: string;
    meters?: TestMeter[];
  },
): Promise<{ contractId: bigint; serial: string; registerIds: bigint[] }> {
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
  const startDate = c.startDate ?? '2025-01-01';
  const k = await db
    .insertInto('contract')
    .values({
      tenant_id: c.tenantId,
      consumer_id: consumer.id,
      org_unit_id: c.orgUnitId,
      number: c.number,
      commodity: c.commodity ?? 'electricity',
      start_date: startDate,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const point = await db
    .insertInto('metering_point')
    .values({ tenant_id: c.tenantId, contract_id: k.id, code: `MP-${c.number}`, name: c.pointName ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const meters = c.meters ?? [{ serial: `M-${c.number}` }];
  const registerIds: bigint[] = [];
  for (const m of meters) {
    const meter = await db
      .insertInto('meter')
      .values({
        tenant_id: c.tenantId,
        metering_point_id: point.id,
        meter_type_id: m.typeId ?? null,
        serial: m.serial,
        digits: m.digits ?? 6,
        multiplier: m.multiplier ?? 1n,
        installed_on: m.installedOn ?? startDate,
        removed_on: m.removedOn ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const g = await db
      .insertInto('register')
      .values({ meter_id: meter.id, obis: '1.8.0', install_reading: m.installReading ?? 0n })
      .returning('id')
      .executeTakeFirstOrThrow();
    registerIds.push(g.id);
  }
  return { contractId: k.id, serial: meters[0]?.serial ?? '', registerIds };
}

/** A signed-in cabinet consumer whose first password (the INN) is already replaced. */
export type CabinetClient = {
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(
    url: string,
    payload?: object | Buffer,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
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
