import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgFixture,
  createTestApp,
  createUser,
  type OrgFixture,
  signIn,
  type TestApp,
  type TestSession,
} from '../../../test/support/app.ts';
import { TEST_ENGINE } from '../../../test/support/db.ts';

type Row = {
  id: string;
  action: string;
  entityId: string;
  actorName: string | null;
  after: { login?: string };
};

describe(`the audit viewer (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let admin: TestSession;
  const created: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(t.database.db, 'audit');
    await createUser(t.database.db, {
      tenantId: f.tenantId,
      login: 'aud.admin',
      role: 'admin',
      orgUnitId: f.units.company.id,
    });
    admin = await signIn(t.app, 'aud.admin');
    for (const login of ['a.one', 'a.two', 'a.three']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin.headers,
        payload: {
          login,
          fullName: `Person ${login}`,
          password: 'first-pass-123',
          roles: [{ role: 'clerk', orgUnitId: String(f.units.n1.id) }],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      created.push(res.json().id as string);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (query: string) =>
    t.app.inject({ method: 'GET', url: `/api/audit?${query}`, headers: admin.headers });

  it('pages the filtered trail newest first with the total, and names the staff member who acted', async () => {
    const first = await get('actionPrefix=user.&limit=2');
    expect(first.statusCode, first.body).toBe(200);
    const page = first.json() as { items: Row[]; total: number };
    expect(page.total).toBe(3);
    expect(page.items.map((r) => r.after.login)).toEqual(['a.three', 'a.two']);
    expect(page.items[0]?.actorName).toBe('User aud.admin (aud.admin)');
    const second = (await get('actionPrefix=user.&limit=2&offset=2')).json() as {
      items: Row[];
      total: number;
    };
    expect(second.items.map((r) => r.after.login)).toEqual(['a.one']);
    const oldest = (await get('actionPrefix=user.&dir=asc&limit=1')).json() as { items: Row[] };
    expect(oldest.items.map((r) => r.after.login)).toEqual(['a.one']);
    const one = (await get(`entity=app_user&entityId=${created[1]}`)).json() as {
      items: Row[];
      total: number;
    };
    expect(one.total).toBe(1);
  });

  it('filters by day in Tashkent', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tashkent' }).format(new Date());
    expect(
      ((await get(`actionPrefix=user.&from=${today}&to=${today}`)).json() as { total: number }).total,
    ).toBe(3);
    expect(((await get('actionPrefix=user.&to=2000-01-01')).json() as { total: number }).total).toBe(0);
    const bad = await get('from=01.01.2025');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('exports the whole filtered trail as XLSX with headers in the asked language', async () => {
    const res = await get('actionPrefix=user.&format=xlsx&lang=uz-Cyrl');
    expect(res.statusCode).toBe(200);
    const [sheet] = await readXlsxFile(res.rawPayload);
    expect(sheet?.sheet).toBe('Аудит');
    expect(sheet?.data[0]).toEqual(['Вақт', 'Ким', 'Амал', 'Объект', 'ID', 'Олдин', 'Кейин', 'IP']);
    expect(sheet?.data).toHaveLength(4);
    expect(String(sheet?.data[1]?.[6])).toContain('"login":"a.three"');
  });
});
