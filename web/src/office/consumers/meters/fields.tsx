import { ActionIcon, Button, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDecimal } from '../../../format.ts';
import { compactReading, READING_FORMAT, todayInTashkent } from '../../readings/types.ts';
import type { Meter } from '../types.ts';
import { type MeterType, type NewMeterState, SEAL_PLACES, type SealPlace } from './types.ts';

// The fields the meter dialogs share: a new meter (type, serial, digits, multiplier, verification,
// installation readings, seals) and the removal readings of a meter's registers.

/** A register reading "400.000" as the meter shows it: two decimals. */
export function formatReading(value: string): string {
  return formatDecimal(value.replace(/(\.\d\d)\d$/, '$1'));
}

/** A date input that cannot go past today. */
export function DateField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  name: string;
  required?: boolean;
  description?: string;
}) {
  return (
    <TextInput
      type="date"
      label={props.label}
      description={props.description}
      name={props.name}
      required={props.required}
      max={todayInTashkent()}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    />
  );
}

/** The first bad reading of `values` (as typed), or null. */
export function badReading(values: readonly string[]): string | null {
  return values.find((v) => !READING_FORMAT.test(compactReading(v))) ?? null;
}

/** Register readings as the API takes them. */
export function readingRows(values: Record<string, string>): { obis: string; value: string }[] {
  return Object.entries(values)
    .filter(([, v]) => v.trim() !== '')
    .map(([obis, v]) => ({ obis, value: compactReading(v) }));
}

/**
 * What is wrong with the new meter typed so far (a message), or null. The server checks
 * everything again; this only saves a round trip for the obvious.
 */
export function newMeterProblem(m: NewMeterState, t: TFunction): string | null {
  if (m.meterTypeId === '') return t('meters.errors.needType');
  if (m.serial.trim() === '') return t('meters.errors.needSerial');
  const rows = readingRows(m.readings);
  if (rows.length === 0) return t('meters.errors.needReadings');
  const bad = badReading(rows.map((r) => r.value));
  if (bad !== null) return t('meters.errors.badReading', { value: bad });
  if (!/^[1-9][0-9]{0,8}$/.test(m.multiplier.trim())) return t('meters.errors.badMultiplier');
  return null;
}

/** The new meter as the API takes it. */
export function newMeterBody(m: NewMeterState) {
  return {
    serial: m.serial.trim(),
    meterTypeId: m.meterTypeId,
    ...(m.digits.trim() === '' ? {} : { digits: Number(m.digits) }),
    multiplier: m.multiplier.trim(),
    verifiedOn: m.verifiedOn === '' ? null : m.verifiedOn,
    nextVerificationOn: m.nextVerificationOn === '' ? null : m.nextVerificationOn,
    registers: readingRows(m.readings),
    seals: m.seals.filter((s) => s.number.trim() !== '').map((s) => ({ ...s, number: s.number.trim() })),
  };
}

/** The fields of a new meter. */
export function NewMeterFields(props: {
  value: NewMeterState;
  onChange: (v: NewMeterState) => void;
  types: MeterType[];
}) {
  const { t } = useTranslation();
  const m = props.value;
  const set = (patch: Partial<NewMeterState>) => props.onChange({ ...m, ...patch });
  const type = props.types.find((x) => x.id === m.meterTypeId);
  const placeOptions = SEAL_PLACES.map((p) => ({ value: p, label: t(`meters.places.${p}`) }));
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <NativeSelect
          label={t('meters.type')}
          name="meter-type"
          required
          value={m.meterTypeId}
          onChange={(e) => {
            const id = e.currentTarget.value;
            const next = props.types.find((x) => x.id === id);
            // Offer the registers of the chosen type; keep what was typed for those it shares.
            const readings = Object.fromEntries((next?.registers ?? []).map((r) => [r, m.readings[r] ?? '']));
            set({ meterTypeId: id, readings });
          }}
          data={[
            { value: '', label: t('meters.typePlaceholder') },
            ...props.types.map((x) => ({ value: x.id, label: `${x.name} (${x.code})` })),
          ]}
        />
        <TextInput
          label={t('meters.serial')}
          name="meter-serial"
          required
          value={m.serial}
          onChange={(e) => set({ serial: e.currentTarget.value })}
        />
        <TextInput
          label={t('meters.digits')}
          name="meter-digits"
          inputMode="numeric"
          placeholder={type ? String(type.digits) : ''}
          description={type ? t('meters.digitsHint', { digits: type.digits }) : undefined}
          value={m.digits}
          onChange={(e) => set({ digits: e.currentTarget.value })}
        />
        <TextInput
          label={t('meters.multiplier')}
          description={t('meters.multiplierHint')}
          name="meter-multiplier"
          inputMode="numeric"
          value={m.multiplier}
          onChange={(e) => set({ multiplier: e.currentTarget.value })}
        />
        <DateField
          label={t('meters.verifiedOn')}
          name="meter-verified-on"
          value={m.verifiedOn}
          onChange={(v) => set({ verifiedOn: v })}
        />
        <TextInput
          type="date"
          label={t('meters.nextVerificationOn')}
          name="meter-next-verification-on"
          value={m.nextVerificationOn}
          onChange={(e) => set({ nextVerificationOn: e.currentTarget.value })}
        />
      </SimpleGrid>
      {type && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('meters.installReadings')}
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            {type.registers.map((obis) => (
              <TextInput
                key={obis}
                label={t('meters.readingOf', { obis })}
                name={`install-${obis}`}
                placeholder="000000,00"
                inputMode="decimal"
                value={m.readings[obis] ?? ''}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  set({ readings: { ...m.readings, [obis]: v } });
                }}
              />
            ))}
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('meters.installReadingsHint')}
          </Text>
        </Stack>
      )}
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('meters.sealsAtInstall')}
        </Text>
        {m.seals.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place in the list
          <Group key={i} align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              label={t('meters.sealNumber')}
              name={`new-seal-${i}`}
              value={s.number}
              onChange={(e) => {
                const v = e.currentTarget.value;
                set({ seals: m.seals.map((x, j) => (j === i ? { ...x, number: v } : x)) });
              }}
              style={{ flex: 1 }}
            />
            <NativeSelect
              label={t('meters.sealPlace')}
              value={s.place}
              data={placeOptions}
              onChange={(e) => {
                const v = e.currentTarget.value as SealPlace;
                set({ seals: m.seals.map((x, j) => (j === i ? { ...x, place: v } : x)) });
              }}
              style={{ flex: 1 }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mb={4}
              aria-label={t('meters.dropSeal')}
              onClick={() => set({ seals: m.seals.filter((_, j) => j !== i) })}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            size="xs"
            variant="subtle"
            onClick={() => set({ seals: [...m.seals, { number: '', place: 'terminal_cover' }] })}
          >
            {t('meters.addSealRow')}
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}

/** The removal reading of each register of a meter, with its last reading as a hint. */
export function RemovalFields(props: {
  meter: Meter;
  values: Record<string, string>;
  onChange: (v: Record<string, string>) => void;
}) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
      {props.meter.registers.map((g) => (
        <TextInput
          key={g.id}
          label={t('meters.removalOf', { obis: g.obis })}
          description={
            g.lastReading
              ? t('meters.lastReading', {
                  value: formatReading(g.lastReading.value),
                  date: formatDate(g.lastReading.readOn),
                })
              : t('meters.installedAt', { value: formatReading(g.installReading) })
          }
          name={`removal-${g.obis}`}
          placeholder="000000,00"
          inputMode="decimal"
          required
          value={props.values[g.obis] ?? ''}
          onChange={(e) => {
            const v = e.currentTarget.value;
            props.onChange({ ...props.values, [g.obis]: v });
          }}
        />
      ))}
    </SimpleGrid>
  );
}
