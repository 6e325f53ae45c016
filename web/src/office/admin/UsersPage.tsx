import { Anchor, Button, Code, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { OrgUnitSelect, useOrgUnits } from '../org-units.tsx';
import { type Column, DataTable } from '../table/DataTable.tsx';
import { type AdminUnit, type AdminUser, ROLE_CODES } from './types.ts';
import { StatusBadge, UserDrawer } from './UserDrawer.tsx';

/**
 * The staff users (issue 6 point 1): search by login or name, filters by role, unit and status,
 * sorted and paged on the server, XLSX; "New user" and a drawer per user to change the profile,
 * the grants, block or unblock and reset the password (with `user.write`).
 */
export function UsersPage() {
  const { t, i18n } = useTranslation();
  const { user: me } = useSession();
  const units = useOrgUnits() as AdminUnit[];
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [orgUnitId, setOrgUnitId] = useState('');
  const [status, setStatus] = useState('');
  const [target, setTarget] = useState<'new' | AdminUser | null>(null);
  const [reload, setReload] = useState(0);
  const canWrite = me?.permissions.includes('user.write') ?? false;
  const grantable = units.filter((u) => u.writable !== false);

  // The box asks the server a moment after typing stops.
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 350);
    return () => clearTimeout(timer);
  }, [text]);

  const columns: Column<AdminUser>[] = [
    {
      key: 'login',
      label: t('admin.login'),
      sortable: true,
      render: (u) => (
        <Anchor component="button" type="button" onClick={() => setTarget(u)} data-testid={`user-${u.login}`}>
          <Code>{u.login}</Code>
        </Anchor>
      ),
    },
    { key: 'fullName', label: t('admin.fullName'), sortable: true, render: (u) => u.fullName },
    {
      key: 'roles',
      label: t('admin.rolesAt'),
      render: (u) => (
        <Stack gap={2}>
          {u.roles.map((r) => (
            <Text key={`${r.role}-${r.orgUnitId}`} size="sm">
              <Text span fw={600} size="sm">
                {t(`roles.${r.role}`)}
              </Text>{' '}
              · {r.orgUnitName}
            </Text>
          ))}
        </Stack>
      ),
    },
    { key: 'pinfl', label: t('admin.pinfl'), render: (u) => u.pinfl ?? '—' },
    { key: 'status', label: t('admin.status'), sortable: true, render: (u) => <StatusBadge user={u} /> },
    {
      key: 'lastLoginAt',
      label: t('admin.lastLogin'),
      sortable: true,
      render: (u) =>
        u.lastLoginAt ? (
          formatDateTime(u.lastLoginAt, i18n.language)
        ) : (
          <Text size="sm" c="dimmed">
            {t('admin.never')}
          </Text>
        ),
    },
  ];

  return (
    <Stack>
      <Group align="end" wrap="wrap">
        <TextInput
          label={t('admin.search')}
          placeholder={t('admin.searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="users-search"
          w={240}
        />
        <NativeSelect
          label={t('admin.role')}
          value={role}
          onChange={(e) => setRole(e.currentTarget.value)}
          data={[
            { value: '', label: t('table.all') },
            ...ROLE_CODES.map((r) => ({ value: r, label: t(`roles.${r}`) })),
          ]}
          data-testid="users-role"
        />
        <OrgUnitSelect units={units} label={t('admin.unit')} value={orgUnitId} onChange={setOrgUnitId} />
        <NativeSelect
          label={t('admin.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[
            { value: '', label: t('table.all') },
            { value: 'active', label: t('admin.statuses.active') },
            { value: 'blocked', label: t('admin.statuses.blocked') },
          ]}
          data-testid="users-status"
        />
        {canWrite && (
          <Button ml="auto" onClick={() => setTarget('new')} data-testid="user-new">
            + {t('admin.newUser')}
          </Button>
        )}
      </Group>
      <DataTable
        endpoint="/api/users"
        filters={{ q, role, orgUnitId, status }}
        columns={columns}
        rowKey={(u) => u.id}
        defaultSort="login"
        exportable
        reloadKey={reload}
        testId="users"
        minWidth={900}
        empty={<Text c="dimmed">{t('admin.noUsers')}</Text>}
      />
      <UserDrawer
        target={target}
        units={grantable}
        onChanged={() => setReload((x) => x + 1)}
        onClose={() => setTarget(null)}
      />
    </Stack>
  );
}
