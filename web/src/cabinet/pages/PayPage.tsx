import { Alert, Anchor, Button, Card, Group, Loader, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatDecimal, formatMoney } from '../../format.ts';
import { errorMessage } from '../../office/errors.ts';
import { Loaded, PageTitle } from '../parts.tsx';
import { useCabinet, useCabinetData } from '../session.tsx';
import type { PayIntent, PayProviders, Summary } from '../types.ts';

/** An amount as the consumer may type it: "150000", "150 000,50", "150000.5". */
const AMOUNT = /^\d{1,10}([.,]\d{1,2})?$/;

/** Online payment (R6 "online payment"): the amount, then the provider's checkout. */
export function PayPage() {
  const { t, i18n } = useTranslation();
  const cabinet = useCabinet();
  const summary = useCabinetData<Summary>('/api/cabinet/summary');
  const options = useCabinetData<PayProviders>('/api/cabinet/pay/providers');
  const [amount, setAmount] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lang = i18n.language;

  // The debt is offered as the amount; an advance or a settled account starts empty.
  const debt = summary.data && !summary.data.balance.startsWith('-') ? summary.data.balance : null;
  const suggested = debt && !/^0(\.0+)?$/.test(debt) ? debt.replace('.', lang === 'en' ? '.' : ',') : '';
  const value = amount ?? suggested;

  const pay = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    const typed = value.replace(/[\s\u00a0]/g, '');
    if (!AMOUNT.test(typed)) return setProblem(t('cabinet.pay.badAmount'));
    setBusy(true);
    try {
      const res = await cabinet.call<{ checkoutUrl: string }>('POST', '/api/cabinet/pay', {
        provider: 'payme',
        amount: typed.replace(',', '.'),
        lang,
      });
      window.location.assign(res.checkoutUrl);
    } catch (err) {
      setProblem(errorMessage(err, t));
      setBusy(false);
    }
  };

  return (
    <Loaded data={options.data} error={options.error}>
      {(o) => (
        <Stack maw={520}>
          <PageTitle title={t('cabinet.nav.pay')} at={summary.data?.dataAsOf} />
          {summary.data && (
            <Text data-testid="pay-balance">
              {t(debt && suggested ? 'cabinet.summary.debt' : 'cabinet.summary.settled')}:{' '}
              <b>{formatMoney(summary.data.balance.replace(/^-/, ''), lang)}</b>
            </Text>
          )}
          {o.providers.length === 0 ? (
            <Alert color="gray">{t('cabinet.pay.unavailable')}</Alert>
          ) : (
            <Card withBorder component="form" onSubmit={pay} noValidate>
              <Stack>
                <TextInput
                  label={t('cabinet.pay.amount')}
                  description={t('cabinet.pay.limits', {
                    min: formatDecimal(o.min, lang),
                    max: formatDecimal(o.max, lang),
                  })}
                  value={value}
                  onChange={(e) => setAmount(e.currentTarget.value)}
                  inputMode="decimal"
                  rightSection={<Text size="sm">{t('cabinet.pay.currency')}</Text>}
                  rightSectionWidth={50}
                  required
                  data-testid="pay-amount"
                />
                <Text size="sm" c="dimmed">
                  {t('cabinet.pay.via')}
                </Text>
                {problem && (
                  <Alert color="red" role="alert">
                    {problem}
                  </Alert>
                )}
                <Group>
                  <Button type="submit" loading={busy} data-testid="pay-submit">
                    {t('cabinet.pay.submit')}
                  </Button>
                </Group>
              </Stack>
            </Card>
          )}
        </Stack>
      )}
    </Loaded>
  );
}

/** How often the return page asks again: Payme confirms before it sends the consumer back, so a
 * pending payment gets a minute and one never started (cancelled in the checkout) a few seconds. */
const POLLS = { pending: 30, created: 3 } as const;

/** Whether the page still waits for the provider. */
const waiting = (i: PayIntent, polls: number) =>
  (i.status === 'pending' && polls < POLLS.pending) || (i.status === 'created' && polls < POLLS.created);

/** Where the provider sends the consumer back: the intent's outcome and, once paid, the receipt. */
export function PayResultPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const cabinet = useCabinet();
  const [intent, setIntent] = useState<PayIntent | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [polls, setPolls] = useState(0);
  const lang = i18n.language;

  // The provider's server may tell us a moment after the consumer is back: ask again for a minute.
  useEffect(() => {
    let live = true;
    cabinet
      .call<PayIntent>('GET', `/api/cabinet/pay/${encodeURIComponent(id)}`)
      .then((i) => {
        if (!live) return;
        setIntent(i);
        if (waiting(i, polls)) setTimeout(() => live && setPolls((n) => n + 1), 2000);
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id, polls, cabinet.call]);

  return (
    <Loaded data={intent} error={error}>
      {(i) => {
        const busy = waiting(i, polls);
        const notPaid = !busy && i.status !== 'paid';
        return (
          <Stack maw={560}>
            <PageTitle title={t('cabinet.pay.resultTitle')} />
            <Card withBorder data-testid="pay-result" data-status={i.status}>
              <Stack gap="xs">
                <Text size="xl" fw={700}>
                  {formatMoney(i.amount, lang)}
                </Text>
                {busy && (
                  <Group gap="xs">
                    <Loader size="xs" />
                    <Text>{t('cabinet.pay.waiting')}</Text>
                  </Group>
                )}
                {i.status === 'paid' && (
                  <Alert color="teal" role="status">
                    {t('cabinet.pay.paid')}
                  </Alert>
                )}
                {notPaid && (
                  <Alert color="orange" role="status">
                    {t(i.status === 'expired' ? 'cabinet.pay.expired' : 'cabinet.pay.cancelled')}
                  </Alert>
                )}
                <Group>
                  {i.paymentId && (
                    <Button
                      component="a"
                      href={`/api/cabinet/payments/${i.paymentId}/receipt?lang=${encodeURIComponent(lang)}`}
                      target="_blank"
                      rel="noopener"
                      data-testid="receipt"
                    >
                      {t('cabinet.pay.receipt')}
                    </Button>
                  )}
                  {notPaid && (
                    <Button component={Link} to="/cabinet/pay" variant="light">
                      {t('cabinet.pay.again')}
                    </Button>
                  )}
                  <Anchor component={Link} to="/cabinet">
                    {t('cabinet.pay.toSummary')}
                  </Anchor>
                </Group>
              </Stack>
            </Card>
          </Stack>
        );
      }}
    </Loaded>
  );
}
