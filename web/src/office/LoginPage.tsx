import { Anchor, Button, Group, PasswordInput, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { useSession } from '../session/session.tsx';
import { errorMessage } from './errors.ts';
import { FormCard } from './FormCard.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';

/** Staff sign-in. */
export function LoginPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (session.user) return <Navigate to="/" replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(login, password);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormCard
      width={420}
      error={error}
      onSubmit={submit}
      header={
        <>
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={1} size="h2">
                {t('app.name')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('app.tagline')}
              </Text>
            </div>
            <LanguageSwitcher />
          </Group>
          <Title order={2} size="h4">
            {t('login.title')}
          </Title>
        </>
      }
    >
      <TextInput
        label={t('login.login')}
        name="login"
        autoComplete="username"
        required
        value={login}
        onChange={(e) => setLogin(e.currentTarget.value)}
      />
      <PasswordInput
        label={t('login.password')}
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
      />
      <Button type="submit" loading={busy} fullWidth>
        {t('login.submit')}
      </Button>
      <Anchor component={Link} to="/cabinet/login" size="sm" ta="center">
        {t('login.cabinet')}
      </Anchor>
    </FormCard>
  );
}
