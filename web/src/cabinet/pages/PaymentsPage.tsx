import { Anchor, Badge, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney } from '../../format.ts';
import { Loaded, PageTitle } from '../parts.tsx';
import { useCabinetData } from '../session.tsx';
import type { Payments } from '../types.ts';

/** R6 function 4: payments received, with their channel and any reversal. */
export function PaymentsPage() {
  const { t, i18n } = useTranslation();
  const { data, error } = useCabinetData<Payments>('/api/cabinet/payments');
  const lang = i18n.language;
  return (
    <Loaded data={data} error={error}>
      {(p) => (
        <Stack>
          <PageTitle title={t('cabinet.nav.payments')} at={p.dataAsOf} />
          {p.payments.length === 0 ? (
            <Text>{t('cabinet.payments.none')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table striped data-testid="payments">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('cabinet.payments.date')}</Table.Th>
                    <Table.Th>{t('cabinet.payments.channel')}</Table.Th>
                    <Table.Th ta="right">{t('cabinet.payments.amount')}</Table.Th>
                    <Table.Th>{t('cabinet.payments.status')}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t('cabinet.payments.receipt')}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {p.payments.map((m) => (
                    <Table.Tr key={m.id}>
                      <Table.Td>{formatDate(m.paidOn, lang)}</Table.Td>
                      <Table.Td>{t(`cabinet.channels.${m.channel}`)}</Table.Td>
                      <Table.Td ta="right">{formatMoney(m.amount, lang)}</Table.Td>
                      <Table.Td>
                        {m.status === 'reversed' ? (
                          <Badge color="red" variant="light">
                            {t('cabinet.payments.reversed', { date: formatDate(m.reversedOn ?? '', lang) })}
                          </Badge>
                        ) : (
                          <Badge color="teal" variant="light">
                            {t('cabinet.payments.booked')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Anchor
                          href={`/api/cabinet/payments/${m.id}/receipt?lang=${encodeURIComponent(lang)}`}
                          target="_blank"
                          rel="noopener"
                          size="sm"
                        >
                          {t('cabinet.payments.receipt')}
                        </Anchor>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      )}
    </Loaded>
  );
}
