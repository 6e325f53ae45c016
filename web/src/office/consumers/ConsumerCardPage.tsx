import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime, formatDecimal, formatPeriod, formatQuantity } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { BalanceBadge, BillsTable, Field, Fields, PaymentsTable, Section, SmallTable } from './parts.tsx';
import type { ConsumerCard, Contract, Meter } from './types.ts';

/** A register reading "400.000" as the meter shows it: two decimals. */
export function formatReading(value: string): string {
  return formatDecimal(value.replace(/(\.\d\d)\d$/, '$1'));
}

/**
 * The consumer card (R2.1–R2.3): requisites; contracts with their terms, history and volumes;
 * meters and registers with the last accepted reading; per contract the balance now, the last
 * bills and payments, and a link to the account's Vitrina.
 */
export function ConsumerCardPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [card, setCard] = useState<ConsumerCard | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setCard(null);
    setError(null);
    api<ConsumerCard>('GET', `/api/consumers/${encodeURIComponent(id)}`)
      .then(setCard)
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [id, t]);

  if (error)
    return (
      <Stack>
        <Anchor component={Link} to="/consumers">
          ← {t('consumers.backToSearch')}
        </Anchor>
        <Alert color="red" role="alert">
          {error}
        </Alert>
      </Stack>
    );
  if (!card) return <Loader />;

  return (
    <Stack data-testid="consumer-card">
      <Anchor component={Link} to="/consumers" size="sm">
        ← {t('consumers.backToSearch')}
      </Anchor>
      <Group gap="sm" wrap="wrap">
        <Title order={2} data-testid="consumer-name">
          {card.name}
        </Title>
        <Badge variant="light" color={card.kind === 'household' ? 'teal' : 'blue'}>
          {t(`consumers.kinds.${card.kind}`)}
        </Badge>
        {card.status !== 'active' && <Badge color="gray">{t('consumers.closed')}</Badge>}
      </Group>
      <Text size="sm" c="dimmed">
        {card.orgUnit.name} · {t('consumers.dataAsOf', { at: formatDateTime(card.dataAsOf) })}
      </Text>
      <Tabs defaultValue="details" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details">{t('consumers.tabs.details')}</Tabs.Tab>
          <Tabs.Tab value="contracts">{t('consumers.tabs.contracts')}</Tabs.Tab>
          <Tabs.Tab value="meters">{t('consumers.tabs.meters')}</Tabs.Tab>
          <Tabs.Tab value="money" data-testid="tab-money">
            {t('consumers.tabs.money')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <Details card={card} />
        </Tabs.Panel>
        <Tabs.Panel value="contracts" pt="md">
          <Stack>
            {card.contracts.map((k) => (
              <ContractTerms key={k.id} contract={k} />
            ))}
            {card.contracts.length === 0 && <Text c="dimmed">{t('consumers.noContracts')}</Text>}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="meters" pt="md">
          <Stack>
            {card.contracts.map((k) => (
              <Meters key={k.id} contract={k} />
            ))}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="money" pt="md">
          <Stack>
            {card.contracts.map((k) => (
              <Money key={k.id} contract={k} />
            ))}
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function VitrinaButton({ contract }: { contract: Contract }) {
  const { t } = useTranslation();
  return (
    <Button
      component={Link}
      to={`/consumers/vitrina/${contract.id}`}
      size="xs"
      variant="light"
      data-testid={`vitrina-${contract.number}`}
    >
      {t('consumers.openVitrina')}
    </Button>
  );
}

function Details({ card }: { card: ConsumerCard }) {
  const { t } = useTranslation();
  return (
    <Section title={t('consumers.tabs.details')}>
      <Fields>
        <Field label={t('consumers.name')} value={card.name} />
        <Field label={t('consumers.inn')} value={card.inn} />
        <Field label={t('consumers.pinfl')} value={card.pinfl} />
        <Field label={t('consumers.oked')} value={card.oked} />
        <Field label={t('consumers.category')} value={card.category?.name} />
        <Field label={t('consumers.orgUnit')} value={card.orgUnit.name} />
        <Field label={t('consumers.legalAddress')} value={card.legalAddress} />
        <Field label={t('consumers.postalAddress')} value={card.postalAddress} />
        <Field label={t('consumers.phone')} value={card.phone} />
        <Field label={t('consumers.email')} value={card.email} />
        <Field label={t('consumers.bankMfo')} value={card.bank.mfo} />
        <Field label={t('consumers.bankAccount')} value={card.bank.account} />
        <Field
          label={t('consumers.sms')}
          value={card.smsOptOut ? t('consumers.smsOff') : t('consumers.smsOn')}
        />
      </Fields>
    </Section>
  );
}

function ContractTerms({ contract: k }: { contract: Contract }) {
  const { t } = useTranslation();
  const unit = k.terms?.tariff.unit ?? (k.commodity === 'heat' ? 'Gcal' : 'kWh');
  return (
    <Section title={`${t('consumers.contract')} ${k.number}`} right={<VitrinaButton contract={k} />}>
      <Fields>
        <Field label={t('consumers.supplier')} value={k.supplier.name} />
        <Field label={t('consumers.commodity')} value={t(`consumers.commodities.${k.commodity}`)} />
        <Field label={t('consumers.orgUnit')} value={k.orgUnit.name} />
        <Field label={t('consumers.startDate')} value={formatDate(k.startDate)} />
        <Field label={t('consumers.endDate')} value={k.endDate ? formatDate(k.endDate) : null} />
        <Field label={t('consumers.status')} value={t(`consumers.contractStatus.${k.status}`)} />
        <Field
          label={t('consumers.tariff')}
          value={k.terms ? `${k.terms.tariff.name} (${k.terms.tariff.code})` : null}
        />
        <Field
          label={t('consumers.contractVolume')}
          value={k.terms?.contractVolume ? `${formatQuantity(k.terms.contractVolume)} ${unit}` : null}
        />
        <Field
          label={t('consumers.contractedLoad')}
          value={k.terms?.contractedLoad ? `${formatQuantity(k.terms.contractedLoad)} kW` : null}
        />
        <Field
          label={t('consumers.specialSupply')}
          value={k.terms ? (k.terms.specialSupply ? t('consumers.yes') : t('consumers.no')) : null}
        />
        <Field
          label={t('consumers.estimation')}
          value={k.terms ? t(`consumers.estimations.${k.terms.estimation}`) : null}
        />
        <Field label={t('consumers.tanPhiNorm')} value={k.terms?.tanPhiNorm} />
      </Fields>
      {k.volumes.length > 0 && (
        <>
          <Text fw={600} size="sm">
            {t('consumers.volumesByMonth')}
          </Text>
          <SmallTable
            head={[t('consumers.period'), t('consumers.volume')]}
            rows={k.volumes.map((v) => [formatPeriod(v.period), `${formatQuantity(v.volume)} ${unit}`])}
          />
        </>
      )}
      {k.history.length > 1 && (
        <>
          <Text fw={600} size="sm">
            {t('consumers.history')}
          </Text>
          <SmallTable
            head={[
              t('consumers.validFrom'),
              t('consumers.tariff'),
              t('consumers.contractVolume'),
              t('consumers.specialSupply'),
              t('consumers.estimation'),
            ]}
            rows={k.history.map((v) => [
              formatDate(v.validFrom),
              v.tariff.code,
              v.contractVolume ? formatQuantity(v.contractVolume) : '—',
              v.specialSupply ? t('consumers.yes') : t('consumers.no'),
              t(`consumers.estimations.${v.estimation}`),
            ])}
          />
        </>
      )}
    </Section>
  );
}

/** A meter's switch state as a badge. */
export function SwitchBadge({ state }: { state: 'on' | 'off' | 'unknown' }) {
  const { t } = useTranslation();
  return (
    <Badge color={state === 'on' ? 'green' : state === 'off' ? 'red' : 'gray'} variant="light">
      {t(`consumers.switch.${state}`)}
    </Badge>
  );
}

function MeterBlock({ meter: m }: { meter: Meter }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid={`meter-${m.serial}`}>
      <Group gap="xs">
        <Text fw={600} ff="monospace">
          {m.serial}
        </Text>
        {m.removedOn ? (
          <Badge color="gray" variant="light">
            {t('consumers.removedOn', { date: formatDate(m.removedOn) })}
          </Badge>
        ) : (
          <SwitchBadge state={m.switchState} />
        )}
      </Group>
      <Fields>
        <Field label={t('consumers.meterType')} value={m.type ? m.type.name : null} />
        <Field label={t('consumers.digits')} value={m.digits} />
        <Field label={t('consumers.multiplier')} value={m.multiplier} />
        <Field label={t('consumers.installedOn')} value={formatDate(m.installedOn)} />
        <Field label={t('consumers.seals')} value={m.seals.join(', ')} />
        <Field label={t('consumers.verifiedOn')} value={m.verifiedOn ? formatDate(m.verifiedOn) : null} />
        <Field
          label={t('consumers.nextVerificationOn')}
          value={m.nextVerificationOn ? formatDate(m.nextVerificationOn) : null}
        />
        <Field
          label={t('consumers.remoteSwitch')}
          value={m.remoteSwitch ? t('consumers.yes') : t('consumers.no')}
        />
      </Fields>
      <SmallTable
        head={[
          t('consumers.register'),
          t('consumers.installReading'),
          t('consumers.lastReading'),
          t('consumers.readOn'),
        ]}
        rows={m.registers.map((g) => [
          g.obis,
          formatReading(g.installReading),
          g.lastReading ? formatReading(g.lastReading.value) : '—',
          g.lastReading ? formatDate(g.lastReading.readOn) : '—',
        ])}
      />
    </Stack>
  );
}

function Meters({ contract: k }: { contract: Contract }) {
  const { t } = useTranslation();
  const meters = k.meteringPoints.flatMap((p) => p.meters.map((m) => ({ point: p, meter: m })));
  return (
    <Section title={`${t('consumers.contract')} ${k.number}`} right={<VitrinaButton contract={k} />}>
      {meters.length === 0 && <Text c="dimmed">{t('consumers.noMeters')}</Text>}
      {k.meteringPoints.map((p) => (
        <Stack key={p.id} gap="sm">
          <Text size="sm" c="dimmed">
            {t('consumers.meteringPoint')}: {p.code}
            {p.name ? ` · ${p.name}` : ''}
            {p.address ? ` · ${p.address}` : ''}
          </Text>
          {p.meters.map((m) => (
            <MeterBlock key={m.id} meter={m} />
          ))}
        </Stack>
      ))}
    </Section>
  );
}

function Money({ contract: k }: { contract: Contract }) {
  const { t } = useTranslation();
  return (
    <Section title={`${t('consumers.contract')} ${k.number}`} right={<VitrinaButton contract={k} />}>
      <Field
        label={t('consumers.balanceNow')}
        value={<BalanceBadge amount={k.balance} testId={`balance-${k.number}`} />}
      />
      <Text fw={600} size="sm">
        {t('consumers.lastBills')}
      </Text>
      <BillsTable bills={k.bills} />
      <Text fw={600} size="sm">
        {t('consumers.lastPayments')}
      </Text>
      <PaymentsTable payments={k.payments} />
    </Section>
  );
}
