import { Alert, Button, Card, Group, Loader, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../errors.ts';
import type { ContractHit } from './types.ts';

/**
 * Finds a contract the user may book payments to (GET /api/payments/contracts: by number prefix,
 * consumer name or INN, within the user's org units) and lets one be chosen.
 */
export function ContractPicker(props: {
  value: ContractHit | null;
  onChange: (c: ContractHit | null) => void;
  error?: string | null;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 250);
  const [hits, setHits] = useState<ContractHit[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (query.length < 2) {
      setHits(null);
      return;
    }
    let live = true;
    setLoading(true);
    api<{ items: ContractHit[] }>('GET', `/api/payments/contracts?q=${encodeURIComponent(query)}&limit=10`)
      .then((r) => {
        if (!live) return;
        setHits(r.items);
        setError(null);
      })
      .catch((e: unknown) => live && setError(errorMessage(e, t)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [query, t]);

  if (props.value) {
    const c = props.value;
    return (
      <Card withBorder padding="sm" data-testid="contract-chosen">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text fw={700}>{c.number}</Text>
            <Text size="sm">{c.consumerName}</Text>
            <Text size="xs" c="dimmed">
              {[c.inn, c.orgUnit.name].filter(Boolean).join(' · ')}
            </Text>
          </Stack>
          <Button variant="subtle" size="xs" onClick={() => props.onChange(null)}>
            {t('payments.book.change')}
          </Button>
        </Group>
      </Card>
    );
  }
  return (
    <Stack gap="xs">
      <TextInput
        label={t('payments.book.contract')}
        placeholder={t('payments.book.search')}
        description={t('payments.book.searchHint')}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        rightSection={loading ? <Loader size="xs" /> : null}
        error={props.error ?? undefined}
        data-testid="contract-search"
        autoComplete="off"
      />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {hits && hits.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('payments.book.noContracts')}
        </Text>
      )}
      {hits && hits.length > 0 && (
        <Stack gap={4} data-testid="contract-hits">
          {hits.map((c) => (
            <UnstyledButton
              key={c.id}
              onClick={() => props.onChange(c)}
              p="xs"
              style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }}
            >
              <Group gap="xs" wrap="nowrap">
                <Text fw={700} size="sm">
                  {c.number}
                </Text>
                <Text size="sm" truncate>
                  {c.consumerName}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                {c.orgUnit.name}
              </Text>
            </UnstyledButton>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
