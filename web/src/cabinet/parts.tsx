import { Alert, Center, Group, Loader, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format.ts';
import { errorMessage } from '../office/errors.ts';

/** The "data as of" stamp every cabinet figure carries (R6). */
export function DataAsOf({ at }: { at: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Text size="xs" c="dimmed" data-testid="data-as-of">
      {t('cabinet.dataAsOf', { at: formatDateTime(at, i18n.language) })}
    </Text>
  );
}

/** A page's title with its data stamp. */
export function PageTitle({ title, at }: { title: string; at?: string | undefined }) {
  return (
    <Group justify="space-between" align="baseline" mb="md">
      <Title order={2}>{title}</Title>
      {at && <DataAsOf at={at} />}
    </Group>
  );
}

/** Loading, or the error of loading, or the page. */
export function Loaded<T>(props: { data: T | null; error: unknown; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (props.error)
    return (
      <Alert color="red" role="alert">
        {errorMessage(props.error, t)}
      </Alert>
    );
  if (props.data === null)
    return (
      <Center p="xl">
        <Loader aria-label={t('cabinet.loading')} />
      </Center>
    );
  return <>{props.children(props.data)}</>;
}

/** The name of a meter register: a heat meter's 1.8.0 is heat energy, an electricity meter's active energy. */
export function registerName(t: TFunction, obis: string, commodity: 'electricity' | 'heat' | string): string {
  if (commodity === 'heat' && obis === '1.8.0') return t('cabinet.obis.heat');
  return t(`cabinet.obis.${obis.replaceAll('.', '_')}`);
}
