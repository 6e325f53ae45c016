import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB, NetworkNode } from '../../db/schema.ts';
import { inScope } from '../../db/scope.ts';
import { AppError } from '../../domain/errors.ts';
import { ERROR_RESPONSES, ZId } from '../../http/common.schemas.ts';
import { accessOf, actorOf } from '../../http/context.ts';
import { type Actor, writeAudit } from '../audit/audit.ts';
import { assertReferenceWriter, assertRevision, type Db, uniqueOr } from './reference.shared.ts';

const NODE_KINDS = ['substation', 'feeder', 'transformer'] as const;
type NodeKind = (typeof NODE_KINDS)[number];
/** The kind a node's parent must have. */
const PARENT_KIND: Record<NodeKind, NodeKind | null> = {
  substation: null,
  feeder: 'substation',
  transformer: 'feeder',
};

const ZVoltage = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(\/[0-9]+(\.[0-9]+)?)* kV$/, 'such as "110/10 kV" or "10 kV"');

const ZNode = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  parentId: z.string().nullable(),
  kind: z.enum(NODE_KINDS),
  code: z.string(),
  name: z.string(),
  voltage: z.string().nullable(),
  active: z.boolean(),
  revision: z.number(),
  /** 0 for a substation, 1 for a feeder, 2 for a transformer point. */
  depth: z.number(),
});
type NodeView = z.infer<typeof ZNode>;
type NodeRow = Selectable<NetworkNode>;

function nodeView(r: NodeRow): NodeView {
  const kind = NODE_KINDS.find((k) => k === r.kind) ?? 'transformer';
  return {
    id: String(r.id),
    orgUnitId: String(r.org_unit_id),
    parentId: r.parent_id === null ? null : String(r.parent_id),
    kind,
    code: r.code,
    name: r.name,
    voltage: r.voltage,
    active: r.active,
    revision: r.revision,
    depth: NODE_KINDS.indexOf(kind),
  };
}

/** Nodes in tree order: each substation, then its feeders, each followed by its transformer points. */
function treeOrder(rows: readonly NodeRow[]): NodeView[] {
  const children = new Map<string, NodeRow[]>();
  for (const r of rows) {
    const key = r.parent_id === null ? `unit:${r.org_unit_id}` : String(r.parent_id);
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const out: NodeView[] = [];
  const walk = (key: string) => {
    for (const r of (children.get(key) ?? []).sort((a, b) => a.code.localeCompare(b.code))) {
      out.push(nodeView(r));
      walk(String(r.id));
    }
  };
  const units = [...new Set(rows.map((r) => r.org_unit_id))].sort((a, b) => (a < b ? -1 : 1));
  for (const u of units) walk(`unit:${u}`);
  return out;
}

/** The network tree of one district (or of every district the caller may read). */
async function listTree(db: Db, tenantId: bigint, paths: readonly string[], orgUnitId: bigint | null) {
  let q = db
    .selectFrom('network_node as n')
    .innerJoin('org_unit as ou', 'ou.id', 'n.org_unit_id')
    .selectAll('n')
    .where('n.tenant_id', '=', tenantId)
    .where(inScope('ou.path', paths));
  if (orgUnitId !== null) q = q.where('n.org_unit_id', '=', orgUnitId);
  return treeOrder(await q.execute());
}

/** Adds a substation to a district, a feeder under a substation or a transformer point under a feeder. */
async function addNode(
  trx: Transaction<DB>,
  actor: Actor,
  input: {
    tenantId: bigint;
    orgUnitId: string;
    parentId?: string | undefined;
    kind: NodeKind;
    code: string;
    name: string;
    voltage?: string | null | undefined;
  },
): Promise<NodeView> {
  const unit = await trx
    .selectFrom('org_unit')
    .select(['id', 'kind', 'path'])
    .where('id', '=', BigInt(input.orgUnitId))
    .where('tenant_id', '=', input.tenantId)
    .executeTakeFirst();
  if (unit?.kind !== 'district')
    throw new AppError('NETWORK_DISTRICT_INVALID', `Org unit ${input.orgUnitId} is not a district`);
  const wanted = PARENT_KIND[input.kind];
  if ((wanted === null) !== (input.parentId === undefined))
    throw new AppError('NETWORK_PARENT_INVALID', `A ${input.kind} needs ${wanted ?? 'no'} parent`);
  if (input.parentId !== undefined) {
    const parent = await trx
      .selectFrom('network_node')
      .select(['kind', 'org_unit_id'])
      .where('id', '=', BigInt(input.parentId))
      .where('tenant_id', '=', input.tenantId)
      .executeTakeFirst();
    if (!parent || parent.kind !== wanted || parent.org_unit_id !== unit.id)
      throw new AppError('NETWORK_PARENT_INVALID', `Node ${input.parentId} cannot hold a ${input.kind}`);
  }
  const taken = await trx
    .selectFrom('network_node')
    .select('id')
    .where('tenant_id', '=', input.tenantId)
    .where('code', '=', input.code)
    .executeTakeFirst();
  if (taken) throw new AppError('REFERENCE_CODE_TAKEN', `${input.code} exists`, { code: input.code });
  const row = await uniqueOr(input.code, () =>
    trx
      .insertInto('network_node')
      .values({
        tenant_id: input.tenantId,
        org_unit_id: unit.id,
        parent_id: input.parentId === undefined ? null : BigInt(input.parentId),
        kind: input.kind,
        code: input.code,
        name: input.name,
        voltage: input.voltage ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  const view = nodeView(row);
  await writeAudit(trx, actor, {
    action: 'network_node.create',
    entity: 'network_node',
    entityId: row.id,
    tenantId: input.tenantId,
    orgUnitPath: unit.path,
    after: view,
  });
  return view;
}

/** Renames a node, changes its voltage or (de)activates it at the editor's revision; audited. */
async function changeNode(
  trx: Transaction<DB>,
  actor: Actor,
  input: {
    tenantId: bigint;
    id: string;
    revision: number;
    name?: string | undefined;
    voltage?: string | null | undefined;
    active?: boolean | undefined;
  },
): Promise<NodeView> {
  const row = await trx
    .selectFrom('network_node as n')
    .innerJoin('org_unit as ou', 'ou.id', 'n.org_unit_id')
    .selectAll('n')
    .select('ou.path')
    .where('n.id', '=', BigInt(input.id))
    .where('n.tenant_id', '=', input.tenantId)
    .forUpdate('n')
    .executeTakeFirst();
  if (!row) throw new AppError('REFERENCE_NOT_FOUND', `No network node ${input.id}`);
  assertRevision(row.revision, input.revision);
  if (input.name === undefined && input.voltage === undefined && input.active === undefined)
    throw new AppError('REFERENCE_NOTHING_TO_CHANGE', 'Nothing to change');
  const updated = await trx
    .updateTable('network_node')
    .set({
      name: input.name ?? row.name,
      voltage: input.voltage === undefined ? row.voltage : input.voltage,
      active: input.active ?? row.active,
      revision: row.revision + 1,
      updated_at: new Date(),
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const view = nodeView(updated);
  await writeAudit(trx, actor, {
    action: 'network_node.change',
    entity: 'network_node',
    entityId: row.id,
    tenantId: input.tenantId,
    orgUnitPath: row.path,
    before: nodeView(row),
    after: view,
  });
  return view;
}

/** The network tree for the energy balance (R1, R9): substation → feeder → transformer point. */
export const referenceNetworkRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, opts) => {
  const { db } = opts;
  const tags = ['reference'];

  app.get(
    '/api/reference/network',
    {
      config: { permission: 'reference.read' },
      schema: {
        tags,
        summary: 'The network tree of a district (default: every district you may read), in tree order',
        querystring: z.object({ orgUnitId: ZId.optional() }),
        response: { 200: z.object({ items: z.array(ZNode) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const unit = request.query.orgUnitId ? BigInt(request.query.orgUnitId) : null;
      return { items: await listTree(db, access.user.tenantId, access.scope('reference.read'), unit) };
    },
  );

  app.post(
    '/api/reference/network',
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary:
          'Add a substation to a district, a feeder under a substation, a transformer point under a feeder',
        body: z.object({
          orgUnitId: ZId,
          parentId: ZId.optional(),
          kind: z.enum(NODE_KINDS),
          code: z.string().regex(/^[A-Za-z0-9._/-]{1,32}$/),
          name: z.string().trim().min(1).max(200),
          voltage: ZVoltage.nullable().optional(),
        }),
        response: { 201: ZNode, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const view = await db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        return addNode(trx, actorOf(request), { tenantId: access.user.tenantId, ...request.body });
      });
      return reply.code(201).send(view);
    },
  );

  app.patch(
    '/api/reference/network/:id',
    {
      config: { permission: 'reference.write' },
      schema: {
        tags,
        summary: 'Rename a node, change its voltage or (de)activate it (send the revision you saw)',
        params: z.object({ id: ZId }),
        body: z.object({
          revision: z.number().int().min(1),
          name: z.string().trim().min(1).max(200).optional(),
          voltage: ZVoltage.nullable().optional(),
          active: z.boolean().optional(),
        }),
        response: { 200: ZNode, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const access = accessOf(request);
      return db.transaction().execute(async (trx) => {
        await assertReferenceWriter(trx, access);
        return changeNode(trx, actorOf(request), {
          tenantId: access.user.tenantId,
          id: request.params.id,
          ...request.body,
        });
      });
    },
  );
};
