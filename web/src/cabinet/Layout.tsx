import { AppShell, Badge, Burger, Button, Group, Modal, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { LanguageSwitcher } from '../office/LanguageSwitcher.tsx';
import { useCabinet } from './session.tsx';

/** The cabinet's pages, one per function of R6, in the order of the navigation. */
export const CABINET_PAGES = [
  { path: '/cabinet', key: 'cabinet.nav.summary' },
  { path: '/cabinet/account', key: 'cabinet.nav.account' },
  { path: '/cabinet/readings', key: 'cabinet.nav.readings' },
  { path: '/cabinet/settlements', key: 'cabinet.nav.settlements' },
  { path: '/cabinet/payments', key: 'cabinet.nav.payments' },
  { path: '/cabinet/consumption', key: 'cabinet.nav.consumption' },
  { path: '/cabinet/documents', key: 'cabinet.nav.documents' },
  { path: '/cabinet/volume', key: 'cabinet.nav.volume' },
  { path: '/cabinet/requisites', key: 'cabinet.nav.requisites' },
  { path: '/cabinet/applications', key: 'cabinet.nav.applications' },
  { path: '/cabinet/confirmations', key: 'cabinet.nav.confirmations' },
  { path: '/cabinet/notifications', key: 'cabinet.nav.notifications' },
] as const;

/** Header with the consumer, language and sign-out; the navigation; the idle warning. */
export function CabinetLayout() {
  const { t } = useTranslation();
  const cabinet = useCabinet();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const { session, call, setUnread } = cabinet;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the count is refreshed on each page change
  useEffect(() => {
    // The notifications page reads them itself (and marks them read); a late answer for the page
    // just left must not bring back a count the consumer has cleared.
    if (!session || session.mustChangePassword || location.pathname === '/cabinet/notifications') return;
    let live = true;
    call<{ unread: number }>('GET', '/api/cabinet/notifications')
      .then((n) => live && setUnread(n.unread))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [location.pathname, session?.account]);
  if (!session) return null;

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
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
            <Text size="sm" visibleFrom="md" data-testid="consumer-name" lineClamp={1}>
              {session.consumerName} · {t('cabinet.accountNo', { account: session.account })}
            </Text>
            <LanguageSwitcher />
            <Button variant="light" size="xs" onClick={() => void cabinet.signOut()} data-testid="sign-out">
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.menu')}>
        <Text size="sm" fw={600} hiddenFrom="md" px="sm" pb="xs">
          {session.consumerName} · {session.account}
        </Text>
        {CABINET_PAGES.map((p) => (
          <NavLink
            key={p.path}
            component={Link}
            to={p.path}
            label={t(p.key)}
            rightSection={
              p.path === '/cabinet/notifications' && cabinet.unread > 0 ? (
                <Badge size="sm" color="red" circle data-testid="unread">
                  {cabinet.unread}
                </Badge>
              ) : null
            }
            active={location.pathname === p.path}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
      <Modal
        opened={cabinet.idleWarning !== null}
        onClose={() => void cabinet.stayActive()}
        title={t('cabinet.idle.title')}
        centered
      >
        <Stack data-testid="idle-warning">
          <Text>{t('cabinet.idle.text', { seconds: cabinet.idleWarning ?? 0 })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => void cabinet.signOut()}>
              {t('shell.signOut')}
            </Button>
            <Button onClick={() => void cabinet.stayActive()}>{t('cabinet.idle.stay')}</Button>
          </Group>
        </Stack>
      </Modal>
    </AppShell>
  );
}
