import { NativeSelect, type NativeSelectProps } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useSession } from '../session/session.tsx';

/** An org unit as /api/org-units answers it. */
export type OrgUnitItem = {
  id: string;
  parentId?: string | null;
  kind: string;
  code?: string;
  name: string;
  path: string;
};

/** The org units the user may read, in tree order (for unit filters); empty without org.read. */
export function useOrgUnits(): OrgUnitItem[] {
  const { user } = useSession();
  const [units, setUnits] = useState<OrgUnitItem[]>([]);
  useEffect(() => {
    if (!user?.permissions.includes('org.read')) return;
    api<{ items: OrgUnitItem[] }>('GET', '/api/org-units')
      .then((r) => setUnits(r.items))
      .catch(() => setUnits([]));
  }, [user]);
  return units;
}

/**
 * The unit filter of an office table: "all" and each unit, indented by its depth in the tree
 * (company, region, district). Hidden when there is only one unit to choose.
 */
export function OrgUnitSelect(
  props: {
    units: OrgUnitItem[];
    label: string;
    value: string;
    onChange: (id: string) => void;
  } & Pick<NativeSelectProps, 'style' | 'w'>,
) {
  const { t } = useTranslation();
  if (props.units.length <= 1) return null;
  const depth = (u: OrgUnitItem) => u.path.split('/').filter(Boolean).length;
  const top = Math.min(...props.units.map(depth));
  return (
    <NativeSelect
      label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      data={[
        { value: '', label: t('table.all') },
        ...props.units.map((u) => ({ value: u.id, label: `${'\u2002'.repeat(depth(u) - top)}${u.name}` })),
      ]}
      style={props.style}
      w={props.w}
    />
  );
}
