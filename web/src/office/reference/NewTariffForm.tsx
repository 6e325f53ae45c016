import { NativeSelect, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';
import type { TariffDetail, VersionInput } from './types.ts';
import { VersionForm } from './VersionForm.tsx';

const CODE = /^[A-Za-z0-9._-]{1,32}$/;

type Commodity = 'electricity' | 'heat';
type Field = 'code' | 'name';

/** The form field an API refusal of a new tariff concerns, if any. */
function fieldOf(e: ApiError): Field | null {
  if (e.code === 'REFERENCE_CODE_TAKEN') return 'code';
  if (e.code !== 'VALIDATION_FAILED') return null;
  const listed = Array.isArray(e.details?.fields) ? (e.details.fields as unknown[]).map(String) : [];
  const text = `${listed.join(' ')} ${String(e.details?.issues ?? '')}`;
  if (/\bcode\b/.test(text)) return 'code';
  if (/\bname\b/.test(text)) return 'name';
  return null;
}

/**
 * A new tariff (R1): its code, name and commodity, with its first version from the 1st of the
 * open or a later month (POST /api/reference/tariffs). Refusals of the code or name show beside
 * the field, in the API's words; the others above the form.
 */
export function NewTariffForm(props: {
  openPeriod: string;
  commodity: Commodity;
  onSaved: (d: TariffDetail) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [commodity, setCommodity] = useState<Commodity>(props.commodity);
  const [touched, setTouched] = useState(false);
  const [refused, setRefused] = useState<Partial<Record<Field, string>>>({});

  const codeError =
    refused.code ?? (touched && !CODE.test(code.trim()) ? t('reference.tariffs.codeInvalid') : null);
  const nameError =
    refused.name ?? (touched && name.trim() === '' ? t('reference.tariffs.nameRequired') : null);

  const send = async (version: VersionInput): Promise<TariffDetail | null> => {
    try {
      return await api<TariffDetail>('POST', '/api/reference/tariffs', {
        code: code.trim(),
        name: name.trim(),
        commodity,
        version,
      });
    } catch (e) {
      const field = e instanceof ApiError ? fieldOf(e) : null;
      if (!field || !(e instanceof ApiError)) throw e;
      setRefused({ [field]: e.message });
      return null;
    }
  };

  return (
    <VersionForm
      key={commodity}
      detail={{
        tariff: { id: '', commodity, unit: commodity === 'heat' ? 'Gcal' : 'kWh' },
        openPeriod: props.openPeriod,
      }}
      send={send}
      ready={() => {
        setTouched(true);
        return CODE.test(code.trim()) && name.trim() !== '';
      }}
      onSaved={props.onSaved}
      onCancel={props.onCancel}
    >
      <TextInput
        label={t('reference.code')}
        description={t('reference.tariffs.codeHint')}
        value={code}
        onChange={(e) => {
          setCode(e.currentTarget.value);
          setRefused((r) => ({ ...r, code: undefined }));
        }}
        error={codeError}
        maxLength={32}
        data-testid="tariff-code"
      />
      <TextInput
        label={t('reference.name')}
        value={name}
        onChange={(e) => {
          setName(e.currentTarget.value);
          setRefused((r) => ({ ...r, name: undefined }));
        }}
        error={nameError}
        maxLength={200}
        data-testid="tariff-name"
      />
      <NativeSelect
        label={t('reference.tariffs.commodity')}
        value={commodity}
        onChange={(e) => setCommodity(e.currentTarget.value as Commodity)}
        data={(['electricity', 'heat'] as const).map((c) => ({
          value: c,
          label: t(`reference.tariffs.commodities.${c}`),
        }))}
        data-testid="tariff-commodity"
      />
    </VersionForm>
  );
}
