import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A temporary password the API answered once: shown large, with a copy button, never again. */
export function TemporaryPassword(props: { login: string; password: string; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="teal" title={t('admin.tempPassword')} data-testid="temp-password-panel">
      <Stack gap="xs">
        <Text size="sm">{t('admin.tempPasswordFor', { login: props.login })}</Text>
        <Code fz="xl" p="sm" data-testid="temp-password" style={{ letterSpacing: 2 }}>
          {props.password}
        </Code>
        <Text size="sm">{t('admin.tempPasswordHelp')}</Text>
        <Group>
          <CopyButton value={props.password}>
            {({ copied, copy }) => (
              <Button variant="light" size="xs" onClick={copy}>
                {copied ? t('admin.copied') : t('admin.copy')}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" onClick={props.onDone} data-testid="temp-password-done">
            {t('admin.done')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
