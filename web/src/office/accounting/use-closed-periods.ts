import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { errorMessage } from '../errors.ts';

type PeriodList = { open: string; items: { period: string; status: 'open' | 'closed' }[] };

/** The supplier's closed periods, newest first (null while loading), and a load error. */
export function useClosedPeriods(): { closed: string[] | null; error: string | null } {
  const { t } = useTranslation();
  const [closed, setClosed] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<PeriodList>('GET', '/api/periods')
      .then((r) =>
        setClosed(
          r.items
            .filter((p) => p.status === 'closed')
            .map((p) => p.period)
            .sort()
            .reverse(),
        ),
      )
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [t]);
  return { closed, error };
}
