import { Anchor, Button, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, formatMoney, formatPeriod } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { OrgUnitSelect, useOrgUnits } from '../org-units.tsx';
import { type Column, DataTable } from '../table/DataTable.tsx';
import { NewClaimModal } from './NewClaimModal.tsx';
import { todayInTashkent } from './parts.tsx';
import type { ClaimDraft, Debtor } from './types.ts';

/**
 * The debtor list (GET /api/claims/debtors): contracts of the user's units with a debt on a day
 * above a minimum and overdue by more than N days, with the oldest unpaid period, the last payment
 * and the open claims; server paging, sorting, filters and XLSX. "New claim" on a row opens the
 * form for that contract (claim.write).
 */
export function DebtorsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { user } = useSession();
  const canWrite = user?.permissions.includes('claim.write') ?? false;
  const units = useOrgUnits();
  const [on, setOn] = useState(todayInTashkent());
  const [minDebtText, setMinDebt] = useState('');
  const [minDaysText, setMinDays] = useState('30');
  const [hasOpenClaim, setHasOpenClaim] = useState('');
  const [consumerKind, setConsumerKind] = useState('');
  const [unitId, setUnitId] = useState('');
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const [minDebt] = useDebouncedValue(minDebtText.trim().replace(',', '.'), 400);
  const [minDays] = useDebouncedValue(minDaysText.trim(), 400);
  const [draft, setDraft] = useState<ClaimDraft | null>(null);
  const [changed, setChanged] = useState(0);

  const columns: Column<Debtor>[] = [
    {
      key: 'contract',
      label: t('claims.col.contract'),
      sortable: true,
      render: (r) => (
        <Anchor component={Link} to={`/consumers/vitrina/${r.contractId}?on=${on}`} size="sm">
          {r.contract}
        </Anchor>
      ),
    },
    {
      key: 'consumer',
      label: t('claims.col.consumer'),
      sortable: true,
      render: (r) => (
        <>
          <Text size="sm">{r.consumer.name}</Text>
          <Text size="xs" c="dimmed">
            {[r.consumer.inn ? t('claims.inn', { inn: r.consumer.inn }) : null, r.orgUnit.name]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </>
      ),
    },
    {
      key: 'debt',
      label: t('claims.col.debt'),
      sortable: true,
      align: 'right',
      render: (r) => (
        <Text size="sm" fw={700} c="red" style={{ whiteSpace: 'nowrap' }}>
          {formatMoney(r.debt, lang)}
        </Text>
      ),
    },
    {
      key: 'overdueDebt',
      label: t('claims.col.overdue'),
      sortable: true,
      align: 'right',
      render: (r) => <span style={{ whiteSpace: 'nowrap' }}>{formatMoney(r.overdueDebt, lang)}</span>,
    },
    {
      key: 'oldestPeriod',
      label: t('claims.col.oldest'),
      sortable: true,
      render: (r) => (r.oldestPeriod ? formatPeriod(r.oldestPeriod, lang) : '—'),
    },
    {
      key: 'daysOverdue',
      label: t('claims.col.days'),
      sortable: true,
      align: 'right',
      render: (r) => r.daysOverdue,
    },
    {
      key: 'lastPaymentOn',
      label: t('claims.col.lastPayment'),
      sortable: true,
      render: (r) =>
        r.lastPayment ? (
          <>
            <Text size="sm">{formatDate(r.lastPayment.paidOn, lang)}</Text>
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {formatMoney(r.lastPayment.amount, lang)}
            </Text>
          </>
        ) : (
          '—'
        ),
    },
    {
      key: 'openClaims',
      label: t('claims.col.openClaims'),
      sortable: true,
      align: 'right',
      render: (r) => (
        <Anchor component={Link} to={`/claims/list?contractId=${r.contractId}`} size="sm">
          {r.openClaims}
        </Anchor>
      ),
    },
    ...(canWrite
      ? [
          {
            key: 'actions',
            label: '',
            render: (r: Debtor) => (
              <Button
                size="compact-sm"
                variant="light"
                data-testid={`new-claim-${r.contract}`}
                onClick={() =>
                  setDraft({
                    contractId: r.contractId,
                    contract: r.contract,
                    consumer: r.consumer.name,
                    debt: r.debt,
                  })
                }
              >
                {t('claims.newClaim')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4, lg: 7 }} spacing="sm">
        <TextInput
          type="date"
          label={t('claims.debtors.on')}
          value={on}
          max={todayInTashkent()}
          onChange={(e) => setOn(e.currentTarget.value || todayInTashkent())}
          data-testid="debtors-on"
        />
        <TextInput
          label={t('claims.debtors.minDebt')}
          inputMode="decimal"
          value={minDebtText}
          onChange={(e) => setMinDebt(e.currentTarget.value)}
          data-testid="debtors-min-debt"
        />
        <TextInput
          label={t('claims.debtors.minDays')}
          inputMode="numeric"
          value={minDaysText}
          onChange={(e) => setMinDays(e.currentTarget.value.replace(/\D/g, ''))}
          data-testid="debtors-min-days"
        />
        <NativeSelect
          label={t('claims.debtors.claims')}
          value={hasOpenClaim}
          onChange={(e) => setHasOpenClaim(e.currentTarget.value)}
          data={[
            { value: '', label: t('table.all') },
            { value: 'false', label: t('claims.debtors.withoutClaim') },
            { value: 'true', label: t('claims.debtors.withClaim') },
          ]}
          data-testid="debtors-has-claim"
        />
        <NativeSelect
          label={t('claims.debtors.consumerKind')}
          value={consumerKind}
          onChange={(e) => setConsumerKind(e.currentTarget.value)}
          data={[
            { value: '', label: t('table.all') },
            ...['legal', 'entrepreneur', 'household'].map((k) => ({
              value: k,
              label: t(`consumers.kinds.${k}`),
            })),
          ]}
        />
        <OrgUnitSelect units={units} label={t('claims.col.unit')} value={unitId} onChange={setUnitId} />
        <TextInput
          label={t('table.search')}
          placeholder={t('claims.debtors.searchHint')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="debtors-search"
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('claims.debtors.help')}
      </Text>
      <DataTable<Debtor>
        endpoint="/api/claims/debtors"
        filters={{
          on,
          minDebt: /^\d+(\.\d{1,2})?$/.test(minDebt) ? minDebt : undefined,
          minDays: minDays || undefined,
          hasOpenClaim,
          consumerKind,
          orgUnitId: unitId,
          q,
        }}
        columns={columns}
        rowKey={(r) => r.contractId}
        defaultSort="debt"
        defaultDir="desc"
        exportable
        reloadKey={changed}
        testId="debtors-table"
        minWidth={1000}
        empty={
          <Text c="dimmed" data-testid="debtors-empty">
            {t('claims.debtors.none')}
          </Text>
        }
      />
      <NewClaimModal
        draft={draft}
        onClose={() => setDraft(null)}
        onCreated={() => {
          setDraft(null);
          setChanged((x) => x + 1);
        }}
      />
    </Stack>
  );
}
