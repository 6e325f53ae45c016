import { ActionIcon, Button, Group, Input, NativeSelect, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type AdminUnit, depthOf, type Grant, ROLE_CODES } from './types.ts';

/**
 * The grants of a user as rows of role and org unit (indented by depth), with add and remove.
 * The units are those the caller may grant at; a grant at a unit covers everything under it.
 */
export function RolesEditor(props: {
  value: Grant[];
  onChange: (next: Grant[]) => void;
  units: AdminUnit[];
  error?: string | undefined;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const top = Math.min(...props.units.map(depthOf));
  const unitOptions = [
    { value: '', label: t('admin.chooseUnit'), disabled: true },
    ...props.units.map((u) => ({ value: u.id, label: `${'\u2002'.repeat(depthOf(u) - top)}${u.name}` })),
  ];
  const set = (i: number, patch: Partial<Grant>) =>
    props.onChange(props.value.map((g, j) => (j === i ? { ...g, ...patch } : g)));
  return (
    <Input.Wrapper label={t('admin.roles')} description={t('admin.rolesHelp')} error={props.error}>
      <Stack gap="xs" mt={4} data-testid="roles-editor">
        {props.value.map((g, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved
          <Group key={i} gap="xs" wrap="nowrap" align="end">
            <NativeSelect
              aria-label={t('admin.role')}
              value={g.role}
              disabled={props.disabled}
              onChange={(e) => set(i, { role: e.currentTarget.value })}
              data={ROLE_CODES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              data-testid={`role-${i}-role`}
              style={{ flex: 1 }}
            />
            <NativeSelect
              aria-label={t('admin.unit')}
              value={g.orgUnitId}
              disabled={props.disabled}
              onChange={(e) => set(i, { orgUnitId: e.currentTarget.value })}
              data={unitOptions}
              data-testid={`role-${i}-unit`}
              style={{ flex: 1.4 }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              aria-label={t('admin.removeRole')}
              disabled={props.disabled || props.value.length <= 1}
              onClick={() => props.onChange(props.value.filter((_, j) => j !== i))}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        {props.value.length === 0 && (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
        {!props.disabled && (
          <Button
            variant="subtle"
            size="xs"
            style={{ alignSelf: 'flex-start' }}
            onClick={() => props.onChange([...props.value, { role: 'operator', orgUnitId: '' }])}
            data-testid="role-add"
          >
            + {t('admin.addRole')}
          </Button>
        )}
      </Stack>
    </Input.Wrapper>
  );
}
