import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../../test/support/app.ts';
import { cabinetClient } from '../../../test/support/cabinet.ts';
import { type ScenarioApp, scenarioApp } from '../../../test/support/scenario-world.ts';
import type { Database } from '../../db/database.ts';
import type { ScenarioWorld } from '../scenario/scenario.setup.ts';
import { notificationsOf } from './cabinet-notifications.ts';

// Spec scenario 01 (billing-rules §11): four issued bills and two payments of account 00042.

let database: Database;
let world: ScenarioWorld;
let app: FastifyInstance;
let contractId: bigint;
let s: ScenarioApp;

beforeAll(async () => {
  s = await scenarioApp({ withOther: false });
  ({ database, world, app } = s);
  contractId = s.contractOf('00042');
});

afterAll(async () => {
  await s?.close();
});

describe('cabinet notifications (R6, R7)', () => {
  it('tells of each issued bill and booked payment, and reminds 3 days before the due date while in debt', async () => {
    const kinds = async (now: string) =>
      (await notificationsOf(database.db, contractId, null, new Date(now))).map((n) => n.kind).sort();
    // April's bill is due on 31 May; the debt is 3,869,135.66.
    expect(await kinds('2025-05-28T10:00:00+05:00')).toEqual([
      'bill',
      'bill',
      'bill',
      'bill',
      'payment',
      'payment',
      'reminder',
    ]);
    const reminder = (
      await notificationsOf(database.db, contractId, null, new Date('2025-05-30T10:00:00+05:00'))
    ).find((n) => n.kind === 'reminder');
    expect(reminder).toMatchObject({ amount: '3869135.66', date: '2025-05-31', unread: true });
    expect(await kinds('2025-05-27T10:00:00+05:00')).not.toContain('reminder'); // 4 days before
    expect(await kinds('2025-06-01T10:00:00+05:00')).not.toContain('reminder'); // past due: not a reminder
    const bills = (await notificationsOf(database.db, contractId, null)).filter((n) => n.kind === 'bill');
    expect(bills.map((b) => b.period).sort()).toEqual(['2025-01', '2025-02', '2025-03', '2025-04']);
    expect(bills.find((b) => b.period === '2025-03')).toMatchObject({
      amount: '10813135.66',
      date: '2025-04-30',
    });
  });

  it('counts unread notices until the consumer has looked, and a new step of an application is unread again', async () => {
    const consumer = await cabinetClient(app, '00042', '301234567');
    const first = (await consumer.get('/api/cabinet/notifications')).json();
    expect(first.unread).toBe(6);
    expect((await consumer.post('/api/cabinet/notifications/seen')).statusCode).toBe(204);
    expect((await consumer.get('/api/cabinet/notifications')).json().unread).toBe(0);

    const filed = (
      await consumer.post('/api/cabinet/applications', { type: 'appeal', text: 'Penya haqida' })
    ).json();
    await createUser(database.db, {
      tenantId: world.tenantId,
      login: 'n.op',
      role: 'operator',
      orgUnitId: world.districtId,
    });
    const staff = await signIn(app, 'n.op');
    const accepted = await app.inject({
      method: 'POST',
      url: `/api/applications/${filed.id}/status`,
      headers: staff.headers,
      payload: { status: 'accepted', note: 'Koʻrib chiqilmoqda' },
    });
    expect(accepted.statusCode).toBe(200);
    const after = (await consumer.get('/api/cabinet/notifications')).json();
    expect(after.unread).toBe(1);
    expect(after.items[0]).toMatchObject({
      kind: 'application',
      number: filed.number,
      status: 'accepted',
      unread: true,
    });
    expect((await app.inject({ method: 'GET', url: '/api/cabinet/notifications' })).statusCode).toBe(401);
  });
});
