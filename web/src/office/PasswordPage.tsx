import { Button, Group, PasswordInput, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useSession } from '../session/session.tsx';
import { errorMessage } from './errors.ts';
import { FormCard } from './FormCard.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';

/** The forced change of a given password; nothing else opens until it is done. */
export function PasswordPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== repeat) {
      setError(t('password.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/auth/password', { current, next });
      await session.refresh();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const field = (
    name: string,
    label: string,
    value: string,
    set: (v: string) => void,
    extra: object = {},
  ) => (
    <PasswordInput
      label={label}
      name={name}
      autoComplete={name === 'current' ? 'current-password' : 'new-password'}
      required
      value={value}
      onChange={(e) => set(e.currentTarget.value)}
      {...extra}
    />
  );

  return (
    <FormCard
      width={440}
      error={error}
      onSubmit={submit}
      header={
        <>
          <Group justify="flex-end">
            <LanguageSwitcher />
          </Group>
          <Title order={1} size="h3">
            {t('password.title')}
          </Title>
          <Text size="sm">{t('password.intro')}</Text>
        </>
      }
    >
      {field('current', t('password.current'), current, setCurrent)}
      {field('next', t('password.next'), next, setNext, { description: t('password.rules') })}
      {field('repeat', t('password.repeat'), repeat, setRepeat)}
      <Button type="submit" loading={busy}>
        {t('password.submit')}
      </Button>
    </FormCard>
  );
}
