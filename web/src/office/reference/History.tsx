import { Alert, Button, Code, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import type { Change } from './types.ts';

/** A JSON value as compact text for the history table. */
function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  return JSON.stringify(v, null, 1).replace(/\n\s*/g, ' ');
}

/** A button that opens the change history of one entry: who, when, before and after. */
export function HistoryButton(props: { entity: string; id: string; label?: string }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Change[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    setOpen(true);
    setItems(null);
    api<{ items: Change[] }>(
      'GET',
      `/api/reference/history?${new URLSearchParams({ entity: props.entity, id: props.id })}`,
    )
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(errorMessage(e, t)));
  };

  return (
    <>
      <Button size="compact-xs" variant="subtle" onClick={load}>
        {props.label ?? t('reference.history')}
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('reference.historyOf', { id: props.id })}
        size="xl"
      >
        <Stack>
          {error && <Alert color="red">{error}</Alert>}
          {!items && !error && <Loader size="sm" />}
          {items && items.length === 0 && <Text c="dimmed">{t('reference.noHistory')}</Text>}
          {items && items.length > 0 && (
            <Table.ScrollContainer minWidth={600}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('reference.when')}</Table.Th>
                    <Table.Th>{t('reference.who')}</Table.Th>
                    <Table.Th>{t('reference.before')}</Table.Th>
                    <Table.Th>{t('reference.after')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((c) => (
                    <Table.Tr key={`${c.at}-${c.action}`}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(c.at, i18n.language)}
                        <Text size="xs" c="dimmed">
                          {c.action}
                        </Text>
                      </Table.Td>
                      <Table.Td>{c.actor}</Table.Td>
                      <Table.Td>
                        <Code block>{show(c.before)}</Code>
                      </Table.Td>
                      <Table.Td>
                        <Code block>{show(c.after)}</Code>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      </Modal>
    </>
  );
}
