import { Alert, Anchor, Badge, Button, Group, Progress, Stack, Table, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDateTime, formatMoney } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { queryOf } from '../table/DataTable.tsx';
import type { Einvoice, EinvoiceRun, EinvoiceRunListed } from './types.ts';

const FINISHED = new Set(['done', 'failed']);

/**
 * The tax e-invoices of a closed period under a unit (decision 016): generating them as a job
 * whose progress is polled (only with billing.close), and the signed ones with their JSON and
 * detached signature (.p7s) to download.
 */
export function EinvoicesPage({
  period,
  unitId,
  canRun,
}: {
  period: string;
  unitId: string;
  canRun: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [items, setItems] = useState<Einvoice[] | null>(null);
  const [run, setRun] = useState<EinvoiceRun | null>(null);
  const [runs, setRuns] = useState<EinvoiceRunListed[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const query = queryOf({ period, org_unit_id: unitId || undefined });

  const load = useCallback(async () => {
    if (!period) return;
    const [r, listed] = await Promise.all([
      api<{ items: Einvoice[]; total: number }>('GET', `/api/accounting/einvoices?${query}`),
      api<{ items: EinvoiceRunListed[] }>('GET', `/api/accounting/einvoice-runs?${query}`),
    ]);
    setItems(r.items);
    setRuns(listed.items);
    return listed.items;
  }, [period, query]);

  // A run still working when the page opens (started before a reload, or by a colleague) is
  // followed as if started here.
  useEffect(() => {
    setRun((r) => (r && r.period === period ? r : null));
    load()
      .then((listed) => {
        const latest = listed?.[0];
        if (latest && !FINISHED.has(latest.status)) setRun(latest);
      })
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [load, period, t]);

  // While the run works, poll its progress; when it finishes, reload the list.
  const activeId = run && !FINISHED.has(run.status) ? run.id : null;
  useEffect(() => {
    if (!activeId) return;
    const timer = setInterval(() => {
      api<EinvoiceRun>('GET', `/api/accounting/einvoice-runs/${activeId}`)
        .then((r) => {
          setRun(r);
          if (FINISHED.has(r.status)) return load();
        })
        .catch((e: unknown) => setError(errorMessage(e, t)));
    }, 1000);
    return () => clearInterval(timer);
  }, [activeId, load, t]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setRun(
        await api<EinvoiceRun>('POST', '/api/accounting/einvoice-runs', {
          period,
          ...(unitId ? { org_unit_id: unitId } : {}),
        }),
      );
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const percent = run && run.total > 0 ? Math.round((run.done / run.total) * 100) : run ? 100 : 0;

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('accounting.einvoice.help')}
      </Text>
      {canRun && (
        <Group>
          <Button
            onClick={() => void start()}
            loading={busy}
            disabled={!period || !!activeId}
            data-testid="einvoice-generate"
          >
            {t('accounting.einvoice.generate')}
          </Button>
        </Group>
      )}
      {error && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {run && (
        <Stack gap={4} data-testid="einvoice-run">
          <Group justify="space-between">
            <Text size="sm" data-testid="einvoice-progress">
              {t('accounting.einvoice.progress', { done: run.done, total: run.total })}
            </Text>
            <Badge
              variant="light"
              color={run.status === 'done' ? 'teal' : run.status === 'failed' ? 'red' : 'blue'}
              data-testid="einvoice-run-status"
              data-status={run.status}
            >
              {t(`accounting.status.${run.status}`)}
            </Badge>
          </Group>
          <Progress value={percent} size="lg" aria-label={`${percent}%`} animated={!!activeId} />
          {run.error && (
            <Alert color="red" variant="light">
              {run.error}
            </Alert>
          )}
        </Stack>
      )}
      {runs.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('accounting.einvoice.runs')}
          </Text>
          <Table withTableBorder data-testid="einvoice-runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('accounting.einvoice.runStarted')}</Table.Th>
                <Table.Th>{t('accounting.einvoice.runFinished')}</Table.Th>
                <Table.Th>{t('accounting.einvoice.runBy')}</Table.Th>
                <Table.Th>{t('accounting.einvoice.runResult')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.map((r) => (
                <Table.Tr key={r.id} data-status={r.status}>
                  <Table.Td>{formatDateTime(r.createdAt, lang)}</Table.Td>
                  <Table.Td>{r.finishedAt ? formatDateTime(r.finishedAt, lang) : ''}</Table.Td>
                  <Table.Td>{r.createdBy ?? ''}</Table.Td>
                  <Table.Td>
                    {t(`accounting.status.${r.status}`)} ·{' '}
                    {t('accounting.einvoice.progress', { done: r.done, total: r.total })}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      {items && items.length === 0 && <Text c="dimmed">{t('accounting.einvoice.none')}</Text>}
      {items && items.length > 0 && (
        <>
          <Group justify="space-between">
            <Text size="sm" fw={500} data-testid="einvoice-count">
              {t('accounting.einvoice.count', { count: items.length })}
            </Text>
            <Button
              component="a"
              variant="light"
              href={`/api/accounting/einvoices/archive?${query}`}
              download
              data-testid="einvoice-zip"
            >
              {t('accounting.einvoice.zip')}
            </Button>
          </Group>
          <Table.ScrollContainer minWidth={900} maxHeight={600}>
            <Table striped withTableBorder stickyHeader data-testid="einvoices">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('accounting.col.number')}</Table.Th>
                  <Table.Th>{t('accounting.col.contract')}</Table.Th>
                  <Table.Th>{t('accounting.col.consumer')}</Table.Th>
                  <Table.Th>{t('accounting.col.inn')}</Table.Th>
                  <Table.Th ta="right">{t('accounting.col.total')}</Table.Th>
                  <Table.Th ta="right">{t('accounting.col.vat')}</Table.Th>
                  <Table.Th>{t('accounting.col.signedAt')}</Table.Th>
                  <Table.Th>{t('accounting.col.files')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((r) => (
                  <Table.Tr key={r.billId}>
                    <Table.Td>{r.number}</Table.Td>
                    <Table.Td>{r.contract}</Table.Td>
                    <Table.Td>{r.consumer}</Table.Td>
                    <Table.Td>{r.inn ?? ''}</Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(r.total, lang)}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(r.vat, lang)}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.signedAt, lang)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Group gap="sm" wrap="nowrap">
                        <Anchor
                          href={`/api/accounting/einvoices/${r.billId}?part=json`}
                          download
                          data-testid="einvoice-json"
                        >
                          {t('accounting.einvoice.json')}
                        </Anchor>
                        <Anchor
                          href={`/api/accounting/einvoices/${r.billId}?part=p7s`}
                          download
                          data-testid="einvoice-p7s"
                        >
                          {t('accounting.einvoice.p7s')}
                        </Anchor>
                      </Group>
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
}
