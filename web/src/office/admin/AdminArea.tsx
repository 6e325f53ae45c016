import {
  Alert,
  Badge,
  Code,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { OrgUnit } from '../billing/types.ts';
import { errorMessage } from '../errors.ts';

type Matrix = {
  permissions: { code: string; description: string }[];
  roles: { code: string; name: string; permissions: string[] }[];
  routes: { method: string; url: string; permission: string | null; access: string | null }[];
};

type User = {
  id: string;
  login: string;
  fullName: string;
  status: string;
  locale: string;
  roles: { role: string; orgUnitId: string; orgUnitName: string }[];
};

/** Administration (issue 6 point 1): the permission matrix, the users and the org-unit tree. */
export function AdminArea() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('matrix');
  return (
    <Stack>
      <Title order={2}>{t('nav.admin')}</Title>
      <SegmentedControl
        value={tab}
        onChange={setTab}
        data={[
          { value: 'matrix', label: t('admin.tabs.matrix') },
          { value: 'users', label: t('admin.tabs.users') },
          { value: 'units', label: t('admin.tabs.units') },
        ]}
        style={{ alignSelf: 'flex-start' }}
      />
      {tab === 'matrix' && <MatrixView />}
      {tab === 'users' && <UsersView />}
      {tab === 'units' && <UnitsView />}
    </Stack>
  );
}

function useLoad<T>(path: string): { data: T | null; error: string | null } {
  const { t } = useTranslation();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<T>('GET', path)
      .then(setData)
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [path, t]);
  return { data, error };
}

/** Permissions down, roles across, a tick where the role grants it; each permission lists its API routes. */
function MatrixView() {
  const { t } = useTranslation();
  const { data, error } = useLoad<Matrix>('/api/roles');
  const routesOf = useMemo(() => {
    const by = new Map<string, string[]>();
    for (const r of data?.routes ?? []) {
      if (!r.permission) continue;
      by.set(r.permission, [...(by.get(r.permission) ?? []), `${r.method} ${r.url}`]);
    }
    return by;
  }, [data]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Text>…</Text>;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('admin.matrixHelp')}
      </Text>
      <Table.ScrollContainer minWidth={900}>
        <Table striped withColumnBorders data-testid="permission-matrix">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.permission')}</Table.Th>
              {data.roles.map((r) => (
                <Table.Th key={r.code} ta="center">
                  {t(`roles.${r.code}`)}
                </Table.Th>
              ))}
              <Table.Th ta="right">{t('admin.routes')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.permissions.map((p) => {
              const routes = routesOf.get(p.code) ?? [];
              return (
                <Table.Tr key={p.code}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {t(`admin.perm.${p.code.replace('.', '_')}`, { defaultValue: p.description })}
                    </Text>
                    <Code>{p.code}</Code>
                  </Table.Td>
                  {data.roles.map((r) => (
                    <Table.Td key={r.code} ta="center">
                      {r.permissions.includes(p.code) ? (
                        <Text c="teal" fw={700} aria-label={t('admin.granted')}>
                          ✓
                        </Text>
                      ) : (
                        <Text c="dimmed" aria-label={t('admin.notGranted')}>
                          ·
                        </Text>
                      )}
                    </Table.Td>
                  ))}
                  <Table.Td ta="right">
                    <Tooltip label={routes.join('\n') || '—'} multiline style={{ whiteSpace: 'pre' }}>
                      <Badge variant="light">{routes.length}</Badge>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function UsersView() {
  const { t } = useTranslation();
  const { data, error } = useLoad<{ items: User[] }>('/api/users');
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Text>…</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped data-testid="users">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.login')}</Table.Th>
            <Table.Th>{t('admin.fullName')}</Table.Th>
            <Table.Th>{t('admin.rolesAt')}</Table.Th>
            <Table.Th>{t('admin.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.items.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>
                <Code>{u.login}</Code>
              </Table.Td>
              <Table.Td>{u.fullName}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {u.roles.map((r) => (
                    <Badge key={`${r.role}-${r.orgUnitId}`} variant="light" tt="none">
                      {t(`roles.${r.role}`)} · {r.orgUnitName}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{u.status}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The org units as an indented tree: company, its regions, their districts. */
function UnitsView() {
  const { t } = useTranslation();
  const { data, error } = useLoad<{ items: OrgUnit[] }>('/api/org-units');
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Text>…</Text>;
  const depth = (u: OrgUnit) => u.path.split('/').filter(Boolean).length - 1;
  const sorted = [...data.items].sort((a, b) => (a.path < b.path ? -1 : 1));
  const base = Math.min(...sorted.map(depth));
  return (
    <Table striped data-testid="org-units">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('admin.unit')}</Table.Th>
          <Table.Th>{t('admin.kind')}</Table.Th>
          <Table.Th>{t('admin.code')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sorted.map((u) => (
          <Table.Tr key={u.id}>
            <Table.Td style={{ paddingLeft: 12 + 24 * (depth(u) - base) }}>{u.name}</Table.Td>
            <Table.Td>{t(`billing.kind.${u.kind}`)}</Table.Td>
            <Table.Td>
              <Code>{u.code}</Code>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
