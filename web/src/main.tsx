import '@mantine/core/styles.css';
import './i18n/index.ts';
import { Center, Loader, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Outlet, Route, Routes } from 'react-router';
import { CabinetApp } from './cabinet/CabinetApp.tsx';
import { AccountingArea } from './office/accounting/AccountingArea.tsx';
import { AdminArea } from './office/admin/AdminArea.tsx';
import { AuditArea } from './office/audit/AuditArea.tsx';
import { BillingArea } from './office/billing/BillingArea.tsx';
import { ClaimsArea } from './office/claims/ClaimsArea.tsx';
import { ConsumersArea } from './office/consumers/ConsumersArea.tsx';
import { HomePage } from './office/HomePage.tsx';
import { InboxArea } from './office/inbox/InboxArea.tsx';
import { Layout, SECTIONS } from './office/Layout.tsx';
import { LoginPage } from './office/LoginPage.tsx';
import { NotFoundPage } from './office/NotFoundPage.tsx';
import { PasswordPage } from './office/PasswordPage.tsx';
import { PlaceholderPage } from './office/PlaceholderPage.tsx';
import { PaymentsArea } from './office/payments/PaymentsArea.tsx';
import { ReadingsArea } from './office/readings/ReadingsArea.tsx';
import { ReferenceArea } from './office/reference/ReferenceArea.tsx';
import { SessionProvider, useSession } from './session/session.tsx';

function Guarded() {
  const { user, loading } = useSession();
  if (loading) {
    return (
      <Center mih="100vh">
        <Loader />
      </Center>
    );
  }
  if (!user) return <Navigate to="/login" replace />;
  if (user.mustChangePassword) return <PasswordPage />;
  return <Layout />;
}

/** The sections that have their own pages (the others still show a placeholder). */
const BUILT = new Set([
  '/consumers',
  '/readings',
  '/billing',
  '/payments',
  '/admin',
  '/inbox',
  '/reference',
  '/audit',
  '/accounting',
  '/claims',
]);

/** The staff office: its own session, loaded only on its pages. */
function Office() {
  return (
    <SessionProvider>
      <Outlet />
    </SessionProvider>
  );
}

function App() {
  return (
    <Routes>
      <Route path="/cabinet/*" element={<CabinetApp />} />
      <Route element={<Office />}>
        <Route path="/login" element={<LoginPage />} />
        <Route element={<Guarded />}>
          <Route index element={<HomePage />} />
          <Route path="consumers/*" element={<ConsumersArea />} />
          <Route path="readings/*" element={<ReadingsArea />} />
          <Route path="billing/*" element={<BillingArea />} />
          <Route path="payments/*" element={<PaymentsArea />} />
          <Route path="admin/*" element={<AdminArea />} />
          <Route path="audit/*" element={<AuditArea />} />
          <Route path="accounting/*" element={<AccountingArea />} />
          <Route path="inbox/*" element={<InboxArea />} />
          <Route path="claims/*" element={<ClaimsArea />} />
          <Route path="reference/*" element={<ReferenceArea />} />
          {SECTIONS.filter((s) => !BUILT.has(s.path)).map((s) => (
            <Route key={s.path} path={s.path.slice(1)} element={<PlaceholderPage titleKey={s.key} />} />
          ))}
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </MantineProvider>
    </StrictMode>,
  );
}
