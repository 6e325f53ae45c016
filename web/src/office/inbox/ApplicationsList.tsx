import { Anchor, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../format.ts';
import { type Column, DataTable } from '../table/DataTable.tsx';
import { ApplicationDrawer } from './ApplicationDrawer.tsx';
import { AppStatusBadge, UnitFilter } from './parts.tsx';
import { APPLICATION_TYPES, type ApplicationType, type OfficeApplication } from './types.ts';

const STATUSES = ['submitted', 'accepted', 'scheduled', 'done', 'rejected', 'cancelled'];

/**
 * The applications in the user's scope (GET /api/applications) as an office table: search,
 * status (open ones first), kind, unit and assignee filters, server sort and paging, XLSX; a row
 * opens the drawer with the actions. `type` fixes the kind (the requisites tab).
 */
export function ApplicationsList(props: { type?: ApplicationType; testId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const [status, setStatus] = useState('open');
  const [type, setType] = useState<string>(props.type ?? '');
  const [orgUnitId, setOrgUnitId] = useState('');
  const [assignee, setAssignee] = useState('');
  const [opened, setOpened] = useState<string | null>(null);
  const [changed, setChanged] = useState(0);

  const columns: Column<OfficeApplication>[] = [
    {
      key: 'number',
      label: t('inbox.col.number'),
      sortable: true,
      render: (r) => (
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => setOpened(r.id)}
          aria-label={t('inbox.open', { number: r.number })}
          style={{ whiteSpace: 'nowrap' }}
        >
          {r.number}
        </Anchor>
      ),
    },
    {
      key: 'createdAt',
      label: t('inbox.col.filed'),
      sortable: true,
      render: (r) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.createdAt, lang)}</span>,
    },
    ...(props.type
      ? []
      : [
          {
            key: 'type',
            label: t('inbox.col.kind'),
            sortable: true,
            render: (r: OfficeApplication) => t(`cabinet.app.types.${r.type}`),
          },
        ]),
    {
      key: 'consumer',
      label: t('inbox.col.consumer'),
      render: (r) => (
        <>
          <Text size="sm">{r.consumer.name}</Text>
          <Text size="xs" c="dimmed">
            {r.account} · {r.orgUnit.name}
          </Text>
        </>
      ),
    },
    {
      key: 'status',
      label: t('inbox.col.status'),
      sortable: true,
      render: (r) => <AppStatusBadge status={r.status} />,
    },
    {
      key: 'visitDate',
      label: t('inbox.col.visit'),
      sortable: true,
      render: (r) =>
        r.visitDate ? (
          formatDate(r.visitDate, lang)
        ) : r.desiredDate ? (
          <Text size="sm" c="dimmed" title={t('cabinet.app.desired')}>
            {formatDate(r.desiredDate, lang)}
          </Text>
        ) : (
          '—'
        ),
    },
    {
      key: 'assignee',
      label: t('inbox.col.assignee'),
      render: (r) =>
        r.assignee?.name ?? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ),
    },
  ];

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, xs: 2, md: props.type ? 4 : 5 }} spacing="sm">
        <TextInput
          label={t('table.search')}
          placeholder={t('inbox.searchHint')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid={`${props.testId}-search`}
        />
        <NativeSelect
          label={t('inbox.col.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[
            { value: 'open', label: t('inbox.filter.open') },
            { value: '', label: t('table.all') },
            ...STATUSES.map((s) => ({ value: s, label: t(`cabinet.app.statuses.${s}`) })),
          ]}
          data-testid={`${props.testId}-status`}
        />
        {!props.type && (
          <NativeSelect
            label={t('inbox.col.kind')}
            value={type}
            onChange={(e) => setType(e.currentTarget.value)}
            data={[
              { value: '', label: t('table.all') },
              ...APPLICATION_TYPES.map((k) => ({ value: k, label: t(`cabinet.app.types.${k}`) })),
            ]}
          />
        )}
        <NativeSelect
          label={t('inbox.col.assignee')}
          value={assignee}
          onChange={(e) => setAssignee(e.currentTarget.value)}
          data={[
            { value: '', label: t('table.all') },
            { value: 'me', label: t('inbox.filter.me') },
            { value: 'none', label: t('inbox.unassigned') },
          ]}
        />
        <UnitFilter value={orgUnitId} onChange={setOrgUnitId} />
      </SimpleGrid>
      <DataTable<OfficeApplication>
        endpoint="/api/applications"
        filters={{ q, status, type, orgUnitId, assignee }}
        columns={columns}
        rowKey={(r) => r.id}
        defaultSort="createdAt"
        defaultDir="desc"
        exportable
        reloadKey={changed}
        testId={props.testId}
        minWidth={props.type ? 760 : 900}
        empty={
          <Text c="dimmed" data-testid={`${props.testId}-empty`}>
            {t('inbox.none')}
          </Text>
        }
      />
      <ApplicationDrawer
        id={opened}
        onClose={() => setOpened(null)}
        onChanged={() => setChanged((x) => x + 1)}
      />
    </Stack>
  );
}
