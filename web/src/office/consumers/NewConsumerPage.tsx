import { Alert, Anchor, Button, Group, Loader, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { ContractFields, RequisitesFields } from './EditFields.tsx';
import {
  CONTRACT_KEYS,
  type ContractForm,
  contractBody,
  type FieldErrors,
  fieldErrorsOf,
  NO_ERRORS,
  type RequisitesForm,
  requisiteKeysFor,
  requisitesBody,
  requisitesOfCard,
  termsOf,
  todayInTashkent,
  useCanEdit,
  useEditOptions,
} from './edit-forms.ts';
import { Section } from './parts.tsx';
import type { ConsumerCard } from './types.ts';

const KINDS = ['legal', 'entrepreneur', 'household'] as const;

/** The first day a new contract may start: today, unless today lies in a closed period. */
function firstStart(openPeriod: string): string {
  const today = todayInTashkent();
  return today.slice(0, 7) >= openPeriod ? today : `${openPeriod}-01`;
}

/**
 * A new consumer (R2.1, R2.2): kind, requisites and the first contract in one form, sent in one
 * request (nothing is kept unless both are accepted). The API's refusals show on their fields.
 */
export function NewConsumerPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const canEdit = useCanEdit();
  const options = useEditOptions();
  const [kind, setKind] = useState<(typeof KINDS)[number]>('legal');
  const [requisites, setRequisites] = useState<RequisitesForm>(requisitesOfCard());
  const [contract, setContract] = useState<ContractForm | null>(null);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!options || contract) return;
    setContract({
      ...termsOf(null, options),
      number: '',
      orgUnitId: options.districts[0]?.id ?? '',
      startDate: firstStart(options.openPeriod),
    });
  }, [options, contract]);

  /** Takes a form's new values and drops the refusals of the fields that changed. */
  const changed = <T extends object>(before: T, after: T) => {
    const keys: string[] = Object.keys(after).filter((k) => after[k as keyof T] !== before[k as keyof T]);
    if (!keys.some((k) => k in errors.fields)) return;
    const fields = Object.fromEntries(Object.entries(errors.fields).filter(([k]) => !keys.includes(k)));
    // With every marked field changed, the note above them goes too.
    setErrors({ fields, form: Object.keys(fields).length > 0 ? errors.form : null });
  };

  if (!canEdit)
    return (
      <Alert color="red" role="alert">
        {t('consumers.edit.notAllowed')}
      </Alert>
    );
  if (!options || !contract) return <Loader />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const card = await api<ConsumerCard>('POST', '/api/consumers', {
        kind,
        ...requisitesBody(requisites, kind),
        contract: contractBody(contract),
      });
      void navigate(`/consumers/${card.id}`);
    } catch (err) {
      setErrors(fieldErrorsOf(err, t, [...requisiteKeysFor(kind), ...CONTRACT_KEYS]));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid="new-consumer-form">
      <Stack>
        <Anchor component={Link} to="/consumers" size="sm">
          ← {t('consumers.backToSearch')}
        </Anchor>
        <Title order={2}>{t('consumers.edit.newConsumer')}</Title>
        {errors.form && (
          <Alert color="red" role="alert" data-testid="form-error">
            {errors.form}
          </Alert>
        )}
        <Section title={t('consumers.kind')}>
          <SegmentedControl
            value={kind}
            onChange={(k) => setKind(KINDS.find((x) => x === k) ?? 'legal')}
            data={KINDS.map((k) => ({ value: k, label: t(`consumers.kinds.${k}`) }))}
            data-testid="field-kind"
          />
        </Section>
        <Section title={t('consumers.tabs.details')}>
          <RequisitesFields
            kind={kind}
            value={requisites}
            onChange={(v) => {
              changed(requisites, v);
              setRequisites(v);
            }}
            errors={errors.fields}
            options={options}
          />
        </Section>
        <Section title={t('consumers.edit.firstContract')}>
          <Text size="sm" c="dimmed">
            {t('consumers.edit.firstContractHint')}
          </Text>
          <ContractFields
            commodity={options.commodity}
            value={contract}
            onChange={(v) => {
              changed(contract, v);
              setContract(v);
            }}
            errors={errors.fields}
            options={options}
          />
        </Section>
        <Group justify="flex-end">
          <Button variant="default" component={Link} to="/consumers">
            {t('consumers.edit.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="save-consumer">
            {t('consumers.edit.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
