import { Anchor, Button, Card, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney, formatPeriod } from '../../format.ts';
import { Loaded, PageTitle } from '../parts.tsx';
import { useCabinetData } from '../session.tsx';
import type { Documents } from '../types.ts';

/** R6 function 9: invoices of the last 12 closed months and a reconciliation act, as PDF. */
export function DocumentsPage() {
  const { t, i18n } = useTranslation();
  const { data, error } = useCabinetData<Documents>('/api/cabinet/documents');
  const lang = i18n.language;
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  return (
    <Loaded data={data} error={error}>
      {(d) => {
        const periods = d.months.map((m) => m.period).sort();
        const actFrom = from ?? periods[0] ?? '';
        const actTo = to ?? periods[periods.length - 1] ?? '';
        const options = periods.map((p) => ({ value: p, label: formatPeriod(p, lang) }));
        return (
          <Stack>
            <PageTitle title={t('cabinet.nav.documents')} at={d.dataAsOf} />
            {d.months.length === 0 ? (
              <Text>{t('cabinet.documents.none')}</Text>
            ) : (
              <>
                <Card withBorder>
                  <Title order={3} size="h5" mb="sm">
                    {t('cabinet.documents.act')}
                  </Title>
                  <Group align="flex-end">
                    <NativeSelect
                      label={t('cabinet.documents.from')}
                      data={options}
                      value={actFrom}
                      onChange={(e) => setFrom(e.currentTarget.value)}
                    />
                    <NativeSelect
                      label={t('cabinet.documents.to')}
                      data={options}
                      value={actTo}
                      onChange={(e) => setTo(e.currentTarget.value)}
                    />
                    <Button
                      component="a"
                      href={`/api/cabinet/acts?from=${actFrom}&to=${actTo}&format=pdf&lang=${lang}`}
                      target="_blank"
                      disabled={actFrom > actTo}
                      data-testid="act-pdf"
                    >
                      {t('cabinet.documents.actPdf')}
                    </Button>
                  </Group>
                </Card>
                <Table.ScrollContainer minWidth={480}>
                  <Table striped data-testid="invoices">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('cabinet.settlements.period')}</Table.Th>
                        <Table.Th>{t('cabinet.documents.invoice')}</Table.Th>
                        <Table.Th ta="right">{t('cabinet.documents.total')}</Table.Th>
                        <Table.Th>PDF</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {d.months.map((m) => (
                        <Table.Tr key={m.period}>
                          <Table.Td>{formatPeriod(m.period, lang)}</Table.Td>
                          <Table.Td>
                            {m.invoice
                              ? `№ ${m.invoice.number}${m.invoice.issuedOn ? `, ${formatDate(m.invoice.issuedOn, lang)}` : ''}`
                              : '—'}
                          </Table.Td>
                          <Table.Td ta="right">
                            {m.invoice ? formatMoney(m.invoice.total, lang) : '—'}
                          </Table.Td>
                          <Table.Td>
                            {m.invoice && (
                              <Anchor
                                href={`/api/cabinet/invoices/${m.period}?format=pdf&lang=${lang}`}
                                target="_blank"
                              >
                                {t('cabinet.documents.open')}
                              </Anchor>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </>
            )}
          </Stack>
        );
      }}
    </Loaded>
  );
}
