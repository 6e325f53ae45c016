import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { OrgUnit } from '../billing/types.ts';
import { errorMessage } from '../errors.ts';
import { HistoryButton } from './History.tsx';
import type { NetworkNode } from './types.ts';

const CHILD = { substation: 'feeder', feeder: 'transformer', transformer: null } as const;
const VOLTAGE = { substation: '110/10 kV', feeder: '10 kV', transformer: '10/0.4 kV' } as const;

type Editing =
  | { mode: 'add'; kind: NetworkNode['kind']; parent: NetworkNode | null }
  | { mode: 'edit'; node: NetworkNode };

/** A new node's code and name, or an existing node's name, voltage and state. */
function NodeForm(props: { editing: Editing; orgUnitId: string; onSaved: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const e = props.editing;
  const node = e.mode === 'edit' ? e.node : null;
  const kind = e.mode === 'edit' ? e.node.kind : e.kind;
  const [code, setCode] = useState('');
  const [name, setName] = useState(node?.name ?? '');
  const [voltage, setVoltage] = useState(node ? (node.voltage ?? '') : VOLTAGE[kind]);
  const [active, setActive] = useState(node?.active ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (node)
        await api('PATCH', `/api/reference/network/${node.id}`, {
          revision: node.revision,
          ...(name !== node.name ? { name } : {}),
          ...(voltage !== (node.voltage ?? '') ? { voltage: voltage || null } : {}),
          ...(active !== node.active ? { active } : {}),
        });
      else
        await api('POST', '/api/reference/network', {
          orgUnitId: props.orgUnitId,
          ...(e.mode === 'add' && e.parent ? { parentId: e.parent.id } : {}),
          kind,
          code,
          name,
          voltage: voltage || null,
        });
      props.onSaved();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {e.mode === 'add' && e.parent && (
          <Text size="sm">
            {t('reference.network.under', { parent: `${e.parent.code} — ${e.parent.name}` })}
          </Text>
        )}
        {!node && (
          <TextInput
            label={t('reference.code')}
            value={code}
            onChange={(x) => setCode(x.currentTarget.value)}
            required
          />
        )}
        <TextInput
          label={t('reference.name')}
          value={name}
          onChange={(x) => setName(x.currentTarget.value)}
          required
        />
        <TextInput
          label={t('reference.network.voltage')}
          value={voltage}
          onChange={(x) => setVoltage(x.currentTarget.value)}
        />
        {node && (
          <Switch
            label={t('reference.active')}
            checked={active}
            onChange={(x) => setActive(x.currentTarget.checked)}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            {t('reference.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('reference.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The network tree of a district (substation → feeder → transformer point), indented, with add and rename. */
export function NetworkPage(props: { canWrite: boolean }) {
  const { t } = useTranslation();
  const [districts, setDistricts] = useState<OrgUnit[]>([]);
  const [unitId, setUnitId] = useState('');
  const [nodes, setNodes] = useState<NetworkNode[] | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ items: OrgUnit[] }>('GET', '/api/org-units')
      .then((r) => {
        const list = r.items.filter((u) => u.kind === 'district');
        setDistricts(list);
        setUnitId((v) => v || (list[0]?.id ?? ''));
      })
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [t]);
  const load = useCallback(() => {
    if (!unitId) return;
    api<{ items: NetworkNode[] }>('GET', `/api/reference/network?orgUnitId=${unitId}`)
      .then((r) => setNodes(r.items))
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [unitId, t]);
  useEffect(load, [load]);

  return (
    <Stack>
      {error && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      <Group justify="space-between" align="end" wrap="wrap">
        <NativeSelect
          label={t('reference.network.district')}
          value={unitId}
          onChange={(e) => setUnitId(e.currentTarget.value)}
          data={districts.map((d) => ({ value: d.id, label: d.name }))}
          miw={260}
        />
        {props.canWrite && unitId && (
          <Button onClick={() => setEditing({ mode: 'add', kind: 'substation', parent: null })}>
            {t('reference.network.addSubstation')}
          </Button>
        )}
      </Group>
      <Table.ScrollContainer minWidth={640}>
        <Table striped data-testid="network-tree">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reference.name')}</Table.Th>
              <Table.Th>{t('reference.code')}</Table.Th>
              <Table.Th>{t('reference.network.voltage')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {nodes?.map((n) => {
              const child = CHILD[n.kind];
              return (
                <Table.Tr key={n.id} c={n.active ? undefined : 'dimmed'}>
                  <Table.Td style={{ paddingLeft: 12 + n.depth * 28 }}>
                    <Group gap="xs" wrap="nowrap">
                      <Badge
                        size="xs"
                        variant="light"
                        color={n.kind === 'substation' ? 'grape' : n.kind === 'feeder' ? 'blue' : 'teal'}
                      >
                        {t(`reference.network.kinds.${n.kind}`)}
                      </Badge>
                      <Text size="sm" fw={n.depth === 0 ? 700 : 400}>
                        {n.name}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>{n.code}</Table.Td>
                  <Table.Td>{n.voltage ?? '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <HistoryButton entity="network_node" id={n.id} />
                      {props.canWrite && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          onClick={() => setEditing({ mode: 'edit', node: n })}
                        >
                          {t('reference.edit')}
                        </Button>
                      )}
                      {props.canWrite && child && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          onClick={() => setEditing({ mode: 'add', kind: child, parent: n })}
                        >
                          + {t(`reference.network.kinds.${child}`)}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {nodes && nodes.length === 0 && <Text c="dimmed">{t('reference.network.empty')}</Text>}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={
          editing?.mode === 'edit'
            ? t('reference.network.edit')
            : t('reference.network.add', {
                kind: editing ? t(`reference.network.kinds.${editing.kind}`) : '',
              })
        }
      >
        {editing && (
          <NodeForm
            editing={editing}
            orgUnitId={unitId}
            onSaved={() => {
              setEditing(null);
              load();
            }}
            onCancel={() => setEditing(null)}
          />
        )}
      </Modal>
    </Stack>
  );
}
