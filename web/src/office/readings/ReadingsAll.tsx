import { Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OrgUnitSelect, useOrgUnits } from '../org-units.tsx';
import { DataTable } from '../table/DataTable.tsx';
import { readingColumns } from './parts.tsx';
import type { ReadingRow } from './types.ts';

const STATUSES = ['submitted', 'suspect', 'accepted', 'rejected'] as const;
const SOURCES = ['cabinet', 'inspector', 'ami', 'operator', 'import'] as const;

/** Every reading of the user's org units, filtered, sorted, and exported to XLSX. */
export function ReadingsAll(props: { reloadKey: number }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState('');
  const [source, setSource] = useState('');
  const [period, setPeriod] = useState('');
  const [orgUnitId, setOrgUnitId] = useState('');
  const [q, setQ] = useState('');
  const [search] = useDebouncedValue(q.trim(), 300);
  // Users without org.read simply get no unit filter; the company itself is no filter.
  const units = useOrgUnits().filter((u) => u.kind !== 'company');

  const any = { value: '', label: t('table.all') };
  return (
    <Stack>
      <Group align="flex-end" wrap="wrap" gap="sm">
        <TextInput
          label={t('readings.all.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={{ base: '100%', xs: 200 }}
        />
        <NativeSelect
          label={t('readings.col.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[any, ...STATUSES.map((s) => ({ value: s, label: t(`readings.status.${s}`) }))]}
        />
        <NativeSelect
          label={t('readings.col.source')}
          value={source}
          onChange={(e) => setSource(e.currentTarget.value)}
          data={[any, ...SOURCES.map((s) => ({ value: s, label: t(`readings.source.${s}`) }))]}
        />
        <TextInput
          type="month"
          label={t('readings.all.period')}
          value={period}
          onChange={(e) => setPeriod(e.currentTarget.value)}
          w={{ base: '100%', xs: 170 }}
        />
        <OrgUnitSelect
          units={units}
          label={t('readings.col.orgUnit')}
          value={orgUnitId}
          onChange={setOrgUnitId}
        />
      </Group>
      <DataTable<ReadingRow>
        endpoint="/api/readings"
        filters={{
          status: status || undefined,
          source: source || undefined,
          period: /^\d{4}-\d{2}$/.test(period) ? period : undefined,
          orgUnitId: orgUnitId || undefined,
          q: search || undefined,
        }}
        columns={readingColumns(t, i18n.language)}
        rowKey={(r) => r.id}
        defaultSort="enteredAt"
        defaultDir="desc"
        exportable
        reloadKey={props.reloadKey}
        testId="readings-all"
        minWidth={980}
      />
    </Stack>
  );
}
