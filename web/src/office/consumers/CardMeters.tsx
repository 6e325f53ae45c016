import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, formatDecimal } from '../../format.ts';
import { PointEditor } from './ContractEditors.tsx';
import { MeterActions } from './meters/MeterActions.tsx';
import { Field, Fields, Section, SmallTable } from './parts.tsx';
import type { ConsumerCard, Contract, Meter } from './types.ts';

// The consumer card's meters tab (R2.3) and the pieces the Vitrina shares with it.

/** A register reading "400.000" as the meter shows it: two decimals. */
export function formatReading(value: string): string {
  return formatDecimal(value.replace(/(\.\d\d)\d$/, '$1'));
}

/** The link to a contract's Vitrina. */
export function VitrinaButton({ contract }: { contract: Contract }) {
  const { t } = useTranslation();
  return (
    <Button
      component={Link}
      to={`/consumers/vitrina/${contract.id}`}
      size="xs"
      variant="light"
      data-testid={`vitrina-${contract.number}`}
    >
      {t('consumers.openVitrina')}
    </Button>
  );
}

/** A meter's switch state as a badge. */
export function SwitchBadge({ state }: { state: 'on' | 'off' | 'unknown' }) {
  const { t } = useTranslation();
  return (
    <Badge color={state === 'on' ? 'green' : state === 'off' ? 'red' : 'gray'} variant="light">
      {t(`consumers.switch.${state}`)}
    </Badge>
  );
}

function MeterBlock({ meter: m }: { meter: Meter }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid={`meter-${m.serial}`}>
      <Group gap="xs">
        <Text fw={600} ff="monospace">
          {m.serial}
        </Text>
        {m.removedOn ? (
          <Badge color="gray" variant="light">
            {t('consumers.removedOn', { date: formatDate(m.removedOn) })}
          </Badge>
        ) : (
          <SwitchBadge state={m.switchState} />
        )}
      </Group>
      <Fields>
        <Field label={t('consumers.meterType')} value={m.type ? m.type.name : null} />
        <Field label={t('consumers.digits')} value={m.digits} />
        <Field label={t('consumers.multiplier')} value={m.multiplier} />
        <Field label={t('consumers.installedOn')} value={formatDate(m.installedOn)} />
        <Field label={t('consumers.seals')} value={m.seals.join(', ')} />
        <Field label={t('consumers.verifiedOn')} value={m.verifiedOn ? formatDate(m.verifiedOn) : null} />
        <Field
          label={t('consumers.nextVerificationOn')}
          value={m.nextVerificationOn ? formatDate(m.nextVerificationOn) : null}
        />
        <Field
          label={t('consumers.remoteSwitch')}
          value={m.remoteSwitch ? t('consumers.yes') : t('consumers.no')}
        />
      </Fields>
      <SmallTable
        head={[
          t('consumers.register'),
          t('consumers.installReading'),
          t('consumers.lastReading'),
          t('consumers.readOn'),
        ]}
        rows={m.registers.map((g) => [
          g.obis,
          formatReading(g.installReading),
          g.lastReading ? formatReading(g.lastReading.value) : '—',
          g.lastReading ? formatDate(g.lastReading.readOn) : '—',
        ])}
      />
    </Stack>
  );
}

/**
 * The meters tab of one contract: its metering points with their meters and registers (last
 * accepted readings), the meter actions, and adding a metering point.
 */
export function Meters({
  contract: k,
  onSaved,
  onChanged,
}: {
  contract: Contract;
  onSaved: ((c: ConsumerCard) => void) | null;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const meters = k.meteringPoints.flatMap((p) => p.meters.map((m) => ({ point: p, meter: m })));
  return (
    <Section
      title={`${t('consumers.contract')} ${k.number}`}
      right={
        <Group gap="xs">
          {onSaved && <PointEditor contract={k} onSaved={onSaved} />}
          <VitrinaButton contract={k} />
        </Group>
      }
    >
      {/* Meter install, replace, remove, verification and seals (web/src/office/consumers/meters). */}
      <MeterActions
        contractId={k.id}
        meteringPoints={k.meteringPoints}
        meters={k.meteringPoints.flatMap((p) => p.meters)}
        onChanged={onChanged}
      />
      {k.meteringPoints.length === 0 && <Text c="dimmed">{t('consumers.edit.noPoints')}</Text>}
      {k.meteringPoints.length > 0 && meters.length === 0 && (
        <Text c="dimmed">{t('consumers.noMeters')}</Text>
      )}
      {k.meteringPoints.map((p) => (
        <Stack key={p.id} gap="sm">
          <Text size="sm" c="dimmed">
            {t('consumers.meteringPoint')}: {p.code}
            {p.name ? ` · ${p.name}` : ''}
            {p.address ? ` · ${p.address}` : ''}
          </Text>
          {p.meters.map((m) => (
            <MeterBlock key={m.id} meter={m} />
          ))}
        </Stack>
      ))}
    </Section>
  );
}
