import { Alert, Button, Group, LoadingOverlay, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { formatDecimal } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { queryOf } from '../table/DataTable.tsx';
import { MONEY_KEYS, sumDecimals, type Turnover, type TurnoverMoney } from './types.ts';

/** An amount cell: blank for zero, grouped digits otherwise. */
function Amount({ value, lang }: { value: string; lang: string }) {
  return (
    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
      {/^-?0+(\.0+)?$/.test(value) ? '' : formatDecimal(value, lang)}
    </Table.Td>
  );
}

/** The six money cells of a row. */
function Amounts({ row, lang }: { row: TurnoverMoney; lang: string }) {
  return (
    <>
      {MONEY_KEYS.map((k) => (
        <Amount key={k} value={row[k]} lang={lang} />
      ))}
    </>
  );
}

/**
 * The ledger turnover of a closed period and unit (decision 016): the synthetic table (per
 * account, with a total line) and the analytic one (per account and contract), with the XLSX and
 * the CSV that 1C loads.
 */
export function TurnoverPage({ period, unitId }: { period: string; unitId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [data, setData] = useState<Turnover | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const query = queryOf({ period, org_unit_id: unitId || undefined });

  useEffect(() => {
    if (!period) return;
    let live = true;
    setLoading(true);
    api<Turnover>('GET', `/api/accounting/turnover?${query}`)
      .then((d) => {
        if (!live) return;
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => live && setError(errorMessage(e, t)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [period, query, t]);

  const moneyHeads = MONEY_KEYS.map((k) => (
    <Table.Th key={k} ta="right">
      {t(`accounting.col.${k}`)}
    </Table.Th>
  ));
  const totals = data
    ? (Object.fromEntries(
        MONEY_KEYS.map((k) => [k, sumDecimals(data.synthetic.map((r) => r[k]))]),
      ) as TurnoverMoney)
    : null;

  return (
    <Stack pos="relative">
      <LoadingOverlay visible={loading} zIndex={10} overlayProps={{ blur: 1 }} />
      <Group gap="sm">
        <Button
          component="a"
          href={`/api/accounting/turnover?${query}&format=xlsx`}
          download
          variant="light"
          data-testid="turnover-xlsx"
        >
          {t('accounting.downloadXlsx')}
        </Button>
        <Button
          component="a"
          href={`/api/accounting/turnover?${query}&format=1c`}
          download
          variant="light"
          data-testid="turnover-1c"
        >
          {t('accounting.download1c')}
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {data && data.synthetic.length === 0 && <Text c="dimmed">{t('accounting.empty')}</Text>}
      {data && data.synthetic.length > 0 && totals && (
        <>
          <Title order={4}>{t('accounting.synthetic')}</Title>
          <Table.ScrollContainer minWidth={900}>
            <Table striped withTableBorder data-testid="turnover-synthetic">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('accounting.col.account')}</Table.Th>
                  <Table.Th>{t('accounting.col.name')}</Table.Th>
                  {moneyHeads}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.synthetic.map((r) => (
                  <Table.Tr key={r.account} data-account={r.account}>
                    <Table.Td>{r.account}</Table.Td>
                    <Table.Td>{r.name}</Table.Td>
                    <Amounts row={r} lang={lang} />
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr fw={700} data-testid="turnover-total">
                  <Table.Td colSpan={2}>{t('accounting.total')}</Table.Td>
                  <Amounts row={totals} lang={lang} />
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>
          <Title order={4}>{t('accounting.analytic')}</Title>
          <Table.ScrollContainer minWidth={1100} maxHeight={600}>
            <Table striped withTableBorder stickyHeader data-testid="turnover-analytic">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('accounting.col.account')}</Table.Th>
                  <Table.Th>{t('accounting.col.contract')}</Table.Th>
                  <Table.Th>{t('accounting.col.consumer')}</Table.Th>
                  <Table.Th>{t('accounting.col.inn')}</Table.Th>
                  {moneyHeads}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.analytic.map((r) => (
                  <Table.Tr key={`${r.account}-${r.contract}`}>
                    <Table.Td>{r.account}</Table.Td>
                    <Table.Td>{r.contract}</Table.Td>
                    <Table.Td>{r.consumer}</Table.Td>
                    <Table.Td>{r.inn ?? ''}</Table.Td>
                    <Amounts row={r} lang={lang} />
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
