import { Alert, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { formatDate } from '../../../format.ts';
import { errorMessage } from '../../errors.ts';
import { todayInTashkent } from '../../readings/types.ts';
import type { Meter } from '../types.ts';
import {
  badReading,
  DateField,
  NewMeterFields,
  newMeterBody,
  newMeterProblem,
  RemovalFields,
  readingRows,
} from './fields.tsx';
import { emptyNewMeter, type MeterType, type NewMeterState } from './types.ts';

// The forms of the meter dialogs: install, replace, remove, verification dates. Each posts once,
// shows the server's refusal in the user's language, and reports success with a message.

/** The active meter types of the supplier, loaded once per dialog. */
function useMeterTypes(): { types: MeterType[]; error: string | null } {
  const { t } = useTranslation();
  const [types, setTypes] = useState<MeterType[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ items: MeterType[] }>('GET', '/api/reference/meter-types?active=true&limit=500&sort=code')
      .then((r) => setTypes(r.items))
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [t]);
  return { types, error };
}

/** A form with an error line and save / cancel buttons. */
function DialogForm(props: {
  onSubmit: () => Promise<void>;
  onCancel: () => void;
  error: string | null;
  busy: boolean;
  saveLabel: string;
  testId: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void props.onSubmit();
  };
  return (
    <form onSubmit={submit} noValidate data-testid={props.testId}>
      <Stack>
        {props.children}
        {props.error && (
          <Alert color="red" role="alert" data-testid="meter-dialog-error">
            {props.error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            {t('meters.cancel')}
          </Button>
          <Button type="submit" loading={props.busy}>
            {props.saveLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Runs a request for a dialog: busy flag, the refusal as a message, the success message. */
function useSubmit(onDone: (message: string) => void) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (problem: string | null, request: () => Promise<string>) => {
    setError(problem);
    if (problem !== null) return;
    setBusy(true);
    try {
      onDone(await request());
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

type DialogProps = { onDone: (message: string) => void; onCancel: () => void };

/** Installs a meter on a metering point without one in service. */
export function InstallDialog(
  props: DialogProps & { points: { id: string; code: string; name: string | null }[] },
) {
  const { t } = useTranslation();
  const { types, error: typesError } = useMeterTypes();
  const [pointId, setPointId] = useState(props.points[0]?.id ?? '');
  const [installedOn, setInstalledOn] = useState(todayInTashkent());
  const [meter, setMeter] = useState<NewMeterState>(emptyNewMeter());
  const { busy, error, run } = useSubmit(props.onDone);
  const submit = () =>
    run(newMeterProblem(meter, t) ?? (installedOn === '' ? t('meters.errors.needDate') : null), async () => {
      const m = await api<{ serial: string }>('POST', `/api/metering-points/${pointId}/meters`, {
        ...newMeterBody(meter),
        installedOn,
      });
      return t('meters.done.installed', { serial: m.serial });
    });
  return (
    <DialogForm
      onSubmit={submit}
      onCancel={props.onCancel}
      error={error ?? typesError}
      busy={busy}
      saveLabel={t('meters.install')}
      testId="meter-install-form"
    >
      {props.points.length > 1 && (
        <NativeSelect
          label={t('meters.point')}
          name="meter-point"
          value={pointId}
          onChange={(e) => setPointId(e.currentTarget.value)}
          data={props.points.map((p) => ({ value: p.id, label: p.name ? `${p.code} · ${p.name}` : p.code }))}
        />
      )}
      <DateField
        label={t('meters.installedOn')}
        name="meter-installed-on"
        required
        value={installedOn}
        onChange={setInstalledOn}
      />
      <NewMeterFields value={meter} onChange={setMeter} types={types} />
    </DialogForm>
  );
}

/** Replaces a meter: removal readings of the old one, the new one with its installation readings. */
export function ReplaceDialog(props: DialogProps & { meter: Meter }) {
  const { t } = useTranslation();
  const { types, error: typesError } = useMeterTypes();
  const [on, setOn] = useState(todayInTashkent());
  const [removal, setRemoval] = useState<Record<string, string>>({});
  const [meter, setMeter] = useState<NewMeterState>(emptyNewMeter());
  const [reason, setReason] = useState('');
  const { busy, error, run } = useSubmit(props.onDone);
  const submit = () => {
    const rows = readingRows(removal);
    const bad = badReading(rows.map((r) => r.value));
    const problem =
      rows.length < props.meter.registers.length
        ? t('meters.errors.needRemoval')
        : bad !== null
          ? t('meters.errors.badReading', { value: bad })
          : newMeterProblem(meter, t);
    return run(problem, async () => {
      const r = await api<{ removed: { serial: string }; installed: { serial: string } }>(
        'POST',
        `/api/meters/${props.meter.id}/replace`,
        {
          on,
          removal: rows,
          newMeter: newMeterBody(meter),
          ...(reason.trim() === '' ? {} : { reason: reason.trim() }),
        },
      );
      return t('meters.done.replaced', { old: r.removed.serial, new: r.installed.serial });
    });
  };
  return (
    <DialogForm
      onSubmit={submit}
      onCancel={props.onCancel}
      error={error ?? typesError}
      busy={busy}
      saveLabel={t('meters.replace')}
      testId="meter-replace-form"
    >
      <DateField
        label={t('meters.replacedOn')}
        name="meter-replaced-on"
        required
        value={on}
        onChange={setOn}
      />
      <Text size="sm" fw={600}>
        {t('meters.oldMeter', { serial: props.meter.serial })}
      </Text>
      <RemovalFields meter={props.meter} values={removal} onChange={setRemoval} />
      <Text size="sm" fw={600}>
        {t('meters.newMeter')}
      </Text>
      <NewMeterFields value={meter} onChange={setMeter} types={types} />
      <TextInput
        label={t('meters.reasonOptional')}
        name="meter-reason"
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
    </DialogForm>
  );
}

/** Removes a meter (e.g. the contract ends) with the removal reading of every register. */
export function RemoveDialog(props: DialogProps & { meter: Meter }) {
  const { t } = useTranslation();
  const [removedOn, setRemovedOn] = useState(todayInTashkent());
  const [removal, setRemoval] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const { busy, error, run } = useSubmit(props.onDone);
  const submit = () => {
    const rows = readingRows(removal);
    const bad = badReading(rows.map((r) => r.value));
    const problem =
      rows.length < props.meter.registers.length
        ? t('meters.errors.needRemoval')
        : bad !== null
          ? t('meters.errors.badReading', { value: bad })
          : null;
    return run(problem, async () => {
      await api('POST', `/api/meters/${props.meter.id}/remove`, {
        removedOn,
        removal: rows,
        ...(reason.trim() === '' ? {} : { reason: reason.trim() }),
      });
      return t('meters.done.removed', { serial: props.meter.serial });
    });
  };
  return (
    <DialogForm
      onSubmit={submit}
      onCancel={props.onCancel}
      error={error}
      busy={busy}
      saveLabel={t('meters.remove')}
      testId="meter-remove-form"
    >
      <DateField
        label={t('meters.removedOn')}
        name="meter-removed-on"
        required
        value={removedOn}
        onChange={setRemovedOn}
      />
      <RemovalFields meter={props.meter} values={removal} onChange={setRemoval} />
      <TextInput
        label={t('meters.reasonOptional')}
        name="meter-reason"
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
    </DialogForm>
  );
}

/** Changes the verification dates of a meter (an empty date clears it). */
export function VerificationDialog(props: DialogProps & { meter: Meter }) {
  const { t } = useTranslation();
  const [verifiedOn, setVerifiedOn] = useState(props.meter.verifiedOn ?? '');
  const [next, setNext] = useState(props.meter.nextVerificationOn ?? '');
  const { busy, error, run } = useSubmit(props.onDone);
  const submit = () =>
    run(null, async () => {
      await api('PATCH', `/api/meters/${props.meter.id}`, {
        verifiedOn: verifiedOn === '' ? null : verifiedOn,
        nextVerificationOn: next === '' ? null : next,
      });
      return t('meters.done.verification', { serial: props.meter.serial });
    });
  return (
    <DialogForm
      onSubmit={submit}
      onCancel={props.onCancel}
      error={error}
      busy={busy}
      saveLabel={t('meters.save')}
      testId="meter-verification-form"
    >
      <Text size="sm" c="dimmed">
        {t('meters.verificationNow', {
          verified: props.meter.verifiedOn ? formatDate(props.meter.verifiedOn) : '—',
          next: props.meter.nextVerificationOn ? formatDate(props.meter.nextVerificationOn) : '—',
        })}
      </Text>
      <DateField
        label={t('meters.verifiedOn')}
        name="meter-verified-on"
        description={t('meters.clearHint')}
        value={verifiedOn}
        onChange={setVerifiedOn}
      />
      <TextInput
        type="date"
        label={t('meters.nextVerificationOn')}
        description={t('meters.clearHint')}
        name="meter-next-verification-on"
        value={next}
        onChange={(e) => setNext(e.currentTarget.value)}
      />
    </DialogForm>
  );
}
