import { Card, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatPeriod, formatPeriodShort, formatQuantity } from '../../format.ts';
import { BarChart } from '../BarChart.tsx';
import { Loaded, PageTitle, registerName } from '../parts.tsx';
import { useCabinetData } from '../session.tsx';
import type { Consumption } from '../types.ts';

const COLORS = ['blue', 'orange', 'grape', 'teal'].map((c) => `var(--mantine-color-${c}-6)`);

/** R6 function 6 (consumption history): per meter and register, month by month, with a chart. */
export function ConsumptionPage() {
  const { t, i18n } = useTranslation();
  const { data, error } = useCabinetData<Consumption>('/api/cabinet/consumption');
  const lang = i18n.language;
  return (
    <Loaded data={data} error={error}>
      {(c) => {
        const unit = t(`cabinet.units.${c.unit}`);
        const obis = (o: string) => registerName(t, o, c.unit === 'Gcal' ? 'heat' : 'electricity');
        return (
          <Stack>
            <PageTitle title={t('cabinet.nav.consumption')} at={c.dataAsOf} />
            {c.meters.length === 0 && <Text>{t('cabinet.consumption.none')}</Text>}
            {c.meters.map((m) => {
              const months = m.registers[0]?.months.map((x) => x.period) ?? [];
              return (
                <Card withBorder key={m.serial} data-testid="meter-consumption">
                  <Title order={3} size="h5" mb="sm">
                    {t('cabinet.consumption.meter', { serial: m.serial })}
                    {!m.inService && ` (${t('cabinet.consumption.removed')})`}
                  </Title>
                  <BarChart
                    title={t('cabinet.consumption.chart', { serial: m.serial, unit })}
                    labels={months.map((p) => formatPeriodShort(p, lang))}
                    series={m.registers.map((g, i) => ({
                      name: `${obis(g.obis)}, ${unit}`,
                      color: COLORS[i % COLORS.length] ?? 'gray',
                      values: g.months.map((x) => (x.consumption === null ? null : Number(x.consumption))),
                    }))}
                  />
                  <Table.ScrollContainer minWidth={360}>
                    <Table striped mt="sm">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t('cabinet.settlements.period')}</Table.Th>
                          {m.registers.map((g) => (
                            <Table.Th key={g.obis} ta="right">
                              {obis(g.obis)}, {unit}
                            </Table.Th>
                          ))}
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {months.map((p, i) => (
                          <Table.Tr key={p}>
                            <Table.Td>{formatPeriod(p, lang)}</Table.Td>
                            {m.registers.map((g) => {
                              const v = g.months[i]?.consumption;
                              return (
                                <Table.Td key={g.obis} ta="right">
                                  {v ? formatQuantity(v, lang) : '—'}
                                </Table.Td>
                              );
                            })}
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                </Card>
              );
            })}
          </Stack>
        );
      }}
    </Loaded>
  );
}
