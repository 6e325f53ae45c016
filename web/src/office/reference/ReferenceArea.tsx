import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useSession } from '../../session/session.tsx';
import { DICTIONARIES, DictionaryPage } from './DictionaryPage.tsx';
import { DocumentTemplatesPage } from './DocumentTemplatesPage.tsx';
import { HolidaysPage } from './HolidaysPage.tsx';
import { NetworkPage } from './NetworkPage.tsx';
import { TariffsPage } from './TariffsPage.tsx';

const TABS = [
  'tariffs',
  'holidays',
  'banks',
  'categories',
  'meter-types',
  'payment-channels',
  'reason-codes',
  'network',
  'templates',
] as const;
type Tab = (typeof TABS)[number];

/**
 * The reference-data editors (R1, issue 6 point 2), routes under /reference: tariffs with dated
 * versions, the working-day calendar, banks, consumer categories, meter types, payment channels,
 * reason codes and the network tree. Everyone with `reference.read` views; `reference.write`
 * (administrators) edits, and every change is audited.
 */
export function ReferenceArea() {
  const { t } = useTranslation();
  const { user } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const canWrite = user?.permissions.includes('reference.write') ?? false;
  const sub = location.pathname.replace(/^\/reference\/?/, '').split('/')[0] ?? '';
  const current: Tab = (TABS as readonly string[]).includes(sub) ? (sub as Tab) : 'tariffs';

  return (
    <Stack>
      <Title order={2}>{t('reference.title')}</Title>
      <Tabs
        value={current}
        onChange={(v) => v && navigate(v === 'tariffs' ? '/reference' : `/reference/${v}`)}
        keepMounted={false}
      >
        <Tabs.List style={{ flexWrap: 'wrap' }}>
          {TABS.map((tab) => (
            <Tabs.Tab key={tab} value={tab} data-testid={`tab-${tab}`}>
              {t(`reference.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route index element={<TariffsPage canWrite={canWrite} />} />
        <Route path="holidays" element={<HolidaysPage canWrite={canWrite} />} />
        {DICTIONARIES.map((d) => (
          <Route
            key={d.path}
            path={d.path}
            element={<DictionaryPage key={d.path} spec={d} canWrite={canWrite} />}
          />
        ))}
        <Route path="network" element={<NetworkPage canWrite={canWrite} />} />
        <Route path="templates" element={<DocumentTemplatesPage canWrite={canWrite} />} />
        <Route path="*" element={<Navigate to="/reference" replace />} />
      </Routes>
    </Stack>
  );
}
