import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDate, formatDecimal } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { StatusBadge } from './parts.tsx';
import { compactReading, type MeterHit, READING_FORMAT, type ReadingRow, todayInTashkent } from './types.ts';

/** What became of one typed value: the stored reading, or the refusal. */
type Outcome = { ok: true; row: ReadingRow } | { ok: false; message: string };

/**
 * Entry of readings by staff (R3.1): find a meter in service by contract number or serial, type
 * the new value of each register and the date, save. Each reading is checked on the server and
 * comes back `submitted` (awaiting the signed confirmation) or `suspect` with its VEE rule.
 */
export function ReadingsEntry(props: { onSaved: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const today = todayInTashkent();
  // Linked from elsewhere (the billing page's accounts without a reading): ?q=contract&readOn=date.
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const [hits, setHits] = useState<MeterHit[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [readOn, setReadOn] = useState(params.get('readOn') ?? today);
  const [values, setValues] = useState<Record<string, string>>({});
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const find = async (text: string) => {
    setSearchError(null);
    try {
      const r = await api<{ items: MeterHit[] }>(
        'GET',
        `/api/readings/registers?${new URLSearchParams({ q: text })}`,
      );
      setHits(r.items);
    } catch (e) {
      setSearchError(errorMessage(e, t));
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: search once for the linked contract
  useEffect(() => {
    const linked = params.get('q');
    if (linked) void find(linked);
  }, []);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    if (q.trim() === '') return;
    setValues({});
    setOutcomes({});
    setProblem(null);
    await find(q.trim());
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const typed = Object.entries(values).filter(([, v]) => v.trim() !== '');
    if (typed.length === 0) return setProblem(t('readings.entry.nothing'));
    const bad = typed.find(([, v]) => !READING_FORMAT.test(compactReading(v)));
    if (bad) return setProblem(t('readings.entry.badFormat', { value: bad[1] }));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(readOn)) return setProblem(t('readings.entry.badDate'));
    setBusy(true);
    const next: Record<string, Outcome> = {};
    for (const [registerId, value] of typed) {
      try {
        const row = await api<ReadingRow>('POST', '/api/readings', {
          registerId,
          readOn,
          value: compactReading(value),
        });
        next[registerId] = { ok: true, row };
      } catch (err) {
        next[registerId] = { ok: false, message: errorMessage(err, t) };
      }
    }
    setOutcomes(next);
    setValues((v) => Object.fromEntries(Object.entries(v).filter(([id]) => !next[id]?.ok)));
    setBusy(false);
    if (Object.values(next).some((o) => o.ok)) {
      props.onSaved();
      await find(q.trim());
    }
  };

  return (
    <Stack>
      <Text c="dimmed" size="sm">
        {t('readings.entry.intro')}
      </Text>
      <form onSubmit={search}>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t('readings.entry.search')}
            placeholder={t('readings.entry.searchPlaceholder')}
            name="meter-search"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            w={{ base: '100%', xs: 280 }}
          />
          <Button type="submit" variant="light">
            {t('readings.entry.find')}
          </Button>
        </Group>
      </form>
      {searchError && (
        <Alert color="red" role="alert">
          {searchError}
        </Alert>
      )}
      {hits && hits.length === 0 && <Text c="dimmed">{t('readings.entry.none')}</Text>}
      {hits && hits.length > 0 && (
        <form onSubmit={save} noValidate>
          <Stack>
            {hits.map((m) => (
              <Card withBorder key={m.meterId} data-testid={`meter-${m.serial}`}>
                <Title order={3} size="h5">
                  {m.contract.number} · {m.consumerName}
                </Title>
                <Text size="sm" c="dimmed" mb="sm">
                  {t('readings.entry.meter', { serial: m.serial })} · {m.orgUnit.name} ·{' '}
                  {t('readings.entry.multiplier', { value: m.multiplier })}
                </Text>
                <Stack gap="sm">
                  {m.registers.map((g) => {
                    const outcome = outcomes[g.registerId];
                    return (
                      <Stack key={g.registerId} gap={4}>
                        <Group align="flex-end" wrap="wrap" gap="sm">
                          <TextInput
                            label={t('readings.entry.value', { register: g.obis })}
                            description={
                              g.last
                                ? t('readings.entry.last', {
                                    value: formatDecimal(g.last.value, lang),
                                    date: formatDate(g.last.readOn, lang),
                                  })
                                : t('readings.entry.noLast')
                            }
                            placeholder="000000,00"
                            name={`reading-${g.registerId}`}
                            inputMode="decimal"
                            value={values[g.registerId] ?? ''}
                            onChange={(e) => {
                              const v = e.currentTarget.value;
                              setValues((x) => ({ ...x, [g.registerId]: v }));
                            }}
                            w={{ base: '100%', xs: 260 }}
                          />
                          {g.pending && (
                            <Badge color="blue" variant="outline" mb={4}>
                              {t('readings.entry.pending', {
                                value: formatDecimal(g.pending.value, lang),
                                date: formatDate(g.pending.readOn, lang),
                              })}
                            </Badge>
                          )}
                        </Group>
                        {outcome?.ok === true && (
                          <Alert
                            color={outcome.row.status === 'suspect' ? 'orange' : 'teal'}
                            data-testid={`outcome-${g.obis}`}
                            py="xs"
                          >
                            <Group gap="sm" wrap="wrap">
                              <Text size="sm">
                                {t(
                                  outcome.row.status === 'suspect'
                                    ? 'readings.entry.savedSuspect'
                                    : 'readings.entry.savedSubmitted',
                                  {
                                    value: formatDecimal(outcome.row.value, lang),
                                    advance: outcome.row.advance
                                      ? formatDecimal(outcome.row.advance, lang)
                                      : '—',
                                  },
                                )}
                              </Text>
                              <StatusBadge status={outcome.row.status} veeCode={outcome.row.veeCode} t={t} />
                            </Group>
                          </Alert>
                        )}
                        {outcome?.ok === false && (
                          <Alert color="red" role="alert" py="xs" data-testid={`outcome-${g.obis}`}>
                            {outcome.message}
                          </Alert>
                        )}
                      </Stack>
                    );
                  })}
                </Stack>
              </Card>
            ))}
            <Card withBorder>
              <Group align="flex-end" wrap="wrap">
                <TextInput
                  type="date"
                  label={t('readings.entry.date')}
                  name="read-on"
                  max={today}
                  value={readOn}
                  onChange={(e) => setReadOn(e.currentTarget.value)}
                  w={{ base: '100%', xs: 200 }}
                />
                <Button type="submit" loading={busy}>
                  {t('readings.entry.save')}
                </Button>
              </Group>
              {problem && (
                <Alert color="red" role="alert" mt="sm">
                  {problem}
                </Alert>
              )}
            </Card>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
