import { Badge, Stack, Text, Tooltip } from '@mantine/core';
import type { TFunction } from 'i18next';
import { formatDate, formatDateTime, formatDecimal } from '../../format.ts';
import type { Column } from '../table/DataTable.tsx';
import type { ReadingRow } from './types.ts';

const STATUS_COLOR: Record<ReadingRow['status'], string> = {
  submitted: 'blue',
  suspect: 'orange',
  accepted: 'teal',
  rejected: 'gray',
};

/** A reading's status, with the VEE rule that made it suspect. */
export function StatusBadge(props: { status: ReadingRow['status']; veeCode: string | null; t: TFunction }) {
  const { status, veeCode, t } = props;
  return (
    <Stack gap={2} align="flex-start">
      <Badge color={STATUS_COLOR[status]} variant="light" miw="max-content" data-testid="reading-status">
        {t(`readings.status.${status}`)}
      </Badge>
      {veeCode && (
        <Tooltip label={t(`readings.veeHint.${veeCode}`, { defaultValue: '' })} multiline w={260} withArrow>
          <Text size="xs" c="orange.8" data-testid="reading-vee">
            {t(`readings.vee.${veeCode}`, { defaultValue: veeCode })}
          </Text>
        </Tooltip>
      )}
    </Stack>
  );
}

/** The columns every readings table shows. */
export function readingColumns(t: TFunction, lang: string): Column<ReadingRow>[] {
  return [
    {
      key: 'readOn',
      label: t('readings.col.readOn'),
      sortable: true,
      render: (r) => formatDate(r.readOn, lang),
    },
    {
      key: 'contract',
      label: t('readings.col.contract'),
      sortable: true,
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm" fw={600}>
            {r.contract.number}
          </Text>
          <Text size="xs" c="dimmed" lineClamp={1}>
            {r.consumerName}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'meter',
      label: t('readings.col.meter'),
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm">{r.meterSerial}</Text>
          <Text size="xs" c="dimmed">
            {r.obis}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'value',
      label: t('readings.col.value'),
      align: 'right',
      render: (r) => (
        <Text size="sm" fw={600} ff="monospace">
          {formatDecimal(r.value, lang)}
        </Text>
      ),
    },
    {
      key: 'previous',
      label: t('readings.col.previous'),
      align: 'right',
      render: (r) =>
        r.previous ? (
          <Stack gap={0} align="flex-end">
            <Text size="sm" ff="monospace">
              {formatDecimal(r.previous.value, lang)}
            </Text>
            <Text size="xs" c="dimmed">
              {r.previous.installation ? t('readings.installation') : formatDate(r.previous.readOn, lang)}
            </Text>
          </Stack>
        ) : (
          '—'
        ),
    },
    {
      key: 'advance',
      label: t('readings.col.advance'),
      align: 'right',
      render: (r) => (r.advance === null ? '—' : formatDecimal(r.advance, lang)),
    },
    {
      key: 'status',
      label: t('readings.col.status'),
      render: (r) => <StatusBadge status={r.status} veeCode={r.veeCode} t={t} />,
    },
    {
      key: 'source',
      label: t('readings.col.source'),
      render: (r) => t(`readings.source.${r.source}`),
    },
    {
      key: 'enteredAt',
      label: t('readings.col.enteredAt'),
      sortable: true,
      render: (r) => (
        <Stack gap={0}>
          <Text size="xs">{formatDateTime(r.enteredAt, lang)}</Text>
          <Text size="xs" c="dimmed">
            {r.enteredBy ?? '—'}
          </Text>
        </Stack>
      ),
    },
  ];
}
