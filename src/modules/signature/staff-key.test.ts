import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgFixture, createUser, type OrgFixture } from '../../../test/support/app.ts';
import { openTestDatabase, TEST_ENGINE } from '../../../test/support/db.ts';
import { openPfx, signDetached } from '../../../web/src/cabinet/pfx-sign.ts';
import type { Database } from '../../db/database.ts';
import { trustedRootsPem } from './local-ca.ts';
import { verifyDetached } from './signer.ts';
import { issueStaffKey, signerPersonOf } from './staff-key.ts';

// Demo and test keys of staff (R3.4): a personal certificate of the local test CA with the user's
// full name and PINFL (OID 1.2.860.3.16.1.2), in a password-protected .pfx.

let database: Database;
let f: OrgFixture;

beforeAll(async () => {
  database = await openTestDatabase();
  f = await createOrgFixture(database.db, 'staffkey');
  const id = await createUser(database.db, {
    tenantId: f.tenantId,
    login: 'operator.test',
    role: 'operator',
    orgUnitId: f.units.n1.id,
  });
  await database.db.updateTable('app_user').set({ pinfl: '30101852600011' }).where('id', '=', id).execute();
  await createUser(database.db, {
    tenantId: f.tenantId,
    login: 'clerk.test',
    role: 'clerk',
    orgUnitId: f.units.n1.id,
  });
});

afterAll(async () => {
  await database?.close();
});

describe(`staff keys of the local test CA (${TEST_ENGINE})`, () => {
  it('issues a .pfx naming the user and their PINFL, whose signatures verify and name the PINFL', async () => {
    const key = await issueStaffKey(database.db, { login: 'Operator.Test', password: 'secret-123' });
    expect(key.login).toBe('operator.test');
    expect(key.certificate).toMatchObject({
      commonName: 'User operator.test',
      organization: 'Test grid staffkey',
      inn: null,
      pinfl: '30101852600011',
    });
    const identity = await openPfx(key.pfx, 'secret-123');
    expect(identity.holder).toMatchObject({ commonName: 'User operator.test', pinfl: '30101852600011' });
    const data = new TextEncoder().encode('confirmation text');
    const p7s = await signDetached(identity, data);
    expect(await verifyDetached(data, p7s, await trustedRootsPem(database.db))).toMatchObject({
      valid: true,
    });
    expect(signerPersonOf(p7s)).toEqual({
      subject: 'C=UZ, O=Test grid staffkey, CN=User operator.test, PINFL=30101852600011',
      commonName: 'User operator.test',
      serialNumber: key.certificate.serialNumber,
      pinfl: '30101852600011',
    });
    expect(signerPersonOf(new Uint8Array([1, 2, 3]))).toBeNull();
  });

  it('refuses a user without a PINFL, an unknown login, another supplier and a short password', async () => {
    await expect(
      issueStaffKey(database.db, { login: 'clerk.test', password: 'secret-123' }),
    ).rejects.toMatchObject({
      code: 'READING_CONFIRMER_NO_PINFL',
    });
    await expect(
      issueStaffKey(database.db, { login: 'nobody', password: 'secret-123' }),
    ).rejects.toMatchObject({
      code: 'STAFF_KEY_UNKNOWN_USER',
    });
    await expect(
      issueStaffKey(database.db, { login: 'operator.test', tenant: 'other', password: 'secret-123' }),
    ).rejects.toMatchObject({ code: 'STAFF_KEY_UNKNOWN_USER' });
    await expect(
      issueStaffKey(database.db, { login: 'operator.test', password: '123' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
