import { Badge, Card, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney, formatPeriod } from '../../format.ts';
import type { Bill, Payment } from './types.ts';

/** A labelled value of a card; an empty value shows a dash. */
export function Field({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" data-testid={testId} style={{ overflowWrap: 'anywhere' }}>
        {value === null || value === undefined || value === '' ? '—' : value}
      </Text>
    </Stack>
  );
}

/** Fields in two columns on wide screens, one on a phone. */
export function Fields({ children }: { children: ReactNode }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" verticalSpacing="sm">
      {children}
    </SimpleGrid>
  );
}

/** A titled block. */
export function Section({
  title,
  children,
  right,
}: {
  title: ReactNode;
  children: ReactNode;
  right?: ReactNode;
}) {
  return (
    <Card withBorder padding="md" radius="md">
      <Stack gap="sm">
        <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap' }}>
          <Text fw={700}>{title}</Text>
          {right}
        </div>
        {children}
      </Stack>
    </Card>
  );
}

/** A balance as debt (red), advance (green) or settled. */
export function BalanceBadge({ amount, testId }: { amount: string; testId?: string }) {
  const { t } = useTranslation();
  const negative = amount.startsWith('-');
  const zero = /^-?0+(\.0+)?$/.test(amount);
  const label = zero ? t('consumers.settled') : negative ? t('consumers.advance') : t('consumers.debt');
  return (
    <Stack gap={2}>
      <Text size="xl" fw={700} c={zero ? undefined : negative ? 'green' : 'red'} data-testid={testId}>
        {formatMoney(negative ? amount.slice(1) : amount)}
      </Text>
      <Badge variant="light" color={zero ? 'gray' : negative ? 'green' : 'red'}>
        {label}
      </Badge>
    </Stack>
  );
}

/** A small table that scrolls sideways on a phone. */
export function SmallTable({ head, rows, testId }: { head: string[]; rows: ReactNode[][]; testId?: string }) {
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table striped fz="sm" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {head.map((h) => (
              <Table.Th key={h}>{h}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are fixed for one render
            <Table.Tr key={i}>
              {r.map((c, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                <Table.Td key={j}>{c}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The last bills of an account; the amount comes second so that a phone shows it unscrolled. */
export function BillsTable({ bills, testId }: { bills: Bill[]; testId?: string }) {
  const { t } = useTranslation();
  if (bills.length === 0) return <Text c="dimmed">{t('consumers.noBills')}</Text>;
  return (
    <SmallTable
      testId={testId}
      head={[
        t('consumers.period'),
        t('consumers.amount'),
        t('consumers.billNumber'),
        t('consumers.issuedOn'),
      ]}
      rows={bills.map((b) => [
        formatPeriod(b.period),
        <Text key="a" size="sm" ta="right" style={{ whiteSpace: 'nowrap' }}>
          {formatMoney(b.total)}
        </Text>,
        b.number ?? t('consumers.preliminary'),
        b.issuedOn ? formatDate(b.issuedOn) : '—',
      ])}
    />
  );
}

/** The last payments of an account; a reversed one is struck through. */
export function PaymentsTable({ payments, testId }: { payments: Payment[]; testId?: string }) {
  const { t } = useTranslation();
  if (payments.length === 0) return <Text c="dimmed">{t('consumers.noPayments')}</Text>;
  return (
    <SmallTable
      testId={testId}
      head={[t('consumers.paidOn'), t('consumers.amount'), t('consumers.channel'), t('consumers.status')]}
      rows={payments.map((p) => [
        formatDate(p.paidOn),
        <Text
          key="a"
          size="sm"
          ta="right"
          style={{ whiteSpace: 'nowrap' }}
          td={p.status === 'reversed' ? 'line-through' : undefined}
        >
          {formatMoney(p.amount)}
        </Text>,
        p.channel,
        p.status === 'reversed'
          ? `${t('consumers.reversed')} ${p.reversedOn ? formatDate(p.reversedOn) : ''}`
          : t('consumers.booked'),
      ])}
    />
  );
}
