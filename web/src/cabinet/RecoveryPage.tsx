import { Alert, Anchor, Button, Group, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import { errorMessage } from '../office/errors.ts';
import { FormCard } from '../office/FormCard.tsx';
import { LanguageSwitcher } from '../office/LanguageSwitcher.tsx';

/** Password recovery: a request that the district confirms; then the INN opens the cabinet again. */
export function RecoveryPage() {
  const { t } = useTranslation();
  const [contract, setContract] = useState('');
  const [inn, setInn] = useState('');
  const [contact, setContact] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/cabinet/recovery', { contract, inn, contact });
      setSent(true);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormCard
      width={460}
      error={error}
      onSubmit={submit}
      header={
        <>
          <Group justify="space-between">
            <Title order={1} size="h3">
              {t('cabinet.recovery.title')}
            </Title>
            <LanguageSwitcher />
          </Group>
          <Text size="sm">{t('cabinet.recovery.intro')}</Text>
        </>
      }
    >
      {sent ? (
        <Alert color="teal" data-testid="recovery-sent">
          {t('cabinet.recovery.sent')}
        </Alert>
      ) : (
        <>
          <TextInput
            label={t('cabinet.login.contract')}
            name="contract"
            required
            value={contract}
            onChange={(e) => setContract(e.currentTarget.value.trim())}
          />
          <TextInput
            label={t('cabinet.account.inn')}
            name="inn"
            inputMode="numeric"
            required
            value={inn}
            onChange={(e) => setInn(e.currentTarget.value.trim())}
          />
          <TextInput
            label={t('cabinet.recovery.contact')}
            description={t('cabinet.recovery.contactHint')}
            name="contact"
            required
            value={contact}
            onChange={(e) => setContact(e.currentTarget.value)}
          />
          <Button type="submit" loading={busy}>
            {t('cabinet.recovery.submit')}
          </Button>
        </>
      )}
      <Anchor component={Link} to="/cabinet/login" size="sm" ta="center">
        {t('cabinet.recovery.back')}
      </Anchor>
    </FormCard>
  );
}
