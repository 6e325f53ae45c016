import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, type SessionResponse, type SessionUser, setCsrfToken } from '../api/client.ts';

type SessionState = {
  user: SessionUser | null;
  loading: boolean;
  signIn(login: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
};

const SessionContext = createContext<SessionState | null>(null);

/** Holds the signed-in user and the CSRF token, loaded from /api/auth/me at start. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [loading, setLoading] = useState(true);

  const accept = useCallback((s: SessionResponse) => {
    setCsrfToken(s.csrfToken);
    setUser(s.user);
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await api<SessionResponse>('GET', '/api/auth/me'));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      setUser(null);
    } finally {
      setLoading(false);
    }
  }, [accept]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo<SessionState>(
    () => ({
      user,
      loading,
      refresh,
      signIn: async (login, password) =>
        accept(await api<SessionResponse>('POST', '/api/auth/login', { login, password })),
      signOut: async () => {
        try {
          await api('POST', '/api/auth/logout');
        } finally {
          setUser(null);
        }
      },
    }),
    [user, loading, refresh, accept],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session of the page. */
export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
