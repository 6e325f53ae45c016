import {
  Alert,
  Anchor,
  Button,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDate, formatMoney } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { queryOf } from '../table/DataTable.tsx';
import type { Reconciliation } from './types.ts';

function Section<T>(props: {
  title: string;
  rows: T[];
  head: string[];
  right?: number[];
  cells: (r: T) => ReactNode[];
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Title order={4}>
        {props.title} ({props.rows.length})
      </Title>
      {props.rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('payments.recon.nothing')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped data-testid={props.testId}>
            <Table.Thead>
              <Table.Tr>
                {props.head.map((h, i) => (
                  <Table.Th key={h} ta={props.right?.includes(i) ? 'right' : undefined}>
                    {h}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {props.rows.map((r, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows of one answer, never reordered
                <Table.Tr key={n}>
                  {props.cells(r).map((c, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                    <Table.Td key={i} ta={props.right?.includes(i) ? 'right' : undefined}>
                      {c}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** The daily reconciliation of a channel (registry lines against booked payments) as tables, and as XLSX. */
export function ReconciliationPage(props: { today: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [channel, setChannel] = useState('bank');
  const [date, setDate] = useState(props.today);
  const [view, setView] = useState<Reconciliation | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const show = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setView(await api<Reconciliation>('GET', `/api/payments/reconciliation?${queryOf({ channel, date })}`));
    } catch (err) {
      setView(null);
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const money = (v: string) => formatMoney(v, lang);
  const s = view?.summary;
  const xlsx = `/api/payments/reconciliation?${queryOf({ channel, date, format: 'xlsx', lang })}`;

  return (
    <Stack>
      <form onSubmit={(e) => void show(e)}>
        <Group align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('payments.recon.channel')}
            value={channel}
            onChange={(e) => setChannel(e.currentTarget.value)}
            data={[
              { value: 'bank', label: t('payments.imports.bank') },
              { value: 'post', label: t('payments.imports.post') },
            ]}
          />
          <TextInput
            type="date"
            label={t('payments.recon.date')}
            value={date}
            max={props.today}
            onChange={(e) => setDate(e.currentTarget.value)}
          />
          <Button type="submit" loading={busy} disabled={!date}>
            {t('payments.recon.show')}
          </Button>
          {view && (
            <Anchor href={xlsx} download>
              {t('payments.recon.download')}
            </Anchor>
          )}
        </Group>
      </form>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {view && s && (
        <Stack data-testid="reconciliation">
          <Text size="sm" c="dimmed">
            {view.batches.length > 0
              ? t('payments.recon.files', { files: view.batches.map((b) => b.fileName).join(', ') })
              : t('payments.recon.noFiles')}
          </Text>
          <Table.ScrollContainer minWidth={420}>
            <Table withTableBorder maw={640} data-testid="recon-summary">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('payments.recon.summary')}</Table.Th>
                  <Table.Th ta="right">{t('payments.recon.count')}</Table.Th>
                  <Table.Th ta="right">{t('payments.col.amount')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(
                  [
                    ['registry', s.registry],
                    ['booked', s.booked],
                    ['matched', s.matched],
                    ['missing', s.missing],
                    ['extra', s.extra],
                  ] as const
                ).map(([k, v]) => (
                  <Table.Tr key={k}>
                    <Table.Td>{t(`payments.recon.${k}`)}</Table.Td>
                    <Table.Td ta="right">{v.count}</Table.Td>
                    <Table.Td ta="right">{money(v.amount)}</Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Td>{t('payments.recon.differentAmount')}</Table.Td>
                  <Table.Td ta="right">{s.differentAmount.count}</Table.Td>
                  <Table.Td ta="right">
                    {money(s.differentAmount.registryAmount)} / {money(s.differentAmount.bookedAmount)}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Section
            title={t('payments.recon.missing')}
            testId="recon-missing"
            rows={view.missing}
            head={[
              t('payments.imports.line'),
              t('payments.col.document'),
              t('payments.detail.payer'),
              t('payments.col.contract'),
              t('payments.col.amount'),
              t('payments.recon.payment'),
            ]}
            right={[4]}
            cells={(r) => [
              r.line,
              r.externalId,
              r.payer ?? '—',
              r.account ?? '—',
              money(r.amount),
              r.payment ? `${r.payment.id} · ${t(`payments.status.${r.payment.status}`)}` : '—',
            ]}
          />
          <Section
            title={t('payments.recon.differentAmount')}
            testId="recon-different"
            rows={view.differentAmount}
            head={[
              t('payments.col.document'),
              t('payments.col.contract'),
              t('payments.recon.registryAmount'),
              t('payments.recon.bookedAmount'),
              t('payments.recon.difference'),
            ]}
            right={[2, 3, 4]}
            cells={(r) => [
              r.externalId,
              r.contractNumber ?? '—',
              money(r.registryAmount),
              money(r.bookedAmount),
              money(r.difference),
            ]}
          />
          <Section
            title={t('payments.recon.extra')}
            testId="recon-extra"
            rows={view.extra}
            head={[
              t('payments.col.document'),
              t('payments.col.contract'),
              t('payments.detail.payer'),
              t('payments.col.amount'),
            ]}
            right={[3]}
            cells={(r) => [r.externalId, r.contractNumber ?? '—', r.payer ?? '—', money(r.amount)]}
          />
          <Section
            title={t('payments.recon.matched')}
            testId="recon-matched"
            rows={view.matched}
            head={[
              t('payments.imports.line'),
              t('payments.col.document'),
              t('payments.detail.payer'),
              t('payments.col.contract'),
              t('payments.col.amount'),
            ]}
            right={[4]}
            cells={(r) => [r.line, r.externalId, r.payer ?? '—', r.contractNumber ?? '—', money(r.amount)]}
          />
          <Text size="xs" c="dimmed">
            {formatDate(view.date, lang)}
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
