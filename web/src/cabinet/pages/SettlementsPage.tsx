import { Badge, Card, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMoney, formatPeriod, formatPeriodShort } from '../../format.ts';
import { BarChart } from '../BarChart.tsx';
import { Loaded, PageTitle } from '../parts.tsx';
import { useCabinetData } from '../session.tsx';
import type { Settlements } from '../types.ts';

/** R6 function 3: twelve months of accruals, payments and balance, with a chart. */
export function SettlementsPage() {
  const { t, i18n } = useTranslation();
  const { data, error } = useCabinetData<Settlements>('/api/cabinet/settlements');
  const lang = i18n.language;
  return (
    <Loaded data={data} error={error}>
      {(s) => (
        <Stack>
          <PageTitle title={t('cabinet.nav.settlements')} at={s.dataAsOf} />
          <Card withBorder>
            <BarChart
              title={t('cabinet.settlements.chart')}
              labels={s.months.map((m) => formatPeriodShort(m.period, lang))}
              series={[
                {
                  name: t('cabinet.settlements.charges'),
                  color: 'var(--mantine-color-blue-6)',
                  values: s.months.map((m) => Number(m.charges)),
                },
                {
                  name: t('cabinet.settlements.payments'),
                  color: 'var(--mantine-color-teal-6)',
                  values: s.months.map((m) => Number(m.payments)),
                },
              ]}
            />
          </Card>
          <Table.ScrollContainer minWidth={640}>
            <Table striped data-testid="settlements">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('cabinet.settlements.period')}</Table.Th>
                  <Table.Th ta="right">{t('cabinet.settlements.opening')}</Table.Th>
                  <Table.Th ta="right">{t('cabinet.settlements.charges')}</Table.Th>
                  <Table.Th ta="right">{t('cabinet.settlements.payments')}</Table.Th>
                  <Table.Th ta="right">{t('cabinet.settlements.closing')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.months.map((m) => (
                  <Table.Tr key={m.period}>
                    <Table.Td>
                      {formatPeriod(m.period, lang)}{' '}
                      {!m.closed && (
                        <Badge size="xs" variant="light" color="gray">
                          {t('cabinet.settlements.open')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{formatMoney(m.opening, lang)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(m.charges, lang)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(m.payments, lang)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(m.closing, lang)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th>{t('cabinet.settlements.total')}</Table.Th>
                  <Table.Th ta="right">{formatMoney(s.opening, lang)}</Table.Th>
                  <Table.Th ta="right">{formatMoney(s.totals.charges, lang)}</Table.Th>
                  <Table.Th ta="right">{formatMoney(s.totals.payments, lang)}</Table.Th>
                  <Table.Th ta="right">{formatMoney(s.closing, lang)}</Table.Th>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>
          <Text size="sm" c="dimmed">
            {t('cabinet.settlements.note')}
          </Text>
        </Stack>
      )}
    </Loaded>
  );
}
