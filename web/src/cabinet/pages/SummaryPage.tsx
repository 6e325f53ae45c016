import { Badge, Button, Card, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, formatMoney, formatPeriod, formatQuantity } from '../../format.ts';
import { Loaded, PageTitle } from '../parts.tsx';
import { useCabinetData } from '../session.tsx';
import type { Summary } from '../types.ts';

/** R6 function 5: the current bill, debt or advance, the last payment and last period's consumption. */
export function SummaryPage() {
  const { t, i18n } = useTranslation();
  const { data, error } = useCabinetData<Summary>('/api/cabinet/summary');
  const lang = i18n.language;
  return (
    <Loaded data={data} error={error}>
      {(s) => {
        const debt = s.balance.startsWith('-')
          ? 'advance'
          : /^0(\.0+)?$/.test(s.balance)
            ? 'settled'
            : 'debt';
        const amount = s.balance.replace(/^-/, '');
        return (
          <Stack>
            <PageTitle title={t('cabinet.nav.summary')} at={s.dataAsOf} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Card withBorder data-testid="balance">
                <Text size="sm" c="dimmed">
                  {t(`cabinet.summary.${debt}`)}
                </Text>
                <Text
                  size="xl"
                  fw={700}
                  c={debt === 'debt' ? 'red.8' : debt === 'advance' ? 'teal.8' : undefined}
                >
                  {formatMoney(amount, lang)}
                </Text>
                <Button
                  component={Link}
                  to="/cabinet/pay"
                  size="xs"
                  mt="xs"
                  w="fit-content"
                  data-testid="pay"
                >
                  {t('cabinet.summary.pay')}
                </Button>
              </Card>
              <Card withBorder data-testid="current-bill">
                <Text size="sm" c="dimmed">
                  {t('cabinet.summary.currentBill')}
                </Text>
                {s.currentBill ? (
                  <Stack gap={2}>
                    <Text size="xl" fw={700}>
                      {formatMoney(s.currentBill.total, lang)}
                    </Text>
                    <Text size="sm">
                      {formatPeriod(s.currentBill.period, lang)}
                      {s.currentBill.number ? ` · № ${s.currentBill.number}` : ''}
                    </Text>
                    <Text size="sm">
                      {t('cabinet.summary.vat')}: {formatMoney(s.currentBill.vat, lang)}
                    </Text>
                    {s.currentBill.dueOn && (
                      <Text size="sm">
                        {t('cabinet.summary.dueOn')}: {formatDate(s.currentBill.dueOn, lang)}
                      </Text>
                    )}
                    <Badge variant="light" color={s.currentBill.status === 'issued' ? 'blue' : 'gray'}>
                      {t(`cabinet.summary.${s.currentBill.status}`)}
                    </Badge>
                  </Stack>
                ) : (
                  <Text>{t('cabinet.summary.noBill')}</Text>
                )}
              </Card>
              <Card withBorder data-testid="last-payment">
                <Text size="sm" c="dimmed">
                  {t('cabinet.summary.lastPayment')}
                </Text>
                {s.lastPayment ? (
                  <>
                    <Text size="xl" fw={700}>
                      {formatMoney(s.lastPayment.amount, lang)}
                    </Text>
                    <Text size="sm">
                      {formatDate(s.lastPayment.paidOn, lang)} ·{' '}
                      {t(`cabinet.channels.${s.lastPayment.channel}`)}
                    </Text>
                  </>
                ) : (
                  <Text>{t('cabinet.summary.noPayment')}</Text>
                )}
              </Card>
              <Card withBorder data-testid="last-consumption">
                <Text size="sm" c="dimmed">
                  {t('cabinet.summary.lastConsumption')}
                </Text>
                {s.currentBill?.consumption ? (
                  <>
                    <Text size="xl" fw={700}>
                      {formatQuantity(s.currentBill.consumption, lang)} {t(`cabinet.units.${s.unit}`)}
                    </Text>
                    <Text size="sm">{formatPeriod(s.currentBill.period, lang)}</Text>
                  </>
                ) : (
                  <Text>—</Text>
                )}
              </Card>
            </SimpleGrid>
          </Stack>
        );
      }}
    </Loaded>
  );
}
