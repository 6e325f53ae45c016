import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatMoney } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { ContractPicker } from './ContractPicker.tsx';
import type { BookResult, ContractHit, Desk } from './types.ts';

/**
 * An amount as the cashier typed it, as the API's exact text: spaces (also no-break ones) go, a
 * decimal comma becomes a point. Never parsed into a number.
 */
export function normaliseAmount(typed: string): string {
  return typed.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
}

const AMOUNT = /^(?!0+(\.0{1,2})?$)\d{1,13}(\.\d{1,2})?$/;

/** The cash-desk form (R5): contract, amount, date, cash or manual, receipt number, note. */
export function NewPayment(props: {
  desk: Desk;
  onBooked: (r: BookResult) => void;
  onShowList: (q: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [contract, setContract] = useState<ContractHit | null>(null);
  const [amount, setAmount] = useState('');
  const [paidOn, setPaidOn] = useState(props.desk.today);
  // Only the desk channels the reference data keeps active are offered.
  const offered = (['cash', 'manual'] as const).filter((c) =>
    props.desk.channels.some((x) => x.code === c && x.active),
  );
  const [channel, setChannel] = useState<'cash' | 'manual'>(offered[0] ?? 'cash');
  const [document, setDocument] = useState('');
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<BookResult | null>(null);

  const money = normaliseAmount(amount);
  const invalid = {
    contract: contract ? null : t('payments.book.chooseContract'),
    amount: AMOUNT.test(money) ? null : t('payments.book.amountInvalid'),
    paidOn: /^\d{4}-\d{2}-\d{2}$/.test(paidOn) ? null : t('payments.book.required'),
    document: document.trim() ? null : t('payments.book.required'),
  };
  const shown = (k: keyof typeof invalid) => (touched ? invalid[k] : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.values(invalid).some(Boolean) || !contract) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api<BookResult>('POST', '/api/payments', {
        contractId: contract.id,
        amount: money,
        paidOn,
        channel,
        document: document.trim(),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setResult(r);
      props.onBooked(r);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    setResult(null);
    setContract(null);
    setAmount('');
    setDocument('');
    setNote('');
    setTouched(false);
  };

  if (result) {
    const p = result.payment;
    return (
      <Paper withBorder p="md" maw={560}>
        <Stack>
          <Alert color={result.duplicate ? 'yellow' : 'teal'} data-testid="book-result">
            <Stack gap={4}>
              <Text fw={700}>
                {t(result.duplicate ? 'payments.book.duplicate' : 'payments.book.done', { id: p.id })}
              </Text>
              <Text size="sm">
                {p.contract?.number} · {p.consumerName} · {formatMoney(p.amount, lang)}
              </Text>
              {!result.duplicate && (
                <Text size="sm">
                  {t('payments.book.allocated', { amount: formatMoney(result.allocated, lang) })}
                </Text>
              )}
            </Stack>
          </Alert>
          <Group>
            <Button onClick={again}>{t('payments.book.another')}</Button>
            <Button variant="light" onClick={() => props.onShowList(p.externalId)}>
              {t('payments.book.openList')}
            </Button>
            <Anchor
              href={`/api/payments/${p.id}/receipt?lang=${encodeURIComponent(lang)}`}
              target="_blank"
              rel="noopener"
            >
              {t('payments.detail.receipt')}
            </Anchor>
          </Group>
        </Stack>
      </Paper>
    );
  }

  return (
    <Paper withBorder p="md" maw={560}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Title order={3}>{t('payments.book.title')}</Title>
          {error && (
            <Alert color="red" role="alert" data-testid="book-error">
              {error}
            </Alert>
          )}
          <ContractPicker value={contract} onChange={setContract} error={shown('contract')} />
          <TextInput
            label={t('payments.book.amount')}
            description={t('payments.book.amountHint')}
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            inputMode="decimal"
            autoComplete="off"
            error={shown('amount')}
            name="amount"
            required
          />
          <TextInput
            type="date"
            label={t('payments.book.paidOn')}
            value={paidOn}
            max={props.desk.today}
            onChange={(e) => setPaidOn(e.currentTarget.value)}
            error={shown('paidOn')}
            name="paidOn"
            required
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('payments.book.channel')}
            </Text>
            {offered.length > 0 ? (
              <SegmentedControl
                value={channel}
                onChange={(v) => setChannel(v === 'manual' ? 'manual' : 'cash')}
                data={offered.map((c) => ({ value: c, label: t(`cabinet.channels.${c}`) }))}
                data-testid="book-channel"
              />
            ) : (
              <Text size="sm" c="red" data-testid="no-channels">
                {t('payments.book.noChannels')}
              </Text>
            )}
          </Stack>
          <TextInput
            label={t('payments.book.document')}
            description={t('payments.book.documentHint')}
            value={document}
            onChange={(e) => setDocument(e.currentTarget.value)}
            error={shown('document')}
            maxLength={64}
            name="document"
            required
          />
          <Textarea
            label={t('payments.book.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={2}
            name="note"
          />
          <Group>
            <Button type="submit" loading={busy} disabled={offered.length === 0} data-testid="book-submit">
              {t('payments.book.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
