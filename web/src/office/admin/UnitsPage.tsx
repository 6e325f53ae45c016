import {
  Alert,
  Button,
  Code,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../errors.ts';
import { type FieldErrors, fieldErrorsOf } from './field-errors.ts';
import { type AdminUnit, depthOf } from './types.ts';

const CODE = /^[A-Za-z0-9._-]{1,32}$/;

/** What the unit dialog does: add under a parent, or change a unit. */
type Editing = { mode: 'add'; parent: AdminUnit } | { mode: 'edit'; unit: AdminUnit };

/** The dialog that adds a region or district under a unit, or renames a unit and changes its code. */
function UnitDialog(props: {
  editing: Editing;
  onSaved: (u: AdminUnit, created: boolean) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { editing } = props;
  const start = editing.mode === 'edit' ? editing.unit : null;
  const [code, setCode] = useState(start?.code ?? '');
  const [name, setName] = useState(start?.name ?? '');
  const [kind, setKind] = useState<'region' | 'district'>(
    editing.mode === 'add' && editing.parent.kind === 'region' ? 'district' : 'region',
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!CODE.test(code.trim())) found.code = t('admin.fieldErrors.code');
    if (name.trim() === '') found.name = t('admin.fieldErrors.name');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      if (editing.mode === 'add') {
        const body = { parentId: editing.parent.id, code: code.trim(), name: name.trim(), kind };
        props.onSaved(await api<AdminUnit>('POST', '/api/org-units', body), true);
      } else {
        const body = { code: code.trim(), name: name.trim() };
        props.onSaved(await api<AdminUnit>('PATCH', `/api/org-units/${editing.unit.id}`, body), false);
      }
    } catch (err) {
      setErrors(fieldErrorsOf(err, t, ['code', 'name', 'kind']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid="unit-form">
      <Stack>
        {editing.mode === 'add' && (
          <Text size="sm">{t('admin.addUnder', { name: editing.parent.name })}</Text>
        )}
        {(errors.form || errors.kind) && (
          <Alert color="red" role="alert" data-testid="unit-error">
            {errors.form ?? errors.kind}
          </Alert>
        )}
        {editing.mode === 'add' && editing.parent.kind === 'company' && (
          <NativeSelect
            label={t('admin.kind')}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value === 'district' ? 'district' : 'region')}
            data={[
              { value: 'region', label: t('billing.kind.region') },
              { value: 'district', label: t('billing.kind.district') },
            ]}
            data-testid="unit-kind"
          />
        )}
        <TextInput
          label={t('admin.unitName')}
          value={name}
          error={errors.name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-testid="unit-name"
        />
        <TextInput
          label={t('admin.code')}
          description={t('admin.codeHint')}
          value={code}
          error={errors.code}
          onChange={(e) => setCode(e.currentTarget.value)}
          data-testid="unit-code"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('admin.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="unit-save">
            {t('admin.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The org units as an indented tree: company, its regions, their districts. Where the user holds
 * `org.write` it adds a region under the company or a district under a region, and renames a unit
 * or changes its code. Units are never moved or deleted (people, consumers and history hang on them).
 */
export function UnitsPage() {
  const { t } = useTranslation();
  const [units, setUnits] = useState<AdminUnit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload asks again on purpose
  useEffect(() => {
    api<{ items: AdminUnit[] }>('GET', '/api/org-units')
      .then((r) => setUnits(r.items))
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [t, reload]);

  const titleOf = (e: Editing) =>
    e.mode === 'edit'
      ? t('admin.editUnit')
      : t(e.parent.kind === 'region' ? 'admin.addDistrict' : 'admin.addUnit');

  if (error) return <Alert color="red">{error}</Alert>;
  if (!units) return <Text>…</Text>;
  const sorted = [...units].sort((a, b) => (a.path < b.path ? -1 : 1));
  const base = Math.min(...sorted.map(depthOf));

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('admin.unitsHelp')}
      </Text>
      {done && (
        <Alert color="teal" data-testid="unit-done" withCloseButton onClose={() => setDone(null)}>
          {done}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={640}>
        <Table striped data-testid="org-units">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.unit')}</Table.Th>
              <Table.Th>{t('admin.kind')}</Table.Th>
              <Table.Th>{t('admin.code')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((u) => (
              <Table.Tr key={u.id} data-testid={`unit-${u.code}`}>
                <Table.Td style={{ paddingLeft: 12 + 24 * (depthOf(u) - base) }}>{u.name}</Table.Td>
                <Table.Td>{t(`billing.kind.${u.kind}`)}</Table.Td>
                <Table.Td>
                  <Code>{u.code}</Code>
                </Table.Td>
                <Table.Td>
                  {u.writable && (
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      {u.kind !== 'district' && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          onClick={() => setEditing({ mode: 'add', parent: u })}
                          data-testid={`unit-add-${u.code}`}
                        >
                          + {t(u.kind === 'company' ? 'admin.addRegion' : 'admin.addDistrict')}
                        </Button>
                      )}
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => setEditing({ mode: 'edit', unit: u })}
                        data-testid={`unit-edit-${u.code}`}
                      >
                        {t('admin.edit')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing ? titleOf(editing) : ''}
      >
        {editing && (
          <UnitDialog
            editing={editing}
            onClose={() => setEditing(null)}
            onSaved={(u, created) => {
              setEditing(null);
              setDone(t(created ? 'admin.unitCreated' : 'admin.unitSaved', { name: u.name }));
              setReload((x) => x + 1);
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
