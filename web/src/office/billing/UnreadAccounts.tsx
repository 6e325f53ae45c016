import { Anchor, Badge, Card, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate } from '../../format.ts';
import { DataTable } from '../table/DataTable.tsx';

type Unread = {
  contractId: string;
  contract: string;
  consumer: string;
  orgUnit: string;
  meters: number;
  lastReadOn: string | null;
  pending: number;
};

/** The period's last day, 'YYYY-MM-DD'. */
function lastDayOf(period: string): string {
  const [y, m] = period.split('-').map(Number);
  const day = new Date(Date.UTC(y ?? 2000, m ?? 1, 0)).getUTCDate();
  return `${period}-${String(day).padStart(2, '0')}`;
}

/**
 * The accounts of the unit without an accepted reading in the open period (a bill run estimates
 * them), each with a link to enter its reading dated the period's last day.
 */
export function UnreadAccounts(props: { period: string; unitId: string; canEnter: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Card withBorder>
      <Stack>
        <Title order={4}>{t('billing.unreadTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('billing.unreadHelp')}
        </Text>
        <DataTable<Unread>
          endpoint={`/api/periods/${props.period}/unread`}
          filters={{ org_unit_id: props.unitId || undefined }}
          defaultSort="contract"
          rowKey={(r) => r.contractId}
          exportable
          testId="unread"
          columns={[
            {
              key: 'contract',
              label: t('billing.col.account'),
              sortable: true,
              render: (r) =>
                props.canEnter ? (
                  <Anchor
                    component={Link}
                    to={`/readings?${new URLSearchParams({ tab: 'entry', q: r.contract, readOn: lastDayOf(props.period) })}`}
                  >
                    {r.contract}
                  </Anchor>
                ) : (
                  r.contract
                ),
            },
            { key: 'consumer', label: t('billing.col.consumer'), sortable: true, render: (r) => r.consumer },
            { key: 'orgUnit', label: t('billing.unit'), render: (r) => r.orgUnit },
            { key: 'meters', label: t('billing.col.meters'), align: 'right', render: (r) => r.meters },
            {
              key: 'lastReadOn',
              label: t('billing.col.lastReading'),
              sortable: true,
              render: (r) => (r.lastReadOn ? formatDate(r.lastReadOn, lang) : '—'),
            },
            {
              key: 'pending',
              label: t('billing.col.pending'),
              render: (r) =>
                r.pending > 0 ? (
                  <Badge color="orange" variant="light">
                    {t('billing.pending', { count: r.pending })}
                  </Badge>
                ) : (
                  ''
                ),
            },
          ]}
        />
      </Stack>
    </Card>
  );
}
