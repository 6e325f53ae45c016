import {
  Badge,
  Button,
  Code,
  Group,
  Modal,
  NativeSelect,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format.ts';
import { DataTable } from '../table/DataTable.tsx';

type AuditRow = {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
};

/** Groups of actions to filter by: the part of the action before the first dot. */
const GROUPS = [
  'reading',
  'payment',
  'bill',
  'bill_run',
  'period',
  'consumer',
  'contract',
  'application',
  'user',
  'reference',
  'document_template',
  'document',
  'claim',
  'sms',
];

const show = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Field by field: before, after, and whether it changed. */
function diff(
  before: unknown,
  after: unknown,
): { key: string; before: string; after: string; changed: boolean }[] {
  const b = before && typeof before === 'object' ? (before as Record<string, unknown>) : {};
  const a = after && typeof after === 'object' ? (after as Record<string, unknown>) : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((key) => ({
    key,
    before: show(b[key]),
    after: show(a[key]),
    changed: show(b[key]) !== show(a[key]),
  }));
}

/** The audit viewer (issue 6 point 7): every change with who, when, before and after; filters; XLSX. */
export function AuditArea() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [group, setGroup] = useState('');
  const [entityId, setEntityId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [open, setOpen] = useState<AuditRow | null>(null);
  const who = (r: AuditRow) =>
    r.actorName ?? `${t(`audit.actor.${r.actorType}`)}${r.actorId ? ` ${r.actorId}` : ''}`;
  return (
    <Stack>
      <Title order={2}>{t('nav.audit')}</Title>
      <Group align="end" wrap="wrap">
        <NativeSelect
          label={t('audit.group')}
          value={group}
          onChange={(e) => setGroup(e.currentTarget.value)}
          data={[
            { value: '', label: t('table.all') },
            ...GROUPS.map((g) => ({ value: g, label: t(`audit.groups.${g}`) })),
          ]}
        />
        <TextInput
          label={t('audit.entityId')}
          value={entityId}
          onChange={(e) => setEntityId(e.currentTarget.value.trim())}
          w={140}
        />
        <TextInput
          type="date"
          label={t('table.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('table.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
      </Group>
      <DataTable<AuditRow>
        endpoint="/api/audit"
        filters={{
          actionPrefix: group ? `${group}.` : undefined,
          entityId: entityId || undefined,
          from: from || undefined,
          to: to || undefined,
        }}
        defaultSort="at"
        defaultDir="desc"
        rowKey={(r) => r.id}
        exportable
        testId="audit"
        columns={[
          { key: 'at', label: t('audit.at'), sortable: true, render: (r) => formatDateTime(r.at, lang) },
          { key: 'who', label: t('audit.who'), render: who },
          { key: 'action', label: t('audit.action'), render: (r) => <Code>{r.action}</Code> },
          {
            key: 'entity',
            label: t('audit.entity'),
            render: (r) => `${r.entity}${r.entityId ? ` #${r.entityId}` : ''}`,
          },
          {
            key: 'changes',
            label: t('audit.changes'),
            render: (r) => (
              <Button size="compact-xs" variant="subtle" onClick={() => setOpen(r)}>
                {t('audit.fields', { count: diff(r.before, r.after).filter((d) => d.changed).length })}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        size="xl"
        title={open ? `${open.action} · ${open.entity} #${open.entityId ?? ''}` : ''}
      >
        {open && (
          <Stack>
            <Text size="sm">
              {formatDateTime(open.at, lang)} · {who(open)}
              {open.ip ? ` · IP ${open.ip}` : ''}
              {open.requestId ? ` · ${open.requestId}` : ''}
            </Text>
            {diff(open.before, open.after).length === 0 && <Text c="dimmed">{t('audit.noFields')}</Text>}
            <ScrollArea>
              <Table withTableBorder data-testid="audit-diff">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('audit.field')}</Table.Th>
                    <Table.Th>{t('audit.before')}</Table.Th>
                    <Table.Th>{t('audit.after')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {diff(open.before, open.after).map((d) => (
                    <Table.Tr key={d.key} bg={d.changed ? 'var(--mantine-color-yellow-light)' : undefined}>
                      <Table.Td>
                        <Code>{d.key}</Code>
                      </Table.Td>
                      <Table.Td style={{ wordBreak: 'break-word' }}>{d.before}</Table.Td>
                      <Table.Td style={{ wordBreak: 'break-word' }}>
                        {d.after}
                        {d.changed && d.before !== '' && (
                          <Badge ml="xs" size="xs" color="yellow" variant="light">
                            {t('audit.changed')}
                          </Badge>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
