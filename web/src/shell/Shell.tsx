import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { LanguageSwitcher } from '../office/LanguageSwitcher.tsx';

/** A link of the navigation. */
export type ShellLink = { to: string; label: string; active: boolean; right?: ReactNode };

/**
 * The frame of the office and the cabinet: header with the name, who is signed in, the language
 * and sign-out; the navigation (behind a menu button on narrow screens); the page.
 */
export function Shell(props: {
  who: ReactNode;
  whoTestId: string;
  /** From which width the header shows `who` (the navigation shows `navTop` below it). */
  whoFrom: 'sm' | 'md';
  /** Keep `who` on one line (long consumer names). */
  whoOneLine?: boolean;
  navTop?: ReactNode;
  navWidth: number;
  links: ShellLink[];
  onSignOut: () => void;
  signOutTestId?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: props.navWidth, breakpoint: 'sm', collapsed: { mobile: !opened } }}
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
            <Text
              size="sm"
              visibleFrom={props.whoFrom}
              data-testid={props.whoTestId}
              lineClamp={props.whoOneLine ? 1 : undefined}
            >
              {props.who}
            </Text>
            <LanguageSwitcher />
            <Button variant="light" size="xs" onClick={props.onSignOut} data-testid={props.signOutTestId}>
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.menu')}>
        {props.navTop}
        {props.links.map((l) => (
          <NavLink
            key={l.to}
            component={Link}
            to={l.to}
            label={l.label}
            rightSection={l.right}
            active={l.active}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
      {props.children}
    </AppShell>
  );
}
