import {
  Alert,
  Anchor,
  Button,
  Divider,
  Drawer,
  Group,
  LoadingOverlay,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime, formatPeriod, formatQuantity, formatWeekdayDate } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { errorMessage } from '../errors.ts';
import { AppStatusBadge, Field, useVisitDays } from './parts.tsx';
import { type Assignee, type OfficeApplication, REQUISITE_FIELDS, type Requisites } from './types.ts';

const VISIT_TYPES = new Set(['disconnection', 'meter_inspection', 'heating_inspection']);
const OPEN = new Set(['submitted', 'accepted', 'scheduled']);

/** The consumer card and the requested requisites side by side (after approval: before and after). */
function RequisitesTable({ a }: { a: OfficeApplication }) {
  const { t } = useTranslation();
  const r = a.requisites;
  if (!r) return null;
  const applied = r.applied;
  const left: Requisites = applied ? applied.before : r.current;
  const right: Requisites = applied ? applied.after : r.requested;
  const fields = REQUISITE_FIELDS.filter((f) => (applied ? f in applied.after : r.requested[f]));
  return (
    <Table.ScrollContainer minWidth={300}>
      <Table withTableBorder withColumnBorders data-testid="requisites-compare" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inbox.requisites.field')}</Table.Th>
            <Table.Th>{applied ? t('inbox.requisites.before') : t('inbox.requisites.current')}</Table.Th>
            <Table.Th>{applied ? t('inbox.requisites.after') : t('inbox.requisites.requested')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map((f) => {
            const changed = (left[f] ?? '') !== (right[f] ?? '');
            return (
              <Table.Tr key={f}>
                <Table.Td>{t(`cabinet.account.${f}`)}</Table.Td>
                <Table.Td c={changed ? 'dimmed' : undefined} style={{ overflowWrap: 'anywhere' }}>
                  {left[f] || '—'}
                </Table.Td>
                <Table.Td fw={changed ? 700 : undefined} style={{ overflowWrap: 'anywhere' }}>
                  {right[f] || '—'}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * An application in a drawer: consumer, contract, text, details, printable form and timeline, and
 * the staff actions its status allows — assign, accept, schedule a visit on a working day, resolve
 * or refuse with a comment the consumer reads; a change of requisites is approved (written to the
 * consumer card) instead of resolved.
 */
export function ApplicationDrawer(props: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { user } = useSession();
  const narrow = useMediaQuery('(max-width: 48em)');
  const canWrite = user?.permissions.includes('application.write') ?? false;
  const canApply = canWrite && (user?.permissions.includes('consumer.write') ?? false);
  const [a, setA] = useState<OfficeApplication | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [assignees, setAssignees] = useState<Assignee[]>([]);
  const [assignee, setAssignee] = useState('');
  const [visit, setVisit] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const days = useVisitDays();
  // The calendar and the application load apart: a wished day that is a holiday is not kept.
  // biome-ignore lint/correctness/useExhaustiveDependencies: when the offered days or the application change
  useEffect(() => {
    setVisit((v) => (v && !days.includes(v) ? (days[1] ?? days[0] ?? '') : v));
  }, [days.join(), a?.id]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: days is today's list, fixed while open
  useEffect(() => {
    setA(null);
    setError(null);
    setNote('');
    setDone(null);
    if (!props.id) return;
    let live = true;
    api<OfficeApplication>('GET', `/api/applications/${props.id}`)
      .then((d) => {
        if (!live) return;
        setA(d);
        setAssignee(d.assignee?.id ?? '');
        const wanted = d.visitDate ?? d.desiredDate ?? '';
        setVisit(days.includes(wanted) ? wanted : (days[1] ?? ''));
      })
      .catch((e: unknown) => live && setError(errorMessage(e, t)));
    if (canWrite)
      api<{ items: Assignee[] }>('GET', `/api/applications/${props.id}/assignees`)
        .then((r) => live && setAssignees(r.items))
        .catch(() => live && setAssignees([]));
    return () => {
      live = false;
    };
  }, [props.id, t, canWrite]);

  /** Runs one action; the answer's application (or a fresh read) replaces the shown one. */
  const act = async (key: string, call: () => Promise<unknown>, message: string) => {
    if (!a) return;
    setBusy(key);
    setError(null);
    setDone(null);
    try {
      await call();
      setA(await api<OfficeApplication>('GET', `/api/applications/${a.id}`));
      setNote('');
      setDone(message);
      props.onChanged();
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(null);
    }
  };
  const move = (status: string, extra: object = {}) =>
    api('POST', `/api/applications/${a?.id}/status`, {
      status,
      ...(note.trim() ? { note: note.trim() } : {}),
      ...extra,
    });

  const open = a ? OPEN.has(a.status) : false;
  const requisites = a?.type === 'requisites_change';

  return (
    <Drawer
      opened={props.id !== null}
      onClose={props.onClose}
      position="right"
      size={narrow ? '100%' : 'lg'}
      title={<Title order={3}>{a ? t('cabinet.app.numbered', { number: a.number }) : '…'}</Title>}
      closeButtonProps={{ 'aria-label': t('inbox.close') }}
    >
      <Stack pos="relative" mih={120} data-testid="application-detail">
        <LoadingOverlay visible={!a && !error} />
        {error && (
          <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>
            {error}
          </Alert>
        )}
        {done && (
          <Alert color="teal" role="status" data-testid="action-done">
            {done}
          </Alert>
        )}
        {a && (
          <>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text fw={700}>{t(`cabinet.app.types.${a.type}`)}</Text>
              <span data-testid="detail-status">
                <AppStatusBadge status={a.status} />
              </span>
            </Group>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <Field label={t('inbox.col.consumer')}>
                {a.consumer.name}
                {a.consumer.inn && (
                  <Text size="xs" c="dimmed">
                    {t('inbox.inn', { inn: a.consumer.inn })}
                  </Text>
                )}
              </Field>
              <Field label={t('inbox.col.contract')}>{a.account}</Field>
              <Field label={t('inbox.col.filed')}>{formatDateTime(a.createdAt, lang)}</Field>
              <Field label={t('inbox.col.unit')}>{a.orgUnit.name}</Field>
              {a.desiredDate && (
                <Field label={t('cabinet.app.desired')}>
                  {formatWeekdayDate(a.desiredDate, lang)}, {a.desiredTime}
                </Field>
              )}
              {a.visitDate && (
                <Field label={t('inbox.col.visit')} testId="detail-visit">
                  {formatWeekdayDate(a.visitDate, lang)}
                </Field>
              )}
              {a.details.meterSerial && (
                <Field label={t('cabinet.meter.serial')}>{a.details.meterSerial}</Field>
              )}
              <Field label={t('inbox.col.assignee')} testId="detail-assignee">
                {a.assignee?.name ?? t('inbox.unassigned')}
              </Field>
            </SimpleGrid>
            <Field label={t('inbox.text')}>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {a.text}
              </Text>
            </Field>
            {a.details.volumes && (
              <Field label={t('cabinet.app.volume')}>
                {a.details.volumes.map((v) => (
                  <div key={v.period}>
                    {formatPeriod(v.period, lang)}: {formatQuantity(v.volume, lang)}
                  </div>
                ))}
              </Field>
            )}
            {requisites && (
              <>
                <Title order={4}>{t('inbox.requisites.title')}</Title>
                <RequisitesTable a={a} />
                {a.requisites?.applied && (
                  <Text size="sm" c="dimmed" data-testid="requisites-applied">
                    {t('inbox.requisites.appliedBy', {
                      name: a.requisites.applied.by ?? '—',
                      at: formatDateTime(a.requisites.applied.at, lang),
                    })}
                  </Text>
                )}
              </>
            )}
            <Anchor href={`/api/applications/${a.id}/pdf?lang=${lang}`} target="_blank" size="sm">
              {t('cabinet.app.pdf')}
            </Anchor>

            {canWrite && (
              <>
                <Divider label={t('inbox.actions')} labelPosition="left" />
                <Group align="end" wrap="wrap" gap="xs">
                  <NativeSelect
                    label={t('inbox.assignTo')}
                    value={assignee}
                    onChange={(e) => setAssignee(e.currentTarget.value)}
                    data={[
                      { value: '', label: t('inbox.unassigned') },
                      ...assignees.map((u) => ({ value: u.id, label: `${u.name} · ${u.orgUnit}` })),
                    ]}
                    style={{ flex: '1 1 220px' }}
                    data-testid="assignee-select"
                  />
                  <Button
                    variant="light"
                    loading={busy === 'assign'}
                    disabled={assignee === (a.assignee?.id ?? '')}
                    onClick={() =>
                      void act(
                        'assign',
                        () =>
                          api('POST', `/api/applications/${a.id}/assignee`, {
                            userId: assignee === '' ? null : assignee,
                          }),
                        t('inbox.done.assigned'),
                      )
                    }
                    data-testid="assign"
                  >
                    {t('inbox.assign')}
                  </Button>
                </Group>
              </>
            )}

            {canWrite && open && (
              <Stack gap="xs">
                <Textarea
                  label={t('inbox.note')}
                  description={t('inbox.noteHint')}
                  value={note}
                  onChange={(e) => setNote(e.currentTarget.value)}
                  autosize
                  minRows={2}
                  maxLength={1000}
                  name="note"
                />
                {VISIT_TYPES.has(a.type) && (
                  <Group align="end" wrap="wrap" gap="xs">
                    <NativeSelect
                      label={t('inbox.visitDate')}
                      value={visit}
                      onChange={(e) => setVisit(e.currentTarget.value)}
                      data={days.map((d) => ({ value: d, label: formatWeekdayDate(d, lang) }))}
                      style={{ flex: '1 1 220px' }}
                      data-testid="visit-date"
                    />
                    <Button
                      variant="light"
                      color="indigo"
                      loading={busy === 'schedule'}
                      onClick={() =>
                        void act(
                          'schedule',
                          () => move('scheduled', { visitDate: visit }),
                          t('inbox.done.scheduled', { date: formatDate(visit, lang) }),
                        )
                      }
                      data-testid="schedule"
                    >
                      {t('inbox.schedule')}
                    </Button>
                  </Group>
                )}
                <Group gap="xs" wrap="wrap">
                  {a.status === 'submitted' && (
                    <Button
                      variant="light"
                      loading={busy === 'accept'}
                      onClick={() => void act('accept', () => move('accepted'), t('inbox.done.accepted'))}
                      data-testid="accept"
                    >
                      {t('inbox.accept')}
                    </Button>
                  )}
                  {requisites ? (
                    canApply && (
                      <Button
                        color="teal"
                        loading={busy === 'apply'}
                        onClick={() =>
                          void act(
                            'apply',
                            () =>
                              api('POST', `/api/applications/${a.id}/apply-requisites`, {
                                ...(note.trim() ? { note: note.trim() } : {}),
                              }),
                            t('inbox.done.applied'),
                          )
                        }
                        data-testid="approve"
                      >
                        {t('inbox.approve')}
                      </Button>
                    )
                  ) : (
                    <Button
                      color="teal"
                      loading={busy === 'resolve'}
                      onClick={() => void act('resolve', () => move('done'), t('inbox.done.resolved'))}
                      data-testid="resolve"
                    >
                      {t('inbox.resolve')}
                    </Button>
                  )}
                  <Button
                    color="red"
                    variant="light"
                    loading={busy === 'reject'}
                    disabled={note.trim() === ''}
                    title={note.trim() === '' ? t('inbox.reasonFirst') : undefined}
                    onClick={() => void act('reject', () => move('rejected'), t('inbox.done.rejected'))}
                    data-testid="reject"
                  >
                    {t('inbox.reject')}
                  </Button>
                </Group>
                {note.trim() === '' && (
                  <Text size="xs" c="dimmed">
                    {t('inbox.reasonFirst')}
                  </Text>
                )}
              </Stack>
            )}

            <Title order={4}>{t('inbox.timeline')}</Title>
            <Timeline active={a.events.length - 1} bulletSize={14} lineWidth={2} data-testid="timeline">
              {a.events.map((e) => (
                <Timeline.Item key={`${e.at}-${e.status}`} title={t(`cabinet.app.statuses.${e.status}`)}>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(e.at, lang)} ·{' '}
                    {e.by === 'user' ? (e.name ?? t('cabinet.app.staff')) : t('inbox.byConsumer')}
                  </Text>
                  {e.note && <Text size="sm">{e.note}</Text>}
                </Timeline.Item>
              ))}
            </Timeline>
          </>
        )}
      </Stack>
    </Drawer>
  );
}
