import { afterAll, describe, expect, it } from 'vitest';
import { throwawayDatabase } from '../../../test/support/db.ts';
import { type FakeEskiz, startFakeEskiz } from '../../../test/support/fake-eskiz.ts';
import { type ServerProcess, startServer } from '../../../test/support/server.ts';
import { createSmsFixture } from '../../../test/support/sms-fixture.ts';
import { type Database, openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { gatewayId } from './sms.gateway.ts';
import { queueReconnection } from './sms.outbox.ts';

// `hisob serve` sending SMS through (a fake) Eskiz is killed with SIGKILL while sends are in
// flight, then started again: every message must end up accepted by Eskiz exactly once. Needs a
// PostgreSQL server (CI's second pass), like test/bill-run-crash.test.ts: a killed process cannot
// leave the embedded database in a state worth testing. The in-process version of the same
// guarantee runs on both engines in sms.worker.test.ts.
const ADMIN = process.env.TEST_DATABASE_URL;
const cleanup: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!ADMIN)('SMS worker killed mid-flight (PostgreSQL)', () => {
  it('sends every message exactly once after a SIGKILL and a restart', async () => {
    const target = await throwawayDatabase();
    cleanup.push(() => target.drop());
    if (!target.url) throw new Error('no database');
    const database: Database = await openDatabase({ url: target.url, poolSize: 2 });
    cleanup.push(() => database.close());
    await migrate(database.db);
    const f = await createSmsFixture(database.db, 'sms-crash');
    const ids: bigint[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await database.db
        .transaction()
        .execute((trx) =>
          queueReconnection(trx, { contractId: f.reachable.contractId, reference: `crash-${i}` }),
        );
      if (r.queued) ids.push(r.id);
    }
    expect(ids).toHaveLength(40);

    const eskiz: FakeEskiz = await startFakeEskiz();
    cleanup.push(() => eskiz.close());
    eskiz.callbackAfter(null);
    eskiz.holdSends(150);
    const env = {
      SMS_PROVIDER: 'eskiz',
      ESKIZ_URL: eskiz.url,
      ESKIZ_EMAIL: eskiz.email,
      ESKIZ_PASSWORD: eskiz.password,
      ESKIZ_FROM: eskiz.from,
    };
    const args = ['--database-url', target.url];

    const first: ServerProcess = await startServer(args, env);
    cleanup.push(() => first.stop());
    // Kill it while Eskiz holds sends it has received and not yet answered: those are accepted
    // by Eskiz, but the worker never learns it.
    await until(() => eskiz.messages.length >= 8 && eskiz.inFlight() > 0, 30_000, 'sends in flight');
    first.child.kill('SIGKILL');
    await first.exited;
    await until(() => eskiz.inFlight() === 0, 5_000, 'held sends to finish');

    const rows = () =>
      database.db.selectFrom('sms_outbox').select(['id', 'status']).where('id', 'in', ids).execute();
    const left = await rows();
    const inDoubt = left.filter((r) => r.status === 'sending');
    expect(inDoubt.length, 'messages in doubt after the kill').toBeGreaterThan(0);
    expect(
      inDoubt.some((r) => eskiz.acceptedCount(gatewayId(r.id)) === 1),
      'one of them accepted by Eskiz',
    ).toBe(true);
    expect(
      left.some((r) => r.status === 'queued'),
      'messages not tried yet',
    ).toBe(true);
    // The dead worker's leases (2 min) have run out by the time it is restarted.
    await database.db
      .updateTable('sms_outbox')
      .set({ next_attempt_at: new Date() })
      .where('status', '=', 'sending')
      .execute();

    eskiz.holdSends(0);
    const second = await startServer(args, env);
    cleanup.push(() => second.stop());
    await until(async () => (await rows()).every((r) => r.status === 'sent'), 60_000, 'every message sent');
    for (const id of ids) expect(eskiz.acceptedCount(gatewayId(id)), `messages hisob${id}`).toBe(1);
    expect(eskiz.log).toContain('POST /api/message/sms/get-user-messages 200');
    expect(eskiz.unexpected).toEqual([]);
    expect(await second.stop()).toBe(0);
  }, 120_000);
});
