import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useSession } from '../session/session.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';

/** The office sections; each needs one permission to show. */
export const SECTIONS = [
  { path: '/consumers', key: 'nav.consumers', permission: 'consumer.read' },
  { path: '/readings', key: 'nav.readings', permission: 'reading.read' },
  { path: '/billing', key: 'nav.billing', permission: 'billing.read' },
  { path: '/payments', key: 'nav.payments', permission: 'payment.read' },
  { path: '/reference', key: 'nav.reference', permission: 'reference.read' },
  { path: '/admin', key: 'nav.admin', permission: 'user.read' },
  { path: '/audit', key: 'nav.audit', permission: 'audit.read' },
] as const;

/** Header with user and language, navigation by permission, and the page. */
export function Layout() {
  const { t } = useTranslation();
  const { user, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  if (!user) return null;
  const sections = SECTIONS.filter((s) => user.permissions.includes(s.permission));

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.menu')} />
            <Title order={1} size="h3">
              {t('app.name')}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="sm" data-testid="user-name">
              {user.fullName} · {user.orgUnit.name}
            </Text>
            <LanguageSwitcher />
            <Button variant="light" size="xs" onClick={() => void signOut()}>
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.menu')}>
        <NavLink
          component={Link}
          to="/"
          label={t('nav.home')}
          active={location.pathname === '/'}
          onClick={close}
        />
        {sections.map((s) => (
          <NavLink
            key={s.path}
            component={Link}
            to={s.path}
            label={t(s.key)}
            active={location.pathname.startsWith(s.path)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
