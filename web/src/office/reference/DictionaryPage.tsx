import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NativeSelect,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../errors.ts';
import { type Column, DataTable } from '../table/DataTable.tsx';
import { HistoryButton } from './History.tsx';

/** A field of a dictionary row, as the form edits it and the table shows it. */
type Field = {
  key: string;
  type: 'text' | 'select' | 'number' | 'bool' | 'registers';
  options?: readonly string[];
  /** Fixed once the row exists (codes, a category's kind). */
  createOnly?: boolean;
  optional?: boolean;
};

/** One simple reference list: its API path, audit entity, key field and fields. */
export type DictionarySpec = {
  path: 'banks' | 'categories' | 'meter-types' | 'payment-channels' | 'reason-codes';
  entity: string;
  idKey: 'mfo' | 'code';
  fields: Field[];
  sortable: string[];
  deletable: boolean;
  exportable?: boolean;
};

type Row = Record<string, unknown> & { id: string; active: boolean; revision: number; uses?: number };

const REGISTERS = ['1.8.0', '1.8.1', '1.8.2', '1.8.3', '1.8.4', '2.8.0', '3.8.0', '4.8.0'];

/** The simple lists of the reference area. */
export const DICTIONARIES: DictionarySpec[] = [
  {
    path: 'banks',
    entity: 'bank',
    idKey: 'mfo',
    fields: [
      { key: 'mfo', type: 'text', createOnly: true },
      { key: 'name', type: 'text' },
    ],
    sortable: ['mfo', 'name'],
    deletable: true,
    exportable: true,
  },
  {
    path: 'categories',
    entity: 'consumer_category',
    idKey: 'code',
    fields: [
      { key: 'code', type: 'text', createOnly: true },
      { key: 'name', type: 'text' },
      { key: 'kind', type: 'select', options: ['legal', 'household'], createOnly: true },
    ],
    sortable: ['code', 'name', 'kind'],
    deletable: true,
  },
  {
    path: 'meter-types',
    entity: 'meter_type',
    idKey: 'code',
    fields: [
      { key: 'code', type: 'text', createOnly: true },
      { key: 'name', type: 'text' },
      { key: 'digits', type: 'number' },
      { key: 'accuracyClass', type: 'text', optional: true },
      { key: 'registers', type: 'registers' },
      { key: 'remoteSwitch', type: 'bool' },
    ],
    sortable: ['code', 'name', 'digits'],
    deletable: true,
  },
  {
    path: 'payment-channels',
    entity: 'payment_channel',
    idKey: 'code',
    fields: [
      { key: 'code', type: 'text', createOnly: true },
      { key: 'name', type: 'text' },
      { key: 'kind', type: 'select', options: ['bank', 'post', 'online', 'card', 'cash', 'sms'] },
    ],
    sortable: ['code', 'name', 'kind'],
    deletable: false,
  },
  {
    path: 'reason-codes',
    entity: 'reason_code',
    idKey: 'code',
    fields: [
      { key: 'code', type: 'text', createOnly: true },
      {
        key: 'purpose',
        type: 'select',
        options: [
          'disconnection',
          'reconnection',
          'recalculation',
          'correction',
          'payment_reversal',
          'application_refusal',
          'meter_replacement',
        ],
      },
      { key: 'name', type: 'text' },
    ],
    sortable: ['code', 'name', 'purpose'],
    deletable: true,
  },
];

type Values = Record<string, string | boolean | string[]>;

function initialValues(spec: DictionarySpec, row: Row | null): Values {
  return Object.fromEntries(
    spec.fields.map((f) => {
      const v = row?.[f.key];
      switch (f.type) {
        case 'bool':
          return [f.key, v === true];
        case 'registers':
          return [f.key, Array.isArray(v) ? v.map(String) : ['1.8.0']];
        case 'select':
          return [f.key, typeof v === 'string' ? v : (f.options?.[0] ?? '')];
        default:
          return [f.key, v === null || v === undefined ? '' : String(v)];
      }
    }),
  );
}

/** The body the API takes for these values: numbers as numbers, an empty optional text as null. */
function bodyOf(spec: DictionarySpec, values: Values, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) {
    if (!keys.includes(f.key)) continue;
    const v = values[f.key];
    if (f.type === 'number') out[f.key] = Number(v);
    else if (f.type === 'text')
      out[f.key] = typeof v === 'string' && v.trim() === '' && f.optional ? null : v;
    else out[f.key] = v;
  }
  return out;
}

/** The form of a new or an existing row. */
function RowForm(props: {
  spec: DictionarySpec;
  row: Row | null;
  onSaved: (r: Row) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { spec, row } = props;
  const initial = initialValues(spec, row);
  const [values, setValues] = useState<Values>(initial);
  const [active, setActive] = useState(row?.active ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (k: string, v: string | boolean | string[]) => setValues({ ...values, [k]: v });
  const label = (k: string) => t(`reference.fields.${k}`);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (row) {
        const changed = spec.fields
          .filter((f) => !f.createOnly && JSON.stringify(values[f.key]) !== JSON.stringify(initial[f.key]))
          .map((f) => f.key);
        const body = {
          revision: row.revision,
          ...bodyOf(spec, values, changed),
          ...(active !== row.active ? { active } : {}),
        };
        props.onSaved(await api<Row>('PATCH', `/api/reference/${spec.path}/${row.id}`, body));
      } else {
        const body = bodyOf(
          spec,
          values,
          spec.fields.map((f) => f.key),
        );
        props.onSaved(await api<Row>('POST', `/api/reference/${spec.path}`, body));
      }
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid="dictionary-form">
      <Stack>
        {error && (
          <Alert color="red" role="alert" data-testid="dictionary-error">
            {error}
          </Alert>
        )}
        {spec.fields.map((f) => {
          const disabled = row !== null && f.createOnly;
          const v = values[f.key];
          switch (f.type) {
            case 'bool':
              return (
                <Checkbox
                  key={f.key}
                  label={label(f.key)}
                  checked={v === true}
                  onChange={(e) => set(f.key, e.currentTarget.checked)}
                />
              );
            case 'registers':
              return (
                <MultiSelect
                  key={f.key}
                  label={label(f.key)}
                  data={REGISTERS}
                  value={Array.isArray(v) ? v : []}
                  onChange={(x) => set(f.key, x)}
                />
              );
            case 'select':
              return (
                <NativeSelect
                  key={f.key}
                  label={label(f.key)}
                  disabled={disabled}
                  value={String(v)}
                  onChange={(e) => set(f.key, e.currentTarget.value)}
                  data={(f.options ?? []).map((o) => ({
                    value: o,
                    label: t(`reference.options.${f.key}.${o}`),
                  }))}
                />
              );
            default:
              return (
                <TextInput
                  key={f.key}
                  label={label(f.key)}
                  disabled={disabled}
                  value={String(v)}
                  inputMode={f.type === 'number' || f.key === 'mfo' ? 'numeric' : undefined}
                  onChange={(e) => set(f.key, e.currentTarget.value)}
                  data-testid={`field-${f.key}`}
                />
              );
          }
        })}
        {row && (
          <Switch
            label={t('reference.active')}
            checked={active}
            onChange={(e) => setActive(e.currentTarget.checked)}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            {t('reference.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="dictionary-save">
            {t('reference.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Shows a field's value in the table. */
function cell(f: Field, v: unknown, t: (k: string) => string) {
  if (f.type === 'bool') return v ? '✓' : '—';
  if (f.type === 'registers') return Array.isArray(v) ? v.join(', ') : '';
  if (f.type === 'select') return typeof v === 'string' ? t(`reference.options.${f.key}.${v}`) : '';
  return v === null || v === undefined ? '—' : String(v);
}

/**
 * One simple reference list as an office table (search, active filter, paging, sort), with add,
 * edit, (de)activate, delete of unused rows and the change history.
 */
export function DictionaryPage(props: { spec: DictionarySpec; canWrite: boolean }) {
  const { t } = useTranslation();
  const { spec } = props;
  const [q, setQ] = useState('');
  const [activeFilter, setActiveFilter] = useState('');
  const [editing, setEditing] = useState<Row | 'new' | null>(null);
  const [reload, setReload] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const remove = async (r: Row) => {
    if (!window.confirm(t('reference.confirmDelete', { id: String(r[spec.idKey]) }))) return;
    setError(null);
    try {
      await api('DELETE', `/api/reference/${spec.path}/${r.id}`);
      setDone(t('reference.deleted', { id: String(r[spec.idKey]) }));
      setReload((x) => x + 1);
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };

  const columns: Column<Row>[] = [
    ...spec.fields.map((f) => ({
      key: f.key,
      label: t(`reference.fields.${f.key}`),
      sortable: spec.sortable.includes(f.key),
      render: (r: Row) => cell(f, r[f.key], t),
    })),
    {
      key: 'active',
      label: t('reference.status'),
      render: (r: Row) =>
        r.active ? (
          <Badge variant="light" color="teal" miw="max-content">
            {t('reference.active')}
          </Badge>
        ) : (
          <Badge variant="light" color="gray" miw="max-content">
            {t('reference.inactive')}
          </Badge>
        ),
    },
    ...(spec.deletable && spec.path !== 'reason-codes'
      ? [
          {
            key: 'uses',
            label: t('reference.uses'),
            align: 'right' as const,
            render: (r: Row) => String(r.uses ?? 0),
          },
        ]
      : []),
    {
      key: 'actions',
      label: '',
      render: (r: Row) => (
        <Group gap={4} wrap="nowrap" justify="flex-end">
          <HistoryButton entity={spec.entity} id={String(r[spec.idKey])} />
          {props.canWrite && (
            <Button size="compact-xs" variant="light" onClick={() => setEditing(r)}>
              {t('reference.edit')}
            </Button>
          )}
          {props.canWrite && spec.deletable && !r.uses && (
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => void remove(r)}>
              {t('reference.remove')}
            </Button>
          )}
        </Group>
      ),
    },
  ];

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
      <Group justify="space-between" align="end" wrap="wrap">
        <Group align="end" wrap="wrap">
          <TextInput
            label={t('reference.search')}
            placeholder={t(`reference.searchHint.${spec.path}`)}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            miw={240}
            data-testid="dictionary-search"
          />
          <NativeSelect
            label={t('reference.status')}
            value={activeFilter}
            onChange={(e) => setActiveFilter(e.currentTarget.value)}
            data={[
              { value: '', label: t('reference.all') },
              { value: 'true', label: t('reference.active') },
              { value: 'false', label: t('reference.inactive') },
            ]}
          />
        </Group>
        {props.canWrite && (
          <Button onClick={() => setEditing('new')} data-testid="dictionary-add">
            {t('reference.add')}
          </Button>
        )}
      </Group>
      <DataTable<Row>
        endpoint={`/api/reference/${spec.path}`}
        filters={{ q: q.trim() || undefined, active: activeFilter || undefined }}
        columns={columns}
        rowKey={(r) => r.id}
        defaultSort={spec.sortable[0] ?? 'code'}
        exportable={spec.exportable ?? false}
        reloadKey={reload}
        testId={`dictionary-${spec.path}`}
        minWidth={720}
      />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={t(editing === 'new' ? 'reference.addTitle' : 'reference.editTitle', {
          list: t(`reference.tabs.${spec.path}`),
        })}
      >
        {editing !== null && (
          <RowForm
            spec={spec}
            row={editing === 'new' ? null : editing}
            onSaved={(r) => {
              setEditing(null);
              setDone(t('reference.savedRow', { id: String(r[spec.idKey]) }));
              setReload((x) => x + 1);
            }}
            onCancel={() => setEditing(null)}
          />
        )}
      </Modal>
    </Stack>
  );
}
