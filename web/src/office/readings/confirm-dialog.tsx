import {
  Alert,
  Button,
  Code,
  FileInput,
  Group,
  Loader,
  Modal,
  PasswordInput,
  ScrollArea,
  Stack,
  Text,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { type Confirmation, fromBase64, type PreparedConfirmation, toBase64 } from './confirm-types.ts';

// R3.4: the confirming user signs the confirmation document with their personal key file. The
// server prepares the document (a draft with its exact bytes); here the .pfx is opened with its
// password and those bytes are signed with WebCrypto (web/src/cabinet/pfx-sign.ts, loaded only
// now, so pkijs stays out of the main bundle). Only the signature is sent: the key file and its
// password never leave the browser. See docs/decisions/013-reading-confirmation.md.

type Step =
  | { kind: 'preparing' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; draft: PreparedConfirmation; text: string }
  | { kind: 'done'; confirmation: Confirmation };

/** The dialog: prepare the document of `readingIds`, sign it with the key file, show the result. */
export function ConfirmDialog(props: {
  readingIds: string[] | null;
  onClose: () => void;
  onConfirmed: () => void;
}) {
  const { t, i18n } = useTranslation();
  const narrow = useMediaQuery('(max-width: 48em)');
  const [step, setStep] = useState<Step>({ kind: 'preparing' });
  const [keyFile, setKeyFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = props.readingIds;

  // biome-ignore lint/correctness/useExhaustiveDependencies: prepared once per opening
  useEffect(() => {
    if (!ids) return;
    let live = true;
    setStep({ kind: 'preparing' });
    setProblem(null);
    setPassword('');
    api<PreparedConfirmation>('POST', '/api/readings/confirmations', { readingIds: ids, lang: i18n.language })
      .then((draft) => {
        if (!live) return;
        setStep({ kind: 'ready', draft, text: new TextDecoder().decode(fromBase64(draft.document)) });
      })
      .catch((e: unknown) => live && setStep({ kind: 'failed', message: errorMessage(e, t) }));
    return () => {
      live = false;
    };
  }, [ids]);

  const sign = async (e: FormEvent) => {
    e.preventDefault();
    if (step.kind !== 'ready') return;
    setProblem(null);
    if (!keyFile || password === '') return setProblem(t('confirm.dialog.needKey'));
    setBusy(true);
    try {
      const [{ openPfx, signDetached }, file] = await Promise.all([
        import('../../cabinet/pfx-sign.ts'),
        keyFile.arrayBuffer(),
      ]);
      const identity = await openPfx(new Uint8Array(file), password);
      const signature = await signDetached(identity, fromBase64(step.draft.document));
      const confirmation = await api<Confirmation>(
        'POST',
        `/api/readings/confirmations/${step.draft.id}/signature`,
        { signature: toBase64(signature) },
      );
      setPassword('');
      setStep({ kind: 'done', confirmation });
      props.onConfirmed();
    } catch (err) {
      const pfxProblem =
        err instanceof Error && err.name === 'PfxError' ? (err as { problem?: string }).problem : null;
      setProblem(pfxProblem ? t(`confirm.problems.${pfxProblem}`) : errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={ids !== null}
      onClose={props.onClose}
      title={t('confirm.dialog.title')}
      size="xl"
      fullScreen={narrow}
    >
      {step.kind === 'preparing' && (
        <Group>
          <Loader size="sm" />
          <Text>{t('confirm.dialog.preparing')}</Text>
        </Group>
      )}
      {step.kind === 'failed' && (
        <Stack>
          <Alert color="red" role="alert" data-testid="confirm-problem">
            {step.message}
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('confirm.dialog.close')}
            </Button>
          </Group>
        </Stack>
      )}
      {step.kind === 'ready' && (
        <form onSubmit={sign} noValidate>
          <Stack>
            <Text size="sm">{t('confirm.dialog.intro', { count: step.draft.readingCount })}</Text>
            <ScrollArea.Autosize mah={narrow ? 260 : 320} type="auto">
              <Code block data-testid="confirm-document" style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>
                {step.text}
              </Code>
            </ScrollArea.Autosize>
            <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
              SHA-256: {step.draft.sha256}
            </Text>
            <FileInput
              label={t('confirm.dialog.keyFile')}
              description={t('confirm.dialog.keyHint')}
              name="keyFile"
              accept=".pfx,.p12,application/x-pkcs12"
              value={keyFile}
              onChange={setKeyFile}
            />
            <PasswordInput
              label={t('confirm.dialog.password')}
              name="keyPassword"
              autoComplete="off"
              value={password}
              onChange={(ev) => setPassword(ev.currentTarget.value)}
            />
            {problem && (
              <Alert color="red" role="alert" data-testid="confirm-problem">
                {problem}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                {t('confirm.dialog.cancel')}
              </Button>
              <Button type="submit" loading={busy}>
                {t('confirm.dialog.sign')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {step.kind === 'done' && (
        <Stack>
          <Alert color="teal" title={t('confirm.done.title')} data-testid="confirm-done">
            {t('confirm.done.text', {
              count: step.confirmation.readingCount,
              name: step.confirmation.signer?.commonName ?? '',
              at: step.confirmation.confirmedAt
                ? formatDateTime(step.confirmation.confirmedAt, i18n.language)
                : '',
            })}
          </Alert>
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
            {step.confirmation.signer?.subject} · {t('confirm.done.serial')}:{' '}
            {step.confirmation.signer?.serialNumber}
          </Text>
          <Group justify="space-between" wrap="wrap">
            <Group gap="sm">
              <a href={`/api/readings/confirmations/${step.confirmation.id}/document`} download>
                {t('confirm.history.document')}
              </a>
              <a href={`/api/readings/confirmations/${step.confirmation.id}/p7s`} download>
                {t('confirm.history.p7s')}
              </a>
            </Group>
            <Button onClick={props.onClose}>{t('confirm.dialog.close')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
