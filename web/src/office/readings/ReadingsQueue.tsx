import {
  Alert,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDate, formatDecimal } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { type Column, DataTable } from '../table/DataTable.tsx';
import { readingColumns } from './parts.tsx';
import { compactReading, READING_FORMAT, type ReadingRow } from './types.ts';

type Action = 'accept' | 'reject' | 'correct';
const FILTERS = ['suspect,submitted', 'suspect', 'submitted'] as const;

/**
 * The VEE queue (R3.2): readings waiting for a person, suspect ones first in mind. A suspect
 * reading the operator has checked is accepted into confirmation; a wrong one is rejected with a
 * reason, or corrected (rejected and the right value recorded in its place).
 */
export function ReadingsQueue(props: { canWrite: boolean; reloadKey: number; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [status, setStatus] = useState<string>(FILTERS[0]);
  const [q, setQ] = useState('');
  const [search] = useDebouncedValue(q.trim(), 300);
  const [acting, setActing] = useState<{ action: Action; row: ReadingRow } | null>(null);
  const [text, setText] = useState('');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const open = (action: Action, row: ReadingRow) => {
    setActing({ action, row });
    setText('');
    setValue('');
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!acting) return;
    const { action, row } = acting;
    if (action !== 'accept' && text.trim() === '') return setError(t('readings.queue.reasonRequired'));
    if (action === 'correct' && !READING_FORMAT.test(compactReading(value)))
      return setError(t('readings.entry.badFormat', { value }));
    setBusy(true);
    setError(null);
    try {
      const body =
        action === 'accept'
          ? { note: text.trim() || undefined }
          : action === 'reject'
            ? { reason: text.trim() }
            : { reason: text.trim(), value: compactReading(value) };
      await api('POST', `/api/readings/${row.id}/${action}`, body);
      setDone(t(`readings.queue.done.${action}`, { contract: row.contract.number, serial: row.meterSerial }));
      setActing(null);
      props.onChanged();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const columns: Column<ReadingRow>[] = [
    ...readingColumns(t, lang).filter((c) => c.key !== 'source'),
    ...(props.canWrite
      ? [
          {
            key: 'actions',
            label: t('readings.col.actions'),
            render: (r: ReadingRow) => (
              <Group gap={4} wrap="wrap" w={150}>
                {r.status === 'suspect' && (
                  <Button size="compact-xs" variant="light" color="teal" onClick={() => open('accept', r)}>
                    {t('readings.queue.accept')}
                  </Button>
                )}
                <Button size="compact-xs" variant="light" onClick={() => open('correct', r)}>
                  {t('readings.queue.correct')}
                </Button>
                <Button size="compact-xs" variant="light" color="red" onClick={() => open('reject', r)}>
                  {t('readings.queue.reject')}
                </Button>
              </Group>
            ),
          },
        ]
      : []),
  ];

  return (
    <Stack>
      <Text c="dimmed" size="sm">
        {t('readings.queue.intro')}
      </Text>
      <Group align="flex-end" wrap="wrap">
        <SegmentedControl
          value={status}
          onChange={setStatus}
          data={FILTERS.map((f) => ({ value: f, label: t(`readings.queue.filter.${f.replace(',', '_')}`) }))}
        />
        <TextInput
          aria-label={t('readings.all.search')}
          placeholder={t('readings.all.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={{ base: '100%', xs: 240 }}
        />
      </Group>
      {done && (
        <Alert color="teal" withCloseButton onClose={() => setDone(null)} data-testid="queue-done">
          {done}
        </Alert>
      )}
      <DataTable<ReadingRow>
        endpoint="/api/readings"
        filters={{ status, q: search || undefined }}
        columns={columns}
        rowKey={(r) => r.id}
        defaultSort="enteredAt"
        defaultDir="desc"
        reloadKey={props.reloadKey}
        testId="readings-queue"
        minWidth={980}
        empty={<Text c="dimmed">{t('readings.queue.empty')}</Text>}
      />
      <Modal
        opened={acting !== null}
        onClose={() => setActing(null)}
        title={acting ? t(`readings.queue.title.${acting.action}`) : ''}
        centered
      >
        {acting && (
          <form onSubmit={submit} noValidate>
            <Stack>
              <Text size="sm">
                {t('readings.queue.which', {
                  contract: acting.row.contract.number,
                  serial: acting.row.meterSerial,
                  obis: acting.row.obis,
                  date: formatDate(acting.row.readOn, lang),
                  value: formatDecimal(acting.row.value, lang),
                })}
              </Text>
              {acting.action === 'correct' && (
                <TextInput
                  label={t('readings.queue.newValue')}
                  name="corrected-value"
                  placeholder="000000,00"
                  inputMode="decimal"
                  value={value}
                  onChange={(e) => setValue(e.currentTarget.value)}
                  data-autofocus
                />
              )}
              <Textarea
                label={acting.action === 'accept' ? t('readings.queue.note') : t('readings.queue.reason')}
                name="reason"
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                autosize
                minRows={2}
                maxLength={500}
                required={acting.action !== 'accept'}
              />
              {error && (
                <Alert color="red" role="alert">
                  {error}
                </Alert>
              )}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setActing(null)}>
                  {t('readings.queue.cancel')}
                </Button>
                <Button
                  type="submit"
                  loading={busy}
                  color={acting.action === 'reject' ? 'red' : acting.action === 'accept' ? 'teal' : undefined}
                >
                  {t(`readings.queue.${acting.action}`)}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </Stack>
  );
}
