import { Alert, Loader, Stack, Tabs, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { errorMessage } from '../errors.ts';
import { ImportsPage } from './ImportsPage.tsx';
import { NewPayment } from './NewPayment.tsx';
import { PaymentsList } from './PaymentsList.tsx';
import { ReconciliationPage } from './ReconciliationPage.tsx';
import type { Desk } from './types.ts';
import { UnmatchedQueue } from './UnmatchedQueue.tsx';

type Tab = 'list' | 'new' | 'unmatched' | 'imports' | 'reconciliation';

const PATHS: Record<Tab, string> = {
  list: '/payments',
  new: '/payments/new',
  unmatched: '/payments/unmatched',
  imports: '/payments/imports',
  reconciliation: '/payments/reconciliation',
};

/**
 * The office payment desk (routes under /payments, issue 6 point 5): the payment list, manual
 * booking at the cash desk, and — for company-level staff, where bank and post payments are
 * handled — the unmatched queue, file imports and the daily reconciliation.
 */
export function PaymentsArea() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [desk, setDesk] = useState<Desk | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    api<Desk>('GET', '/api/payments/desk')
      .then(setDesk)
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [t]);

  if (error)
    return (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    );
  if (!desk) return <Loader />;

  const tabs: Tab[] = [
    'list',
    ...(desk.canWrite ? (['new'] as const) : []),
    ...(desk.company.read ? (['unmatched', 'imports', 'reconciliation'] as const) : []),
  ];
  const sub = location.pathname.replace(/^\/payments\/?/, '').split('/')[0] ?? '';
  const current: Tab = (tabs as string[]).includes(sub) ? (sub as Tab) : 'list';
  const changed = () => setReload((x) => x + 1);

  return (
    <Stack>
      <Title order={2}>{t('payments.title')}</Title>
      <Tabs value={current} onChange={(v) => v && navigate(PATHS[v as Tab])} keepMounted={false}>
        <Tabs.List>
          {tabs.map((tab) => (
            <Tabs.Tab key={tab} value={tab} data-testid={`tab-${tab}`}>
              {t(`payments.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route
          index
          element={<PaymentsList desk={desk} reloadKey={reload} initialQuery={params.get('q') ?? ''} />}
        />
        {desk.canWrite && (
          <Route
            path="new"
            element={
              <NewPayment
                desk={desk}
                onBooked={changed}
                onShowList={(q) => navigate(`${PATHS.list}?${new URLSearchParams({ q })}`)}
              />
            }
          />
        )}
        {desk.company.read && (
          <>
            <Route
              path="unmatched"
              element={<UnmatchedQueue canWrite={desk.company.write} onMatched={changed} />}
            />
            <Route
              path="imports"
              element={<ImportsPage canWrite={desk.company.write} onImported={changed} />}
            />
            <Route path="reconciliation" element={<ReconciliationPage today={desk.today} />} />
          </>
        )}
        <Route path="*" element={<Navigate to={PATHS.list} replace />} />
      </Routes>
    </Stack>
  );
}
