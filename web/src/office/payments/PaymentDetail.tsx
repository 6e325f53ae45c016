import {
  Alert,
  Anchor,
  Badge,
  Button,
  Drawer,
  Group,
  LoadingOverlay,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime, formatMoney, formatPeriod } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import type { PaymentDetail as Detail, PaymentRow, PaymentStatus } from './types.ts';

const STATUS_COLOR: Record<PaymentStatus, string> = { booked: 'teal', reversed: 'red', unmatched: 'yellow' };

/** A payment's status as a coloured badge. */
export function StatusBadge({ status }: { status: PaymentStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={STATUS_COLOR[status]}
      variant="light"
      tt="none"
      style={{ overflow: 'visible', flexShrink: 0 }}
    >
      {t(`payments.status.${status}`)}
    </Badge>
  );
}

/** A channel's name in the UI language (the cabinet's names), else the API's. */
export function useChannelName(): (code: string, fallback?: string) => string {
  const { t, i18n } = useTranslation();
  return (code, fallback) =>
    i18n.exists(`cabinet.channels.${code}`) ? t(`cabinet.channels.${code}`) : (fallback ?? code);
}

function Field(props: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {props.label}
      </Text>
      <Text size="sm" component="div">
        {props.children}
      </Text>
    </Stack>
  );
}

/**
 * A payment in a drawer: its data, what it covered (bills, periods, penalties; reversal rows
 * negative), its advance, the receipt, its reversal — and "Reverse" with a reason for those who
 * hold payment.reverse.
 */
export function PaymentDrawer(props: {
  id: string | null;
  canReverse: boolean;
  onClose: () => void;
  onChanged: (row: PaymentRow) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const channelName = useChannelName();
  const narrow = useMediaQuery('(max-width: 48em)');
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reversing, setReversing] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick reloads after a reversal
  useEffect(() => {
    setDetail(null);
    setError(null);
    setReversing(false);
    setReason('');
    if (!props.id) return;
    let live = true;
    api<Detail>('GET', `/api/payments/${props.id}`)
      .then((d) => live && setDetail(d))
      .catch((e: unknown) => live && setError(errorMessage(e, t)));
    return () => {
      live = false;
    };
  }, [props.id, t, tick]);

  const reverse = async () => {
    if (!props.id) return;
    setBusy(true);
    setError(null);
    try {
      const row = await api<PaymentRow>('POST', `/api/payments/${props.id}/reverse`, {
        reason: reason.trim(),
      });
      props.onChanged(row);
      setTick((x) => x + 1);
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const d = detail;
  const byName = (by: NonNullable<Detail['reversal']>['by']) =>
    by ? (by.name ?? t(`payments.actor.${by.type}`)) : '—';

  return (
    <Drawer
      opened={props.id !== null}
      onClose={props.onClose}
      position="right"
      size={narrow ? '100%' : 'lg'}
      title={<Title order={3}>{t('payments.detail.title', { id: props.id ?? '' })}</Title>}
      closeButtonProps={{ 'aria-label': t('payments.close') }}
    >
      <Stack pos="relative" mih={120} data-testid="payment-detail">
        <LoadingOverlay visible={!d && !error} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {d && (
          <>
            <Group justify="space-between">
              <Text fw={700} size="xl">
                {formatMoney(d.amount, lang)}
              </Text>
              <StatusBadge status={d.status} />
            </Group>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <Field label={t('payments.detail.paidOn')}>{formatDate(d.paidOn, lang)}</Field>
              <Field label={t('payments.col.channel')}>{channelName(d.channel, d.channelName)}</Field>
              <Field label={t('payments.col.document')}>{d.externalId}</Field>
              <Field label={t('payments.col.contract')}>{d.contract?.number ?? '—'}</Field>
              <Field label={t('payments.col.consumer')}>{d.consumerName ?? d.payer ?? '—'}</Field>
              <Field label={t('payments.col.orgUnit')}>{d.orgUnit?.name ?? '—'}</Field>
              <Field label={t('payments.detail.bookedAt')}>{formatDateTime(d.bookedAt, lang)}</Field>
              <Field label={t('payments.detail.bookedBy')}>{d.bookedBy?.name ?? '—'}</Field>
              {d.purpose && <Field label={t('payments.detail.purpose')}>{d.purpose}</Field>}
              {d.payer && d.consumerName && <Field label={t('payments.detail.payer')}>{d.payer}</Field>}
            </SimpleGrid>

            {d.reversal && (
              <Alert color="red" variant="light" data-testid="reversal">
                <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
                  <Field label={t('payments.detail.reversedOn')}>{formatDate(d.reversal.on, lang)}</Field>
                  <Field label={t('payments.detail.reversedBy')}>{byName(d.reversal.by)}</Field>
                  <Field label={t('payments.detail.reason')}>{d.reversal.reason ?? '—'}</Field>
                </SimpleGrid>
              </Alert>
            )}

            <Title order={4}>{t('payments.detail.allocations')}</Title>
            {d.allocations.length === 0 ? (
              <Text size="sm" c="dimmed">
                {d.status === 'booked' ? t('payments.detail.noAllocations') : '—'}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={420}>
                <Table striped data-testid="allocations">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('payments.detail.period')}</Table.Th>
                      <Table.Th>{t('payments.detail.kind')}</Table.Th>
                      <Table.Th>{t('payments.detail.bill')}</Table.Th>
                      <Table.Th>{t('payments.detail.allocatedOn')}</Table.Th>
                      <Table.Th ta="right">{t('payments.col.amount')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.allocations.map((a) => (
                      <Table.Tr key={a.id}>
                        <Table.Td>{formatPeriod(a.bill.period, lang)}</Table.Td>
                        <Table.Td>
                          {i18n.exists(`payments.kind.${a.line.kind}`)
                            ? t(`payments.kind.${a.line.kind}`)
                            : a.line.kind}
                          {a.line.forPeriod && (
                            <Text size="xs" c="dimmed">
                              {t('payments.detail.forPeriod', {
                                period: formatPeriod(a.line.forPeriod, lang),
                              })}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{a.bill.number ?? '—'}</Table.Td>
                        <Table.Td>{formatDate(a.allocatedOn, lang)}</Table.Td>
                        <Table.Td ta="right" c={a.amount.startsWith('-') ? 'red' : undefined}>
                          {formatMoney(a.amount, lang)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            <Group gap="xl">
              <Field label={t('payments.detail.allocated')}>{formatMoney(d.allocated, lang)}</Field>
              <Field label={t('payments.detail.advance')}>{formatMoney(d.advance, lang)}</Field>
            </Group>

            <Group>
              {d.contract && (
                <Anchor
                  href={`/api/payments/${d.id}/receipt?lang=${encodeURIComponent(lang)}`}
                  target="_blank"
                  rel="noopener"
                >
                  {t('payments.detail.receipt')}
                </Anchor>
              )}
            </Group>

            {props.canReverse && d.status === 'booked' && !reversing && (
              <Group>
                <Button
                  color="red"
                  variant="light"
                  onClick={() => setReversing(true)}
                  data-testid="reverse-open"
                >
                  {t('payments.reverse.button')}
                </Button>
              </Group>
            )}
            {props.canReverse && d.status === 'unmatched' && (
              <Text size="sm" c="dimmed">
                {t('payments.reverse.unmatched')}
              </Text>
            )}
            {reversing && d.status === 'booked' && (
              <Stack gap="xs" data-testid="reverse-form">
                <Textarea
                  label={t('payments.reverse.reason')}
                  description={t('payments.reverse.hint')}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  minLength={3}
                  maxLength={500}
                  autosize
                  minRows={2}
                  required
                  data-autofocus
                />
                <Group>
                  <Button
                    color="red"
                    loading={busy}
                    disabled={reason.trim().length < 3}
                    onClick={() => void reverse()}
                    data-testid="reverse-confirm"
                  >
                    {t('payments.reverse.confirm')}
                  </Button>
                  <Button variant="subtle" onClick={() => setReversing(false)}>
                    {t('payments.reverse.cancel')}
                  </Button>
                </Group>
              </Stack>
            )}
          </>
        )}
      </Stack>
    </Drawer>
  );
}
