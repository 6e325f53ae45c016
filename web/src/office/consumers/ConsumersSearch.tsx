import { Anchor, Badge, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { OrgUnitSelect, useOrgUnits } from '../org-units.tsx';
import { type Column, DataTable } from '../table/DataTable.tsx';
import { useCanEdit } from './edit-forms.ts';
import type { ConsumerRow } from './types.ts';

/**
 * The consumer search (R2): one box for an account number (exactly, leading zeros count), INN,
 * PINFL, phone, meter serial or the start of a name; filters by kind and org unit; the table pages,
 * sorts and exports on the server. The search lives in the address, so "back" returns to it.
 */
export function ConsumersSearch() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = params.get('kind') ?? '';
  const orgUnitId = params.get('orgUnitId') ?? '';
  const [text, setText] = useState(q);
  const units = useOrgUnits();
  const canEdit = useCanEdit();

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  // The box asks the server a moment after typing stops.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the typed text triggers it
  useEffect(() => {
    const timer = setTimeout(() => {
      if (text.trim() !== q) set('q', text.trim());
    }, 350);
    return () => clearTimeout(timer);
  }, [text]);

  const columns: Column<ConsumerRow>[] = [
    {
      key: 'contract',
      label: t('consumers.contracts'),
      sortable: true,
      render: (r) => <Text ff="monospace">{r.contracts.join(', ')}</Text>,
    },
    {
      key: 'name',
      label: t('consumers.name'),
      sortable: true,
      render: (r) => (
        <Anchor component={Link} to={`/consumers/${r.id}`} data-testid="consumer-link">
          {r.name}
        </Anchor>
      ),
    },
    {
      key: 'kind',
      label: t('consumers.kind'),
      render: (r) => (
        <Badge variant="light" color={r.kind === 'household' ? 'teal' : 'blue'}>
          {t(`consumers.kinds.${r.kind}`)}
        </Badge>
      ),
    },
    { key: 'inn', label: t('consumers.innPinfl'), render: (r) => r.inn ?? r.pinfl ?? '—' },
    { key: 'phone', label: t('consumers.phone'), render: (r) => r.phone ?? '—' },
    { key: 'orgUnit', label: t('consumers.orgUnit'), sortable: true, render: (r) => r.orgUnit.name },
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('consumers.title')}</Title>
        {canEdit && (
          <Button component={Link} to="/consumers/new" data-testid="new-consumer">
            {t('consumers.edit.newConsumer')}
          </Button>
        )}
      </Group>
      <Group align="end" wrap="wrap">
        <TextInput
          label={t('consumers.search')}
          description={t('consumers.searchHint')}
          placeholder={t('consumers.searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') set('q', text.trim());
          }}
          style={{ flex: '1 1 320px' }}
          data-testid="consumer-search"
          type="search"
        />
        <NativeSelect
          label={t('consumers.kind')}
          value={kind}
          onChange={(e) => set('kind', e.currentTarget.value)}
          data={[
            { value: '', label: t('table.all') },
            { value: 'legal', label: t('consumers.kinds.legal') },
            { value: 'entrepreneur', label: t('consumers.kinds.entrepreneur') },
            { value: 'household', label: t('consumers.kinds.household') },
          ]}
          style={{ flex: '0 1 200px' }}
        />
        <OrgUnitSelect
          units={units}
          label={t('consumers.orgUnit')}
          value={orgUnitId}
          onChange={(id) => set('orgUnitId', id)}
          style={{ flex: '0 1 240px' }}
        />
      </Group>
      <DataTable<ConsumerRow>
        endpoint="/api/consumers"
        filters={{ q: q || undefined, kind: kind || undefined, orgUnitId: orgUnitId || undefined }}
        columns={columns}
        rowKey={(r) => r.id}
        defaultSort="name"
        exportable
        testId="consumers-table"
        minWidth={760}
        empty={<Text c="dimmed">{t('consumers.nothingFound')}</Text>}
      />
    </Stack>
  );
}
