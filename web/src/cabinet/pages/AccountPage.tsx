import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate, formatQuantity } from '../../format.ts';
import { Loaded, PageTitle, registerName } from '../parts.tsx';
import { useCabinetData } from '../session.tsx';
import type { Account } from '../types.ts';

function Field({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{value || '—'}</Text>
    </div>
  );
}

/** R6 function 1: consumer and contract data, metering points and meters. */
export function AccountPage() {
  const { t, i18n } = useTranslation();
  const { data, error } = useCabinetData<Account>('/api/cabinet/account');
  const lang = i18n.language;
  return (
    <Loaded data={data} error={error}>
      {(a) => {
        const unit = t(`cabinet.units.${a.commodity === 'heat' ? 'Gcal' : 'kWh'}`);
        return (
          <Stack>
            <PageTitle title={t('cabinet.nav.account')} />
            <Group>
              <Button
                component="a"
                href={`/api/cabinet/contract?lang=${lang}`}
                target="_blank"
                variant="light"
                data-testid="contract-pdf"
              >
                {t('cabinet.account.contractPdf')}
              </Button>
            </Group>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Card withBorder>
                <Title order={3} size="h5" mb="sm">
                  {t('cabinet.account.consumer')}
                </Title>
                <Stack gap="xs">
                  <Field label={t('cabinet.account.name')} value={a.consumer.name} />
                  <Field label={t('cabinet.account.inn')} value={a.consumer.inn} />
                  <Field label={t('cabinet.account.legalAddress')} value={a.consumer.legalAddress} />
                  <Field label={t('cabinet.account.postalAddress')} value={a.consumer.postalAddress} />
                  <Field label={t('cabinet.account.phone')} value={a.consumer.phone} />
                  <Field label={t('cabinet.account.email')} value={a.consumer.email} />
                  <Field label={t('cabinet.account.bankMfo')} value={a.consumer.bankMfo} />
                  <Field label={t('cabinet.account.bankAccount')} value={a.consumer.bankAccount} />
                </Stack>
              </Card>
              <Card withBorder>
                <Title order={3} size="h5" mb="sm">
                  {t('cabinet.account.contract')}
                </Title>
                <Stack gap="xs">
                  <Field label={t('cabinet.account.number')} value={a.account} />
                  <Field
                    label={t('cabinet.account.commodity')}
                    value={t(`cabinet.commodity.${a.commodity}`)}
                  />
                  <Field label={t('cabinet.account.startDate')} value={formatDate(a.startDate, lang)} />
                  <Field
                    label={t('cabinet.account.monthlyVolume')}
                    value={
                      a.terms?.monthlyVolume ? `${formatQuantity(a.terms.monthlyVolume, lang)} ${unit}` : null
                    }
                  />
                  <Field
                    label={t('cabinet.account.contractedLoad')}
                    value={
                      a.terms?.contractedLoad ? `${formatQuantity(a.terms.contractedLoad, lang)} kW` : null
                    }
                  />
                  {a.terms?.specialSupply && (
                    <Badge variant="light">{t('cabinet.account.specialSupply')}</Badge>
                  )}
                </Stack>
              </Card>
            </SimpleGrid>
            <Title order={3} size="h4">
              {t('cabinet.account.points')}
            </Title>
            {a.meteringPoints.map((p) => (
              <Card withBorder key={p.code}>
                <Text fw={600}>
                  {p.code}
                  {p.name ? ` · ${p.name}` : ''}
                </Text>
                {p.address && <Text size="sm">{p.address}</Text>}
                <Table.ScrollContainer minWidth={520}>
                  <Table mt="sm" striped>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('cabinet.meter.serial')}</Table.Th>
                        <Table.Th>{t('cabinet.meter.type')}</Table.Th>
                        <Table.Th>{t('cabinet.meter.multiplier')}</Table.Th>
                        <Table.Th>{t('cabinet.meter.installedOn')}</Table.Th>
                        <Table.Th>{t('cabinet.meter.registers')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {p.meters.map((m) => (
                        <Table.Tr key={m.serial}>
                          <Table.Td>{m.serial}</Table.Td>
                          <Table.Td>{m.type ?? '—'}</Table.Td>
                          <Table.Td>{m.multiplier}</Table.Td>
                          <Table.Td>{formatDate(m.installedOn, lang)}</Table.Td>
                          <Table.Td>
                            {m.registers.map((r) => registerName(t, r, a.commodity)).join(', ')}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
            ))}
          </Stack>
        );
      }}
    </Loaded>
  );
}
