import { Alert, Button, Card, FileInput, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDecimal, formatQuantity } from '../../format.ts';
import { errorMessage } from '../../office/errors.ts';
import { Loaded, PageTitle, registerName } from '../parts.tsx';
import { useCabinet, useCabinetData } from '../session.tsx';
import type { Readings } from '../types.ts';

/** R3.4: who confirmed each listed accepted reading, and whether with a signed confirmation. */
type ReadingConfirmation = { readingId: string; by: string | null; at: string; signed: boolean };

/** The largest attachment the server takes (R3.1). */
const MAX_ATTACHMENT = 10 * 1024 * 1024;
const READING_FORMAT = /^\d{1,9}([.,]\d{1,2})?$/;

/** R6 function 2: readings per meter with history, and this month's submission (by the 25th). */
export function ReadingsPage() {
  const { t, i18n } = useTranslation();
  const cabinet = useCabinet();
  const { data, error, reload } = useCabinetData<Readings & { confirmations?: ReadingConfirmation[] }>(
    '/api/cabinet/readings',
  );
  const [values, setValues] = useState<Record<string, string>>({});
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const lang = i18n.language;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(false);
    const readings = Object.entries(values)
      .filter(([, v]) => v.trim() !== '')
      .map(([registerId, value]) => ({ registerId, value: value.trim() }));
    if (readings.length === 0) return setProblem(t('cabinet.readings.nothing'));
    const bad = readings.find((r) => !READING_FORMAT.test(r.value));
    if (bad) return setProblem(t('cabinet.readings.badFormat', { value: bad.value }));
    if (file && file.size > MAX_ATTACHMENT) return setProblem(t('cabinet.readings.tooLarge'));
    const form = new FormData();
    form.append('readings', JSON.stringify(readings));
    if (file) form.append('attachment', file, file.name);
    setBusy(true);
    try {
      await cabinet.upload('/api/cabinet/readings', form);
      setValues({});
      setFile(null);
      setDone(true);
      reload();
    } catch (err) {
      setProblem(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Loaded data={data} error={error}>
      {(r) => (
        <Stack>
          <PageTitle title={t('cabinet.nav.readings')} at={r.dataAsOf} />
          {r.window.open ? (
            <Alert color="blue">
              {t('cabinet.readings.open', { date: formatDate(r.window.closesOn, lang) })}
            </Alert>
          ) : (
            <Alert color="yellow" data-testid="window-closed">
              {t('cabinet.readings.closed', { date: formatDate(r.window.closesOn, lang) })}
            </Alert>
          )}
          <form onSubmit={submit} noValidate>
            <Stack>
              {r.meters.map((m) => (
                <Card withBorder key={m.meterId}>
                  <Title order={3} size="h5">
                    {t('cabinet.consumption.meter', { serial: m.serial })}
                  </Title>
                  <Text size="sm" c="dimmed" mb="sm">
                    {m.pointCode}
                    {m.type ? ` · ${m.type}` : ''} · {t('cabinet.meter.multiplier')}: {m.multiplier}
                  </Text>
                  {m.registers.map((g) => {
                    const obis = registerName(t, g.obis, cabinet.session?.commodity ?? 'electricity');
                    return (
                      <Stack key={g.registerId} gap="xs" mb="md">
                        <Group align="flex-end" wrap="wrap">
                          <TextInput
                            label={t('cabinet.readings.value', { register: obis })}
                            description={
                              g.last
                                ? t('cabinet.readings.last', {
                                    value: formatDecimal(g.last.value, lang),
                                    date: formatDate(g.last.readOn, lang),
                                  })
                                : t('cabinet.readings.noLast')
                            }
                            placeholder="000000,00"
                            name={`reading-${g.registerId}`}
                            inputMode="decimal"
                            disabled={!r.window.open}
                            value={values[g.registerId] ?? ''}
                            onChange={(e) => {
                              const v = e.currentTarget.value;
                              setValues((x) => ({ ...x, [g.registerId]: v }));
                            }}
                            w={260}
                          />
                        </Group>
                        {g.history.length > 0 && (
                          <Table.ScrollContainer minWidth={420}>
                            <Table striped fz="sm" data-testid={`history-${g.obis}`}>
                              <Table.Thead>
                                <Table.Tr>
                                  <Table.Th>{t('cabinet.readings.date')}</Table.Th>
                                  <Table.Th ta="right">{t('cabinet.readings.reading')}</Table.Th>
                                  <Table.Th ta="right">{t('cabinet.readings.consumption')}</Table.Th>
                                  <Table.Th>{t('cabinet.readings.source')}</Table.Th>
                                </Table.Tr>
                              </Table.Thead>
                              <Table.Tbody>
                                {g.history.slice(0, 12).map((h) => {
                                  const confirmed = r.confirmations?.find((c) => c.readingId === h.id);
                                  return (
                                    <Table.Tr key={h.id}>
                                      <Table.Td>{formatDate(h.readOn, lang)}</Table.Td>
                                      <Table.Td ta="right">{formatDecimal(h.value, lang)}</Table.Td>
                                      <Table.Td ta="right">
                                        {h.consumption === null ? '—' : formatQuantity(h.consumption, lang)}
                                      </Table.Td>
                                      <Table.Td>
                                        {t(`cabinet.sources.${h.source}`)}
                                        {h.attachment && (
                                          <>
                                            {' · '}
                                            <a
                                              href={`/api/cabinet/readings/attachments/${h.attachment.id}`}
                                              download={h.attachment.fileName}
                                            >
                                              {t('cabinet.readings.attachment')}
                                            </a>
                                          </>
                                        )}
                                        {confirmed?.signed && (
                                          <Text size="xs" c="teal.8" data-testid="reading-confirmed">
                                            {t('confirm.cabinet.signed', {
                                              name: confirmed.by ?? '—',
                                              date: formatDate(
                                                new Date(new Date(confirmed.at).getTime() + 5 * 3_600_000)
                                                  .toISOString()
                                                  .slice(0, 10),
                                                lang,
                                              ),
                                            })}
                                          </Text>
                                        )}
                                        {h.status === 'submitted' && (
                                          <Text size="xs" c="dimmed">
                                            {t('confirm.cabinet.waiting')}
                                          </Text>
                                        )}
                                      </Table.Td>
                                    </Table.Tr>
                                  );
                                })}
                              </Table.Tbody>
                            </Table>
                          </Table.ScrollContainer>
                        )}
                      </Stack>
                    );
                  })}
                </Card>
              ))}
              {r.window.open && (
                <Card withBorder>
                  <Stack>
                    <FileInput
                      label={t('cabinet.readings.file')}
                      description={t('cabinet.readings.fileHint')}
                      name="attachment"
                      accept="image/jpeg,image/png,application/pdf"
                      clearable
                      value={file}
                      onChange={setFile}
                    />
                    {problem && (
                      <Alert color="red" role="alert" data-testid="reading-error">
                        {problem}
                      </Alert>
                    )}
                    {done && (
                      <Alert color="teal" data-testid="reading-done">
                        {t('cabinet.readings.done')}
                      </Alert>
                    )}
                    <Group>
                      <Button type="submit" loading={busy}>
                        {t('cabinet.readings.submit')}
                      </Button>
                    </Group>
                  </Stack>
                </Card>
              )}
            </Stack>
          </form>
        </Stack>
      )}
    </Loaded>
  );
}
