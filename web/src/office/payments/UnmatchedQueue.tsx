import { Alert, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDate, formatMoney } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { ContractPicker } from './ContractPicker.tsx';
import { useChannelName } from './PaymentDetail.tsx';
import type { ContractHit, UnmatchedPayment } from './types.ts';

/**
 * Bank and post payments whose contract was not found (GET /api/payments/unmatched, company level),
 * oldest first; "Match" chooses the contract and books the payment to it
 * (POST /api/payments/:id/match).
 */
export function UnmatchedQueue(props: { canWrite: boolean; onMatched: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const channelName = useChannelName();
  const [data, setData] = useState<{ items: UnmatchedPayment[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [matching, setMatching] = useState<UnmatchedPayment | null>(null);
  const [contract, setContract] = useState<ContractHit | null>(null);
  const [busy, setBusy] = useState(false);
  const [matchError, setMatchError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick reloads after a match
  useEffect(() => {
    let live = true;
    api<{ items: UnmatchedPayment[]; total: number }>('GET', '/api/payments/unmatched?limit=200')
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(errorMessage(e, t)));
    return () => {
      live = false;
    };
  }, [t, tick]);

  const startMatch = (p: UnmatchedPayment) => {
    setMatching(p);
    setContract(null);
    setMatchError(null);
  };

  const match = async () => {
    if (!matching || !contract) return;
    setBusy(true);
    setMatchError(null);
    try {
      const r = await api<{ payment: { contractNumber: string }; allocated: string }>(
        'POST',
        `/api/payments/${matching.id}/match`,
        { contractNumber: contract.number },
      );
      setDone(
        t('payments.unmatched.matched', {
          number: r.payment.contractNumber,
          amount: formatMoney(r.allocated, lang),
        }),
      );
      setMatching(null);
      setTick((x) => x + 1);
      props.onMatched();
    } catch (e) {
      setMatchError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Text c="dimmed">{t('payments.unmatched.intro')}</Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {done && (
        <Alert color="teal" withCloseButton onClose={() => setDone(null)} data-testid="match-done">
          {done}
        </Alert>
      )}
      {data && data.items.length === 0 && (
        <Text data-testid="unmatched-empty">{t('payments.unmatched.empty')}</Text>
      )}
      {data && data.items.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover data-testid="unmatched-table">
            <Table.Thead>
              <Table.Tr>
                {props.canWrite && <Table.Th />}
                <Table.Th>{t('payments.col.paidOn')}</Table.Th>
                <Table.Th ta="right">{t('payments.col.amount')}</Table.Th>
                <Table.Th>{t('payments.detail.payer')}</Table.Th>
                <Table.Th>{t('payments.unmatched.purpose')}</Table.Th>
                <Table.Th>{t('payments.col.channel')}</Table.Th>
                <Table.Th>{t('payments.unmatched.file')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((p) => (
                <Table.Tr key={p.id}>
                  {props.canWrite && (
                    <Table.Td>
                      <Button size="xs" variant="light" onClick={() => startMatch(p)}>
                        {t('payments.unmatched.match')}
                      </Button>
                    </Table.Td>
                  )}
                  <Table.Td>{formatDate(p.paidOn, lang)}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {formatMoney(p.amount, lang)}
                  </Table.Td>
                  <Table.Td>{p.payer ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {p.purpose ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{channelName(p.channel)}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{p.batch?.fileName ?? '—'}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={matching !== null}
        onClose={() => setMatching(null)}
        title={t('payments.unmatched.matchTitle', { id: matching?.id ?? '' })}
        closeButtonProps={{ 'aria-label': t('payments.close') }}
      >
        {matching && (
          <Stack>
            <Text size="sm">
              {formatDate(matching.paidOn, lang)} · {formatMoney(matching.amount, lang)} ·{' '}
              {matching.payer ?? ''}
            </Text>
            {matching.purpose && (
              <Text size="xs" c="dimmed">
                {matching.purpose}
              </Text>
            )}
            {matchError && (
              <Alert color="red" role="alert">
                {matchError}
              </Alert>
            )}
            <ContractPicker value={contract} onChange={setContract} />
            <Group justify="flex-end">
              <Button variant="subtle" onClick={() => setMatching(null)}>
                {t('payments.reverse.cancel')}
              </Button>
              <Button disabled={!contract} loading={busy} onClick={() => void match()}>
                {contract
                  ? t('payments.unmatched.confirm', { number: contract.number })
                  : t('payments.unmatched.match')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
