import { Anchor, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatDate, formatMoney } from '../../format.ts';
import { OrgUnitSelect, useOrgUnits } from '../org-units.tsx';
import { type Column, DataTable } from '../table/DataTable.tsx';
import { ClaimStatusBadge } from './parts.tsx';
import { CLAIM_KINDS, type ClaimSummary, STATUSES } from './types.ts';

/**
 * The claims of the user's units (GET /api/claims) as an office table: kind, status (open ones by
 * default), unit and search filters, server sort and paging, XLSX; `?contractId=` narrows it to
 * one contract (from the debtor list). A number opens the claim's card.
 */
export function ClaimsList() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [params] = useSearchParams();
  const contractId = params.get('contractId') ?? '';
  const units = useOrgUnits();
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState(contractId ? '' : 'open');
  const [unitId, setUnitId] = useState('');
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const statuses = kind
    ? (STATUSES[kind as keyof typeof STATUSES] ?? [])
    : [...new Set(Object.values(STATUSES).flat())];

  const columns: Column<ClaimSummary>[] = [
    {
      key: 'number',
      label: t('claims.col.number'),
      sortable: true,
      render: (r) => (
        <Anchor
          component={Link}
          to={`/claims/${r.id}`}
          size="sm"
          style={{ whiteSpace: 'nowrap' }}
          aria-label={t('claims.list.open_label', { number: r.number })}
        >
          {r.number}
        </Anchor>
      ),
    },
    {
      key: 'openedOn',
      label: t('claims.col.date'),
      sortable: true,
      render: (r) => formatDate(r.openedOn, lang),
    },
    {
      key: 'kind',
      label: t('claims.col.kind'),
      sortable: true,
      render: (r) => (
        <>
          <Text size="sm">{t(`claims.kinds.${r.kind}`)}</Text>
          {r.ground && (
            <Text size="xs" c="dimmed">
              {t(`claims.grounds.${r.ground}`)}
            </Text>
          )}
        </>
      ),
    },
    {
      key: 'status',
      label: t('claims.col.status'),
      sortable: true,
      render: (r) => <ClaimStatusBadge status={r.status} />,
    },
    {
      key: 'consumer',
      label: t('claims.col.consumer'),
      sortable: true,
      render: (r) => (
        <>
          <Text size="sm">{r.consumer.name}</Text>
          <Text size="xs" c="dimmed">
            {r.contract.number} · {r.orgUnit.name}
          </Text>
        </>
      ),
    },
    {
      key: 'debtAmount',
      label: t('claims.col.amount'),
      sortable: true,
      align: 'right',
      render: (r) => <span style={{ whiteSpace: 'nowrap' }}>{formatMoney(r.totalAmount, lang)}</span>,
    },
    {
      key: 'dueOn',
      label: t('claims.col.due'),
      sortable: true,
      render: (r) =>
        r.hearingOn && r.kind === 'court_case'
          ? formatDate(r.hearingOn, lang)
          : r.dueOn
            ? formatDate(r.dueOn, lang)
            : '—',
    },
  ];

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
        <NativeSelect
          label={t('claims.col.kind')}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value)}
          data={[
            { value: '', label: t('table.all') },
            ...CLAIM_KINDS.map((k) => ({ value: k, label: t(`claims.kinds.${k}`) })),
          ]}
          data-testid="claims-kind"
        />
        <NativeSelect
          label={t('claims.col.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[
            { value: 'open', label: t('claims.list.open') },
            { value: 'closed', label: t('claims.list.closed') },
            { value: '', label: t('table.all') },
            ...statuses.map((s) => ({ value: s, label: t(`claims.statuses.${s}`) })),
          ]}
          data-testid="claims-status"
        />
        <OrgUnitSelect units={units} label={t('claims.col.unit')} value={unitId} onChange={setUnitId} />
        <TextInput
          label={t('table.search')}
          placeholder={t('claims.list.searchHint')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="claims-search"
        />
      </SimpleGrid>
      <DataTable<ClaimSummary>
        endpoint="/api/claims"
        filters={{ kind, status, orgUnitId: unitId, contractId, q }}
        columns={columns}
        rowKey={(r) => r.id}
        defaultSort="openedOn"
        defaultDir="desc"
        exportable
        testId="claims-table"
        minWidth={900}
        empty={
          <Text c="dimmed" data-testid="claims-empty">
            {t('claims.list.none')}
          </Text>
        }
      />
    </Stack>
  );
}
