import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDate, formatWeekdayDate } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { HistoryButton } from './History.tsx';
import type { Holiday } from './types.ts';

/** The working-day calendar by year: holidays and transferred workdays; admins add and remove future days. */
export function HolidaysPage(props: { canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const [year, setYear] = useState<number | null>(null);
  const [data, setData] = useState<{ year: number; today: string; items: Holiday[] } | null>(null);
  const [day, setDay] = useState('');
  const [kind, setKind] = useState<'holiday' | 'workday'>('holiday');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(() => {
    api<{ year: number; today: string; items: Holiday[] }>(
      'GET',
      `/api/reference/holidays${year ? `?year=${year}` : ''}`,
    )
      .then((d) => {
        setData(d);
        setYear(d.year);
      })
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [year, t]);
  useEffect(load, [load]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const h = await api<Holiday>('POST', '/api/reference/holidays', { day, kind, name });
      setDone(t('reference.holidays.added', { day: formatDate(h.day, i18n.language) }));
      setDay('');
      setName('');
      if (Number(h.day.slice(0, 4)) === year) load();
      else setYear(Number(h.day.slice(0, 4)));
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (h: Holiday) => {
    if (!window.confirm(t('reference.holidays.confirmRemove', { day: formatDate(h.day, i18n.language) })))
      return;
    setError(null);
    try {
      await api('DELETE', `/api/reference/holidays/${h.day}`);
      setDone(t('reference.holidays.removed', { day: formatDate(h.day, i18n.language) }));
      load();
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };
  const thisYear = data ? Number(data.today.slice(0, 4)) : new Date().getFullYear();

  return (
    <Stack>
      {error && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {done && (
        <Alert
          color="teal"
          role="status"
          withCloseButton
          onClose={() => setDone(null)}
          data-testid="reference-done"
        >
          {done}
        </Alert>
      )}
      <Group justify="space-between" align="end" wrap="wrap">
        <NativeSelect
          label={t('reference.holidays.year')}
          value={String(year ?? thisYear)}
          onChange={(e) => setYear(Number(e.currentTarget.value))}
          data={[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map(String)}
          w={140}
          data-testid="holiday-year"
        />
        <Text size="sm" c="dimmed" maw={520}>
          {t('reference.holidays.hint')}
        </Text>
      </Group>
      {props.canWrite && (
        <Card withBorder>
          <form onSubmit={add} data-testid="holiday-form">
            <Group align="end" wrap="wrap">
              <TextInput
                type="date"
                label={t('reference.holidays.day')}
                value={day}
                onChange={(e) => setDay(e.currentTarget.value)}
                required
                data-testid="holiday-day"
              />
              <NativeSelect
                label={t('reference.holidays.kind')}
                value={kind}
                onChange={(e) => setKind(e.currentTarget.value as 'holiday' | 'workday')}
                data={(['holiday', 'workday'] as const).map((k) => ({
                  value: k,
                  label: t(`reference.holidays.kinds.${k}`),
                }))}
              />
              <TextInput
                label={t('reference.name')}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                required
                miw={260}
                style={{ flex: 1 }}
                data-testid="holiday-name"
              />
              <Button type="submit" loading={busy} disabled={!day || !name.trim()} data-testid="holiday-add">
                {t('reference.add')}
              </Button>
            </Group>
          </form>
        </Card>
      )}
      <Table.ScrollContainer minWidth={520}>
        <Table striped data-testid="holiday-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reference.holidays.day')}</Table.Th>
              <Table.Th>{t('reference.name')}</Table.Th>
              <Table.Th>{t('reference.holidays.kind')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.items.map((h) => (
              <Table.Tr key={h.day} data-testid={`holiday-${h.day}`} c={h.past ? 'dimmed' : undefined}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {formatWeekdayDate(h.day, i18n.language)}
                </Table.Td>
                <Table.Td>{h.name}</Table.Td>
                <Table.Td>
                  <Badge color={h.kind === 'holiday' ? 'red' : 'blue'} variant="light">
                    {t(`reference.holidays.kinds.${h.kind}`)}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Group gap={4} wrap="nowrap" justify="flex-end">
                    <HistoryButton entity="holiday" id={h.day} />
                    {props.canWrite && !h.past && (
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => void remove(h)}>
                        {t('reference.remove')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {data && data.items.length === 0 && <Text c="dimmed">{t('reference.holidays.none')}</Text>}
    </Stack>
  );
}
