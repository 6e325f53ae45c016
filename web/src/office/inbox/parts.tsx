import { Badge, Stack, Text } from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { OrgUnitSelect, useOrgUnits } from '../org-units.tsx';
import type { ApplicationStatus } from './types.ts';

const STATUS_COLOR: Record<ApplicationStatus, string> = {
  submitted: 'yellow',
  accepted: 'blue',
  scheduled: 'indigo',
  done: 'teal',
  rejected: 'red',
  cancelled: 'gray',
};

/** An application's status as a coloured badge, in the cabinet's words. */
export function AppStatusBadge({ status }: { status: ApplicationStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" tt="none" style={{ flexShrink: 0 }}>
      {t(`cabinet.app.statuses.${status}`)}
    </Badge>
  );
}

/** A labelled value in a drawer. */
export function Field(props: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {props.label}
      </Text>
      <Text size="sm" component="div" data-testid={props.testId} style={{ overflowWrap: 'anywhere' }}>
        {props.children}
      </Text>
    </Stack>
  );
}

/** The unit filter; hidden when the user reads a single unit only. */
export function UnitFilter(props: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  return (
    <OrgUnitSelect
      units={useOrgUnits()}
      label={t('inbox.filter.unit')}
      value={props.value}
      onChange={props.onChange}
    />
  );
}

/** "YYYY-MM-DD" in Tashkent, `offsetDays` from today. */
function tashkentDay(offsetDays: number): string {
  return new Date(Date.now() + 5 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** A day of the supplier's calendar (GET /api/reference/holidays). */
type CalendarDay = { day: string; kind: 'holiday' | 'workday' };

/**
 * The days a visit can be scheduled on, as the server rules: today and 60 days ahead, without
 * Sundays and the calendar's holidays; a Sunday the calendar makes a working day is offered.
 */
export function visitDays(calendar: readonly CalendarDay[] = []): string[] {
  const kind = new Map(calendar.map((c) => [c.day, c.kind]));
  return Array.from({ length: 61 }, (_, i) => tashkentDay(i)).filter((d) => {
    const marked = kind.get(d);
    if (marked) return marked === 'workday';
    return new Date(`${d}T00:00:00Z`).getUTCDay() !== 0;
  });
}

/** visitDays() with the supplier's holidays of this year and the next, once they are loaded. */
export function useVisitDays(): string[] {
  const [calendar, setCalendar] = useState<CalendarDay[]>([]);
  useEffect(() => {
    let live = true;
    const years = [...new Set([tashkentDay(0), tashkentDay(60)].map((d) => d.slice(0, 4)))];
    Promise.all(years.map((y) => api<{ items: CalendarDay[] }>('GET', `/api/reference/holidays?year=${y}`)))
      .then((r) => live && setCalendar(r.flatMap((x) => x.items)))
      // Without the calendar (no reference.read) Sundays are left out; the server refuses a holiday.
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  return visitDays(calendar);
}
