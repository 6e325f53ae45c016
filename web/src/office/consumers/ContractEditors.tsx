import { Button, NativeSelect, SimpleGrid, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPeriod, formatQuantity } from '../../format.ts';
import { TermsFields } from './EditFields.tsx';
import { EditModal } from './EditModal.tsx';
import {
  addMonths,
  type EditOptions,
  normaliseQuantity,
  TERMS_KEYS,
  type TermsForm,
  termsBody,
  termsOf,
  todayInTashkent,
} from './edit-forms.ts';
import type { ConsumerCard, Contract } from './types.ts';

type Props = { contract: Contract; options: EditOptions; onSaved: (c: ConsumerCard) => void };

/** The months new terms may start in: open and later, from the contract's start to its end. */
function termMonths(k: Contract, options: EditOptions): string[] {
  const startMonth = k.startDate.endsWith('-01')
    ? k.startDate.slice(0, 7)
    : addMonths(k.startDate.slice(0, 7), 1);
  // 'YYYY-MM' strings sort as the months do: the later of the two.
  const from = [startMonth, options.openPeriod].sort()[1] ?? startMonth;
  const out: string[] = [];
  for (let i = 0; i < 25; i++) {
    const m = addMonths(from, i);
    if (k.endDate && `${m}-01` > k.endDate) break;
    out.push(m);
  }
  return out;
}

/** "New terms": the contract's terms from the 1st of a month; the history stays on the card. */
export function TermsEditor({ contract: k, options, onSaved }: Props) {
  const { t, i18n } = useTranslation();
  const [opened, setOpened] = useState(false);
  const months = termMonths(k, options);
  const next = addMonths(todayInTashkent().slice(0, 7), 1);
  const [month, setMonth] = useState('');
  const [form, setForm] = useState<TermsForm>(termsOf(k, options));
  return (
    <>
      <Button
        size="xs"
        variant="light"
        disabled={months.length === 0}
        onClick={() => {
          setMonth(months.includes(next) ? next : (months[0] ?? ''));
          setForm(termsOf(k, options));
          setOpened(true);
        }}
        data-testid={`new-terms-${k.number}`}
      >
        {t('consumers.edit.newTerms')}
      </Button>
      <EditModal
        opened={opened}
        title={`${t('consumers.edit.newTerms')} · ${k.number}`}
        testId="terms-form"
        fields={['validFrom', ...TERMS_KEYS]}
        onClose={() => setOpened(false)}
        onSaved={(c) => {
          setOpened(false);
          onSaved(c);
        }}
        request={() => ({
          method: 'POST',
          url: `/api/contracts/${k.id}/versions`,
          body: { validFrom: `${month}-01`, ...termsBody(form) },
        })}
      >
        {(errors) => (
          <>
            <NativeSelect
              label={t('consumers.validFrom')}
              description={t('consumers.edit.validFromHint')}
              value={month}
              onChange={(e) => setMonth(e.currentTarget.value)}
              error={errors.validFrom}
              data={months.map((m) => ({
                value: m,
                label: `01.${m.slice(5, 7)}.${m.slice(0, 4)} — ${formatPeriod(m, i18n.language)}`,
              }))}
              data-testid="field-validFrom"
            />
            <TermsFields
              commodity={k.commodity}
              value={form}
              onChange={setForm}
              errors={errors}
              options={options}
            />
          </>
        )}
      </EditModal>
    </>
  );
}

/** "Monthly volumes": a year's 12 months; closed months and those outside the contract are read-only. */
export function VolumesEditor({ contract: k, options, onSaved }: Props) {
  const { t, i18n } = useTranslation();
  const [opened, setOpened] = useState(false);
  const stored = () => Object.fromEntries(k.volumes.map((v) => [v.period, v.volume.replace(/\.?0+$/, '')]));
  const [values, setValues] = useState<Record<string, string>>(stored);
  const startYear = Number(k.startDate.slice(0, 4));
  const openYear = Number(options.openPeriod.slice(0, 4));
  const endYear = k.endDate ? Number(k.endDate.slice(0, 4)) : Math.max(openYear + 1, startYear);
  const years = Array.from({ length: Math.max(1, endYear - startYear + 1) }, (_, i) => String(startYear + i));
  const [year, setYear] = useState(String(Math.min(Math.max(openYear, startYear), endYear)));
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const locked = (m: string) =>
    m < k.startDate.slice(0, 7) ||
    (k.endDate !== null && m > k.endDate.slice(0, 7)) ||
    (options.lastClosed !== null && m <= options.lastClosed);
  const unit = k.terms?.tariff.unit ?? (k.commodity === 'heat' ? 'Gcal' : 'kWh');
  const fallback = k.terms?.contractVolume ? formatQuantity(k.terms.contractVolume, i18n.language) : '';
  return (
    <>
      <Button
        size="xs"
        variant="light"
        onClick={() => {
          setValues(stored());
          setOpened(true);
        }}
        data-testid={`volumes-${k.number}`}
      >
        {t('consumers.edit.volumes')}
      </Button>
      <EditModal
        opened={opened}
        title={`${t('consumers.edit.volumes')} · ${k.number}`}
        testId="volumes-form"
        fields={months}
        size="xl"
        onClose={() => setOpened(false)}
        onSaved={(c) => {
          setOpened(false);
          onSaved(c);
        }}
        request={() => ({
          method: 'PUT',
          url: `/api/contracts/${k.id}/volumes`,
          body: {
            year: Number(year),
            volumes: Object.fromEntries(
              months
                .filter((m) => (values[m] ?? '').trim() !== '')
                .map((m) => [m, normaliseQuantity(values[m] ?? '')]),
            ),
          },
        })}
      >
        {(errors) => (
          <>
            <NativeSelect
              label={t('consumers.edit.year')}
              value={year}
              onChange={(e) => setYear(e.currentTarget.value)}
              data={years}
              w={160}
              data-testid="field-year"
            />
            <Text size="sm" c="dimmed">
              {t('consumers.edit.volumesHint', { unit, volume: fallback || '—' })}
            </Text>
            <SimpleGrid cols={{ base: 2, xs: 3, sm: 4 }} spacing="sm">
              {months.map((m) => (
                <TextInput
                  key={m}
                  label={formatPeriod(m, i18n.language)}
                  value={values[m] ?? ''}
                  onChange={(e) => setValues({ ...values, [m]: e.currentTarget.value })}
                  disabled={locked(m)}
                  placeholder={locked(m) ? '' : fallback}
                  error={errors[m]}
                  inputMode="decimal"
                  rightSection={<Text size="xs">{unit}</Text>}
                  rightSectionWidth={44}
                  data-testid={`volume-${m}`}
                />
              ))}
            </SimpleGrid>
          </>
        )}
      </EditModal>
    </>
  );
}

/** The last day of the current month. */
function endOfThisMonth(): string {
  const today = todayInTashkent();
  const next = new Date(`${addMonths(today.slice(0, 7), 1)}-01T00:00:00Z`);
  return new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/** "Terminate": the contract's last day (a debt stays to be paid), with the reason. */
export function TerminateEditor({ contract: k, onSaved }: Omit<Props, 'options'>) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [endDate, setEndDate] = useState(k.endDate ?? endOfThisMonth());
  const [reason, setReason] = useState('');
  return (
    <>
      <Button
        size="xs"
        variant="light"
        color="red"
        onClick={() => {
          setEndDate(k.endDate ?? endOfThisMonth());
          setReason('');
          setOpened(true);
        }}
        data-testid={`terminate-${k.number}`}
      >
        {t('consumers.edit.terminate')}
      </Button>
      <EditModal
        opened={opened}
        title={`${t('consumers.edit.terminate')} · ${k.number}`}
        testId="terminate-form"
        fields={['endDate', 'reason']}
        size="md"
        submitLabel={t('consumers.edit.terminateConfirm')}
        onClose={() => setOpened(false)}
        onSaved={(c) => {
          setOpened(false);
          onSaved(c);
        }}
        request={() => ({
          method: 'POST',
          url: `/api/contracts/${k.id}/terminate`,
          body: { endDate, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        })}
      >
        {(errors) => (
          <>
            <Text size="sm">{t('consumers.edit.terminateHint')}</Text>
            <TextInput
              type="date"
              label={t('consumers.endDate')}
              value={endDate}
              onChange={(e) => setEndDate(e.currentTarget.value)}
              error={errors.endDate}
              required
              data-testid="field-endDate"
            />
            <Textarea
              label={t('consumers.edit.reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={errors.reason}
              autosize
              minRows={2}
              data-testid="field-reason"
            />
          </>
        )}
      </EditModal>
    </>
  );
}

/** "Add metering point": its code (unique in the supplier), name and address. */
export function PointEditor({ contract: k, onSaved }: Omit<Props, 'options'>) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const suggested = () => `${k.number}-${k.meteringPoints.length + 1}`;
  const [form, setForm] = useState({ code: suggested(), name: '', address: '' });
  return (
    <>
      <Button
        size="xs"
        variant="light"
        onClick={() => {
          setForm({ code: suggested(), name: '', address: '' });
          setOpened(true);
        }}
        data-testid={`add-point-${k.number}`}
      >
        {t('consumers.edit.addPoint')}
      </Button>
      <EditModal
        opened={opened}
        title={`${t('consumers.edit.addPoint')} · ${k.number}`}
        testId="point-form"
        fields={['code', 'name', 'address']}
        size="md"
        onClose={() => setOpened(false)}
        onSaved={(c) => {
          setOpened(false);
          onSaved(c);
        }}
        request={() => ({
          method: 'POST',
          url: `/api/contracts/${k.id}/metering-points`,
          body: {
            code: form.code.trim(),
            name: form.name.trim() || null,
            address: form.address.trim() || null,
          },
        })}
      >
        {(errors) => (
          <>
            <TextInput
              label={t('consumers.edit.pointCode')}
              value={form.code}
              onChange={(e) => setForm({ ...form, code: e.currentTarget.value })}
              error={errors.code}
              required
              data-testid="field-code"
            />
            <TextInput
              label={t('consumers.edit.pointName')}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              error={errors.name}
              data-testid="field-pointName"
            />
            <TextInput
              label={t('consumers.edit.pointAddress')}
              value={form.address}
              onChange={(e) => setForm({ ...form, address: e.currentTarget.value })}
              error={errors.address}
              data-testid="field-address"
            />
          </>
        )}
      </EditModal>
    </>
  );
}
