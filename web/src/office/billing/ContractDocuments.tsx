import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDateTime, formatPeriod } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { errorMessage } from '../errors.ts';
import type { ContractDocumentVersion } from './documents-types.ts';
import type { PeriodList } from './types.ts';

/**
 * The signed documents of one contract for a closed period (decision 017): every archived version
 * of its invoice and act per language, current and superseded, with the PDF and .p7s, and a
 * re-issue (billing.run) when the supplier's requisites or certificate changed. Meant for the
 * consumer card's contract view: `<ContractDocuments contractId={contract.id} />`.
 */
export function ContractDocuments({ contractId }: { contractId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { user } = useSession();
  const canRun = user?.permissions.includes('billing.run') ?? false;
  const [periods, setPeriods] = useState<string[]>([]);
  const [period, setPeriod] = useState('');
  const [items, setItems] = useState<ContractDocumentVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [target, setTarget] = useState<ContractDocumentVersion | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<PeriodList>('GET', '/api/periods')
      .then((r) => {
        const closed = r.items.filter((p) => p.status === 'closed').map((p) => p.period);
        setPeriods(closed);
        setPeriod((p) => p || (closed[0] ?? ''));
      })
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [t]);

  const base = `/api/periods/${period}/documents/contracts/${contractId}`;
  const load = useCallback(async () => {
    if (!period) return;
    const r = await api<{ items: ContractDocumentVersion[] }>('GET', base);
    setItems(r.items);
  }, [base, period]);

  useEffect(() => {
    load().catch((e: unknown) => setError(errorMessage(e, t)));
  }, [load, t]);

  const reissue = async () => {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      const made = await api<ContractDocumentVersion>('POST', `${base}/reissue`, {
        kind: target.kind,
        lang: target.lang,
        reason,
      });
      setDone(t('billing.documents.reissued', { version: made.version }));
      setTarget(null);
      setReason('');
      await load();
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  if (periods.length === 0) return null;

  return (
    <Card withBorder data-testid="contract-documents">
      <Stack>
        <Group justify="space-between" align="end" wrap="wrap">
          <Title order={4}>
            {t('billing.documents.contractTitle', { period: formatPeriod(period, lang) })}
          </Title>
          <NativeSelect
            label={t('billing.col.period')}
            value={period}
            onChange={(e) => setPeriod(e.currentTarget.value)}
            data={periods.map((p) => ({ value: p, label: formatPeriod(p, lang) }))}
          />
        </Group>
        {error && (
          <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>
            {error}
          </Alert>
        )}
        {done && (
          <Alert color="teal" role="status" withCloseButton onClose={() => setDone(null)}>
            {done}
          </Alert>
        )}
        {items && items.length === 0 && <Text c="dimmed">{t('billing.documents.none')}</Text>}
        {items && items.length > 0 && (
          <Table.ScrollContainer minWidth={640}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('billing.documents.kind.invoice')}</Table.Th>
                  <Table.Th>{t('billing.documents.language')}</Table.Th>
                  <Table.Th>{t('billing.documents.version')}</Table.Th>
                  <Table.Th>{t('billing.documents.signedAt')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>{t(`billing.documents.kind.${d.kind}`)}</Table.Td>
                    <Table.Td>{t(`billing.documents.lang.${d.lang}`)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs">
                        <Text size="sm">{d.version}</Text>
                        {d.current ? (
                          <Badge variant="light" color="teal">
                            {t('billing.documents.current')}
                          </Badge>
                        ) : (
                          <Badge variant="light" color="gray">
                            {t('billing.documents.superseded', {
                              at: d.supersededAt ? formatDateTime(d.supersededAt, lang) : '',
                            })}
                          </Badge>
                        )}
                      </Group>
                      {d.reason && (
                        <Text size="xs" c="dimmed">
                          {d.reason}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{formatDateTime(d.signedAt, lang)}</Table.Td>
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <Anchor href={`${base}/files/${d.id}`} target="_blank" size="sm">
                          PDF
                        </Anchor>
                        <Anchor href={`${base}/files/${d.id}/signature`} download size="sm">
                          .p7s
                        </Anchor>
                        {canRun && d.current && (
                          <Button size="compact-xs" variant="subtle" onClick={() => setTarget(d)}>
                            {t('billing.documents.reissue')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <Modal
        opened={target !== null}
        onClose={() => setTarget(null)}
        title={t('billing.documents.reissueTitle', {
          kind: target ? t(`billing.documents.kind.${target.kind}`) : '',
        })}
      >
        <Stack>
          <Text size="sm">{t('billing.documents.reissueText')}</Text>
          <Textarea
            label={t('billing.documents.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            minLength={5}
            maxLength={500}
            required
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setTarget(null)}>
              {t('billing.cancel')}
            </Button>
            <Button onClick={() => void reissue()} loading={busy} disabled={reason.trim().length < 5}>
              {t('billing.documents.reissueConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
