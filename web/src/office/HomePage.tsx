import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Readiness } from '../api/client.ts';
import { useSession } from '../session/session.tsx';

/** The start page: who is signed in, where, and whether the server and database are up. */
export function HomePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const [ready, setReady] = useState<Readiness | null | 'down'>(null);

  useEffect(() => {
    fetch('/ready')
      .then(async (r) => setReady(r.ok ? ((await r.json()) as Readiness) : 'down'))
      .catch(() => setReady('down'));
  }, []);

  if (!user) return null;
  return (
    <Stack>
      <Title order={2}>{t('home.welcome', { name: user.fullName })}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('home.scope')}
          </Text>
          <Text fw={600}>{user.orgUnit.name}</Text>
          <Text size="sm" c="dimmed" mt="sm">
            {t('home.roles')}
          </Text>
          <Group gap="xs">
            {user.roles.map((r) => (
              <Badge key={r} variant="light">
                {t(`roles.${r}`)}
              </Badge>
            ))}
          </Group>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('home.server')}
          </Text>
          {ready === null ? (
            <Text>…</Text>
          ) : ready === 'down' ? (
            <Badge color="red">{t('home.down')}</Badge>
          ) : (
            <Stack gap={4}>
              <Badge color="green" data-testid="server-ok">
                {t('home.ok')}
              </Badge>
              <Text size="sm">
                {t('home.db')}: {ready.db === 'pglite' ? 'PGlite' : 'PostgreSQL'}
              </Text>
              <Text size="sm">
                {t('home.version')}: {ready.version}
              </Text>
            </Stack>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
