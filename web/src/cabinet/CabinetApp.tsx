import { Center, Group, Loader, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { LanguageSwitcher } from '../office/LanguageSwitcher.tsx';
import { NotFoundPage } from '../office/NotFoundPage.tsx';
import { ChangePasswordForm } from '../office/PasswordPage.tsx';
import { CabinetLayout } from './Layout.tsx';
import { CabinetLoginPage } from './LoginPage.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { ApplicationsPage, ConfirmationsPage } from './pages/applications.tsx';
import { ConsumptionPage } from './pages/ConsumptionPage.tsx';
import { DocumentsPage } from './pages/DocumentsPage.tsx';
import { EmployeesPage } from './pages/EmployeesPage.tsx';
import { NotificationsPage } from './pages/NotificationsPage.tsx';
import { PaymentsPage } from './pages/PaymentsPage.tsx';
import { PayPage, PayResultPage } from './pages/PayPage.tsx';
import { ReadingsPage } from './pages/ReadingsPage.tsx';
import { SettlementsPage } from './pages/SettlementsPage.tsx';
import { SummaryPage } from './pages/SummaryPage.tsx';
import { RecoveryPage } from './RecoveryPage.tsx';
import { CabinetSessionProvider, useCabinet } from './session.tsx';

/** The first password (the INN) must be replaced before anything else opens (R6). */
function FirstPassword() {
  const { t } = useTranslation();
  const cabinet = useCabinet();
  return (
    <ChangePasswordForm
      endpoint="/api/cabinet/password"
      onDone={cabinet.refresh}
      rulesKey="cabinet.password.rules"
      call={(method, path, body) => cabinet.call(method, path, body)}
      header={
        <>
          <Group justify="space-between">
            <Title order={1} size="h3">
              {t('password.title')}
            </Title>
            <LanguageSwitcher />
          </Group>
          <Text size="sm">{t('cabinet.password.intro')}</Text>
        </>
      }
    />
  );
}

function Guarded() {
  const { session, loading } = useCabinet();
  if (loading) {
    return (
      <Center mih="100vh">
        <Loader />
      </Center>
    );
  }
  if (!session) return <Navigate to="/cabinet/login" replace />;
  if (session.mustChangePassword) return <FirstPassword />;
  return <CabinetLayout />;
}

/** The consumers' cabinet under /cabinet (R6). */
export function CabinetApp() {
  return (
    <CabinetSessionProvider>
      <Routes>
        <Route path="login" element={<CabinetLoginPage />} />
        <Route path="recovery" element={<RecoveryPage />} />
        <Route element={<Guarded />}>
          <Route index element={<SummaryPage />} />
          <Route path="account" element={<AccountPage />} />
          <Route path="employees" element={<EmployeesPage />} />
          <Route path="readings" element={<ReadingsPage />} />
          <Route path="settlements" element={<SettlementsPage />} />
          <Route path="payments" element={<PaymentsPage />} />
          <Route path="pay" element={<PayPage />} />
          <Route path="pay/:id" element={<PayResultPage />} />
          <Route path="consumption" element={<ConsumptionPage />} />
          <Route path="documents" element={<DocumentsPage />} />
          <Route path="volume" element={<ApplicationsPage kind="volume" key="volume" />} />
          <Route path="requisites" element={<ApplicationsPage kind="requisites" key="requisites" />} />
          <Route path="applications" element={<ApplicationsPage kind="general" key="general" />} />
          <Route path="confirmations" element={<ConfirmationsPage />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </CabinetSessionProvider>
  );
}
