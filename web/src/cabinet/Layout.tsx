import { Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { Shell } from '../shell/Shell.tsx';
import { useCabinet } from './session.tsx';

/** The cabinet's pages, one per function of R6, in the order of the navigation. */
export const CABINET_PAGES = [
  { path: '/cabinet', key: 'cabinet.nav.summary' },
  { path: '/cabinet/account', key: 'cabinet.nav.account' },
  { path: '/cabinet/employees', key: 'cabinet.nav.employees' },
  { path: '/cabinet/readings', key: 'cabinet.nav.readings' },
  { path: '/cabinet/settlements', key: 'cabinet.nav.settlements' },
  { path: '/cabinet/payments', key: 'cabinet.nav.payments' },
  { path: '/cabinet/pay', key: 'cabinet.nav.pay' },
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
    <Shell
      who={`${session.consumerName} · ${t('cabinet.accountNo', { account: session.account })}`}
      whoTestId="consumer-name"
      whoFrom="md"
      whoOneLine
      navTop={
        <Text size="sm" fw={600} hiddenFrom="md" px="sm" pb="xs">
          {session.consumerName} · {session.account}
        </Text>
      }
      navWidth={250}
      onSignOut={() => void cabinet.signOut()}
      signOutTestId="sign-out"
      links={CABINET_PAGES.map((p) => ({
        to: p.path,
        label: t(p.key),
        active: location.pathname === p.path,
        right:
          p.path === '/cabinet/notifications' && cabinet.unread > 0 ? (
            <Badge size="sm" color="red" circle data-testid="unread">
              {cabinet.unread}
            </Badge>
          ) : null,
      }))}
    >
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
    </Shell>
  );
}
