import { Checkbox, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ContractForm, EditOptions, RequisitesForm, TermsForm } from './edit-forms.ts';

type Errors = Record<string, string>;

/**
 * The requisites of a consumer (R2.1): a legal entity or sole entrepreneur has an INN, OKED and
 * bank requisites; a household a PINFL. Each field shows the API's refusal of it.
 */
export function RequisitesFields(props: {
  kind: string;
  value: RequisitesForm;
  onChange: (v: RequisitesForm) => void;
  errors: Errors;
  options: EditOptions | null;
}) {
  const { t } = useTranslation();
  const { value: v, errors } = props;
  const household = props.kind === 'household';
  const text = (key: keyof RequisitesForm, extra: { required?: boolean; placeholder?: string } = {}) => (
    <TextInput
      label={t(`consumers.${key}`)}
      value={v[key]}
      onChange={(e) => props.onChange({ ...v, [key]: e.currentTarget.value })}
      error={errors[key]}
      required={extra.required}
      placeholder={extra.placeholder}
      data-testid={`field-${key}`}
    />
  );
  const categories = (props.options?.categories ?? []).filter(
    (c) => c.kind === (household ? 'household' : 'legal'),
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      {text('name', { required: true })}
      {household
        ? text('pinfl', { placeholder: t('consumers.edit.hints.pinfl') })
        : text('inn', { required: true })}
      {!household && text('oked')}
      {text('legalAddress')}
      {!household && text('postalAddress')}
      {text('phone', { placeholder: '+998 71 123 45 67' })}
      {text('email')}
      {!household && (
        <NativeSelect
          label={t('consumers.bankMfo')}
          value={v.bankMfo}
          onChange={(e) => props.onChange({ ...v, bankMfo: e.currentTarget.value })}
          error={errors.bankMfo}
          data={[
            { value: '', label: '—' },
            ...(props.options?.banks ?? []).map((b) => ({ value: b.mfo, label: `${b.mfo} — ${b.name}` })),
            ...(v.bankMfo && !props.options?.banks.some((b) => b.mfo === v.bankMfo)
              ? [{ value: v.bankMfo, label: v.bankMfo }]
              : []),
          ]}
          data-testid="field-bankMfo"
        />
      )}
      {!household && text('bankAccount')}
      <NativeSelect
        label={t('consumers.category')}
        value={v.categoryId}
        onChange={(e) => props.onChange({ ...v, categoryId: e.currentTarget.value })}
        error={errors.categoryId}
        data={[{ value: '', label: '—' }, ...categories.map((c) => ({ value: c.id, label: c.name }))]}
        data-testid="field-categoryId"
      />
    </SimpleGrid>
  );
}

/** A contract's terms from a date: tariff, volume, load, special supply, estimation, reactive norm. */
export function TermsFields(props: {
  commodity: string;
  value: TermsForm;
  onChange: (v: TermsForm) => void;
  errors: Errors;
  options: EditOptions | null;
}) {
  const { t } = useTranslation();
  const { value: v, errors } = props;
  const tariffs = (props.options?.tariffs ?? []).filter((x) => x.commodity === props.commodity);
  const tariff = tariffs.find((x) => x.id === v.tariffId);
  const unit = tariff?.unit ?? (props.commodity === 'heat' ? 'Gcal' : 'kWh');
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <NativeSelect
        label={t('consumers.tariff')}
        value={v.tariffId}
        onChange={(e) => props.onChange({ ...v, tariffId: e.currentTarget.value })}
        error={errors.tariffId}
        required
        data={[
          ...(tariff ? [] : [{ value: '', label: '—' }]),
          ...tariffs.map((x) => ({ value: x.id, label: `${x.name} (${x.code})` })),
        ]}
        data-testid="field-tariffId"
      />
      <TextInput
        label={`${t('consumers.contractVolume')}, ${unit}`}
        description={tariff?.blocks ? t('consumers.edit.blocksNoVolume') : undefined}
        value={v.defaultVolume}
        onChange={(e) => props.onChange({ ...v, defaultVolume: e.currentTarget.value })}
        error={errors.defaultVolume}
        disabled={tariff?.blocks}
        inputMode="decimal"
        data-testid="field-defaultVolume"
      />
      <TextInput
        label={`${t('consumers.contractedLoad')}, kW`}
        value={v.contractedLoad}
        onChange={(e) => props.onChange({ ...v, contractedLoad: e.currentTarget.value })}
        error={errors.contractedLoad}
        inputMode="decimal"
        data-testid="field-contractedLoad"
      />
      <NativeSelect
        label={t('consumers.estimation')}
        value={v.estimation}
        onChange={(e) =>
          props.onChange({
            ...v,
            estimation: e.currentTarget.value === 'average_daily' ? 'average_daily' : 'contract',
          })
        }
        error={errors.estimation}
        data={[
          { value: 'contract', label: t('consumers.estimations.contract') },
          { value: 'average_daily', label: t('consumers.estimations.average_daily') },
        ]}
        data-testid="field-estimation"
      />
      {props.commodity === 'electricity' && (
        <TextInput
          label={t('consumers.tanPhiNorm')}
          value={v.tanPhiNorm}
          onChange={(e) => props.onChange({ ...v, tanPhiNorm: e.currentTarget.value })}
          error={errors.tanPhiNorm}
          placeholder="0.5"
          inputMode="decimal"
          data-testid="field-tanPhiNorm"
        />
      )}
      <Checkbox
        label={t('consumers.specialSupply')}
        checked={v.specialSupply}
        onChange={(e) => props.onChange({ ...v, specialSupply: e.currentTarget.checked })}
        error={errors.specialSupply}
        mt="lg"
        data-testid="field-specialSupply"
      />
    </SimpleGrid>
  );
}

/** A new contract: its number (leading zeros count), district, start date and first terms. */
export function ContractFields(props: {
  commodity: string;
  value: ContractForm;
  onChange: (v: ContractForm) => void;
  errors: Errors;
  options: EditOptions | null;
}) {
  const { t } = useTranslation();
  const { value: v, errors } = props;
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput
          label={t('consumers.edit.number')}
          description={t('consumers.edit.numberHint')}
          value={v.number}
          onChange={(e) => props.onChange({ ...v, number: e.currentTarget.value })}
          error={errors.number}
          required
          data-testid="field-number"
        />
        <NativeSelect
          label={t('consumers.orgUnit')}
          value={v.orgUnitId}
          onChange={(e) => props.onChange({ ...v, orgUnitId: e.currentTarget.value })}
          error={errors.orgUnitId}
          required
          data={(props.options?.districts ?? []).map((d) => ({ value: d.id, label: d.name }))}
          data-testid="field-orgUnitId"
        />
        <TextInput
          type="date"
          label={t('consumers.startDate')}
          value={v.startDate}
          onChange={(e) => props.onChange({ ...v, startDate: e.currentTarget.value })}
          error={errors.startDate}
          required
          data-testid="field-startDate"
        />
      </SimpleGrid>
      <TermsFields
        commodity={props.commodity}
        value={v}
        onChange={(terms) => props.onChange({ ...v, ...terms })}
        errors={errors}
        options={props.options}
      />
    </>
  );
}
