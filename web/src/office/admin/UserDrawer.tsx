import { Alert, Badge, Button, Divider, Drawer, Group, Stack, Text } from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { errorMessage } from '../errors.ts';
import { type FieldErrors, fieldErrorsOf } from './field-errors.ts';
import { NewUserForm } from './NewUserForm.tsx';
import { RolesEditor } from './RolesEditor.tsx';
import { TemporaryPassword } from './TemporaryPassword.tsx';
import type { AdminUnit, AdminUser, Grant } from './types.ts';
import { checkFields, type Profile, ProfileFields } from './user-fields.tsx';

/** One user: profile and grants to change, block or unblock, and a password reset. */
function EditUser(props: { id: string; units: AdminUnit[]; onChanged: () => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { user: me } = useSession();
  const [user, setUser] = useState<AdminUser | null>(null);
  const [profile, setProfile] = useState<Profile>({ fullName: '', locale: 'uz', pinfl: '' });
  const [roles, setRoles] = useState<Grant[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [temporary, setTemporary] = useState<string | null>(null);

  const accept = useCallback((u: AdminUser) => {
    setUser(u);
    setProfile({ fullName: u.fullName, locale: u.locale, pinfl: u.pinfl ?? '' });
    setRoles(u.roles.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId })));
  }, []);

  useEffect(() => {
    api<AdminUser>('GET', `/api/users/${props.id}`)
      .then(accept)
      .catch((e: unknown) => setErrors({ form: errorMessage(e, t) }));
  }, [props.id, t, accept]);

  if (!user) return errors.form ? <Alert color="red">{errors.form}</Alert> : <Text>…</Text>;
  if (temporary)
    return <TemporaryPassword login={user.login} password={temporary} onDone={() => setTemporary(null)} />;

  const self = me?.id === user.id;
  const readOnly = !user.manageable;
  const rolesKey = (gs: Grant[]) =>
    gs
      .map((g) => `${g.role}@${g.orgUnitId}`)
      .sort()
      .join(',');

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setErrors({});
    setDone(null);
    try {
      setDone(await action());
      props.onChanged();
    } catch (err) {
      setErrors(fieldErrorsOf(err, t, ['fullName', 'pinfl', 'locale', 'roles']));
    } finally {
      setBusy(false);
    }
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    const found = checkFields(t, { ...profile, roles });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    void run(async () => {
      const patch: Record<string, string | null> = {};
      if (profile.fullName.trim() !== user.fullName) patch.fullName = profile.fullName.trim();
      if (profile.locale !== user.locale) patch.locale = profile.locale;
      const pinfl = profile.pinfl.trim() === '' ? null : profile.pinfl.trim();
      if (pinfl !== user.pinfl) patch.pinfl = pinfl;
      let next = user;
      if (Object.keys(patch).length > 0) next = await api<AdminUser>('PATCH', `/api/users/${user.id}`, patch);
      if (rolesKey(roles) !== rolesKey(user.roles))
        next = await api<AdminUser>('PUT', `/api/users/${user.id}/roles`, { roles });
      accept(next);
      return t('admin.saved');
    });
  };

  const setStatus = (status: 'active' | 'blocked') => {
    if (status === 'blocked' && !window.confirm(t('admin.confirmBlock', { login: user.login }))) return;
    void run(async () => {
      accept(await api<AdminUser>('PATCH', `/api/users/${user.id}`, { status }));
      return t(status === 'blocked' ? 'admin.blockedDone' : 'admin.unblockedDone', { login: user.login });
    });
  };

  const reset = () => {
    if (!window.confirm(t('admin.confirmReset', { login: user.login }))) return;
    void run(async () => {
      const res = await api<{ temporaryPassword: string }>('POST', `/api/users/${user.id}/password-reset`);
      setTemporary(res.temporaryPassword);
      accept(await api<AdminUser>('GET', `/api/users/${user.id}`));
      return t('admin.resetDone', { login: user.login });
    });
  };

  return (
    <form onSubmit={save} noValidate data-testid="user-form">
      <Stack>
        <Group gap="xs">
          <StatusBadge user={user} />
          <Text size="sm" c="dimmed">
            {t('admin.lastLogin')}:{' '}
            {user.lastLoginAt ? formatDateTime(user.lastLoginAt, i18n.language) : t('admin.never')}
          </Text>
        </Group>
        {readOnly && <Alert color="gray">{t('admin.notManageable')}</Alert>}
        {errors.form && (
          <Alert color="red" role="alert" data-testid="user-error">
            {errors.form}
          </Alert>
        )}
        {done && (
          <Alert color="teal" data-testid="user-done">
            {done}
          </Alert>
        )}
        <ProfileFields value={profile} onChange={setProfile} errors={errors} disabled={readOnly} />
        {readOnly ? (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('admin.roles')}
            </Text>
            <Group gap={4}>
              {user.roles.map((g) => (
                <Badge key={`${g.role}-${g.orgUnitId}`} variant="light" tt="none">
                  {t(`roles.${g.role}`)} · {g.orgUnitName}
                </Badge>
              ))}
            </Group>
          </Stack>
        ) : (
          <RolesEditor value={roles} onChange={setRoles} units={props.units} error={errors.roles} />
        )}
        {!readOnly && (
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('admin.close')}
            </Button>
            <Button type="submit" loading={busy} data-testid="user-save">
              {t('admin.save')}
            </Button>
          </Group>
        )}
        {!readOnly && !self && (
          <>
            <Divider label={t('admin.access')} labelPosition="left" />
            <Group>
              {user.status === 'active' ? (
                <Button
                  color="red"
                  variant="light"
                  onClick={() => setStatus('blocked')}
                  data-testid="user-block"
                >
                  {t('admin.block')}
                </Button>
              ) : (
                <Button
                  color="teal"
                  variant="light"
                  onClick={() => setStatus('active')}
                  data-testid="user-unblock"
                >
                  {t('admin.unblock')}
                </Button>
              )}
              <Button variant="light" onClick={reset} data-testid="user-reset">
                {t('admin.resetPassword')}
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              {t('admin.accessHelp')}
            </Text>
          </>
        )}
      </Stack>
    </form>
  );
}

/** The status of a user: active or blocked, and whether a password change or a lock is pending. */
export function StatusBadge(props: { user: AdminUser }) {
  const { t } = useTranslation();
  const u = props.user;
  return (
    <Group gap={4}>
      <Badge
        color={u.status === 'active' ? 'teal' : 'red'}
        variant="light"
        style={{ minWidth: 'max-content' }}
        data-testid="user-status"
      >
        {t(`admin.statuses.${u.status}`)}
      </Badge>
      {u.mustChangePassword && (
        <Badge color="yellow" variant="light" tt="none">
          {t('admin.mustChange')}
        </Badge>
      )}
      {u.lockedUntil && (
        <Badge color="orange" variant="light" tt="none">
          {t('admin.locked')}
        </Badge>
      )}
    </Group>
  );
}

/** The drawer of a new or an existing user. */
export function UserDrawer(props: {
  target: 'new' | AdminUser | null;
  units: AdminUnit[];
  onChanged: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const target = props.target;
  return (
    <Drawer
      opened={target !== null}
      onClose={props.onClose}
      position="right"
      size="lg"
      title={
        target === 'new' ? t('admin.newUser') : target ? t('admin.editUser', { login: target.login }) : ''
      }
    >
      {target === 'new' && (
        <NewUserForm units={props.units} onCreated={props.onChanged} onClose={props.onClose} />
      )}
      {target && target !== 'new' && (
        <EditUser
          key={target.id}
          id={target.id}
          units={props.units}
          onChanged={props.onChanged}
          onClose={props.onClose}
        />
      )}
    </Drawer>
  );
}
