import { Button, Group, PasswordInput, Text, Title } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useSession } from '../session/session.tsx';
import { errorMessage } from './errors.ts';
import { FormCard } from './FormCard.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';

/** The forced change of a given password; nothing else opens until it is done. */
export function PasswordPage() {
  const session = useSession();
  return (
    <ChangePasswordForm endpoint="/api/auth/password" onDone={session.refresh} rulesKey="password.rules" />
  );
}

/** The password change form of staff and of consumers: current, new (rules shown), repeat. */
export function ChangePasswordForm(props: {
  endpoint: string;
  onDone: () => Promise<void>;
  rulesKey: string;
  call?: (method: 'POST', path: string, body: unknown) => Promise<unknown>;
  header?: ReactNode;
}) {
  const { t } = useTranslation();
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
      await (props.call ?? api)('POST', props.endpoint, { current, next });
      await props.onDone();
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
        props.header ?? (
          <>
            <Group justify="flex-end">
              <LanguageSwitcher />
            </Group>
            <Title order={1} size="h3">
              {t('password.title')}
            </Title>
            <Text size="sm">{t('password.intro')}</Text>
          </>
        )
      }
    >
      {field('current', t('password.current'), current, setCurrent)}
      {field('next', t('password.next'), next, setNext, { description: t(props.rulesKey) })}
      {field('repeat', t('password.repeat'), repeat, setRepeat)}
      <Button type="submit" loading={busy}>
        {t('password.submit')}
      </Button>
    </FormCard>
  );
}
