import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A section that later issues fill in. */
export function PlaceholderPage({ titleKey }: { titleKey: string }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t(titleKey)}</Title>
      <Text c="dimmed">{t('placeholder.text')}</Text>
    </Stack>
  );
}
