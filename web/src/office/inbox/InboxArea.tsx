import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { useSession } from '../../session/session.tsx';
import { ApplicationsList } from './ApplicationsList.tsx';
import { EmployeeLists } from './EmployeeLists.tsx';
import { Recoveries } from './Recoveries.tsx';

type Tab = 'applications' | 'requisites' | 'lists' | 'recoveries';

const PATHS: Record<Tab, string> = {
  applications: '/inbox',
  requisites: '/inbox/requisites',
  lists: '/inbox/employee-lists',
  recoveries: '/inbox/recoveries',
};

/**
 * The office inbox (routes under /inbox, issue 6 point 6): what consumers filed in the cabinet —
 * applications, changes of requisites, employee lists per procedure No. 1031 — and the cabinet
 * password recoveries staff confirm (for those who hold consumer.read).
 */
export function InboxArea() {
  const { t } = useTranslation();
  const { user } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const tabs: Tab[] = [
    'applications',
    'requisites',
    'lists',
    ...(user?.permissions.includes('consumer.read') ? (['recoveries'] as const) : []),
  ];
  const current = (Object.entries(PATHS).find(
    ([, p]) => p !== '/inbox' && location.pathname.startsWith(p),
  )?.[0] ?? 'applications') as Tab;

  return (
    <Stack>
      <Title order={2}>{t('nav.inbox')}</Title>
      <Tabs value={current} onChange={(v) => v && navigate(PATHS[v as Tab])} keepMounted={false}>
        <Tabs.List>
          {tabs.map((tab) => (
            <Tabs.Tab key={tab} value={tab} data-testid={`tab-${tab}`}>
              {t(`inbox.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route index element={<ApplicationsList testId="applications-table" key="all" />} />
        <Route
          path="requisites"
          element={<ApplicationsList type="requisites_change" testId="requisites-table" key="requisites" />}
        />
        <Route path="employee-lists" element={<EmployeeLists />} />
        {tabs.includes('recoveries') && <Route path="recoveries" element={<Recoveries />} />}
      </Routes>
    </Stack>
  );
}
