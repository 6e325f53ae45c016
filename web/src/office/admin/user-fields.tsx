import { Group, NativeSelect, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../../i18n/index.ts';
import type { FieldErrors } from './field-errors.ts';
import type { Grant } from './types.ts';

const LOGIN = /^[A-Za-z0-9._-]{3,64}$/;
const PINFL = /^[0-9]{14}$/;

/** The fields of a user's profile as the forms hold them. */
export type Profile = { fullName: string; locale: string; pinfl: string };

/** Checks the fields before asking the server: the same rules, said beside each field. */
export function checkFields(
  t: (k: string) => string,
  v: Profile & { login?: string; roles: Grant[] },
): FieldErrors {
  const out: FieldErrors = {};
  if (v.login !== undefined && !LOGIN.test(v.login.trim())) out.login = t('admin.fieldErrors.login');
  if (v.fullName.trim() === '') out.fullName = t('admin.fieldErrors.fullName');
  if (v.pinfl.trim() !== '' && !PINFL.test(v.pinfl.trim())) out.pinfl = t('admin.fieldErrors.pinfl');
  if (v.roles.length === 0 || v.roles.some((g) => g.orgUnitId === ''))
    out.roles = t('admin.fieldErrors.roles');
  return out;
}

/** Name, language and PINFL: the fields a new and an existing user share. */
export function ProfileFields(props: {
  value: Profile;
  onChange: (v: Profile) => void;
  errors: FieldErrors;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const { value, onChange, errors } = props;
  return (
    <>
      <TextInput
        label={t('admin.fullName')}
        value={value.fullName}
        disabled={props.disabled}
        error={errors.fullName}
        onChange={(e) => onChange({ ...value, fullName: e.currentTarget.value })}
        data-testid="user-fullname"
      />
      <Group grow align="start">
        <TextInput
          label={t('admin.pinfl')}
          description={t('admin.pinflHint')}
          value={value.pinfl}
          disabled={props.disabled}
          inputMode="numeric"
          maxLength={14}
          error={errors.pinfl}
          onChange={(e) => onChange({ ...value, pinfl: e.currentTarget.value.replace(/\s/g, '') })}
          data-testid="user-pinfl"
        />
        <NativeSelect
          label={t('admin.locale')}
          description={t('admin.localeHint')}
          value={value.locale}
          disabled={props.disabled}
          onChange={(e) => onChange({ ...value, locale: e.currentTarget.value })}
          data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
          data-testid="user-locale"
        />
      </Group>
    </>
  );
}
