import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { type FieldErrors, fieldErrorsOf } from './field-errors.ts';
import { RolesEditor } from './RolesEditor.tsx';
import { TemporaryPassword } from './TemporaryPassword.tsx';
import type { AdminUnit, Grant } from './types.ts';
import { checkFields, type Profile, ProfileFields } from './user-fields.tsx';

/** The "New user" form; on success the temporary password is shown once. */
export function NewUserForm(props: { units: AdminUnit[]; onCreated: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [profile, setProfile] = useState<Profile>({ fullName: '', locale: 'uz', pinfl: '' });
  const [roles, setRoles] = useState<Grant[]>([{ role: 'operator', orgUnitId: '' }]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ login: string; password: string } | null>(null);

  if (created)
    return <TemporaryPassword login={created.login} password={created.password} onDone={props.onClose} />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = checkFields(t, { ...profile, login, roles });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const res = await api<{ id: string; temporaryPassword?: string }>('POST', '/api/users', {
        login: login.trim(),
        fullName: profile.fullName.trim(),
        locale: profile.locale,
        pinfl: profile.pinfl.trim() === '' ? null : profile.pinfl.trim(),
        roles,
      });
      setCreated({ login: login.trim().toLowerCase(), password: res.temporaryPassword ?? '' });
      props.onCreated();
    } catch (err) {
      setErrors(fieldErrorsOf(err, t, ['login', 'fullName', 'pinfl', 'locale', 'roles']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid="user-form">
      <Stack>
        {errors.form && (
          <Alert color="red" role="alert" data-testid="user-error">
            {errors.form}
          </Alert>
        )}
        <TextInput
          label={t('admin.login')}
          description={t('admin.loginHint')}
          value={login}
          error={errors.login}
          autoComplete="off"
          onChange={(e) => setLogin(e.currentTarget.value)}
          data-testid="user-login"
        />
        <ProfileFields value={profile} onChange={setProfile} errors={errors} />
        <RolesEditor value={roles} onChange={setRoles} units={props.units} error={errors.roles} />
        <Text size="sm" c="dimmed">
          {t('admin.newUserPasswordNote')}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('admin.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="user-save">
            {t('admin.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
