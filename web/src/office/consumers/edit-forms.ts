import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { useSession } from '../../session/session.tsx';
import type { ConsumerCard, Contract } from './types.ts';

// The consumer and contract editors' shared pieces: what the API offers (GET /api/consumers/options),
// the forms' state as typed, the bodies sent, and the API's refusals placed on the fields.

/** What the editors may choose from (src/modules/consumers/consumers.edit.schemas.ts ZEditOptions). */
export type EditOptions = {
  commodity: 'electricity' | 'heat';
  lastClosed: string | null;
  openPeriod: string;
  districts: { id: string; name: string }[];
  tariffs: {
    id: string;
    code: string;
    name: string;
    commodity: string;
    unit: string;
    blocks: boolean;
    firstFrom: string | null;
  }[];
  categories: { id: string; code: string; name: string; kind: string }[];
  banks: { mfo: string; name: string }[];
};

/** True when the signed-in user may edit consumers somewhere. */
export function useCanEdit(): boolean {
  const { user } = useSession();
  return user?.permissions.includes('consumer.write') ?? false;
}

/** The editors' options, loaded once for users who may edit (null until loaded or without the right). */
export function useEditOptions(): EditOptions | null {
  const canEdit = useCanEdit();
  const [options, setOptions] = useState<EditOptions | null>(null);
  useEffect(() => {
    if (!canEdit) return;
    api<EditOptions>('GET', '/api/consumers/options')
      .then(setOptions)
      .catch(() => setOptions(null));
  }, [canEdit]);
  return options;
}

/** The requisites as typed ('' is empty). */
export type RequisitesForm = {
  name: string;
  inn: string;
  pinfl: string;
  oked: string;
  legalAddress: string;
  postalAddress: string;
  phone: string;
  email: string;
  bankMfo: string;
  bankAccount: string;
  categoryId: string;
};

/** Contract terms as typed. */
export type TermsForm = {
  tariffId: string;
  defaultVolume: string;
  contractedLoad: string;
  specialSupply: boolean;
  estimation: 'contract' | 'average_daily';
  tanPhiNorm: string;
};

/** A new contract as typed. */
export type ContractForm = TermsForm & { number: string; orgUnitId: string; startDate: string };

/** The requisites a form shows for a kind of consumer (a household has no INN, OKED or bank). */
export function requisiteKeysFor(kind: string): (keyof RequisitesForm)[] {
  return kind === 'household'
    ? ['name', 'pinfl', 'legalAddress', 'phone', 'email', 'categoryId']
    : [
        'name',
        'inn',
        'oked',
        'legalAddress',
        'postalAddress',
        'phone',
        'email',
        'bankMfo',
        'bankAccount',
        'categoryId',
      ];
}

/** The fields of a contract's terms, and of a new contract. */
export const TERMS_KEYS = [
  'tariffId',
  'defaultVolume',
  'contractedLoad',
  'specialSupply',
  'estimation',
  'tanPhiNorm',
];
export const CONTRACT_KEYS = ['number', 'orgUnitId', 'startDate', ...TERMS_KEYS];

/** Refusals per field (the field's API name), and one for the form as a whole. */
export type FieldErrors = { fields: Record<string, string>; form: string | null };

export const NO_ERRORS: FieldErrors = { fields: {}, form: null };

/** The requisites of a card as a form. */
export function requisitesOfCard(card?: ConsumerCard): RequisitesForm {
  return {
    name: card?.name ?? '',
    inn: card?.inn ?? '',
    pinfl: card?.pinfl ?? '',
    oked: card?.oked ?? '',
    legalAddress: card?.legalAddress ?? '',
    postalAddress: card?.postalAddress ?? '',
    phone: card?.phone ?? '',
    email: card?.email ?? '',
    bankMfo: card?.bank.mfo ?? '',
    bankAccount: card?.bank.account ?? '',
    categoryId: card?.category?.id ?? '',
  };
}

/** A phone as staff type it ("90 123 45 67", "998901234567") in the API's form +998XXXXXXXXX. */
export function normalisePhone(typed: string): string {
  const digits = typed.replace(/[\s()\-.]/g, '');
  if (/^[0-9]{9}$/.test(digits)) return `+998${digits}`;
  if (/^998[0-9]{9}$/.test(digits)) return `+${digits}`;
  return digits;
}

/** A quantity as typed: spaces dropped, a decimal comma made a point; never parsed into a number. */
export function normaliseQuantity(typed: string): string {
  return typed.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
}

const TEXT_KEYS = ['name', 'legalAddress', 'postalAddress', 'email'] as const;

/** One requisite as the API takes it: trimmed, phone normalised, '' as null. */
function requisiteValue(key: keyof RequisitesForm, value: string): string | null {
  const v = value.trim();
  if (v === '') return null;
  if (key === 'phone') return normalisePhone(v);
  if ((TEXT_KEYS as readonly string[]).includes(key)) return v;
  return v.replace(/\s/g, '');
}

/** The requisites to create a consumer of `kind` with: the fields shown for it, empty ones left out. */
export function requisitesBody(form: RequisitesForm, kind: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of requisiteKeysFor(kind)) {
    const v = requisiteValue(key, form[key]);
    if (v !== null) out[key] = v;
  }
  return out;
}

/** The requisites that differ from the card (null clears one). */
export function requisitesPatch(form: RequisitesForm, before: RequisitesForm): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of Object.keys(form) as (keyof RequisitesForm)[]) {
    const v = requisiteValue(key, form[key]);
    if (v !== requisiteValue(key, before[key])) out[key] = v;
  }
  return out;
}

/** Terms as the API takes them. */
export function termsBody(form: TermsForm): Record<string, string | boolean | null> {
  const q = (s: string) => (s.trim() === '' ? null : normaliseQuantity(s));
  return {
    tariffId: form.tariffId,
    defaultVolume: q(form.defaultVolume),
    contractedLoad: q(form.contractedLoad),
    specialSupply: form.specialSupply,
    estimation: form.estimation,
    tanPhiNorm: q(form.tanPhiNorm),
  };
}

/** A contract as the API takes it. */
export function contractBody(form: ContractForm): Record<string, string | boolean | null> {
  return {
    number: form.number.trim(),
    orgUnitId: form.orgUnitId,
    startDate: form.startDate,
    ...termsBody(form),
  };
}

/** Terms to start a form from: a contract's terms in force, or the first tariff of the commodity. */
export function termsOf(contract: Contract | null, options: EditOptions | null): TermsForm {
  const terms = contract?.terms ?? contract?.history[0] ?? null;
  const tariff = options?.tariffs.find((x) => x.commodity === (contract?.commodity ?? options.commodity));
  return {
    tariffId: terms?.tariff.id ?? tariff?.id ?? '',
    defaultVolume: terms?.contractVolume?.replace(/\.?0+$/, '') ?? '',
    contractedLoad: terms?.contractedLoad?.replace(/\.?0+$/, '') ?? '',
    specialSupply: terms?.specialSupply ?? false,
    estimation: terms?.estimation === 'average_daily' ? 'average_daily' : 'contract',
    tanPhiNorm: terms?.tanPhiNorm ?? '',
  };
}

/** Today in Tashkent as YYYY-MM-DD. */
export function todayInTashkent(): string {
  return new Date(Date.now() + 5 * 3_600_000).toISOString().slice(0, 10);
}

/** The month after `period` ('YYYY-MM'), shifted by n. */
export function addMonths(period: string, n: number): string {
  const k = Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1 + n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
}

/**
 * Places an API refusal on the form: an error naming one of the form's `fields`
 * (`details.field`), or those fields of a VALIDATION_FAILED (each `/path/field message`, shown with
 * the field's hint); anything else above the form.
 */
export function fieldErrorsOf(e: unknown, t: TFunction, known: readonly string[]): FieldErrors {
  if (!(e instanceof ApiError)) return { fields: {}, form: t('errors.NETWORK') };
  const field = e.details?.field;
  if (typeof field === 'string' && known.includes(field))
    return { fields: { [field]: e.message }, form: null };
  const listed = e.details?.fields;
  if (e.code === 'VALIDATION_FAILED' && Array.isArray(listed)) {
    const fields: Record<string, string> = {};
    for (const item of listed) {
      const path = String(item).split(' ')[0] ?? '';
      const name = path.split('/').filter(Boolean).pop();
      if (!name || !known.includes(name)) continue;
      fields[name] = t(`consumers.edit.hints.${name}`, { defaultValue: t('consumers.edit.invalid') });
    }
    if (Object.keys(fields).length > 0) return { fields, form: t('consumers.edit.fixFields') };
  }
  return { fields: {}, form: e.message };
}
