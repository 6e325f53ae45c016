import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ClaimPage } from './ClaimPage.tsx';
import { ClaimsList } from './ClaimsList.tsx';
import { DebtorsPage } from './DebtorsPage.tsx';

/**
 * The lawyer's area (R11), routes under /claims: the debtor list (where claims start), the claims
 * themselves (warning letters, pre-trial claims, court cases, disconnection orders) and one
 * claim's card. Shown to users with claim.read; changes need claim.write.
 */
export function ClaimsArea() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const sub = location.pathname.replace(/^\/claims\/?/, '').split('/')[0] ?? '';
  const card = /^\d+$/.test(sub);
  const current = sub === 'list' || card ? 'list' : 'debtors';

  return (
    <Stack>
      <Title order={2}>{t('claims.title')}</Title>
      <Tabs
        value={current}
        onChange={(v) => v && navigate(v === 'list' ? '/claims/list' : '/claims')}
        keepMounted={false}
      >
        <Tabs.List>
          {(['debtors', 'list'] as const).map((tab) => (
            <Tabs.Tab key={tab} value={tab} data-testid={`tab-${tab}`}>
              {t(`claims.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route index element={<DebtorsPage />} />
        <Route path="list" element={<ClaimsList />} />
        <Route path=":id" element={<ClaimPage />} />
        <Route path="*" element={<Navigate to="/claims" replace />} />
      </Routes>
    </Stack>
  );
}
