import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NativeSelect,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDateTime, formatPeriod } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { DataTable } from '../table/DataTable.tsx';
import {
  DOC_LANGS,
  type DocLang,
  type DocumentRun,
  type DocumentRunIssue,
  type PeriodDocumentsSummary,
} from './documents-types.ts';

const FINISHED = new Set(['done', 'failed']);

/**
 * A closed period's documents for the chosen unit (issue 6 point 5, decision 017): how many
 * contracts have their invoice and act signed and archived, generating the rest as a job with
 * live progress, the contracts that failed, and the print pack of the unit's invoices.
 */
export function PeriodDocuments({
  closedPeriods,
  unitId,
  companyId,
  canRun,
}: {
  closedPeriods: string[];
  unitId: string;
  companyId: string | undefined;
  canRun: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [period, setPeriod] = useState('');
  const [docLang, setDocLang] = useState<DocLang>('uz');
  const [summary, setSummary] = useState<PeriodDocumentsSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);

  const latest = closedPeriods[0] ?? '';
  useEffect(() => {
    setPeriod((p) => (p && closedPeriods.includes(p) ? p : latest));
  }, [closedPeriods, latest]);

  const unitQuery = unitId && unitId !== companyId ? `&org_unit_id=${unitId}` : '';
  const query = `lang=${encodeURIComponent(docLang)}${unitQuery}`;

  const load = useCallback(async () => {
    if (!period || !unitId) return;
    const s = await api<PeriodDocumentsSummary>('GET', `/api/periods/${period}/documents?${query}`);
    setSummary(s);
  }, [period, unitId, query]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick reloads after a run finishes
  useEffect(() => {
    load().catch((e: unknown) => setError(errorMessage(e, t)));
  }, [load, tick, t]);

  // The latest run of this unit and language is the one shown (at company level, the latest of
  // any unit); while it works, poll it.
  const unitRunId = unitId && unitId !== companyId ? unitId : null;
  const run =
    summary?.runs.find((r) => r.lang === docLang && (unitRunId === null || r.org_unit_id === unitRunId)) ??
    null;
  const active = run && !FINISHED.has(run.status) ? run : null;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      api<DocumentRun>('GET', `/api/periods/${active.period}/documents/runs/${active.id}`)
        .then((r) => {
          setSummary((s) => (s ? { ...s, runs: s.runs.map((x) => (x.id === r.id ? r : x)) } : s));
          if (FINISHED.has(r.status)) setTick((n) => n + 1);
        })
        .catch((e: unknown) => setError(errorMessage(e, t)));
    }, 1000);
    return () => clearInterval(timer);
  }, [active, t]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<DocumentRun>('POST', `/api/periods/${period}/documents`, {
        lang: docLang,
        ...(unitRunId ? { org_unit_id: unitRunId } : {}),
      });
      setSummary((s) => (s ? { ...s, runs: [r, ...s.runs.filter((x) => x.id !== r.id)] } : s));
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  if (closedPeriods.length === 0) return null;

  const figures: [string, number | undefined, string?][] = [
    ['contracts', summary?.contracts],
    ['archived', summary?.archived, 'teal'],
    ['toDo', summary?.to_do, 'orange'],
    ['failed', run?.failed, 'red'],
  ];

  return (
    <Card withBorder data-testid="period-documents">
      <Stack>
        <Group justify="space-between" align="end" wrap="wrap">
          <Title order={3}>{t('billing.documents.title')}</Title>
          <Group align="end">
            <NativeSelect
              label={t('billing.col.period')}
              value={period}
              onChange={(e) => setPeriod(e.currentTarget.value)}
              data={closedPeriods.map((p) => ({ value: p, label: formatPeriod(p, lang) }))}
              data-testid="documents-period"
            />
            <NativeSelect
              label={t('billing.documents.language')}
              value={docLang}
              onChange={(e) => setDocLang(e.currentTarget.value as DocLang)}
              data={DOC_LANGS.map((l) => ({ value: l, label: t(`billing.documents.lang.${l}`) }))}
            />
            {canRun && (
              <Button onClick={() => void start()} loading={busy} disabled={!period || !!active}>
                {t('billing.documents.generate')}
              </Button>
            )}
            <Anchor
              href={`/api/periods/${period}/documents/print-pack?${query}`}
              download
              data-testid="print-pack"
              aria-disabled={!summary?.archived}
            >
              {t('billing.documents.printPack')}
            </Anchor>
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {t('billing.documents.help')}
        </Text>
        {error && (
          <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>
            {error}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {figures.map(([key, value, color]) => (
            <Card key={key} withBorder padding="sm">
              <Text size="xs" c="dimmed">
                {t(`billing.documents.figure.${key}`)}
              </Text>
              <Text fw={700} size="xl" c={value ? color : undefined} data-testid={`documents-${key}`}>
                {value ?? '…'}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
        {run && (
          <Stack gap={4} data-testid="documents-run">
            <Group justify="space-between">
              <Text size="sm">
                {t('billing.documents.runOf', { at: formatDateTime(run.created_at, lang) })}
              </Text>
              <Badge
                variant="light"
                color={run.status === 'done' ? 'teal' : run.status === 'failed' ? 'red' : 'blue'}
                data-testid="documents-run-status"
              >
                {t(`billing.status.${run.status}`)}
              </Badge>
            </Group>
            <Progress value={run.percent} size="lg" aria-label={`${run.percent}%`} animated={!!active} />
            <Text size="xs" c="dimmed">
              {t('billing.documents.progress', {
                done: run.done,
                total: run.total,
                percent: run.percent,
                created: run.created,
                skipped: run.skipped,
              })}
            </Text>
            {run.error && (
              <Alert color="red" variant="light">
                {run.error}
              </Alert>
            )}
          </Stack>
        )}
        {run && run.failed > 0 && FINISHED.has(run.status) && (
          <Stack gap="xs">
            <Title order={5}>{t('billing.documents.issuesTitle')}</Title>
            <DataTable<DocumentRunIssue>
              endpoint={`/api/periods/${run.period}/documents/runs/${run.id}/issues`}
              defaultSort="account"
              rowKey={(r) => r.contractId}
              testId="documents-issues"
              columns={[
                { key: 'account', label: t('billing.col.account'), sortable: true, render: (r) => r.account },
                { key: 'consumer', label: t('billing.col.consumer'), render: (r) => r.consumer },
                {
                  key: 'code',
                  label: t('billing.col.issue'),
                  sortable: true,
                  render: (r) =>
                    i18n.exists(`errors.${r.code}`) ? t(`errors.${r.code}`) : (r.message ?? r.code),
                },
              ]}
            />
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
