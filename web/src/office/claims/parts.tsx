import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Today in Tashkent as YYYY-MM-DD (the server's default day). */
export function todayInTashkent(): string {
  return new Date(Date.now() + 5 * 3_600_000).toISOString().slice(0, 10);
}

const COLOR: Record<string, string> = {
  draft: 'gray',
  sent: 'blue',
  filed: 'blue',
  issued: 'orange',
  hearing: 'indigo',
  enforcement: 'grape',
  answered: 'cyan',
  partially_satisfied: 'yellow',
  rejected: 'red',
  lost: 'red',
  expired: 'red',
  paid: 'teal',
  satisfied: 'teal',
  won: 'teal',
  settled: 'teal',
  executed: 'dark',
  escalated: 'violet',
};

/** A claim's status as a coloured badge. */
export function ClaimStatusBadge({ status, testId }: { status: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={COLOR[status] ?? 'gray'}
      variant="light"
      tt="none"
      data-testid={testId}
      data-status={status}
    >
      {t(`claims.statuses.${status}`)}
    </Badge>
  );
}
