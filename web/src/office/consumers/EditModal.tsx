import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { type FieldErrors, fieldErrorsOf, NO_ERRORS } from './edit-forms.ts';
import type { ConsumerCard } from './types.ts';

/**
 * A modal form of the consumer card: it sends one request, hands the card the API answers with to
 * `onSaved`, and shows a refusal on its fields (or above them).
 */
export function EditModal(props: {
  opened: boolean;
  title: string;
  testId: string;
  onClose: () => void;
  onSaved: (card: ConsumerCard) => void;
  request: () => { method: 'POST' | 'PUT' | 'PATCH'; url: string; body: unknown } | null;
  /** The fields the form shows: a refusal of another one shows above them. */
  fields: readonly string[];
  children: (errors: Record<string, string>) => ReactNode;
  submitLabel?: string;
  size?: string;
}) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setErrors(NO_ERRORS);
    props.onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const req = props.request();
    if (!req) {
      close();
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const card = await api<ConsumerCard>(req.method, req.url, req.body);
      setErrors(NO_ERRORS);
      props.onSaved(card);
    } catch (err) {
      setErrors(fieldErrorsOf(err, t, props.fields));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={props.opened} onClose={close} title={props.title} size={props.size ?? 'lg'}>
      <form onSubmit={submit} noValidate data-testid={props.testId}>
        <Stack>
          {errors.form && (
            <Alert color="red" role="alert" data-testid="form-error">
              {errors.form}
            </Alert>
          )}
          {props.children(errors.fields)}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('consumers.edit.cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid={`${props.testId}-save`}>
              {props.submitLabel ?? t('consumers.edit.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
