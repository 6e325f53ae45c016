import { Button, Group, Stack, Tabs, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../../session/session.tsx';
import { ReadingsAll } from './ReadingsAll.tsx';
import { ReadingsEntry } from './ReadingsEntry.tsx';
import { ReadingsQueue } from './ReadingsQueue.tsx';
import { ReadingsUpload } from './ReadingsUpload.tsx';

type Tab = 'entry' | 'queue' | 'all' | 'upload';

/**
 * Readings (R3.1, R3.2): entry by staff, the VEE queue, every reading with filters and export,
 * and the bulk upload. The tab is in the address (?tab=queue), so it can be linked and reloaded.
 * The signed confirmation of entered readings (R3.4) is its own page, /readings/confirm.
 */
export function ReadingsPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const [reloadKey, setReloadKey] = useState(0);
  const canWrite = user?.permissions.includes('reading.write') ?? false;
  const canConfirm = user?.permissions.includes('reading.confirm') ?? false;
  const tabs: Tab[] = canWrite ? ['entry', 'queue', 'all', 'upload'] : ['queue', 'all'];
  const asked = params.get('tab');
  const current: Tab = tabs.find((x) => x === asked) ?? tabs[0] ?? 'all';
  const changed = () => setReloadKey((x) => x + 1);

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Title order={2}>{t('nav.readings')}</Title>
        {canConfirm && (
          <Button
            component={Link}
            to="/readings/confirm"
            variant="filled"
            color="indigo"
            data-testid="confirm-link"
          >
            {t('readings.confirmLink')}
          </Button>
        )}
      </Group>
      <Tabs value={current} onChange={(v) => v && setParams({ tab: v })} keepMounted={false}>
        <Tabs.List>
          {tabs.map((tab) => (
            <Tabs.Tab key={tab} value={tab} data-testid={`tab-${tab}`}>
              {t(`readings.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="entry" pt="md">
          <ReadingsEntry onSaved={changed} />
        </Tabs.Panel>
        <Tabs.Panel value="queue" pt="md">
          <ReadingsQueue canWrite={canWrite} reloadKey={reloadKey} onChanged={changed} />
        </Tabs.Panel>
        <Tabs.Panel value="all" pt="md">
          <ReadingsAll reloadKey={reloadKey} />
        </Tabs.Panel>
        <Tabs.Panel value="upload" pt="md">
          <ReadingsUpload onImported={changed} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
