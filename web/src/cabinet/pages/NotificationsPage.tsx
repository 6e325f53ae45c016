import { Badge, Card, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime, formatMoney, formatPeriod } from '../../format.ts';
import { Loaded, PageTitle } from '../parts.tsx';
import { useCabinet, useCabinetData } from '../session.tsx';

export type Notifications = {
  dataAsOf: string;
  unread: number;
  items: {
    kind: 'bill' | 'payment' | 'reversal' | 'reminder' | 'application' | 'employee_list';
    at: string;
    unread: boolean;
    period?: string;
    number?: string;
    amount?: string;
    date?: string;
    channel?: string;
    type?: string;
    status?: string;
  }[];
};

/** New bills, payments, reminders and application steps; opening the page marks them read. */
export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const cabinet = useCabinet();
  const { data, error } = useCabinetData<Notifications>('/api/cabinet/notifications');
  const lang = i18n.language;
  // Mark read once per visit: the session object changes every second (its idle clock).
  const marked = useRef(false);
  const { call, notificationsSeen } = cabinet;
  useEffect(() => {
    if (!data || data.unread === 0 || marked.current) return;
    marked.current = true;
    void call('POST', '/api/cabinet/notifications/seen', {}).then(notificationsSeen);
  }, [data, call, notificationsSeen]);
  return (
    <Loaded data={data} error={error}>
      {(d) => (
        <Stack>
          <PageTitle title={t('cabinet.nav.notifications')} at={d.dataAsOf} />
          {d.items.length === 0 && <Text>{t('cabinet.notices.none')}</Text>}
          {d.items.map((n) => (
            <Card
              withBorder
              key={`${n.kind}-${n.at}-${n.number ?? n.amount ?? ''}`}
              data-testid="notification"
            >
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text fw={n.unread ? 700 : 400}>
                  {t(`cabinet.notices.${n.kind}`, {
                    period: n.period ? formatPeriod(n.period, lang) : '',
                    number: n.number ?? '',
                    amount: n.amount ? formatMoney(n.amount, lang) : '',
                    date: n.date ? formatDate(n.date, lang) : '',
                    channel: n.channel ? t(`cabinet.channels.${n.channel}`) : '',
                    type: n.type ? t(`cabinet.app.types.${n.type}`) : '',
                    status: n.status ? t(`cabinet.app.statuses.${n.status}`) : '',
                  })}
                </Text>
                {n.unread && (
                  <Badge size="xs" color="red">
                    {t('cabinet.notices.new')}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {formatDateTime(n.at, lang)}
              </Text>
            </Card>
          ))}
        </Stack>
      )}
    </Loaded>
  );
}
