import { Alert, Button, Group, Menu, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session.tsx';
import type { Contract, Meter } from '../types.ts';
import { InstallDialog, RemoveDialog, ReplaceDialog, VerificationDialog } from './dialogs.tsx';
import { SealsDialog } from './SealsDialog.tsx';

type Dialog = { kind: 'install' } | { kind: 'replace' | 'remove' | 'seals' | 'verification'; meter: Meter };

/**
 * The meter work of one contract on the consumer card (R2.3): install a meter on a metering point
 * without one in service; for each meter replace it (removal readings of the old one and the new
 * meter with its installation readings, one day), remove it, change its verification dates, and
 * its seals (history, set, remove with a reason). Render it once per contract with the contract's
 * metering points and the card's meter objects; `onChanged` reloads the card after a change.
 * Writing needs consumer.write (and reading.write for register values); the seals' history is
 * shown to every reader.
 */
export function MeterActions(props: {
  contractId: string;
  meteringPoints: Contract['meteringPoints'];
  meters: Meter[];
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { user } = useSession();
  const canWrite = user?.permissions.includes('consumer.write') ?? false;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [sealsChanged, setSealsChanged] = useState(false);

  const freePoints = props.meteringPoints.filter((p) => !p.meters.some((m) => m.removedOn === null));
  const close = () => {
    setDialog(null);
    if (sealsChanged) {
      setSealsChanged(false);
      props.onChanged();
    }
  };
  const done = (text: string) => {
    setDialog(null);
    setMessage(text);
    props.onChanged();
  };
  const open = (d: Dialog) => {
    setMessage(null);
    setDialog(d);
  };

  const title = (d: Dialog): string =>
    d.kind === 'install'
      ? t('meters.installTitle')
      : t(`meters.titles.${d.kind}`, { serial: d.meter.serial });

  return (
    <Stack gap="xs" data-testid={`meter-actions-${props.contractId}`}>
      {message && (
        <Alert color="teal" withCloseButton onClose={() => setMessage(null)} data-testid="meter-action-done">
          {message}
        </Alert>
      )}
      {canWrite && freePoints.length > 0 && (
        <Group>
          <Button
            size="xs"
            variant="light"
            onClick={() => open({ kind: 'install' })}
            data-testid="meter-install"
          >
            {t('meters.install')}
          </Button>
        </Group>
      )}
      {props.meters.map((m) => {
        const inService = m.removedOn === null;
        return (
          <Group key={m.id} gap="xs">
            <Text size="sm" ff="monospace">
              {m.serial}
            </Text>
            <Menu position="bottom-start" withinPortal>
              <Menu.Target>
                <Button size="compact-xs" variant="light" data-testid={`meter-menu-${m.serial}`}>
                  {t('meters.actions')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {canWrite && inService && (
                  <>
                    <Menu.Item
                      onClick={() => open({ kind: 'replace', meter: m })}
                      data-testid="meter-replace"
                    >
                      {t('meters.replace')}
                    </Menu.Item>
                    <Menu.Item onClick={() => open({ kind: 'remove', meter: m })} data-testid="meter-remove">
                      {t('meters.remove')}
                    </Menu.Item>
                    <Menu.Item
                      onClick={() => open({ kind: 'verification', meter: m })}
                      data-testid="meter-verification"
                    >
                      {t('meters.verification')}
                    </Menu.Item>
                  </>
                )}
                <Menu.Item onClick={() => open({ kind: 'seals', meter: m })} data-testid="meter-seals-open">
                  {t('meters.seals')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        );
      })}
      <Modal opened={dialog !== null} onClose={close} size="xl" title={dialog ? title(dialog) : ''}>
        {dialog?.kind === 'install' && <InstallDialog points={freePoints} onDone={done} onCancel={close} />}
        {dialog?.kind === 'replace' && <ReplaceDialog meter={dialog.meter} onDone={done} onCancel={close} />}
        {dialog?.kind === 'remove' && <RemoveDialog meter={dialog.meter} onDone={done} onCancel={close} />}
        {dialog?.kind === 'verification' && (
          <VerificationDialog meter={dialog.meter} onDone={done} onCancel={close} />
        )}
        {dialog?.kind === 'seals' && (
          <SealsDialog meter={dialog.meter} canWrite={canWrite} onChanged={() => setSealsChanged(true)} />
        )}
      </Modal>
    </Stack>
  );
}
