import '@mantine/core/styles.css';
import './i18n/index.ts';
import { Center, Loader, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { HomePage } from './office/HomePage.tsx';
import { Layout, SECTIONS } from './office/Layout.tsx';
import { LoginPage } from './office/LoginPage.tsx';
import { NotFoundPage } from './office/NotFoundPage.tsx';
import { PasswordPage } from './office/PasswordPage.tsx';
import { PlaceholderPage } from './office/PlaceholderPage.tsx';
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

function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<Guarded />}>
        <Route index element={<HomePage />} />
        {SECTIONS.map((s) => (
          <Route key={s.path} path={s.path.slice(1)} element={<PlaceholderPage titleKey={s.key} />} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
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
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </MantineProvider>
    </StrictMode>,
  );
}
