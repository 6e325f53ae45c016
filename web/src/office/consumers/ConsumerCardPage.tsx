import { Alert, Anchor, Badge, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime, formatPeriod, formatQuantity } from '../../format.ts';
import { ContractDocuments } from '../billing/ContractDocuments.tsx';
import { errorMessage } from '../errors.ts';
import { Meters, VitrinaButton } from './CardMeters.tsx';
import { AddContractEditor, RequisitesEditor } from './ConsumerEditors.tsx';
import { TerminateEditor, TermsEditor, VolumesEditor } from './ContractEditors.tsx';
import { type EditOptions, useCanEdit, useEditOptions } from './edit-forms.ts';
import { BalanceBadge, BillsTable, Field, Fields, PaymentsTable, Section, SmallTable } from './parts.tsx';
import type { ConsumerCard, Contract } from './types.ts';

/**
 * The consumer card (R2.1–R2.3): requisites; contracts with their terms, history and volumes;
 * meters and registers with the last accepted reading; per contract the balance now, the last
 * bills and payments, and a link to the account's Vitrina. Staff with `consumer.write` edit it
 * here: requisites, another contract, new terms from a month, monthly volumes, the end of a
 * contract, metering points; each change answers with the card as it now stands.
 */
export function ConsumerCardPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [card, setCard] = useState<ConsumerCard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canEdit = useCanEdit();
  const options = useEditOptions();
  const editing = canEdit && options ? options : null;

  const load = useCallback(
    () =>
      api<ConsumerCard>('GET', `/api/consumers/${encodeURIComponent(id)}`)
        .then(setCard)
        .catch((e: unknown) => setError(errorMessage(e, t))),
    [id, t],
  );
  useEffect(() => {
    setCard(null);
    setError(null);
    void load();
  }, [load]);

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
          <Details
            card={card}
            editor={canEdit && <RequisitesEditor card={card} options={options} onSaved={setCard} />}
          />
        </Tabs.Panel>
        <Tabs.Panel value="contracts" pt="md">
          <Stack>
            {editing && (
              <Group justify="flex-end">
                <AddContractEditor card={card} options={editing} onSaved={setCard} />
              </Group>
            )}
            {card.contracts.map((k) => (
              <ContractTerms key={k.id} contract={k} options={editing} onSaved={setCard} />
            ))}
            {card.contracts.length === 0 && <Text c="dimmed">{t('consumers.noContracts')}</Text>}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="meters" pt="md">
          <Stack>
            {card.contracts.map((k) => (
              <Meters
                key={k.id}
                contract={k}
                onSaved={canEdit ? setCard : null}
                onChanged={() => void load()}
              />
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

function Details({ card, editor }: { card: ConsumerCard; editor: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Section title={t('consumers.tabs.details')} right={editor}>
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

function ContractTerms({
  contract: k,
  options,
  onSaved,
}: {
  contract: Contract;
  options: EditOptions | null;
  onSaved: (c: ConsumerCard) => void;
}) {
  const { t } = useTranslation();
  const unit = k.terms?.tariff.unit ?? (k.commodity === 'heat' ? 'Gcal' : 'kWh');
  return (
    <Section
      title={
        <Group gap="xs" component="span">
          <span>{`${t('consumers.contract')} ${k.number}`}</span>
          {k.endDate && (
            <Badge color="orange" variant="light" data-testid={`ends-${k.number}`}>
              {t('consumers.edit.endsOn', { date: formatDate(k.endDate) })}
            </Badge>
          )}
        </Group>
      }
      right={
        <Group gap="xs">
          {options && (
            <>
              <TermsEditor contract={k} options={options} onSaved={onSaved} />
              <VolumesEditor contract={k} options={options} onSaved={onSaved} />
              <TerminateEditor contract={k} onSaved={onSaved} />
            </>
          )}
          <VitrinaButton contract={k} />
        </Group>
      }
    >
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
      {k.history.length > 0 && (
        <>
          <Text fw={600} size="sm">
            {t('consumers.history')}
          </Text>
          <SmallTable
            testId={`history-${k.number}`}
            head={[
              t('consumers.validFrom'),
              t('consumers.tariff'),
              t('consumers.contractVolume'),
              t('consumers.contractedLoad'),
              t('consumers.specialSupply'),
              t('consumers.estimation'),
              t('consumers.edit.addedBy'),
            ]}
            rows={k.history.map((v) => [
              formatDate(v.validFrom),
              <Text key="t" size="sm" style={{ whiteSpace: 'nowrap' }}>
                {v.tariff.code}
              </Text>,
              v.contractVolume ? formatQuantity(v.contractVolume) : '—',
              v.contractedLoad ? formatQuantity(v.contractedLoad) : '—',
              v.specialSupply ? t('consumers.yes') : t('consumers.no'),
              t(`consumers.estimations.${v.estimation}`),
              `${v.addedBy ?? t('consumers.edit.loaded')} · ${formatDateTime(v.addedAt)}`,
            ])}
          />
        </>
      )}
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
      <ContractDocuments contractId={k.id} />
    </Section>
  );
}
