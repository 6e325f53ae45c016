import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { formatDate } from '../../../format.ts';
import { errorMessage } from '../../errors.ts';
import { todayInTashkent } from '../../readings/types.ts';
import type { Meter } from '../types.ts';
import { DateField } from './fields.tsx';
import { SEAL_PLACES, type Seal, type SealPlace } from './types.ts';

/**
 * The seals of a meter with their history (number, place, set on/by, removed on/by, reason); with
 * consumer.write, set a seal on a meter in service and remove one in place with a reason.
 */
export function SealsDialog(props: { meter: Meter; canWrite: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const { meter } = props;
  const [seals, setSeals] = useState<Seal[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Seal | null>(null);

  const load = useCallback(() => {
    api<{ items: Seal[] }>('GET', `/api/meters/${meter.id}/seals`)
      .then((r) => setSeals(r.items))
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [meter.id, t]);
  useEffect(load, [load]);

  const changed = () => {
    setRemoving(null);
    load();
    props.onChanged();
  };
  const writable = props.canWrite && meter.removedOn === null;

  return (
    <Stack data-testid="meter-seals">
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {seals === null && !error && <Loader size="sm" />}
      {seals?.length === 0 && <Text c="dimmed">{t('meters.noSeals')}</Text>}
      {seals && seals.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped withTableBorder fz="sm" data-testid="seal-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('meters.sealNumber')}</Table.Th>
                <Table.Th>{t('meters.sealPlace')}</Table.Th>
                <Table.Th>{t('meters.setOn')}</Table.Th>
                <Table.Th>{t('meters.removedOn')}</Table.Th>
                <Table.Th>{t('meters.reason')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {seals.map((s) => (
                <Table.Tr key={s.id} data-testid={`seal-${s.number}`}>
                  <Table.Td ff="monospace">{s.number}</Table.Td>
                  <Table.Td>{s.place ? t(`meters.places.${s.place}`) : t('meters.placeUnknown')}</Table.Td>
                  <Table.Td>
                    {formatDate(s.setOn)}
                    {s.setBy && (
                      <Text size="xs" c="dimmed">
                        {s.setBy}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {s.removedOn ? (
                      <>
                        {formatDate(s.removedOn)}
                        {s.removedBy && (
                          <Text size="xs" c="dimmed">
                            {s.removedBy}
                          </Text>
                        )}
                      </>
                    ) : (
                      <Badge color="green" variant="light">
                        {t('meters.inPlace')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{s.removedWithMeter ? t('meters.removedWithMeter') : (s.reason ?? '')}</Table.Td>
                  <Table.Td>
                    {writable && s.removedOn === null && (
                      <Button size="compact-xs" variant="light" color="red" onClick={() => setRemoving(s)}>
                        {t('meters.removeSeal')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {writable && removing && (
        <RemoveSealForm
          key={removing.id}
          seal={removing}
          onDone={changed}
          onCancel={() => setRemoving(null)}
        />
      )}
      {writable && !removing && <SetSealForm meterId={meter.id} onDone={changed} />}
    </Stack>
  );
}

function SetSealForm(props: { meterId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [number, setNumber] = useState('');
  const [place, setPlace] = useState<SealPlace>('terminal_cover');
  const [setOn, setSetOn] = useState(todayInTashkent());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (number.trim() === '') return setError(t('meters.errors.needSealNumber'));
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/api/meters/${props.meterId}/seals`, { number: number.trim(), place, setOn });
      setNumber('');
      props.onDone();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate data-testid="seal-set-form">
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          {t('meters.addSeal')}
        </Text>
        <Group align="flex-end" wrap="wrap" gap="sm">
          <TextInput
            label={t('meters.sealNumber')}
            name="seal-number"
            value={number}
            onChange={(e) => setNumber(e.currentTarget.value)}
            w={{ base: '100%', xs: 160 }}
          />
          <NativeSelect
            label={t('meters.sealPlace')}
            name="seal-place"
            value={place}
            onChange={(e) => setPlace(e.currentTarget.value as SealPlace)}
            data={SEAL_PLACES.map((p) => ({ value: p, label: t(`meters.places.${p}`) }))}
            w={{ base: '100%', xs: 200 }}
          />
          <DateField label={t('meters.setOn')} name="seal-set-on" value={setOn} onChange={setSetOn} />
          <Button type="submit" loading={busy}>
            {t('meters.setSeal')}
          </Button>
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

function RemoveSealForm(props: { seal: Seal; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [removedOn, setRemovedOn] = useState(todayInTashkent());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim() === '') return setError(t('meters.errors.needReason'));
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/api/meter-seals/${props.seal.id}/remove`, { reason: reason.trim(), removedOn });
      props.onDone();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate data-testid="seal-remove-form">
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          {t('meters.removeSealTitle', { number: props.seal.number })}
        </Text>
        <Group align="flex-end" wrap="wrap" gap="sm">
          <TextInput
            label={t('meters.reason')}
            name="seal-reason"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            w={{ base: '100%', xs: 280 }}
          />
          <DateField
            label={t('meters.removedOn')}
            name="seal-removed-on"
            value={removedOn}
            onChange={setRemovedOn}
          />
          <Button type="submit" color="red" loading={busy}>
            {t('meters.removeSeal')}
          </Button>
          <Button variant="default" onClick={props.onCancel}>
            {t('meters.cancel')}
          </Button>
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
