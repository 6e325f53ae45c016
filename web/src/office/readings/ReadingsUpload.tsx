import { Alert, Button, Card, FileInput, Group, List, Stack, Table, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Upload as UploadOf, uploadFile } from '../../api/client.ts';
import { errorMessage } from '../errors.ts';
import type { ImportProblem, ImportResult } from './types.ts';

type Upload = UploadOf<ImportResult, ImportProblem>;

const uploadReadings = (form: FormData): Promise<Upload> =>
  uploadFile<ImportResult, ImportProblem>('/api/readings/imports', form);

/**
 * Bulk import of readings (R3.1): a CSV or XLSX file, all or nothing. A bad file is refused with
 * every bad row listed; a good one is recorded whole, each reading checked by VEE.
 */
export function ReadingsUpload(props: { onImported: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<ImportProblem[]>([]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return setError(t('readings.upload.noFile'));
    setBusy(true);
    setResult(null);
    setError(null);
    setProblems([]);
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      const r = await uploadReadings(form);
      if (r.ok) {
        setResult(r.result);
        setFile(null);
        props.onImported();
      } else {
        setError(r.error.message);
        setProblems(r.problems);
      }
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Card withBorder>
        <Text size="sm">{t('readings.upload.intro')}</Text>
        <List size="sm" mt="xs" mb="sm">
          {(['contract', 'meter', 'register', 'date', 'value'] as const).map((f) => (
            <List.Item key={f}>
              <b>{t(`readings.field.${f}`)}</b> — {t(`readings.upload.columns.${f}`)}
            </List.Item>
          ))}
        </List>
        <form onSubmit={send} noValidate>
          <Group align="flex-end" wrap="wrap">
            <FileInput
              label={t('readings.upload.file')}
              name="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              clearable
              value={file}
              onChange={setFile}
              w={{ base: '100%', xs: 320 }}
            />
            <Button type="submit" loading={busy}>
              {t('readings.upload.send')}
            </Button>
          </Group>
        </form>
      </Card>
      {result && (
        <Alert color="teal" data-testid="upload-done">
          {t('readings.upload.done', result)}
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert" data-testid="upload-error">
          {error}
        </Alert>
      )}
      {problems.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped data-testid="upload-problems">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('readings.upload.row')}</Table.Th>
                <Table.Th>{t('readings.upload.column')}</Table.Th>
                <Table.Th>{t('readings.upload.value')}</Table.Th>
                <Table.Th>{t('readings.upload.message')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {problems.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a row can have several problems, in a fixed order
                <Table.Tr key={`${p.row}-${i}`}>
                  <Table.Td>{p.row}</Table.Td>
                  <Table.Td>{p.field ? t(`readings.field.${p.field}`) : '—'}</Table.Td>
                  <Table.Td ff="monospace">{p.value ?? ''}</Table.Td>
                  <Table.Td>{p.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
