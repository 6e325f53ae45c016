import { Alert, Group, NativeSelect, Stack, Tabs, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { formatPeriod } from '../../format.ts';
import { useSession } from '../../session/session.tsx';
import { OrgUnitSelect, useOrgUnits } from '../org-units.tsx';
import { EinvoicesPage } from './EinvoicesPage.tsx';
import { TurnoverPage } from './TurnoverPage.tsx';
import { useClosedPeriods } from './use-closed-periods.ts';

const TABS = ['turnover', 'einvoices'] as const;

/**
 * The accounting area (R12, R15, decision 016), routes under /accounting: a closed period and a
 * unit chosen once for both tabs — the ledger turnover (synthetic and analytic, XLSX, 1C CSV) and
 * the tax e-invoices. Shown to users with report.read; generating e-invoices needs billing.close.
 */
export function AccountingArea() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { user } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const units = useOrgUnits();
  const { closed, error } = useClosedPeriods();
  const [period, setPeriod] = useState('');
  const [unitId, setUnitId] = useState('');
  const sub = location.pathname.replace(/^\/accounting\/?/, '').split('/')[0] ?? '';
  const current = sub === 'einvoices' ? 'einvoices' : 'turnover';
  const canRun = user?.permissions.includes('billing.close') ?? false;

  useEffect(() => {
    if (closed) setPeriod((p) => (p && closed.includes(p) ? p : (closed[0] ?? '')));
  }, [closed]);

  return (
    <Stack>
      <Title order={2}>{t('accounting.title')}</Title>
      <Tabs
        value={current}
        onChange={(v) => v && navigate(v === 'turnover' ? '/accounting' : `/accounting/${v}`)}
        keepMounted={false}
      >
        <Tabs.List>
          {TABS.map((tab) => (
            <Tabs.Tab key={tab} value={tab} data-testid={`tab-${tab}`}>
              {t(`accounting.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {closed && closed.length === 0 && <Text c="dimmed">{t('accounting.noClosed')}</Text>}
      {closed && closed.length > 0 && (
        <>
          <Group align="end" wrap="wrap">
            <NativeSelect
              label={t('accounting.period')}
              value={period}
              onChange={(e) => setPeriod(e.currentTarget.value)}
              data={closed.map((p) => ({ value: p, label: formatPeriod(p, lang) }))}
              data-testid="accounting-period"
            />
            <OrgUnitSelect units={units} label={t('accounting.unit')} value={unitId} onChange={setUnitId} />
          </Group>
          {period && (
            <Routes>
              <Route index element={<TurnoverPage period={period} unitId={unitId} />} />
              <Route
                path="einvoices"
                element={<EinvoicesPage period={period} unitId={unitId} canRun={canRun} />}
              />
              <Route path="*" element={<Navigate to="/accounting" replace />} />
            </Routes>
          )}
        </>
      )}
    </Stack>
  );
}
