import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime, formatMoney, formatPeriod } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { Field, Fields, Section } from '../consumers/parts.tsx';
import { errorMessage } from '../errors.ts';
import { NewClaimModal } from './NewClaimModal.tsx';
import { ClaimStatusBadge, todayInTashkent } from './parts.tsx';
import type { Claim, ClaimDraft } from './types.ts';

/**
 * One claim (GET /api/claims/:id): its details, the status history as a timeline, the form that
 * moves it on (the statuses its kind allows now, the day, a note; a hearing's date; an answer's due
 * date when sent), the printable letter or claim as PDF, and — for a pre-trial claim sent or
 * refused — filing the court case that escalates it.
 */
export function ClaimPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { id = '' } = useParams();
  const { user } = useSession();
  const canWrite = user?.permissions.includes('claim.write') ?? false;
  const [claim, setClaim] = useState<Claim | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [on, setOn] = useState(todayInTashkent());
  const [note, setNote] = useState('');
  const [hearingOn, setHearingOn] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [busy, setBusy] = useState(false);
  const [moveError, setMoveError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [draft, setDraft] = useState<ClaimDraft | null>(null);

  const show = (c: Claim) => {
    setClaim(c);
    setStatus(c.next[0] ?? '');
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: show only sets state
  useEffect(() => {
    let live = true;
    setClaim(null);
    setError(null);
    setDone(false);
    api<Claim>('GET', `/api/claims/${encodeURIComponent(id)}`)
      .then((c) => live && show(c))
      .catch((e: unknown) => live && setError(errorMessage(e, t)));
    return () => {
      live = false;
    };
  }, [id, t]);

  const move = async (e: FormEvent) => {
    e.preventDefault();
    if (!claim || !status) return;
    setBusy(true);
    setMoveError(null);
    setDone(false);
    try {
      const next = await api<Claim>('POST', `/api/claims/${claim.id}/status`, {
        status,
        on,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(status === 'hearing' && hearingOn ? { hearingOn } : {}),
        ...(status === 'sent' && dueOn ? { dueOn } : {}),
      });
      show(next);
      setNote('');
      setHearingOn('');
      setDueOn('');
      setOn(todayInTashkent());
      setDone(true);
    } catch (err) {
      setMoveError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  if (error)
    return (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    );
  if (!claim) return <Loader />;
  const c = claim;

  return (
    <Stack data-testid="claim-card">
      <Anchor component={Link} to="/claims/list" size="sm">
        ← {t('claims.card.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={3} data-testid="claim-number">
            {t(`claims.kinds.${c.kind}`)} № {c.number}
          </Title>
          <Text size="sm" c="dimmed">
            {c.consumer.name} · {c.contract.number} · {c.orgUnit.name}
          </Text>
        </Stack>
        <ClaimStatusBadge status={c.status} testId="claim-status" />
      </Group>
      <Group gap="sm">
        {c.printable && (
          <Button
            component="a"
            href={`/api/claims/${c.id}/pdf?lang=${lang}`}
            download={`${c.number}.pdf`}
            variant="light"
            data-testid="claim-pdf"
          >
            {t('claims.card.pdf')}
          </Button>
        )}
        <Button component={Link} to={`/consumers/vitrina/${c.contract.id}`} variant="default">
          {t('claims.card.vitrina')}
        </Button>
        {canWrite && c.canEscalate && (
          <Button
            variant="light"
            color="violet"
            data-testid="claim-escalate"
            onClick={() =>
              setDraft({
                contractId: c.contract.id,
                contract: c.contract.number,
                consumer: c.consumer.name,
                kind: 'court_case',
                parent: { id: c.id, number: c.number },
              })
            }
          >
            {t('claims.card.escalate')}
          </Button>
        )}
      </Group>
      <Section title={t(`claims.kinds.${c.kind}`)}>
        <Fields>
          <Field
            label={t('claims.card.debtAmount')}
            value={formatMoney(c.debtAmount, lang)}
            testId="claim-debt"
          />
          <Field label={t('claims.card.penaltyAmount')} value={formatMoney(c.penaltyAmount, lang)} />
          <Field label={t('claims.card.totalAmount')} value={formatMoney(c.totalAmount, lang)} />
          <Field label={t('claims.card.debtAsOf')} value={formatDate(c.debtAsOf, lang)} />
          <Field
            label={t('claims.card.debtSince')}
            value={c.debtSince ? formatPeriod(c.debtSince, lang) : null}
          />
          <Field label={t('claims.card.openedOn')} value={formatDate(c.openedOn, lang)} />
          {c.ground && <Field label={t('claims.form.ground')} value={t(`claims.grounds.${c.ground}`)} />}
          <Field
            label={t('claims.card.dueOn')}
            value={c.dueOn ? formatDate(c.dueOn, lang) : null}
            testId="claim-due"
          />
          {c.kind === 'court_case' && (
            <>
              <Field
                label={t('claims.card.court')}
                value={[c.courtName, c.caseNumber].filter(Boolean).join(', ')}
              />
              <Field
                label={t('claims.card.hearingOn')}
                value={c.hearingOn ? formatDate(c.hearingOn, lang) : null}
              />
            </>
          )}
          <Field label={t('claims.card.closedOn')} value={c.closedOn ? formatDate(c.closedOn, lang) : null} />
          <Field label={t('claims.card.createdBy')} value={c.createdBy} />
          {c.parent && (
            <Field
              label={t('claims.card.parent')}
              value={
                <Anchor component={Link} to={`/claims/${c.parent.id}`} size="sm">
                  {c.parent.number}
                </Anchor>
              }
            />
          )}
          {c.children.length > 0 && (
            <Field
              label={t('claims.card.children')}
              value={c.children.map((k) => (
                <Anchor key={k.id} component={Link} to={`/claims/${k.id}`} size="sm" mr="xs">
                  {k.number}
                </Anchor>
              ))}
            />
          )}
        </Fields>
        {c.note && <Field label={t('claims.card.note')} value={c.note} />}
        {c.kind === 'disconnection_order' && (
          <Text size="xs" c="dimmed">
            {t('claims.card.disconnectionNote')}
          </Text>
        )}
      </Section>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title={t('claims.card.timeline')}>
          <Timeline active={c.events.length - 1} bulletSize={14} lineWidth={2} data-testid="claim-timeline">
            {c.events.map((e, i) => (
              <Timeline.Item
                // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows at its end
                key={i}
                title={t(`claims.statuses.${e.to}`)}
              >
                <Text size="xs" c="dimmed">
                  {formatDate(e.on, lang)}
                  {e.by ? ` · ${e.by}` : ''} · {formatDateTime(e.at, lang)}
                </Text>
                {e.note && <Text size="sm">{e.note}</Text>}
              </Timeline.Item>
            ))}
          </Timeline>
        </Section>
        {canWrite && (
          <Section title={t('claims.move.title')}>
            {c.next.length === 0 ? (
              <Text c="dimmed" data-testid="claim-final">
                {t('claims.card.final')}
              </Text>
            ) : (
              <form onSubmit={move} noValidate data-testid="claim-move">
                <Stack gap="sm">
                  {moveError && (
                    <Alert color="red" role="alert" data-testid="claim-move-error">
                      {moveError}
                    </Alert>
                  )}
                  {done && (
                    <Alert color="teal" role="status" data-testid="claim-move-done">
                      {t('claims.move.done')}
                    </Alert>
                  )}
                  <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
                    <NativeSelect
                      label={t('claims.move.status')}
                      value={status}
                      onChange={(e) => setStatus(e.currentTarget.value)}
                      data={c.next.map((s) => ({ value: s, label: t(`claims.statuses.${s}`) }))}
                      data-testid="claim-move-status"
                    />
                    <TextInput
                      type="date"
                      label={t('claims.move.on')}
                      value={on}
                      max={todayInTashkent()}
                      onChange={(e) => setOn(e.currentTarget.value)}
                      data-testid="claim-move-on"
                    />
                    {status === 'hearing' && (
                      <TextInput
                        type="date"
                        label={t('claims.form.hearingOn')}
                        value={hearingOn}
                        onChange={(e) => setHearingOn(e.currentTarget.value)}
                        data-testid="claim-move-hearing"
                      />
                    )}
                    {status === 'sent' && (
                      <TextInput
                        type="date"
                        label={t('claims.form.dueOn')}
                        value={dueOn}
                        onChange={(e) => setDueOn(e.currentTarget.value)}
                      />
                    )}
                  </SimpleGrid>
                  <Textarea
                    label={t('claims.form.note')}
                    value={note}
                    onChange={(e) => setNote(e.currentTarget.value)}
                    autosize
                    minRows={2}
                    maxLength={2000}
                  />
                  <Group justify="flex-end">
                    <Button type="submit" loading={busy} data-testid="claim-move-submit">
                      {t('claims.move.submit')}
                    </Button>
                  </Group>
                </Stack>
              </form>
            )}
          </Section>
        )}
      </SimpleGrid>
      <NewClaimModal draft={draft} onClose={() => setDraft(null)} onCreated={() => setDraft(null)} />
    </Stack>
  );
}
