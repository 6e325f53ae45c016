import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { errorMessage } from '../errors.ts';
import { type Column, DataTable } from '../table/DataTable.tsx';
import { UnitFilter } from './parts.tsx';
import type { Recovery, RecoveryStatus } from './types.ts';

const STATUS_COLOR: Record<RecoveryStatus, string> = {
  requested: 'yellow',
  confirmed: 'teal',
  rejected: 'red',
};

/**
 * Cabinet password recoveries (GET /api/cabinet-recoveries): staff check the consumer by the
 * contact given and approve (the INN opens the cabinet again, with a forced new password) or refuse.
 */
export function Recoveries() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { user } = useSession();
  const canWrite = user?.permissions.includes('consumer.write') ?? false;
  const [status, setStatus] = useState('requested');
  const [orgUnitId, setOrgUnitId] = useState('');
  const [changed, setChanged] = useState(0);
  const [deciding, setDeciding] = useState<{ row: Recovery; confirm: boolean } | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const decide = async () => {
    if (!deciding) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/api/cabinet-recoveries/${deciding.row.id}/decision`, {
        confirm: deciding.confirm,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setDone(
        t(deciding.confirm ? 'inbox.recoveries.confirmedOk' : 'inbox.recoveries.rejectedOk', {
          account: deciding.row.account,
        }),
      );
      setDeciding(null);
      setNote('');
      setChanged((x) => x + 1);
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const columns: Column<Recovery>[] = [
    {
      key: 'requestedAt',
      label: t('inbox.recoveries.requested'),
      sortable: true,
      render: (r) => formatDateTime(r.requestedAt, lang),
    },
    {
      key: 'account',
      label: t('inbox.col.consumer'),
      sortable: true,
      render: (r) => (
        <>
          <Text size="sm">{r.consumerName}</Text>
          <Text size="xs" c="dimmed">
            {r.account}
            {r.inn ? ` · ${t('inbox.inn', { inn: r.inn })}` : ''} · {r.orgUnit.name}
          </Text>
        </>
      ),
    },
    {
      key: 'status',
      label: t('inbox.col.status'),
      sortable: true,
      render: (r) => (
        <>
          <Badge color={STATUS_COLOR[r.status]} variant="light" tt="none">
            {t(`inbox.recoveries.status.${r.status}`)}
          </Badge>
          {r.decidedBy && (
            <Text size="xs" c="dimmed">
              {r.decidedBy}
              {r.note ? ` · ${r.note}` : ''}
            </Text>
          )}
        </>
      ),
    },
    ...(canWrite
      ? [
          {
            key: 'actions',
            label: '',
            render: (r: Recovery) =>
              r.status === 'requested' && (
                <Group gap={4} wrap="nowrap">
                  <Button
                    size="compact-sm"
                    color="teal"
                    onClick={() => setDeciding({ row: r, confirm: true })}
                  >
                    {t('inbox.recoveries.confirm')}
                  </Button>
                  <Button
                    size="compact-sm"
                    color="red"
                    variant="light"
                    onClick={() => setDeciding({ row: r, confirm: false })}
                  >
                    {t('inbox.recoveries.reject')}
                  </Button>
                </Group>
              ),
          },
        ]
      : []),
    { key: 'contact', label: t('inbox.recoveries.contact'), render: (r) => r.contact },
  ];

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('inbox.recoveries.help')}
      </Text>
      {done && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setDone(null)}>
          {done}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <NativeSelect
          label={t('inbox.col.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[
            { value: '', label: t('table.all') },
            ...(['requested', 'confirmed', 'rejected'] as const).map((s) => ({
              value: s,
              label: t(`inbox.recoveries.status.${s}`),
            })),
          ]}
        />
        <UnitFilter value={orgUnitId} onChange={setOrgUnitId} />
      </SimpleGrid>
      <DataTable<Recovery>
        endpoint="/api/cabinet-recoveries"
        filters={{ status, orgUnitId }}
        columns={columns}
        rowKey={(r) => r.id}
        defaultSort="requestedAt"
        defaultDir="desc"
        exportable
        reloadKey={changed}
        testId="recoveries-table"
        minWidth={720}
        empty={<Text c="dimmed">{t('inbox.recoveries.none')}</Text>}
      />
      <Modal
        opened={deciding !== null}
        onClose={() => setDeciding(null)}
        title={deciding?.confirm ? t('inbox.recoveries.confirmTitle') : t('inbox.recoveries.rejectTitle')}
      >
        {deciding && (
          <Stack>
            <Text size="sm">
              {deciding.row.consumerName} · {deciding.row.account} · {deciding.row.contact}
            </Text>
            <Text size="sm" c="dimmed">
              {deciding.confirm ? t('inbox.recoveries.confirmText') : t('inbox.recoveries.rejectText')}
            </Text>
            <Textarea
              label={t('inbox.recoveries.note')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              maxLength={500}
              autosize
              minRows={2}
            />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeciding(null)}>
                {t('inbox.cancel')}
              </Button>
              <Button color={deciding.confirm ? 'teal' : 'red'} loading={busy} onClick={() => void decide()}>
                {deciding.confirm ? t('inbox.recoveries.confirm') : t('inbox.recoveries.reject')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
