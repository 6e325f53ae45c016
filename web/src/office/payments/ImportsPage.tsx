import {
  Alert,
  Button,
  FileInput,
  Group,
  List,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Upload as UploadOf, uploadFile } from '../../api/client.ts';
import { formatDate, formatDateTime, formatMoney } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import type { ImportBatch, ImportResult } from './types.ts';

/** A line problem of a refused file (PAYMENT_FILE_INVALID's details). */
type Problem = { line: number; code: string; message: string; value?: string };

type Upload = UploadOf<ImportResult, Problem>;

const uploadPayments = (form: FormData): Promise<Upload> =>
  uploadFile<ImportResult, Problem>('/api/payments/imports', form);

/** Bank statements and post registries: upload one, see what became of each line, past imports. */
export function ImportsPage(props: { canWrite: boolean; onImported: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [channel, setChannel] = useState<'bank' | 'post'>('bank');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [batches, setBatches] = useState<ImportBatch[] | null>(null);
  const [tick, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick reloads after an import
  useEffect(() => {
    let live = true;
    api<{ items: ImportBatch[] }>('GET', '/api/payments/imports?limit=50')
      .then((r) => live && setBatches(r.items))
      .catch((e: unknown) => live && setError(errorMessage(e, t)));
    return () => {
      live = false;
    };
  }, [t, tick]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setProblems([]);
    setResult(null);
    try {
      const form = new FormData();
      form.set('channel', channel);
      form.set('file', file, file.name);
      const r = await uploadPayments(form);
      if (r.ok) {
        setResult(r.result);
        setFile(null);
        setTick((x) => x + 1);
        props.onImported();
      } else {
        setError(errorMessage(r.error, t));
        setProblems(r.problems);
      }
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const problemText = (p: Problem) =>
    [i18n.exists(`payments.problem.${p.code}`) ? t(`payments.problem.${p.code}`) : p.code, p.value]
      .filter(Boolean)
      .join(': ');

  return (
    <Stack>
      {props.canWrite && (
        <Paper withBorder p="md" maw={640}>
          <form onSubmit={(e) => void submit(e)} noValidate>
            <Stack>
              <Title order={3}>{t('payments.imports.title')}</Title>
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('payments.imports.channel')}
                </Text>
                <SegmentedControl
                  value={channel}
                  onChange={(v) => setChannel(v === 'post' ? 'post' : 'bank')}
                  data={[
                    { value: 'bank', label: t('payments.imports.bank') },
                    { value: 'post', label: t('payments.imports.post') },
                  ]}
                />
              </Stack>
              <FileInput
                label={t('payments.imports.file')}
                placeholder={t('payments.imports.pick')}
                value={file}
                onChange={setFile}
                accept={channel === 'bank' ? '.txt,text/plain' : '.csv,.xlsx,text/csv'}
                clearable
                data-testid="import-file"
              />
              <Group>
                <Button type="submit" loading={busy} disabled={!file}>
                  {t('payments.imports.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
      {error && (
        <Alert color="red" role="alert" data-testid="import-error">
          <Text size="sm">{error}</Text>
          {problems.length > 0 && (
            <>
              <Text size="sm" fw={600} mt="xs">
                {t('payments.imports.problems')}
              </Text>
              <List size="sm">
                {problems.map((p) => (
                  <List.Item key={`${p.line}-${p.code}-${p.value ?? ''}`}>
                    {t('payments.imports.line')} {p.line}: {problemText(p)}
                  </List.Item>
                ))}
              </List>
            </>
          )}
        </Alert>
      )}
      {result && (
        <Stack data-testid="import-result">
          <Alert color="teal">
            <Text fw={600}>{t('payments.imports.done', { file: result.batch.fileName })}</Text>
            <Text size="sm">{t('payments.imports.counts', result.batch.counts)}</Text>
          </Alert>
          <Table.ScrollContainer minWidth={560}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('payments.imports.line')}</Table.Th>
                  <Table.Th>{t('payments.col.paidOn')}</Table.Th>
                  <Table.Th ta="right">{t('payments.col.amount')}</Table.Th>
                  <Table.Th>{t('payments.detail.payer')}</Table.Th>
                  <Table.Th>{t('payments.col.contract')}</Table.Th>
                  <Table.Th>{t('payments.imports.outcome')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.lines.map((l) => (
                  <Table.Tr key={l.line}>
                    <Table.Td>{l.line}</Table.Td>
                    <Table.Td>{formatDate(l.paidOn, lang)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(l.amount, lang)}</Table.Td>
                    <Table.Td>{l.payer ?? '—'}</Table.Td>
                    <Table.Td>{l.contractNumber ?? '—'}</Table.Td>
                    <Table.Td>{t(`payments.imports.outcomes.${l.outcome}`)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
      <Title order={3}>{t('payments.imports.history')}</Title>
      {batches && batches.length === 0 && <Text c="dimmed">{t('payments.imports.none')}</Text>}
      {batches && batches.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped data-testid="import-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('payments.imports.when')}</Table.Th>
                <Table.Th>{t('payments.imports.file')}</Table.Th>
                <Table.Th>{t('payments.imports.period')}</Table.Th>
                <Table.Th>{t('payments.col.status')}</Table.Th>
                <Table.Th ta="right">{t('payments.imports.bookedAmount')}</Table.Th>
                <Table.Th ta="right">{t('payments.imports.unmatchedAmount')}</Table.Th>
                <Table.Th>{t('payments.imports.who')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {batches.map((b) => (
                <Table.Tr key={b.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(b.createdAt, lang)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{b.fileName}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`payments.imports.${b.channel === 'post' ? 'post' : 'bank'}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {b.statementFrom ? formatDate(b.statementFrom, lang) : '—'}
                    {b.statementTo && b.statementTo !== b.statementFrom
                      ? ` – ${formatDate(b.statementTo, lang)}`
                      : ''}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{t('payments.imports.counts', b.counts)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">{formatMoney(b.amounts.booked, lang)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(b.amounts.unmatched, lang)}</Table.Td>
                  <Table.Td>{b.createdBy?.name ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
