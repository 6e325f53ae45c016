import { Alert, Badge, Code, Stack, Table, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { errorMessage } from '../errors.ts';
import { UnitsPage } from './UnitsPage.tsx';
import { UsersPage } from './UsersPage.tsx';

type Matrix = {
  permissions: { code: string; description: string }[];
  roles: { code: string; name: string; permissions: string[] }[];
  routes: { method: string; url: string; permission: string | null; access: string | null }[];
};

const TABS = ['users', 'units', 'matrix'] as const;
type Tab = (typeof TABS)[number];

/**
 * Administration (issue 6 point 1), routes under /admin: the staff users (table, new user, edit,
 * block, password reset), the org-unit tree (add regions and districts, rename) and the
 * permission matrix with the API routes each permission guards.
 */
export function AdminArea() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const sub = location.pathname.replace(/^\/admin\/?/, '').split('/')[0] ?? '';
  const current: Tab = (TABS as readonly string[]).includes(sub) ? (sub as Tab) : 'users';
  return (
    <Stack>
      <Title order={2}>{t('nav.admin')}</Title>
      <Tabs
        value={current}
        onChange={(v) => v && navigate(v === 'users' ? '/admin' : `/admin/${v}`)}
        keepMounted={false}
      >
        <Tabs.List style={{ flexWrap: 'wrap' }}>
          {TABS.map((tab) => (
            <Tabs.Tab key={tab} value={tab} data-testid={`tab-${tab}`}>
              {t(`admin.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route index element={<UsersPage />} />
        <Route path="units" element={<UnitsPage />} />
        <Route path="matrix" element={<MatrixView />} />
        <Route path="*" element={<Navigate to="/admin" replace />} />
      </Routes>
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
