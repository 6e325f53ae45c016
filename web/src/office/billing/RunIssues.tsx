import { Badge, Card, Group, SegmentedControl, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../table/DataTable.tsx';
import type { RunIssue } from './types.ts';

/** The warnings and errors of one bill run, by account, with the XLSX export. */
export function RunIssues({ runId }: { runId: string }) {
  const { t, i18n } = useTranslation();
  const [severity, setSeverity] = useState('');
  const known = (code: string) => i18n.exists(`billing.issue.${code}`);
  return (
    <Card withBorder>
      <Stack>
        <Group justify="space-between" wrap="wrap">
          <Title order={4}>{t('billing.issuesTitle')}</Title>
          <SegmentedControl
            size="xs"
            value={severity}
            onChange={setSeverity}
            data={[
              { value: '', label: t('table.all') },
              { value: 'warning', label: t('billing.severity.warning') },
              { value: 'error', label: t('billing.severity.error') },
            ]}
          />
        </Group>
        <DataTable<RunIssue>
          endpoint={`/api/bill-runs/${runId}/issues`}
          filters={{ severity: severity || undefined }}
          defaultSort="account"
          rowKey={(r) => `${r.contractId}-${r.code}`}
          exportable
          testId="run-issues"
          columns={[
            { key: 'account', label: t('billing.col.account'), sortable: true, render: (r) => r.account },
            { key: 'consumer', label: t('billing.col.consumer'), render: (r) => r.consumer },
            {
              key: 'severity',
              label: t('billing.col.severity'),
              sortable: true,
              render: (r) => (
                <Badge variant="light" color={r.severity === 'error' ? 'red' : 'orange'}>
                  {t(`billing.severity.${r.severity}`)}
                </Badge>
              ),
            },
            {
              key: 'code',
              label: t('billing.col.issue'),
              sortable: true,
              render: (r) => (known(r.code) ? t(`billing.issue.${r.code}`) : (r.message ?? r.code)),
            },
          ]}
        />
      </Stack>
    </Card>
  );
}
