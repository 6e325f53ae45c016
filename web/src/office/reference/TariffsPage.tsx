import { Alert, Badge, Button, Card, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDecimal, formatPeriod, formatQuantity } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { todayInTashkent } from '../readings/types.ts';
import { HistoryButton } from './History.tsx';
import { NewTariffForm } from './NewTariffForm.tsx';
import { type Tariff, type TariffDetail, type TariffVersion, ZONE_NAME } from './types.ts';
import { VersionForm } from './VersionForm.tsx';

const STATE_COLOR = { closed: 'gray', billed: 'orange', editable: 'teal' } as const;

/** A version's prices in one line: "1 035,50", "kun 1 100,00 · tun 550,00", "≤ 200: 600,00 · > 200: 1 000,00". */
function pricesOf(v: TariffVersion, t: (k: string) => string, lang: string): string {
  switch (v.pricing) {
    case 'flat':
      return formatDecimal(v.price ?? '0', lang);
    case 'zones':
      return v.zones
        .map(
          (z) =>
            `${t(`reference.tariffs.zone.${ZONE_NAME[z.obis] ?? 'z4'}`)} ${formatDecimal(z.price, lang)}`,
        )
        .join(' · ');
    case 'blocks': {
      let below = '0';
      return v.blocks
        .map((b) => {
          const text =
            b.upto === null ? `> ${formatQuantity(below, lang)}` : `≤ ${formatQuantity(b.upto, lang)}`;
          below = b.upto ?? below;
          return `${text}: ${formatDecimal(b.price, lang)}`;
        })
        .join(' · ');
    }
  }
}

/** The supplier's tariffs; a chosen tariff shows its versions by start month, and admins add or change them. */
export function TariffsPage(props: { canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [tariffs, setTariffs] = useState<Tariff[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [detail, setDetail] = useState<TariffDetail | null>(null);
  const [editing, setEditing] = useState<TariffVersion | 'new' | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const loadList = useCallback(() => {
    api<{ items: Tariff[] }>('GET', '/api/reference/tariffs')
      .then((r) => {
        setTariffs(r.items);
        setChosen((c) => c ?? r.items[0]?.id ?? null);
      })
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [t]);
  useEffect(loadList, [loadList]);
  useEffect(() => {
    if (!chosen) return;
    // A slower answer for the tariff chosen before must not overwrite the one chosen now.
    let live = true;
    api<TariffDetail>('GET', `/api/reference/tariffs/${chosen}`)
      .then((d) => live && setDetail(d))
      .catch((e: unknown) => live && setError(errorMessage(e, t)));
    return () => {
      live = false;
    };
  }, [chosen, t]);

  const saved = (d: TariffDetail, message: string) => {
    setDetail(d);
    setEditing(null);
    setDone(message);
    loadList();
  };
  const remove = async (v: TariffVersion) => {
    if (
      !detail ||
      !window.confirm(
        t('reference.tariffs.confirmRemove', { month: formatPeriod(v.validFrom.slice(0, 7), lang) }),
      )
    )
      return;
    setError(null);
    try {
      saved(
        await api<TariffDetail>('DELETE', `/api/reference/tariffs/${detail.tariff.id}/versions/${v.id}`),
        t('reference.tariffs.removed'),
      );
    } catch (e) {
      setError(errorMessage(e, t));
    }
  };

  return (
    <Stack>
      {error && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      {done && (
        <Alert
          color="teal"
          role="status"
          withCloseButton
          onClose={() => setDone(null)}
          data-testid="reference-done"
        >
          {done}
        </Alert>
      )}
      {props.canWrite && (
        <Group justify="flex-end">
          <Button variant="light" onClick={() => setCreating(true)} data-testid="add-tariff">
            {t('reference.tariffs.addTariff')}
          </Button>
        </Group>
      )}
      <Table.ScrollContainer minWidth={560}>
        <Table highlightOnHover data-testid="tariff-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reference.code')}</Table.Th>
              <Table.Th>{t('reference.name')}</Table.Th>
              <Table.Th>{t('reference.tariffs.unit')}</Table.Th>
              <Table.Th>{t('reference.tariffs.inForce')}</Table.Th>
              <Table.Th ta="right">{t('reference.tariffs.versions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tariffs?.map((x) => (
              <Table.Tr
                key={x.id}
                onClick={() => setChosen(x.id)}
                style={{ cursor: 'pointer' }}
                bg={x.id === chosen ? 'blue.0' : undefined}
                data-testid={`tariff-${x.code}`}
              >
                <Table.Td fw={600}>{x.code}</Table.Td>
                <Table.Td>
                  {x.name} {!x.active && <Badge color="gray">{t('reference.inactive')}</Badge>}
                </Table.Td>
                <Table.Td>{t(`reference.tariffs.per.${x.unit}`)}</Table.Td>
                <Table.Td>{x.currentFrom ? formatPeriod(x.currentFrom.slice(0, 7), lang) : '—'}</Table.Td>
                <Table.Td ta="right">{x.versionCount}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      {detail && (
        <Card withBorder>
          <Stack>
            <Group justify="space-between" wrap="wrap">
              <div>
                <Title order={4}>
                  {detail.tariff.code} — {detail.tariff.name}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('reference.tariffs.openPeriod', { period: formatPeriod(detail.openPeriod, lang) })}
                </Text>
              </div>
              <Group gap="xs">
                <HistoryButton entity="tariff" id={detail.tariff.id} />
                {props.canWrite && (
                  <Button onClick={() => setEditing('new')} data-testid="add-version">
                    {t('reference.tariffs.addVersion')}
                  </Button>
                )}
              </Group>
            </Group>
            <Table.ScrollContainer minWidth={720}>
              <Table striped data-testid="version-list">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('reference.tariffs.validFrom')}</Table.Th>
                    <Table.Th>{t('reference.tariffs.pricingLabel')}</Table.Th>
                    <Table.Th>
                      {t('reference.tariffs.prices')}, {t(`reference.tariffs.per.${detail.tariff.unit}`)}
                    </Table.Th>
                    <Table.Th>{t('reference.tariffs.reactive')}</Table.Th>
                    <Table.Th>{t('reference.status')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {[...detail.versions].reverse().map((v) => (
                    <Table.Tr key={v.id} data-testid={`version-${v.validFrom}`}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {formatPeriod(v.validFrom.slice(0, 7), lang)}{' '}
                        {v.current && (
                          <Badge size="sm" variant="light">
                            {t('reference.tariffs.current')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>{t(`reference.tariffs.pricing.${v.pricing}`)}</Table.Td>
                      <Table.Td>{pricesOf(v, t, lang)}</Table.Td>
                      <Table.Td>{v.reactivePrice ? formatDecimal(v.reactivePrice, lang) : '—'}</Table.Td>
                      <Table.Td>
                        <Badge color={STATE_COLOR[v.state]} variant="light">
                          {t(`reference.tariffs.state.${v.state}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {props.canWrite && v.state === 'editable' && (
                          <Group gap={4} wrap="nowrap">
                            <Button size="compact-xs" variant="light" onClick={() => setEditing(v)}>
                              {t('reference.edit')}
                            </Button>
                            <Button
                              size="compact-xs"
                              variant="subtle"
                              color="red"
                              onClick={() => void remove(v)}
                            >
                              {t('reference.remove')}
                            </Button>
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Text size="xs" c="dimmed">
              {t('reference.tariffs.rules')}
            </Text>
          </Stack>
        </Card>
      )}
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('reference.tariffs.addTariff')}
        size="lg"
      >
        {creating && (
          <NewTariffForm
            openPeriod={detail?.openPeriod ?? todayInTashkent().slice(0, 7)}
            commodity={tariffs?.[0]?.commodity ?? 'electricity'}
            onSaved={(d) => {
              setCreating(false);
              setChosen(d.tariff.id);
              saved(d, t('reference.tariffs.created', { code: d.tariff.code }));
            }}
            onCancel={() => setCreating(false)}
          />
        )}
      </Modal>
      <Modal
        opened={editing !== null && detail !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('reference.tariffs.addVersion') : t('reference.tariffs.editVersion')}
        size="lg"
      >
        {detail && editing !== null && (
          <VersionForm
            detail={detail}
            {...(editing === 'new' ? {} : { version: editing })}
            onSaved={(d) => saved(d, t('reference.tariffs.saved'))}
            onCancel={() => setEditing(null)}
          />
        )}
      </Modal>
    </Stack>
  );
}
