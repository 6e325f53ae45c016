import {
  Alert,
  Anchor,
  Badge,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime, formatMoney, formatWeekdayDate } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { errorMessage } from '../errors.ts';
import { formatReading, SwitchBadge } from './CardMeters.tsx';
import { BalanceBadge, BillsTable, Field, Fields, PaymentsTable, Section, SmallTable } from './parts.tsx';
import type { Vitrina } from './types.ts';

/** Today in Tashkent as YYYY-MM-DD (the server's default day). */
function todayInTashkent(): string {
  return new Date(Date.now() + 5 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The Vitrina (R14): one account's full status on a chosen day — balance, bills and payments up
 * to it, meters and their last readings by then, applications open that day, claims and the
 * supply's switch state. The day is in the address (?on=YYYY-MM-DD); none means today.
 */
export function VitrinaPage() {
  const { t } = useTranslation();
  const { contractId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const on = params.get('on') ?? '';
  const [data, setData] = useState<Vitrina | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const today = todayInTashkent();

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    api<Vitrina>('GET', `/api/accounts/${encodeURIComponent(contractId)}/vitrina${on ? `?on=${on}` : ''}`)
      .then((v) => live && setData(v))
      .catch((e: unknown) => live && setError(errorMessage(e, t)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [contractId, on, t]);

  return (
    <Stack data-testid="vitrina">
      {data && (
        <Anchor component={Link} to={`/consumers/${data.consumer.id}`} size="sm">
          ← {data.consumer.name}
        </Anchor>
      )}
      <Title order={2}>
        {t('consumers.vitrina')}
        {data ? ` · ${data.account.number}` : ''}
      </Title>
      <Group align="end" wrap="wrap">
        <TextInput
          type="date"
          label={t('consumers.onDay')}
          value={on || data?.on || today}
          max={today}
          onChange={(e) => {
            const v = e.currentTarget.value;
            const next = new URLSearchParams(params);
            if (v && v !== today) next.set('on', v);
            else next.delete('on');
            setParams(next, { replace: true });
          }}
          data-testid="vitrina-date"
          style={{ flex: '0 1 220px' }}
        />
        {loading && <Loader size="sm" />}
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {data && <VitrinaView v={data} />}
    </Stack>
  );
}

function VitrinaView({ v }: { v: Vitrina }) {
  const { t } = useTranslation();
  const canReadClaims = useSession().user?.permissions.includes('claim.read') ?? false;
  return (
    <Stack>
      <Text size="sm" c="dimmed" data-testid="vitrina-day">
        {formatWeekdayDate(v.on)}
        {v.today ? ` · ${t('consumers.today')}` : ''}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Section title={t('consumers.balanceOn', { date: formatDate(v.on) })}>
          <BalanceBadge amount={v.balance.amount} testId="vitrina-balance" />
          <Fields>
            <Field label={t('consumers.monthOpening')} value={formatMoney(v.balance.monthOpening)} />
            <Field label={t('consumers.monthPayments')} value={formatMoney(v.balance.monthPayments)} />
            <Field label={t('consumers.monthCharges')} value={formatMoney(v.balance.monthCharges)} />
          </Fields>
          <Text size="xs" c="dimmed">
            {t('consumers.balanceRule')}
          </Text>
        </Section>
        <Section title={t('consumers.account')}>
          <Fields>
            <Field label={t('consumers.consumer')} value={v.consumer.name} />
            <Field label={t('consumers.innPinfl')} value={v.consumer.inn} />
            <Field label={t('consumers.orgUnit')} value={v.orgUnit.name} />
            <Field label={t('consumers.status')} value={t(`consumers.accountStatus.${v.account.status}`)} />
            <Field label={t('consumers.tariff')} value={v.account.tariff?.name} />
            <Field
              label={t('consumers.supply')}
              value={v.switchState ? <SwitchBadge state={v.switchState} /> : null}
              testId="vitrina-switch"
            />
          </Fields>
          <Text size="xs" c="dimmed">
            {t('consumers.switchNow')}
          </Text>
        </Section>
      </SimpleGrid>
      <Section title={t('consumers.metersAndReadings')}>
        {v.meters.length === 0 ? (
          <Text c="dimmed">{t('consumers.noMeters')}</Text>
        ) : (
          <SmallTable
            testId="vitrina-meters"
            head={[
              t('consumers.meter'),
              t('consumers.register'),
              t('consumers.lastReading'),
              t('consumers.readOn'),
              t('consumers.supply'),
            ]}
            rows={v.meters.flatMap((m) =>
              m.registers.map((g) => [
                <Text key="s" ff="monospace" size="sm">
                  {m.serial}
                </Text>,
                g.obis,
                g.lastReading ? formatReading(g.lastReading.value) : '—',
                g.lastReading ? formatDate(g.lastReading.readOn) : '—',
                <SwitchBadge key="w" state={m.switchState} />,
              ]),
            )}
          />
        )}
      </Section>
      <Section title={t('consumers.lastBills')}>
        <BillsTable bills={v.bills} testId="vitrina-bills" />
      </Section>
      <Section title={t('consumers.lastPayments')}>
        <PaymentsTable payments={v.payments} testId="vitrina-payments" />
      </Section>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title={t('consumers.openApplications')}>
          {v.applications.length === 0 ? (
            <Text c="dimmed">{t('consumers.noApplications')}</Text>
          ) : (
            <SmallTable
              head={[
                t('consumers.applicationNumber'),
                t('consumers.applicationType'),
                t('consumers.status'),
                t('consumers.filedAt'),
              ]}
              rows={v.applications.map((a) => [
                a.number,
                t(`consumers.applicationTypes.${a.type}`),
                <Badge key="s" variant="light">
                  {t(`consumers.applicationStatus.${a.status}`)}
                </Badge>,
                formatDateTime(a.createdAt),
              ])}
            />
          )}
        </Section>
        <Section title={t('consumers.claims')}>
          {v.claims.length === 0 ? (
            <Text c="dimmed">{t('consumers.noClaims')}</Text>
          ) : (
            <SmallTable
              testId="vitrina-claims"
              head={[
                t('claims.col.number'),
                t('claims.col.kind'),
                t('claims.col.status'),
                t('claims.col.amount'),
              ]}
              rows={v.claims.map((c) => [
                <span key="n" style={{ whiteSpace: 'nowrap' }}>
                  {canReadClaims ? (
                    <Anchor component={Link} to={`/claims/${c.id}`} size="sm">
                      {c.number}
                    </Anchor>
                  ) : (
                    c.number
                  )}
                  <Text size="xs" c="dimmed" display="block" component="span">
                    {formatDate(c.openedOn)}
                  </Text>
                </span>,
                t(`claims.kinds.${c.kind}`),
                <span key="s">
                  <Text size="sm" fw={600} component="span" display="block">
                    {t(`claims.statuses.${c.status}`)}
                  </Text>
                  {(c.hearingOn ?? c.dueOn) && (
                    <Text size="xs" c="dimmed" component="span" display="block">
                      {t('claims.col.due')}: {formatDate(c.hearingOn ?? c.dueOn ?? '')}
                    </Text>
                  )}
                </span>,
                <span key="a" style={{ whiteSpace: 'nowrap' }}>
                  {formatMoney(c.debtAmount)}
                </span>,
              ])}
            />
          )}
        </Section>
      </SimpleGrid>
    </Stack>
  );
}
