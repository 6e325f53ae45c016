import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { createOrgFixture, type OrgFixture } from './app.ts';

/** The org fixture's three accounts, set up for SMS: one reachable, one opted out, one without a phone. */
export type SmsFixture = OrgFixture & {
  reachable: { consumerId: bigint; contractId: bigint; number: string; phone: string };
  optedOut: { consumerId: bigint; contractId: bigint; number: string };
  noPhone: { consumerId: bigint; contractId: bigint; number: string };
};

/** createOrgFixture, with the n1 consumer on +998901234567 (Russian SMS), n2's opted out, s1's without phone. */
export async function createSmsFixture(db: Kysely<DB>, code = 'sms-grid'): Promise<SmsFixture> {
  const org = await createOrgFixture(db, code);
  const accounts = await db
    .selectFrom('contract as k')
    .select(['k.id', 'k.number', 'k.consumer_id', 'k.org_unit_id'])
    .where('k.tenant_id', '=', org.tenantId)
    .execute();
  const at = (unit: bigint) => {
    const a = accounts.find((x) => x.org_unit_id === unit);
    if (!a) throw new Error('fixture account missing');
    return { consumerId: a.consumer_id, contractId: a.id, number: a.number };
  };
  const reachable = { ...at(org.units.n1.id), phone: '+998901234567' };
  const optedOut = at(org.units.n2.id);
  const noPhone = at(org.units.s1.id);
  await db
    .updateTable('consumer')
    .set({ phone: reachable.phone, sms_locale: 'ru' })
    .where('id', '=', reachable.consumerId)
    .execute();
  await db
    .updateTable('consumer')
    .set({ phone: '+998907654321', sms_opt_out: true })
    .where('id', '=', optedOut.consumerId)
    .execute();
  return { ...org, reachable, optedOut, noPhone };
}
