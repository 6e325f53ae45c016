import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { useSession } from '../session/session.tsx';
import { Shell } from '../shell/Shell.tsx';

/** The office sections; each needs one permission to show. */
export const SECTIONS = [
  { path: '/consumers', key: 'nav.consumers', permission: 'consumer.read' },
  { path: '/readings', key: 'nav.readings', permission: 'reading.read' },
  { path: '/billing', key: 'nav.billing', permission: 'billing.read' },
  { path: '/payments', key: 'nav.payments', permission: 'payment.read' },
  { path: '/inbox', key: 'nav.inbox', permission: 'application.read' },
  { path: '/reference', key: 'nav.reference', permission: 'reference.read' },
  { path: '/admin', key: 'nav.admin', permission: 'user.read' },
  { path: '/accounting', key: 'accounting.title', permission: 'report.read' },
  { path: '/claims', key: 'claims.title', permission: 'claim.read' },
  { path: '/audit', key: 'nav.audit', permission: 'audit.read' },
] as const;

/** Header with user and language, navigation by permission, and the page. */
export function Layout() {
  const { t } = useTranslation();
  const { user, signOut } = useSession();
  const location = useLocation();
  if (!user) return null;
  const sections = SECTIONS.filter((s) => user.permissions.includes(s.permission));
  return (
    <Shell
      who={`${user.fullName} · ${user.orgUnit.name}`}
      whoTestId="user-name"
      whoFrom="sm"
      navWidth={240}
      onSignOut={() => void signOut()}
      links={[
        { to: '/', label: t('nav.home'), active: location.pathname === '/' },
        ...sections.map((s) => ({
          to: s.path,
          label: t(s.key),
          active: location.pathname.startsWith(s.path),
        })),
      ]}
    />
  );
}
