import {
  Alert,
  Button,
  Checkbox,
  Group,
  LoadingOverlay,
  NativeSelect,
  Pagination,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../errors.ts';

/** A column of an office table. */
export type Column<T> = {
  /** The API's sort key for this column; also the React key. */
  key: string;
  label: string;
  /** The server can sort by `key`. */
  sortable?: boolean;
  align?: 'left' | 'right';
  render: (row: T) => ReactNode;
};

/** Rows the user ticked, for tables with actions on several rows (confirm, match…). */
export type Selection = { selected: ReadonlySet<string>; onChange: (next: Set<string>) => void };

const PAGE_SIZES = ['25', '50', '100'];

/** Query string of the defined parameters. */
export function queryOf(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return q.toString();
}

/**
 * A table whose rows live on the server: it asks `endpoint` for one page (`limit`, `offset`),
 * sorted by one column (`sort`, `dir`) and filtered by `filters`, shows the page with a pager,
 * and offers the whole filtered list as XLSX (`format=xlsx&lang=…`). Changing a filter goes back
 * to the first page; `reloadKey` asks again (after an action changed the data).
 */
export function DataTable<T>(props: {
  endpoint: string;
  filters?: Record<string, string | undefined>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  defaultSort: string;
  defaultDir?: 'asc' | 'desc';
  /** Show the XLSX export button. */
  exportable?: boolean;
  reloadKey?: number;
  selection?: Selection;
  /** Shown instead of the table when nothing matches. */
  empty?: ReactNode;
  testId?: string;
  minWidth?: number;
}) {
  const { t, i18n } = useTranslation();
  const [sort, setSort] = useState(props.defaultSort);
  const [dir, setDir] = useState<'asc' | 'desc'>(props.defaultDir ?? 'asc');
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(PAGE_SIZES[1] ?? '50');
  const [data, setData] = useState<{ items: T[]; total: number } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const filterQuery = queryOf(props.filters ?? {});
  // A new filter, sort or page size starts again from the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the page resets when these change
  useEffect(() => setPage(1), [filterQuery, sort, dir, size]);

  const listQuery = useMemo(
    () =>
      [filterQuery, queryOf({ sort, dir, limit: size, offset: (page - 1) * Number(size) })]
        .filter(Boolean)
        .join('&'),
    [filterQuery, sort, dir, size, page],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey asks again on purpose
  useEffect(() => {
    let live = true;
    setLoading(true);
    api<{ items: T[]; total: number }>('GET', `${props.endpoint}?${listQuery}`)
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
  }, [props.endpoint, listQuery, props.reloadKey, t]);

  const toggleSort = (key: string) => {
    if (sort === key) setDir(dir === 'asc' ? 'desc' : 'asc');
    else {
      setSort(key);
      setDir('asc');
    }
  };

  const pages = data ? Math.max(1, Math.ceil(data.total / Number(size))) : 1;
  const first = data && data.total > 0 ? (page - 1) * Number(size) + 1 : 0;
  const last = data ? Math.min(page * Number(size), data.total) : 0;
  const exportHref = `${props.endpoint}?${[filterQuery, queryOf({ sort, dir, format: 'xlsx', lang: i18n.language })].filter(Boolean).join('&')}`;
  const sel = props.selection;
  const pageKeys = data?.items.map(props.rowKey) ?? [];
  const allTicked = pageKeys.length > 0 && pageKeys.every((k) => sel?.selected.has(k));

  return (
    <div style={{ position: 'relative' }}>
      <LoadingOverlay visible={loading} zIndex={10} overlayProps={{ blur: 1 }} />
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error}
        </Alert>
      )}
      {data && data.total === 0 && props.empty ? (
        props.empty
      ) : (
        <Table.ScrollContainer minWidth={props.minWidth ?? 640}>
          <Table striped highlightOnHover data-testid={props.testId}>
            <Table.Thead>
              <Table.Tr>
                {sel && (
                  <Table.Th w={36}>
                    <Checkbox
                      aria-label={t('table.selectPage')}
                      checked={allTicked}
                      onChange={(e) => {
                        const next = new Set(sel.selected);
                        for (const k of pageKeys) {
                          if (e.currentTarget.checked) next.add(k);
                          else next.delete(k);
                        }
                        sel.onChange(next);
                      }}
                    />
                  </Table.Th>
                )}
                {props.columns.map((c) => (
                  <Table.Th
                    key={c.key}
                    ta={c.align}
                    aria-sort={sort === c.key ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    {c.sortable ? (
                      <UnstyledButton onClick={() => toggleSort(c.key)} fw={700} fz="sm">
                        {c.label}
                        {sort === c.key ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
                      </UnstyledButton>
                    ) : (
                      c.label
                    )}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data?.items.map((row) => {
                const key = props.rowKey(row);
                return (
                  <Table.Tr key={key}>
                    {sel && (
                      <Table.Td>
                        <Checkbox
                          aria-label={t('table.selectRow')}
                          checked={sel.selected.has(key)}
                          onChange={(e) => {
                            const next = new Set(sel.selected);
                            if (e.currentTarget.checked) next.add(key);
                            else next.delete(key);
                            sel.onChange(next);
                          }}
                        />
                      </Table.Td>
                    )}
                    {props.columns.map((c) => (
                      <Table.Td key={c.key} ta={c.align}>
                        {c.render(row)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="space-between" mt="sm" wrap="wrap">
        <Text size="sm" c="dimmed" data-testid={props.testId ? `${props.testId}-count` : undefined}>
          {data ? t('table.shown', { first, last, total: data.total }) : '…'}
        </Text>
        <Group gap="sm">
          <NativeSelect
            aria-label={t('table.pageSize')}
            size="xs"
            data={PAGE_SIZES}
            value={size}
            onChange={(e) => setSize(e.currentTarget.value)}
          />
          <Pagination
            size="sm"
            total={pages}
            value={page}
            onChange={setPage}
            getControlProps={(control) => ({
              'aria-label': t(`table.${control}`),
            })}
          />
          {props.exportable && (
            <Button component="a" href={exportHref} size="xs" variant="light" download>
              {t('table.export')}
            </Button>
          )}
        </Group>
      </Group>
    </div>
  );
}
