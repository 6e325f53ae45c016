import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NativeSelect,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDateTime, formatMoney, formatPeriod } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { errorMessage } from '../errors.ts';
import { PeriodDocuments } from './PeriodDocuments.tsx';
import { RunIssues } from './RunIssues.tsx';
import type { BillRun, OrgUnit, PeriodList, Readiness } from './types.ts';
import { UnreadAccounts } from './UnreadAccounts.tsx';

/** The office's billing pages (routes under /billing). */
export function BillingArea() {
  return (
    <Routes>
      <Route index element={<BillingPage />} />
    </Routes>
  );
}

const FINISHED = new Set(['done', 'failed']);

/**
 * The month cycle (issue 6 point 5): the open period's readiness for a unit (accounts with and
 * without readings, readings not confirmed or held by VEE), a bill run with live progress and its
 * warnings, closing the period, and the closed periods with their bills.
 */
function BillingPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { user } = useSession();
  const [periods, setPeriods] = useState<PeriodList | null>(null);
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [unitId, setUnitId] = useState('');
  const [readiness, setReadiness] = useState<Readiness | null>(null);
  const [runs, setRuns] = useState<BillRun[]>([]);
  const [shownRun, setShownRun] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [closing, setClosing] = useState(false);
  const [closed, setClosed] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [showUnread, setShowUnread] = useState(false);

  const can = (p: string) => user?.permissions.includes(p) ?? false;
  const open = periods?.open ?? '';

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick reloads after a run or a close
  useEffect(() => {
    api<PeriodList>('GET', '/api/periods')
      .then(setPeriods)
      .catch((e: unknown) => setError(errorMessage(e, t)));
    api<{ items: OrgUnit[] }>('GET', '/api/org-units')
      .then((r) => {
        setUnits(r.items);
        const home = r.items.find((u) => u.id === user?.orgUnit.id) ?? r.items[0];
        setUnitId((v) => v || (home?.id ?? ''));
      })
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [t, user?.orgUnit.id, tick]);

  const unitName = useMemo(() => new Map(units.map((u) => [u.id, u.name])), [units]);
  const company = units.find((u) => u.kind === 'company');

  const loadRuns = useCallback(async () => {
    if (!open) return [];
    const r = await api<{ items: BillRun[] }>('GET', `/api/bill-runs?period=${open}`);
    setRuns(r.items);
    return r.items;
  }, [open]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick reloads after a run or a close
  useEffect(() => {
    if (!open || !unitId) return;
    api<Readiness>('GET', `/api/periods/${open}/readiness?org_unit_id=${unitId}`)
      .then(setReadiness)
      .catch((e: unknown) => setError(errorMessage(e, t)));
    loadRuns().catch((e: unknown) => setError(errorMessage(e, t)));
  }, [open, unitId, tick, loadRuns, t]);

  // While a run is queued or running, read its progress every second.
  const active = runs.find((r) => !FINISHED.has(r.status));
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      api<BillRun>('GET', `/api/bill-runs/${active.id}`)
        .then((run) => {
          setRuns((rs) => rs.map((r) => (r.id === run.id ? run : r)));
          if (FINISHED.has(run.status)) {
            setShownRun(run.id);
            setTick((n) => n + 1);
          }
        })
        .catch((e: unknown) => setError(errorMessage(e, t)));
    }, 1000);
    return () => clearInterval(timer);
  }, [active, t]);

  const startRun = async () => {
    setBusy(true);
    setError(null);
    try {
      const run = await api<BillRun>('POST', '/api/bill-runs', {
        period: open,
        ...(unitId && unitId !== company?.id ? { org_unit_id: unitId } : {}),
      });
      setRuns((rs) => [run, ...rs.filter((r) => r.id !== run.id)]);
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const closePeriod = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ period: string; bills: number }>('POST', `/api/periods/${open}/close`);
      setClosed(t('billing.closedResult', { period: formatPeriod(r.period, lang), bills: r.bills }));
      setClosing(false);
      setShownRun(null);
      setTick((n) => n + 1);
    } catch (e) {
      setError(errorMessage(e, t));
      setClosing(false);
    } finally {
      setBusy(false);
    }
  };

  const figures: [string, number | undefined, string?][] = [
    ['accounts', readiness?.accounts],
    ['withReading', readiness?.withReading],
    ['withoutReading', readiness?.withoutReading, 'orange'],
    ['awaitingConfirmation', readiness?.awaitingConfirmation, 'orange'],
    ['suspect', readiness?.suspect, 'red'],
    ['billed', readiness?.billed, 'teal'],
  ];

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('nav.billing')}</Title>
        {open && (
          <Badge size="lg" variant="light" data-testid="open-period">
            {t('billing.openPeriod', { period: formatPeriod(open, lang) })}
          </Badge>
        )}
      </Group>
      {error && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {closed && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setClosed(null)}>
          {closed}
        </Alert>
      )}

      <Card withBorder>
        <Stack>
          <Group justify="space-between" align="end" wrap="wrap">
            <NativeSelect
              label={t('billing.unit')}
              value={unitId}
              onChange={(e) => setUnitId(e.currentTarget.value)}
              data={units.map((u) => ({ value: u.id, label: `${u.name} (${t(`billing.kind.${u.kind}`)})` }))}
              miw={260}
            />
            <Group>
              {can('billing.run') && (
                <Button
                  onClick={() => void startRun()}
                  loading={busy && !closing}
                  disabled={!open || !!active}
                >
                  {t('billing.start')}
                </Button>
              )}
              {can('billing.close') && (
                <Button
                  color="red"
                  variant="light"
                  onClick={() => setClosing(true)}
                  disabled={!open || !!active || !periodEnded(open)}
                  title={open && !periodEnded(open) ? t('billing.closeTooEarly') : undefined}
                >
                  {t('billing.close')}
                </Button>
              )}
            </Group>
          </Group>
          <Text size="sm" c="dimmed">
            {t('billing.readinessHelp')}
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} data-testid="readiness">
            {figures.map(([key, value, color]) => (
              <Card key={key} withBorder padding="sm">
                <Text size="xs" c="dimmed">
                  {t(`billing.readiness.${key}`)}
                </Text>
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={700} size="xl" c={value ? color : undefined} data-testid={`readiness-${key}`}>
                    {value ?? '…'}
                  </Text>
                  {key === 'withoutReading' && !!value && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => setShowUnread((v) => !v)}
                      data-testid="show-unread"
                    >
                      {t('billing.showUnread')}
                    </Button>
                  )}
                </Group>
              </Card>
            ))}
          </SimpleGrid>
        </Stack>
      </Card>

      {showUnread && open && (
        <UnreadAccounts
          period={open}
          unitId={unitId}
          canEnter={can('reading.write')}
          key={`${unitId}-${tick}`}
        />
      )}

      <Title order={3}>{t('billing.runs')}</Title>
      {runs.length === 0 ? (
        <Text c="dimmed">{t('billing.noRuns')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped data-testid="bill-runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('billing.col.started')}</Table.Th>
                <Table.Th>{t('billing.unit')}</Table.Th>
                <Table.Th>{t('billing.col.status')}</Table.Th>
                <Table.Th miw={160}>{t('billing.col.progress')}</Table.Th>
                <Table.Th ta="right">{t('billing.col.billed')}</Table.Th>
                <Table.Th ta="right">{t('billing.col.warnings')}</Table.Th>
                <Table.Th ta="right">{t('billing.col.errors')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{formatDateTime(r.created_at, lang)}</Table.Td>
                  <Table.Td>
                    {r.org_unit_id ? (unitName.get(r.org_unit_id) ?? r.org_unit_id) : (company?.name ?? '')}
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={r.status === 'done' ? 'teal' : r.status === 'failed' ? 'red' : 'blue'}
                      data-testid={`run-status-${r.id}`}
                    >
                      {t(`billing.status.${r.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Progress
                      value={r.percent}
                      size="lg"
                      aria-label={`${r.percent}%`}
                      animated={!FINISHED.has(r.status)}
                    />
                    <Text size="xs" c="dimmed">
                      {t('billing.progress', { done: r.done, total: r.total, percent: r.percent })}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{r.billed}</Table.Td>
                  <Table.Td ta="right">{r.warnings}</Table.Td>
                  <Table.Td ta="right">{r.errors}</Table.Td>
                  <Table.Td>
                    {r.warnings + r.errors > 0 && (
                      <Button size="compact-xs" variant="subtle" onClick={() => setShownRun(r.id)}>
                        {t('billing.showIssues')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {shownRun && runs.some((r) => r.id === shownRun && r.warnings + r.errors > 0) && (
        <RunIssues runId={shownRun} />
      )}

      <PeriodDocuments
        closedPeriods={periods?.items.filter((p) => p.status === 'closed').map((p) => p.period) ?? []}
        unitId={unitId}
        companyId={company?.id}
        canRun={can('billing.run')}
      />

      <Title order={3}>{t('billing.periods')}</Title>
      <Table.ScrollContainer minWidth={560}>
        <Table striped data-testid="periods">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('billing.col.period')}</Table.Th>
              <Table.Th>{t('billing.col.status')}</Table.Th>
              <Table.Th>{t('billing.col.closedAt')}</Table.Th>
              <Table.Th ta="right">{t('billing.col.bills')}</Table.Th>
              <Table.Th ta="right">{t('billing.col.total')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {periods?.items.map((p) => (
              <Table.Tr key={p.period}>
                <Table.Td>{formatPeriod(p.period, lang)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={p.status === 'open' ? 'blue' : 'gray'}>
                    {t(`billing.periodStatus.${p.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {p.closedAt
                    ? `${formatDateTime(p.closedAt, lang)}${p.closedBy ? ` · ${p.closedBy}` : ''}`
                    : ''}
                </Table.Td>
                <Table.Td ta="right">{p.bills}</Table.Td>
                <Table.Td ta="right">{formatMoney(p.total, lang)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Modal
        opened={closing}
        onClose={() => setClosing(false)}
        title={t('billing.closeTitle', { period: open ? formatPeriod(open, lang) : '' })}
      >
        <Stack>
          <Text>{t('billing.closeText')}</Text>
          {readiness && readiness.awaitingConfirmation + readiness.suspect > 0 && (
            <Alert color="orange">
              {t('billing.closeWarning', { count: readiness.awaitingConfirmation + readiness.suspect })}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setClosing(false)}>
              {t('billing.cancel')}
            </Button>
            <Button color="red" onClick={() => void closePeriod()} loading={busy}>
              {t('billing.closeConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** True once the month `period` (YYYY-MM) is over in Tashkent (UTC+5): only then may it be closed. */
function periodEnded(period: string): boolean {
  return new Date(Date.now() + 5 * 3_600_000).toISOString().slice(0, 7) > period;
}
