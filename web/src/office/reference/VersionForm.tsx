import { Alert, Button, Group, NativeSelect, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatPeriod } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { type Tariff, type TariffDetail, type TariffVersion, type VersionInput, ZONE_NAME } from './types.ts';

const ZONES = ['1.8.1', '1.8.2', '1.8.3'] as const;
/** A price as typed: spaces dropped, a decimal comma made a point; never parsed into a number. */
export function normalisePrice(typed: string): string {
  return typed.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
}
const PRICE = /^\d{1,12}(\.\d{1,4})?$/;
const QUANTITY = /^\d{1,12}(\.\d{1,3})?$/;

/** The months a version may start in: the open period and the next 24. */
function months(open: string): string[] {
  const [y, m] = open.split('-').map(Number);
  return Array.from({ length: 25 }, (_, i) => {
    const k = (y ?? 2000) * 12 + (m ?? 1) - 1 + i;
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

/**
 * A tariff version's start month and one pricing form (flat, day/night/peak zones, household
 * blocks), with the reactive price for electricity. Sends exact decimal strings; the API checks
 * the rules (1st of a month, open period, no bill priced with it) and answers in the user's language.
 */
export function VersionForm(props: {
  detail: { tariff: Pick<Tariff, 'id' | 'commodity' | 'unit'>; openPeriod: string };
  version?: TariffVersion;
  onSaved: (d: TariffDetail) => void;
  onCancel: () => void;
  /** Fields above the version's (a new tariff's code and name). */
  children?: ReactNode;
  /** Checks those fields on submit; false stops the sending. */
  ready?: () => boolean;
  /** Sends the version instead of the POST/PUT of a version; null: the caller showed the refusal. */
  send?: (body: VersionInput) => Promise<TariffDetail | null>;
}) {
  const { t, i18n } = useTranslation();
  const { tariff } = props.detail;
  const v = props.version;
  const heat = tariff.commodity === 'heat';
  const starts = months(props.detail.openPeriod);
  const [month, setMonth] = useState(v ? v.validFrom.slice(0, 7) : (starts[1] ?? starts[0] ?? ''));
  const [pricing, setPricing] = useState<VersionInput['pricing']>(v?.pricing ?? 'flat');
  const [price, setPrice] = useState(v?.price ?? '');
  const [zones, setZones] = useState<Record<string, string>>(
    Object.fromEntries((v?.zones ?? []).map((z) => [z.obis, z.price])),
  );
  const [blocks, setBlocks] = useState<{ upto: string; price: string }[]>(
    v?.blocks.length
      ? v.blocks.map((b) => ({ upto: b.upto ?? '', price: b.price }))
      : [
          { upto: '200', price: '' },
          { upto: '', price: '' },
        ],
  );
  const [reactive, setReactive] = useState(v?.reactivePrice ?? '');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const bad = (s: string, re = PRICE) =>
    touched && !re.test(normalisePrice(s)) ? t('reference.tariffs.priceInvalid') : null;
  const valid =
    (pricing === 'flat' && PRICE.test(normalisePrice(price))) ||
    (pricing === 'zones' &&
      ZONES.some((z) => zones[z]) &&
      ZONES.every((z) => !zones[z] || PRICE.test(normalisePrice(zones[z] ?? '')))) ||
    (pricing === 'blocks' &&
      blocks.every(
        (b, i) =>
          PRICE.test(normalisePrice(b.price)) &&
          (i === blocks.length - 1 || QUANTITY.test(normalisePrice(b.upto))),
      ));
  const reactiveOk = pricing === 'blocks' || !reactive || PRICE.test(normalisePrice(reactive));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const others = props.ready ? props.ready() : true;
    if (!valid || !reactiveOk || !others) return;
    const body: VersionInput = {
      validFrom: `${month}-01`,
      pricing,
      ...(pricing === 'flat' ? { price: normalisePrice(price) } : {}),
      ...(pricing === 'zones'
        ? {
            zones: ZONES.filter((z) => zones[z]).map((z) => ({
              obis: z,
              price: normalisePrice(zones[z] ?? ''),
            })),
          }
        : {}),
      ...(pricing === 'blocks'
        ? {
            blocks: blocks.map((b, i) => ({
              upto: i === blocks.length - 1 ? null : normalisePrice(b.upto),
              price: normalisePrice(b.price),
            })),
          }
        : {}),
      reactivePrice: reactive && pricing !== 'blocks' ? normalisePrice(reactive) : null,
    };
    setBusy(true);
    setError(null);
    try {
      const url = `/api/reference/tariffs/${tariff.id}/versions`;
      const saved = props.send
        ? await props.send(body)
        : await api<TariffDetail>(v ? 'PUT' : 'POST', v ? `${url}/${v.id}` : url, body);
      if (saved) props.onSaved(saved);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const unit = t(`reference.tariffs.per.${tariff.unit}`);
  return (
    <form onSubmit={submit} noValidate data-testid="version-form">
      <Stack>
        {error && (
          <Alert color="red" role="alert" data-testid="version-error">
            {error}
          </Alert>
        )}
        {props.children}
        <NativeSelect
          label={t('reference.tariffs.validFrom')}
          description={t('reference.tariffs.validFromHint')}
          value={month}
          onChange={(e) => setMonth(e.currentTarget.value)}
          data={(v && !starts.includes(v.validFrom.slice(0, 7))
            ? [v.validFrom.slice(0, 7), ...starts]
            : starts
          ).map((p) => ({
            value: p,
            label: `01.${p.slice(5, 7)}.${p.slice(0, 4)} — ${formatPeriod(p, i18n.language)}`,
          }))}
          data-testid="version-month"
        />
        {!heat && (
          <SegmentedControl
            value={pricing}
            onChange={(x) => setPricing(x as VersionInput['pricing'])}
            data={(['flat', 'zones', 'blocks'] as const).map((k) => ({
              value: k,
              label: t(`reference.tariffs.pricing.${k}`),
            }))}
          />
        )}
        {pricing === 'flat' && (
          <TextInput
            label={`${t('reference.tariffs.price')}, ${unit}`}
            value={price}
            onChange={(e) => setPrice(e.currentTarget.value)}
            error={bad(price)}
            inputMode="decimal"
            data-testid="version-price"
          />
        )}
        {pricing === 'zones' &&
          ZONES.map((z) => (
            <TextInput
              key={z}
              label={`${t(`reference.tariffs.zone.${ZONE_NAME[z] ?? 'z4'}`)} (${z}), ${unit}`}
              value={zones[z] ?? ''}
              onChange={(e) => setZones({ ...zones, [z]: e.currentTarget.value })}
              error={zones[z] ? bad(zones[z] ?? '') : null}
              inputMode="decimal"
            />
          ))}
        {pricing === 'blocks' && (
          <Stack gap="xs">
            {blocks.map((b, i) => {
              const last = i === blocks.length - 1;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: blocks are positional
                <Group key={i} align="end" grow>
                  {last ? (
                    <Text size="sm" pb={8}>
                      {t('reference.tariffs.blockRest')}
                    </Text>
                  ) : (
                    <TextInput
                      label={t('reference.tariffs.blockUpto')}
                      value={b.upto}
                      onChange={(e) =>
                        setBlocks(blocks.map((x, k) => (k === i ? { ...x, upto: e.currentTarget.value } : x)))
                      }
                      error={bad(b.upto, QUANTITY)}
                      inputMode="decimal"
                    />
                  )}
                  <TextInput
                    label={`${t('reference.tariffs.price')}, ${unit}`}
                    value={b.price}
                    onChange={(e) =>
                      setBlocks(blocks.map((x, k) => (k === i ? { ...x, price: e.currentTarget.value } : x)))
                    }
                    error={bad(b.price)}
                    inputMode="decimal"
                  />
                </Group>
              );
            })}
            <Group gap="xs">
              <Button
                size="compact-sm"
                variant="light"
                onClick={() => setBlocks([{ upto: '', price: '' }, ...blocks])}
                disabled={blocks.length >= 10}
              >
                {t('reference.tariffs.addBlock')}
              </Button>
              <Button
                size="compact-sm"
                variant="subtle"
                color="gray"
                onClick={() => setBlocks(blocks.slice(1))}
                disabled={blocks.length <= 1}
              >
                {t('reference.tariffs.removeBlock')}
              </Button>
            </Group>
          </Stack>
        )}
        {!heat && pricing !== 'blocks' && (
          <TextInput
            label={`${t('reference.tariffs.reactive')}, ${t('reference.tariffs.per.kvarh')}`}
            value={reactive}
            onChange={(e) => setReactive(e.currentTarget.value)}
            error={touched && !reactiveOk ? t('reference.tariffs.priceInvalid') : null}
            inputMode="decimal"
          />
        )}
        {touched && !valid && (
          <Text size="sm" c="red">
            {t('reference.tariffs.formInvalid')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            {t('reference.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="version-save">
            {t('reference.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
