import { Anchor, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { OrgUnitSelect, useOrgUnits } from '../org-units.tsx';
import { type Column, DataTable } from '../table/DataTable.tsx';
import { PaymentDrawer, StatusBadge, useChannelName } from './PaymentDetail.tsx';
import type { Desk, PaymentRow } from './types.ts';

/**
 * The payments in the user's scope (GET /api/payments): filters (text, status, channel, dates,
 * org unit), server sort and paging, XLSX export; a payment opens in a drawer.
 */
export function PaymentsList(props: { desk: Desk; reloadKey: number; initialQuery?: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { user } = useSession();
  const channelName = useChannelName();
  const [text, setText] = useState(props.initialQuery ?? '');
  const [q] = useDebouncedValue(text.trim(), 300);
  const [status, setStatus] = useState('');
  const [channel, setChannel] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [orgUnitId, setOrgUnitId] = useState('');
  const units = useOrgUnits();
  const [open, setOpen] = useState<string | null>(null);
  const [changed, setChanged] = useState(0);

  const canReverse = user?.permissions.includes('payment.reverse') ?? false;

  const columns: Column<PaymentRow>[] = [
    {
      key: 'paidOn',
      label: t('payments.col.paidOn'),
      sortable: true,
      render: (r) => (
        <Anchor
          component="button"
          type="button"
          onClick={() => setOpen(r.id)}
          aria-label={t('payments.open', { id: r.id })}
          size="sm"
        >
          {formatDate(r.paidOn, lang)}
        </Anchor>
      ),
    },
    {
      key: 'amount',
      label: t('payments.col.amount'),
      sortable: true,
      align: 'right',
      render: (r) => (
        <Text
          size="sm"
          td={r.status === 'reversed' ? 'line-through' : undefined}
          style={{ whiteSpace: 'nowrap' }}
        >
          {formatMoney(r.amount, lang)}
        </Text>
      ),
    },
    {
      key: 'contract',
      label: t('payments.col.contract'),
      sortable: true,
      render: (r) => r.contract?.number ?? '—',
    },
    {
      key: 'consumer',
      label: t('payments.col.consumer'),
      render: (r) => (
        <Text size="sm" lineClamp={2}>
          {r.consumerName ?? r.payer ?? '—'}
        </Text>
      ),
    },
    {
      key: 'channel',
      label: t('payments.col.channel'),
      render: (r) => channelName(r.channel, r.channelName),
    },
    {
      key: 'document',
      label: t('payments.col.document'),
      render: (r) => (
        <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {r.externalId}
        </Text>
      ),
    },
    // A district user's payments are all of the district: the column says something only above it.
    ...(units.length > 1
      ? [
          {
            key: 'orgUnit',
            label: t('payments.col.orgUnit'),
            render: (r: PaymentRow) => r.orgUnit?.name ?? '—',
          },
        ]
      : []),
    { key: 'status', label: t('payments.col.status'), render: (r) => <StatusBadge status={r.status} /> },
  ];

  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 4, lg: 7 }} spacing="sm">
        <TextInput
          label={t('table.search')}
          placeholder={t('payments.filter.q')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="payments-search"
          style={{ gridColumn: 'span 2' }}
        />
        <NativeSelect
          label={t('payments.filter.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[
            { value: '', label: t('payments.filter.all') },
            ...(['booked', 'reversed', 'unmatched'] as const).map((s) => ({
              value: s,
              label: t(`payments.status.${s}`),
            })),
          ]}
        />
        <NativeSelect
          label={t('payments.filter.channel')}
          value={channel}
          onChange={(e) => setChannel(e.currentTarget.value)}
          data={[
            { value: '', label: t('payments.filter.all') },
            ...props.desk.channels.map((c) => ({ value: c.code, label: channelName(c.code, c.name) })),
          ]}
        />
        <TextInput
          type="date"
          label={t('table.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('table.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
        <OrgUnitSelect
          units={units}
          label={t('payments.filter.orgUnit')}
          value={orgUnitId}
          onChange={setOrgUnitId}
        />
      </SimpleGrid>
      <DataTable<PaymentRow>
        endpoint="/api/payments"
        filters={{ q, status, channel, from, to, orgUnitId }}
        columns={columns}
        rowKey={(r) => r.id}
        defaultSort="paidOn"
        defaultDir="desc"
        exportable
        reloadKey={props.reloadKey + changed}
        testId="payments-table"
        minWidth={900}
        empty={
          <Group p="md">
            <Text c="dimmed">{t('payments.empty')}</Text>
          </Group>
        }
      />
      <PaymentDrawer
        id={open}
        canReverse={canReverse}
        onClose={() => setOpen(null)}
        onChanged={() => setChanged((x) => x + 1)}
      />
    </Stack>
  );
}
