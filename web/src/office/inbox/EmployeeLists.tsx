import {
  Alert,
  Anchor,
  Badge,
  Button,
  Drawer,
  Group,
  LoadingOverlay,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { errorMessage } from '../errors.ts';
import { type Column, DataTable } from '../table/DataTable.tsx';
import { Field, UnitFilter } from './parts.tsx';
import type { EmployeeList, EmployeeListStatus, Verification } from './types.ts';

const STATUS_COLOR: Record<EmployeeListStatus, string> = {
  draft: 'gray',
  submitted: 'yellow',
  received: 'teal',
};

function ListStatus({ status }: { status: EmployeeListStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" tt="none">
      {t(`cabinet.employees.statuses.${status}`)}
    </Badge>
  );
}

/** One list: the consumer, the signer, the PDF and its .p7s, the signature checked again, receipt. */
function EmployeeListDrawer(props: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { user } = useSession();
  const narrow = useMediaQuery('(max-width: 48em)');
  const canWrite = user?.permissions.includes('application.write') ?? false;
  const [list, setList] = useState<EmployeeList | null>(null);
  const [check, setCheck] = useState<Verification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setList(null);
    setCheck(null);
    setError(null);
    if (!props.id) return;
    let live = true;
    api<EmployeeList>('GET', `/api/employee-lists/${props.id}`)
      .then((d) => live && setList(d))
      .catch((e: unknown) => live && setError(errorMessage(e, t)));
    return () => {
      live = false;
    };
  }, [props.id, t]);

  const verify = async () => {
    if (!list) return;
    setBusy(true);
    setError(null);
    try {
      setCheck(await api<Verification>('GET', `/api/employee-lists/${list.id}/verification`));
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };
  const receive = async () => {
    if (!list) return;
    setBusy(true);
    setError(null);
    try {
      setList(await api<EmployeeList>('POST', `/api/employee-lists/${list.id}/receipt`, {}));
      props.onChanged();
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      opened={props.id !== null}
      onClose={props.onClose}
      position="right"
      size={narrow ? '100%' : 'lg'}
      title={<Title order={3}>{t('inbox.lists.title', { id: props.id ?? '' })}</Title>}
      closeButtonProps={{ 'aria-label': t('inbox.close') }}
    >
      <Stack pos="relative" mih={120} data-testid="list-detail">
        <LoadingOverlay visible={!list && !error} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {list && (
          <>
            <Group justify="space-between">
              <Text fw={700}>{list.consumer.name}</Text>
              <ListStatus status={list.status} />
            </Group>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <Field label={t('inbox.col.contract')}>{list.account}</Field>
              <Field label={t('cabinet.account.inn')}>{list.consumer.inn ?? '—'}</Field>
              <Field label={t('inbox.lists.created')}>{formatDateTime(list.createdAt, lang)}</Field>
              <Field label={t('inbox.lists.employees')}>{list.rowCount}</Field>
              {list.signer && (
                <Field label={t('inbox.lists.signer')}>
                  {list.signer.commonName}
                  <Text size="xs" c="dimmed">
                    {t('inbox.inn', { inn: list.signer.inn })} · {list.signer.serialNumber}
                  </Text>
                </Field>
              )}
              {list.signedAt && (
                <Field label={t('inbox.lists.signedAt')}>{formatDateTime(list.signedAt, lang)}</Field>
              )}
              {list.receivedAt && (
                <Field label={t('inbox.lists.received')} testId="list-received">
                  {list.receivedBy} · {formatDateTime(list.receivedAt, lang)}
                </Field>
              )}
            </SimpleGrid>
            <Group gap="md">
              <Anchor href={`/api/employee-lists/${list.id}/pdf`} target="_blank" size="sm">
                {t('cabinet.employees.pdf')}
              </Anchor>
              {list.status !== 'draft' && (
                <Anchor href={`/api/employee-lists/${list.id}/signature`} size="sm" download>
                  {t('cabinet.employees.p7s')}
                </Anchor>
              )}
            </Group>
            <Group gap="xs">
              {list.status !== 'draft' && (
                <Button
                  variant="light"
                  onClick={() => void verify()}
                  loading={busy && !check}
                  data-testid="verify"
                >
                  {t('inbox.lists.verify')}
                </Button>
              )}
              {canWrite && list.status === 'submitted' && (
                <Button color="teal" onClick={() => void receive()} loading={busy} data-testid="receive">
                  {t('inbox.lists.receive')}
                </Button>
              )}
            </Group>
            {check && (
              <Alert
                color={check.valid ? 'teal' : 'red'}
                data-testid="verification"
                title={check.valid ? t('inbox.lists.valid') : t('inbox.lists.invalid')}
              >
                <Text size="sm">
                  {check.valid
                    ? t('inbox.lists.validText', {
                        name: check.signer?.commonName ?? '—',
                        inn: check.signer?.inn ?? '—',
                        at: check.signedAt ? formatDateTime(check.signedAt, lang) : '—',
                      })
                    : t(`inbox.lists.reasons.${check.reason ?? 'malformed'}`)}
                </Text>
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  SHA-256 {check.documentSha256} · {formatDateTime(check.checkedAt, lang)}
                </Text>
              </Alert>
            )}
            {list.rows && (
              <Table.ScrollContainer minWidth={480}>
                <Table striped fz="sm" data-testid="list-rows">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>№</Table.Th>
                      <Table.Th>{t('cabinet.employees.fields.fullName')}</Table.Th>
                      <Table.Th>{t('cabinet.employees.fields.position')}</Table.Th>
                      <Table.Th>{t('cabinet.employees.fields.pinfl')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.rows.map((r, i) => (
                      <Table.Tr key={r.pinfl}>
                        <Table.Td>{i + 1}</Table.Td>
                        <Table.Td>{r.fullName}</Table.Td>
                        <Table.Td>{r.position}</Table.Td>
                        <Table.Td>{r.pinfl}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </>
        )}
      </Stack>
    </Drawer>
  );
}

/** The employee lists per procedure No. 1031 of the user's units (GET /api/employee-lists). */
export function EmployeeLists() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const [status, setStatus] = useState('submitted');
  const [orgUnitId, setOrgUnitId] = useState('');
  const [opened, setOpened] = useState<string | null>(null);
  const [changed, setChanged] = useState(0);

  const columns: Column<EmployeeList>[] = [
    {
      key: 'createdAt',
      label: t('inbox.lists.created'),
      sortable: true,
      render: (r) => (
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => setOpened(r.id)}
          aria-label={t('inbox.lists.open', { id: r.id })}
        >
          № {r.id} · {formatDate(r.createdAt.slice(0, 10), lang)}
        </Anchor>
      ),
    },
    {
      key: 'account',
      label: t('inbox.col.consumer'),
      sortable: true,
      render: (r) => (
        <>
          <Text size="sm">{r.consumer.name}</Text>
          <Text size="xs" c="dimmed">
            {r.account}
            {r.orgUnit ? ` · ${r.orgUnit.name}` : ''}
          </Text>
        </>
      ),
    },
    {
      key: 'status',
      label: t('inbox.col.status'),
      sortable: true,
      render: (r) => <ListStatus status={r.status} />,
    },
    { key: 'rowCount', label: t('inbox.lists.employees'), align: 'right', render: (r) => r.rowCount },
    {
      key: 'submittedAt',
      label: t('inbox.lists.signedAt'),
      sortable: true,
      render: (r) => (r.submittedAt ? formatDateTime(r.submittedAt, lang) : '—'),
    },
    { key: 'receivedBy', label: t('inbox.lists.received'), render: (r) => r.receivedBy ?? '—' },
  ];

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <TextInput
          label={t('table.search')}
          placeholder={t('inbox.lists.searchHint')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <NativeSelect
          label={t('inbox.col.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[
            { value: '', label: t('table.all') },
            ...(['submitted', 'received', 'draft'] as const).map((s) => ({
              value: s,
              label: t(`cabinet.employees.statuses.${s}`),
            })),
          ]}
        />
        <UnitFilter value={orgUnitId} onChange={setOrgUnitId} />
      </SimpleGrid>
      <DataTable<EmployeeList>
        endpoint="/api/employee-lists"
        filters={{ q, status, orgUnitId }}
        columns={columns}
        rowKey={(r) => r.id}
        defaultSort="createdAt"
        defaultDir="desc"
        exportable
        reloadKey={changed}
        testId="lists-table"
        minWidth={760}
        empty={<Text c="dimmed">{t('inbox.lists.none')}</Text>}
      />
      <EmployeeListDrawer
        id={opened}
        onClose={() => setOpened(null)}
        onChanged={() => setChanged((x) => x + 1)}
      />
    </Stack>
  );
}
