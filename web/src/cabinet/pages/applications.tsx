import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NativeSelect,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime, formatPeriod, formatQuantity, formatWeekdayDate } from '../../format.ts';
import { errorMessage } from '../../office/errors.ts';
import { Loaded, PageTitle } from '../parts.tsx';
import { useCabinet, useCabinetData } from '../session.tsx';
import type { Account, Application, ApplicationStatus, Applications } from '../types.ts';
import { EmployeeReceiptCard, useEmployeeReceipts } from './EmployeesPage.tsx';

// Applications and requests (R6 functions 8, 10, 11, 12): one list-and-form component shown as
// three pages (applications, volume orders, requisites changes) and a page of what the district
// unit confirmed and when.

const VISIT_TYPES = ['disconnection', 'meter_inspection', 'heating_inspection'];
const GENERAL_TYPES = [...VISIT_TYPES, 'appeal', 'contract_renewal', 'no_debt_certificate'];
const SLOTS = ['09:00-12:00', '12:00-15:00', '15:00-18:00'];
const REQUISITES = ['legalAddress', 'postalAddress', 'phone', 'email', 'bankMfo', 'bankAccount'] as const;

/** The formats the server holds requisites to, checked here first to name the field in the page's language. */
const REQUISITE_FORMAT: Partial<Record<(typeof REQUISITES)[number], RegExp>> = {
  phone: /^\+998\d{9}$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  bankMfo: /^\d{5}$/,
  bankAccount: /^\d{20}$/,
};
const STATUS_COLOR: Record<ApplicationStatus, string> = {
  submitted: 'gray',
  accepted: 'blue',
  scheduled: 'indigo',
  done: 'teal',
  rejected: 'red',
  cancelled: 'gray',
};

/** Today and later dates as "YYYY-MM-DD" in Tashkent. */
function tashkentDay(offsetDays: number): string {
  return new Date(Date.now() + 5 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The days a visit may be asked for: from tomorrow, 60 days ahead, no Sundays (as the server rules). */
function visitDays(): string[] {
  return Array.from({ length: 60 }, (_, i) => tashkentDay(i + 1)).filter(
    (d) => new Date(`${d}T00:00:00Z`).getUTCDay() !== 0,
  );
}

function addMonths(period: string, n: number): string {
  const [y = 0, m = 1] = period.split('-').map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** One application: number, kind, status, details, timeline, PDF, withdraw. */
function ApplicationCard({ a, onChange }: { a: Application; onChange: () => void }) {
  const { t, i18n } = useTranslation();
  const cabinet = useCabinet();
  const [error, setError] = useState<string | null>(null);
  const lang = i18n.language;
  const final = a.status === 'done' || a.status === 'rejected' || a.status === 'cancelled';
  const cancel = async () => {
    try {
      await cabinet.call('POST', `/api/cabinet/applications/${a.id}/cancel`, {});
      onChange();
    } catch (e) {
      setError(errorMessage(e, t));
    }
  };
  return (
    <Card withBorder data-testid="application">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={3} size="h5">
            {t('cabinet.app.numbered', { number: a.number })} · {t(`cabinet.app.types.${a.type}`)}
          </Title>
          <Text size="sm" c="dimmed">
            {t('cabinet.app.filed', { date: formatDateTime(a.createdAt, lang) })}
          </Text>
        </div>
        <Badge color={STATUS_COLOR[a.status]} data-testid="application-status">
          {t(`cabinet.app.statuses.${a.status}`)}
        </Badge>
      </Group>
      <Text mt="xs">{a.text}</Text>
      {a.desiredDate && (
        <Text size="sm">
          {t('cabinet.app.desired')}: {formatDate(a.desiredDate, lang)}, {a.desiredTime}
        </Text>
      )}
      {a.visitDate && (
        <Text size="sm" fw={600}>
          {t('cabinet.app.visitOn', { date: formatDate(a.visitDate, lang) })}
        </Text>
      )}
      {a.details.meterSerial && (
        <Text size="sm">
          {t('cabinet.meter.serial')}: {a.details.meterSerial}
        </Text>
      )}
      {a.details.volumes?.map((v) => (
        <Text size="sm" key={v.period}>
          {formatPeriod(v.period, lang)}: {formatQuantity(v.volume, lang)}
        </Text>
      ))}
      {a.details.requisites &&
        Object.entries(a.details.requisites).map(([k, v]) => (
          <Text size="sm" key={k}>
            {t(`cabinet.account.${k}`)}: {v}
          </Text>
        ))}
      <Timeline active={a.events.length - 1} bulletSize={14} lineWidth={2} mt="md">
        {a.events.map((e) => (
          <Timeline.Item key={`${e.at}-${e.status}`} title={t(`cabinet.app.statuses.${e.status}`)}>
            <Text size="xs" c="dimmed">
              {formatDateTime(e.at, lang)} ·{' '}
              {e.by === 'user' ? (e.name ?? t('cabinet.app.staff')) : t('cabinet.app.you')}
            </Text>
            {e.note && <Text size="sm">{e.note}</Text>}
          </Timeline.Item>
        ))}
      </Timeline>
      {error && (
        <Alert color="red" role="alert" mt="sm">
          {error}
        </Alert>
      )}
      <Group mt="md">
        <Anchor href={`/api/cabinet/applications/${a.id}/pdf?lang=${lang}`} target="_blank">
          {t('cabinet.app.pdf')}
        </Anchor>
        {!final && (
          <Button size="xs" variant="light" color="red" onClick={() => void cancel()}>
            {t('cabinet.app.cancel')}
          </Button>
        )}
      </Group>
    </Card>
  );
}

type Kind = 'general' | 'volume' | 'requisites';

/** The form to file an application of the page's kind. */
function NewApplicationForm({ kind, onFiled }: { kind: Kind; onFiled: (a: Application) => void }) {
  const { t, i18n } = useTranslation();
  const cabinet = useCabinet();
  const account = useCabinetData<Account>(kind === 'general' ? '/api/cabinet/account' : null).data;
  const [type, setType] = useState(
    kind === 'volume' ? 'volume_change' : kind === 'requisites' ? 'requisites_change' : 'meter_inspection',
  );
  const [text, setText] = useState('');
  const [date, setDate] = useState('');
  const [slot, setSlot] = useState(SLOTS[0] ?? '');
  const [meter, setMeter] = useState('');
  const current = tashkentDay(0).slice(0, 7);
  const [volumes, setVolumes] = useState([{ row: 0, period: addMonths(current, 1), volume: '' }]);
  const [requisites, setRequisites] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const meters = account?.meteringPoints.flatMap((p) => p.meters.map((m) => m.serial)) ?? [];
  const visit = VISIT_TYPES.includes(type);
  const months = Array.from({ length: 13 }, (_, i) => addMonths(current, i));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (type === 'requisites_change') {
      const bad = REQUISITES.find((k) => {
        const v = (requisites[k] ?? '').trim();
        return v !== '' && REQUISITE_FORMAT[k] !== undefined && !REQUISITE_FORMAT[k]?.test(v);
      });
      if (bad)
        return setError(
          t('cabinet.app.badField', {
            field: t(`cabinet.account.${bad}`),
            hint: t(`cabinet.app.hints.${bad}`),
          }),
        );
    }
    setBusy(true);
    try {
      const body: Record<string, unknown> = { type, text };
      if (visit) Object.assign(body, { desiredDate: date || null, desiredTime: date ? slot : null });
      if (type === 'meter_inspection') body.meterSerial = meter || meters[0];
      if (type === 'volume_change')
        body.volumes = volumes
          .filter((v) => v.volume.trim() !== '')
          .map(({ period, volume }) => ({ period, volume }));
      if (type === 'requisites_change')
        body.requisites = Object.fromEntries(Object.entries(requisites).filter(([, v]) => v.trim() !== ''));
      const filed = await cabinet.call<Application>('POST', '/api/cabinet/applications', body);
      setText('');
      setDate('');
      setRequisites({});
      onFiled(filed);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={3} size="h5">
            {t(`cabinet.app.new.${kind}`)}
          </Title>
          {kind === 'general' && (
            <NativeSelect
              label={t('cabinet.app.type')}
              name="type"
              value={type}
              onChange={(e) => setType(e.currentTarget.value)}
              data={GENERAL_TYPES.map((v) => ({ value: v, label: t(`cabinet.app.types.${v}`) }))}
            />
          )}
          {type === 'meter_inspection' && (
            <NativeSelect
              label={t('cabinet.meter.serial')}
              name="meterSerial"
              value={meter || meters[0] || ''}
              onChange={(e) => setMeter(e.currentTarget.value)}
              data={meters}
            />
          )}
          {visit && (
            <Group grow align="flex-start">
              <NativeSelect
                label={t('cabinet.app.desiredDate')}
                description={t('cabinet.app.dateHint')}
                name="desiredDate"
                required
                value={date}
                onChange={(e) => setDate(e.currentTarget.value)}
                data={[
                  { value: '', label: '—' },
                  ...visitDays().map((d) => ({ value: d, label: formatWeekdayDate(d, i18n.language) })),
                ]}
              />
              <NativeSelect
                label={t('cabinet.app.desiredTime')}
                name="desiredTime"
                value={slot}
                onChange={(e) => setSlot(e.currentTarget.value)}
                data={SLOTS}
              />
            </Group>
          )}
          {type === 'volume_change' &&
            volumes.map((v, i) => (
              <Group key={v.row} align="flex-end">
                <NativeSelect
                  label={t('cabinet.settlements.period')}
                  name={`period-${i}`}
                  value={v.period}
                  onChange={(e) => {
                    const period = e.currentTarget.value;
                    setVolumes((xs) => xs.map((x, j) => (j === i ? { ...x, period } : x)));
                  }}
                  data={months.map((p) => ({ value: p, label: formatPeriod(p) }))}
                />
                <TextInput
                  label={t('cabinet.app.volume')}
                  name={`volume-${i}`}
                  inputMode="decimal"
                  value={v.volume}
                  onChange={(e) => {
                    const volume = e.currentTarget.value;
                    setVolumes((xs) => xs.map((x, j) => (j === i ? { ...x, volume } : x)));
                  }}
                />
              </Group>
            ))}
          {type === 'volume_change' && volumes.length < 12 && (
            <Group>
              <Button
                variant="subtle"
                size="xs"
                onClick={() =>
                  setVolumes((xs) => [
                    ...xs,
                    {
                      row: xs.length,
                      period: addMonths(xs[xs.length - 1]?.period ?? current, 1),
                      volume: '',
                    },
                  ])
                }
              >
                {t('cabinet.app.addMonth')}
              </Button>
            </Group>
          )}
          {type === 'requisites_change' &&
            REQUISITES.map((k) => (
              <TextInput
                key={k}
                label={t(`cabinet.account.${k}`)}
                description={t(`cabinet.app.hints.${k}`)}
                name={k}
                value={requisites[k] ?? ''}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setRequisites((r) => ({ ...r, [k]: value }));
                }}
              />
            ))}
          <Textarea
            label={t('cabinet.app.text')}
            name="text"
            required
            autosize
            minRows={3}
            maxLength={4000}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          {error && (
            <Alert color="red" role="alert" data-testid="application-error">
              {error}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy}>
              {t('cabinet.app.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

const KIND_TYPES: Record<Kind, (type: string) => boolean> = {
  general: (type) => GENERAL_TYPES.includes(type),
  volume: (type) => type === 'volume_change',
  requisites: (type) => type === 'requisites_change',
};

/** A page of applications of one kind, with the form to file a new one. */
export function ApplicationsPage({ kind }: { kind: Kind }) {
  const { t } = useTranslation();
  const { data, error, reload } = useCabinetData<Applications>('/api/cabinet/applications');
  const [filed, setFiled] = useState<string | null>(null);
  const title = t(`cabinet.nav.${kind === 'general' ? 'applications' : kind}`);
  return (
    <Stack>
      <Loaded data={data} error={error}>
        {(d) => {
          const items = d.items.filter((a) => KIND_TYPES[kind](a.type));
          return (
            <>
              <PageTitle title={title} at={d.dataAsOf} />
              <NewApplicationForm
                kind={kind}
                onFiled={(a) => {
                  setFiled(a.number);
                  reload();
                }}
              />
              {filed && (
                <Alert color="teal" data-testid="application-filed">
                  {t('cabinet.app.filedOk', { number: filed })}
                </Alert>
              )}
              {items.length === 0 ? <Text>{t('cabinet.app.none')}</Text> : null}
              {items.map((a) => (
                <ApplicationCard key={a.id} a={a} onChange={reload} />
              ))}
            </>
          );
        }}
      </Loaded>
    </Stack>
  );
}

/** R6 function 12: what the district unit confirmed and when, across the consumer's applications. */
export function ConfirmationsPage() {
  const { t, i18n } = useTranslation();
  const { data, error } = useCabinetData<Applications>('/api/cabinet/applications');
  const receipts = useEmployeeReceipts();
  const lang = i18n.language;
  return (
    <Loaded data={data} error={error}>
      {(d) => {
        const events = d.items
          .flatMap((a) => a.events.filter((e) => e.by === 'user').map((e) => ({ a, e })))
          .sort((x, y) => (x.e.at < y.e.at ? 1 : -1));
        return (
          <Stack>
            <PageTitle title={t('cabinet.nav.confirmations')} at={d.dataAsOf} />
            {events.length === 0 && receipts.length === 0 && <Text>{t('cabinet.app.noConfirmations')}</Text>}
            {events.map(({ a, e }) => (
              <Card withBorder key={`${a.id}-${e.at}-${e.status}`} data-testid="confirmation">
                <Group justify="space-between">
                  <Text fw={600}>
                    {t('cabinet.app.numbered', { number: a.number })} · {t(`cabinet.app.types.${a.type}`)}
                  </Text>
                  <Badge color={STATUS_COLOR[e.status]}>{t(`cabinet.app.statuses.${e.status}`)}</Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  {formatDateTime(e.at, lang)} · {e.name ?? t('cabinet.app.staff')}
                </Text>
                {e.note && <Text size="sm">{e.note}</Text>}
                {e.status === 'scheduled' && a.visitDate && (
                  <Text size="sm">{t('cabinet.app.visitOn', { date: formatDate(a.visitDate, lang) })}</Text>
                )}
              </Card>
            ))}
            {receipts.map((list) => (
              <EmployeeReceiptCard key={`list-${list.id}`} list={list} />
            ))}
          </Stack>
        );
      }}
    </Loaded>
  );
}
