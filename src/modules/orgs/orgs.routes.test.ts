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

type Unit = { id: string; parentId: string | null; kind: string; code: string; name: string; path: string };

describe(`staff administration: the org-unit tree (${TEST_ENGINE})`, () => {
  let t: TestApp;
  let f: OrgFixture;
  let admin: TestSession;
  let northAdmin: TestSession;
  let operator: TestSession;
  let adminId: bigint;

  const db = () => t.database.db;
  const call = (s: TestSession, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload }) });
  const audits = (action: string) =>
    db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  const unitCount = async () =>
    Number(
      (
        await db()
          .selectFrom('org_unit')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestApp();
    f = await createOrgFixture(db(), 'org');
    adminId = await createUser(db(), {
      tenantId: f.tenantId,
      login: 'o.admin',
      role: 'admin',
      orgUnitId: f.units.company.id,
    });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'o.nadmin',
      role: 'admin',
      orgUnitId: f.units.north.id,
    });
    await createUser(db(), {
      tenantId: f.tenantId,
      login: 'o.op',
      role: 'operator',
      orgUnitId: f.units.n1.id,
    });
    admin = await signIn(t.app, 'o.admin');
    northAdmin = await signIn(t.app, 'o.nadmin');
    operator = await signIn(t.app, 'o.op');
  });
  afterAll(() => t.close());

  it('adds a region under the company and a district under it, with paths built from the parent’s', async () => {
    const region = await call(admin, 'POST', '/api/org-units', {
      parentId: String(f.units.company.id),
      code: 'org-E',
      name: 'Sharqiy hudud',
    });
    expect(region.statusCode, region.body).toBe(201);
    const r = region.json() as Unit;
    expect(r).toMatchObject({ kind: 'region', parentId: String(f.units.company.id), code: 'org-E' });
    expect(r.path).toBe(`${f.units.company.path}${r.id}/`);
    const district = await call(admin, 'POST', '/api/org-units', {
      parentId: r.id,
      code: 'org-E1',
      name: ' Yangi tuman ',
    });
    expect(district.statusCode).toBe(201);
    const d = district.json() as Unit;
    expect(d).toMatchObject({ kind: 'district', parentId: r.id, name: 'Yangi tuman' });
    expect(d.path).toBe(`${r.path}${d.id}/`);
    const list = await call(admin, 'GET', '/api/org-units');
    const items = list.json().items as (Unit & { writable: boolean })[];
    expect(items.find((u) => u.id === d.id)).toMatchObject({ writable: true });
    const [audit] = (await audits('org_unit.create')).filter((a) => a.entity_id === d.id);
    expect(audit).toMatchObject({ entity: 'org_unit', actor_id: String(adminId), org_unit_path: d.path });
    expect(audit?.after).toEqual({ parentId: r.id, kind: 'district', code: 'org-E1', name: 'Yangi tuman' });
  });

  it('lets a company hold a district directly when asked, but never a unit under a district or a region under a region', async () => {
    const direct = await call(admin, 'POST', '/api/org-units', {
      parentId: String(f.units.company.id),
      kind: 'district',
      code: 'org-D',
      name: 'Shahar tumani',
    });
    expect(direct.statusCode).toBe(201);
    expect(direct.json().kind).toBe('district');
    const before = await unitCount();
    for (const body of [
      { parentId: String(f.units.n1.id), code: 'org-X1', name: 'Under a district' },
      { parentId: String(f.units.north.id), kind: 'region', code: 'org-X2', name: 'Region in a region' },
    ]) {
      const res = await call(admin, 'POST', '/api/org-units', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('ORG_UNIT_PARENT_INVALID');
    }
    expect(await unitCount()).toBe(before);
  });

  it('refuses a taken code (whatever its case), bad input and an unknown parent', async () => {
    const before = await unitCount();
    const taken = await call(admin, 'POST', '/api/org-units', {
      parentId: String(f.units.north.id),
      code: 'ORG-n1',
      name: 'Again',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'ORG_UNIT_CODE_TAKEN', details: { code: 'ORG-n1' } });
    for (const body of [
      { parentId: String(f.units.north.id), code: 'bad code', name: 'X' },
      { parentId: String(f.units.north.id), code: 'ok', name: '' },
      { parentId: 'north', code: 'ok', name: 'X' },
      { parentId: String(f.units.north.id), code: 'ok', name: 'X', kind: 'company' },
    ]) {
      const res = await call(admin, 'POST', '/api/org-units', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const unknown = await call(admin, 'POST', '/api/org-units', {
      parentId: '999999',
      code: 'ok',
      name: 'X',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('ORG_UNIT_NOT_FOUND');
    expect(await unitCount()).toBe(before);
  });

  it('keeps a region admin inside its region and operators out', async () => {
    const inside = await call(northAdmin, 'POST', '/api/org-units', {
      parentId: String(f.units.north.id),
      code: 'org-N3',
      name: 'Shimoliy 3',
    });
    expect(inside.statusCode).toBe(201);
    const before = await unitCount();
    const outside = await call(northAdmin, 'POST', '/api/org-units', {
      parentId: String(f.units.south.id),
      code: 'org-S9',
      name: 'Not mine',
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
    const rename = await call(northAdmin, 'PATCH', `/api/org-units/${f.units.s1.id}`, { name: 'Mine now' });
    expect(rename.statusCode).toBe(403);
    const company = await call(northAdmin, 'POST', '/api/org-units', {
      parentId: String(f.units.company.id),
      code: 'org-R9',
      name: 'Region',
    });
    expect(company.json().error.code).toBe('ORG_UNIT_OUT_OF_SCOPE');
    const op = await call(operator, 'POST', '/api/org-units', {
      parentId: String(f.units.n1.id),
      code: 'org-Z',
      name: 'Z',
    });
    expect(op.statusCode).toBe(403);
    expect(op.json().error.code).toBe('AUTH_FORBIDDEN');
    expect(await unitCount()).toBe(before);
    const seen = (await call(northAdmin, 'GET', '/api/org-units')).json().items as (Unit & {
      writable: boolean;
    })[];
    expect(seen.every((u) => u.path.startsWith(f.units.north.path) && u.writable)).toBe(true);
    const opView = (await call(operator, 'GET', '/api/org-units')).json().items as { writable: boolean }[];
    expect(opView.map((u) => u.writable)).toEqual([false]);
  });

  it('renames a unit and changes its code, audited with before and after; the path stays', async () => {
    const id = f.units.n2.id;
    const res = await call(admin, 'PATCH', `/api/org-units/${id}`, { name: 'Yangi nom', code: 'org-N2-new' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Yangi nom', code: 'org-N2-new', path: f.units.n2.path });
    const [audit] = (await audits('org_unit.change')).filter((a) => a.entity_id === String(id));
    expect(audit?.before).toEqual({ code: 'org-N2', name: 'Unit org-N2' });
    expect(audit?.after).toEqual({ code: 'org-N2-new', name: 'Yangi nom' });
    // Only the name: the code stays; the same values again write nothing.
    const again = await call(northAdmin, 'PATCH', `/api/org-units/${id}`, { name: 'Yangi nom' });
    expect(again.statusCode).toBe(200);
    expect((await audits('org_unit.change')).filter((a) => a.entity_id === String(id))).toHaveLength(1);
    // The consumers and users of the unit keep it.
    const consumers = await db()
      .selectFrom('consumer')
      .select('org_unit_id')
      .where('org_unit_id', '=', id)
      .execute();
    expect(consumers).toHaveLength(1);
  });

  it('refuses a code of another unit, an empty change and an unknown unit', async () => {
    const taken = await call(admin, 'PATCH', `/api/org-units/${f.units.s1.id}`, { code: 'org-n1' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('ORG_UNIT_CODE_TAKEN');
    const same = await call(admin, 'PATCH', `/api/org-units/${f.units.s1.id}`, { code: 'org-s1' });
    expect(same.statusCode).toBe(200); // its own code in another case
    expect(same.json().code).toBe('org-s1');
    expect((await call(admin, 'PATCH', `/api/org-units/${f.units.s1.id}`, {})).statusCode).toBe(400);
    const unknown = await call(admin, 'PATCH', '/api/org-units/999999', { name: 'X' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('ORG_UNIT_NOT_FOUND');
  });
});
