import {
  Alert,
  Anchor,
  Button,
  Group,
  NativeSelect,
  PasswordInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { ApiError, api } from '../api/client.ts';
import { errorMessage } from '../office/errors.ts';
import { FormCard } from '../office/FormCard.tsx';
import { LanguageSwitcher } from '../office/LanguageSwitcher.tsx';
import { useCabinet } from './session.tsx';

/** Consumer sign-in: the contract number exactly as issued, and the password (the INN the first time). */
export function CabinetLoginPage() {
  const { t } = useTranslation();
  const cabinet = useCabinet();
  const [contract, setContract] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Shown only when the number exists at several suppliers of this installation.
  const [suppliers, setSuppliers] = useState<{ code: string; name: string }[] | null>(null);
  const [supplier, setSupplier] = useState('');

  if (cabinet.session) return <Navigate to="/cabinet" replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await cabinet.signIn(contract, password, suppliers ? supplier : undefined);
    } catch (err) {
      setError(errorMessage(err, t));
      if (err instanceof ApiError && err.code === 'CABINET_SUPPLIER_REQUIRED' && !suppliers) {
        const list = await api<{ items: { code: string; name: string }[] }>('GET', '/api/cabinet/suppliers');
        setSuppliers(list.items);
        setSupplier(list.items[0]?.code ?? '');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormCard
      width={440}
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
                {t('cabinet.tagline')}
              </Text>
            </div>
            <LanguageSwitcher />
          </Group>
          <Title order={2} size="h4">
            {t('cabinet.login.title')}
          </Title>
          {cabinet.ended === 'idle' && (
            <Alert color="yellow" data-testid="idle-ended">
              {t('cabinet.idle.ended')}
            </Alert>
          )}
        </>
      }
    >
      <TextInput
        label={t('cabinet.login.contract')}
        description={t('cabinet.login.contractHint')}
        name="contract"
        autoComplete="username"
        inputMode="numeric"
        required
        value={contract}
        onChange={(e) => setContract(e.currentTarget.value.trim())}
      />
      {suppliers && (
        <NativeSelect
          label={t('cabinet.login.supplier')}
          name="supplier"
          value={supplier}
          onChange={(e) => setSupplier(e.currentTarget.value)}
          data={suppliers.map((x) => ({ value: x.code, label: x.name }))}
        />
      )}
      <PasswordInput
        label={t('cabinet.login.password')}
        description={t('cabinet.login.passwordHint')}
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
      />
      <Button type="submit" loading={busy} fullWidth>
        {t('login.submit')}
      </Button>
      <Anchor component={Link} to="/cabinet/recovery" size="sm" ta="center">
        {t('cabinet.login.forgot')}
      </Anchor>
      <Anchor component={Link} to="/login" size="sm" ta="center">
        {t('cabinet.login.staff')}
      </Anchor>
    </FormCard>
  );
}
