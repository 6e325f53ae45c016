import { Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime, formatDecimal } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { OrgUnitSelect, useOrgUnits } from '../org-units.tsx';
import { type Column, DataTable } from '../table/DataTable.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import type { ConfirmationRow, PendingReading } from './confirm-types.ts';

/**
 * Readings waiting for a signed confirmation (R3.4): the queue of submitted readings in the user's
 * scope (filters, sort, XLSX), "Sign and confirm" on the ticked rows, and the confirmations made,
 * each with its document and .p7s.
 */
export function ConfirmPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { user } = useSession();
  const canConfirm = user?.permissions.includes('reading.confirm') ?? false;
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const [period, setPeriod] = useState('');
  const [orgUnitId, setOrgUnitId] = useState('');
  const units = useOrgUnits();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [signing, setSigning] = useState<string[] | null>(null);
  const [reload, setReload] = useState(0);

  const pendingColumns: Column<PendingReading>[] = [
    {
      key: 'readOn',
      label: t('confirm.col.readOn'),
      sortable: true,
      render: (r) => formatDate(r.readOn, lang),
    },
    { key: 'contract', label: t('confirm.col.contract'), sortable: true, render: (r) => r.contract.number },
    {
      key: 'consumer',
      label: t('confirm.col.consumer'),
      sortable: true,
      render: (r) => (
        <Text size="sm" lineClamp={2}>
          {r.consumer}
        </Text>
      ),
    },
    {
      key: 'meter',
      label: t('confirm.col.meter'),
      sortable: true,
      render: (r) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {r.meter} · {r.obis}
        </Text>
      ),
    },
    {
      key: 'value',
      label: t('confirm.col.value'),
      sortable: true,
      align: 'right',
      render: (r) => (
        <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
          {formatDecimal(r.value, lang)}
        </Text>
      ),
    },
    {
      key: 'previous',
      label: t('confirm.col.previous'),
      align: 'right',
      render: (r) =>
        r.previous ? (
          <Stack gap={0} align="flex-end">
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              {formatDecimal(r.previous.value, lang)}
            </Text>
            <Text size="xs" c="dimmed">
              {formatDate(r.previous.readOn, lang)}
            </Text>
          </Stack>
        ) : (
          '—'
        ),
    },
    {
      key: 'advance',
      label: t('confirm.col.advance'),
      align: 'right',
      render: (r) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }} c={r.advance === null ? 'red' : undefined}>
          {r.advance === null ? '—' : formatDecimal(r.advance, lang)}
        </Text>
      ),
    },
    { key: 'source', label: t('confirm.col.source'), render: (r) => t(`confirm.sources.${r.source}`) },
    {
      key: 'enteredAt',
      label: t('confirm.col.entered'),
      sortable: true,
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm">{r.enteredBy ?? '—'}</Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(r.enteredAt, lang)}
          </Text>
        </Stack>
      ),
    },
    { key: 'orgUnit', label: t('confirm.col.orgUnit'), render: (r) => r.orgUnit },
  ];

  const historyColumns: Column<ConfirmationRow>[] = [
    { key: 'id', label: t('confirm.history.number'), render: (r) => r.id },
    {
      key: 'createdAt',
      label: t('confirm.history.createdAt'),
      sortable: true,
      render: (r) => formatDateTime(r.createdAt, lang),
    },
    {
      key: 'readingCount',
      label: t('confirm.history.count'),
      sortable: true,
      align: 'right',
      render: (r) => r.readingCount,
    },
    {
      key: 'signer',
      label: t('confirm.history.signer'),
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm">{r.signer?.commonName ?? r.preparedBy}</Text>
          {r.confirmedAt && (
            <Text size="xs" c="dimmed">
              {formatDateTime(r.confirmedAt, lang)}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      key: 'files',
      label: t('confirm.history.files'),
      render: (r) => (
        <Group gap="xs" wrap="nowrap">
          <a href={`/api/readings/confirmations/${r.id}/document`} download>
            {t('confirm.history.document')}
          </a>
          <a href={`/api/readings/confirmations/${r.id}/p7s`} download>
            {t('confirm.history.p7s')}
          </a>
        </Group>
      ),
    },
  ];

  return (
    <Stack>
      <Title order={2}>{t('confirm.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('confirm.intro')}
      </Text>
      {canConfirm && (
        <Card withBorder>
          <Stack>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
              <TextInput
                label={t('table.search')}
                placeholder={t('confirm.filter.q')}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
              />
              <TextInput
                type="month"
                label={t('confirm.filter.period')}
                value={period}
                onChange={(e) => setPeriod(e.currentTarget.value)}
              />
              <OrgUnitSelect
                units={units}
                label={t('confirm.filter.orgUnit')}
                value={orgUnitId}
                onChange={setOrgUnitId}
              />
            </SimpleGrid>
            <Group justify="space-between" wrap="wrap">
              <Text size="sm" data-testid="confirm-selected">
                {t('confirm.selected', { count: selected.size })}
              </Text>
              <Button disabled={selected.size === 0} onClick={() => setSigning([...selected])}>
                {t('confirm.signButton')}
              </Button>
            </Group>
            <DataTable<PendingReading>
              endpoint="/api/readings/confirmations/pending"
              filters={{ q, period, orgUnitId }}
              columns={pendingColumns}
              rowKey={(r) => r.id}
              defaultSort="readOn"
              exportable
              reloadKey={reload}
              selection={{ selected, onChange: setSelected }}
              testId="pending-table"
              minWidth={1000}
              empty={
                <Group p="md">
                  <Text c="dimmed">{t('confirm.empty')}</Text>
                </Group>
              }
            />
          </Stack>
        </Card>
      )}
      <Title order={3} size="h4">
        {t('confirm.history.title')}
      </Title>
      <DataTable<ConfirmationRow>
        endpoint="/api/readings/confirmations"
        filters={{ status: 'signed' }}
        columns={historyColumns}
        rowKey={(r) => r.id}
        defaultSort="createdAt"
        defaultDir="desc"
        reloadKey={reload}
        testId="confirmations-table"
        minWidth={720}
        empty={
          <Group p="md">
            <Text c="dimmed">{t('confirm.history.empty')}</Text>
          </Group>
        }
      />
      <ConfirmDialog
        readingIds={signing}
        onClose={() => setSigning(null)}
        onConfirmed={() => {
          setSelected(new Set());
          setReload((x) => x + 1);
        }}
      />
    </Stack>
  );
}
