import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { ApiError, api, apiUpload, setCsrfToken } from '../api/client.ts';

/** The signed-in consumer, as /api/cabinet/login and /api/cabinet/me return it. */
export type CabinetSession = {
  account: string;
  consumerName: string;
  commodity: 'electricity' | 'heat';
  mustChangePassword: boolean;
  idleMinutes: number;
  expiresAt: string;
  csrfToken: string;
};

type State = {
  session: CabinetSession | null;
  loading: boolean;
  /** Why the last session ended, shown on the sign-in page ('idle' after the idle timeout). */
  ended: 'idle' | null;
  /** Seconds left before the idle sign-out, when the warning is due (the last minute), else null. */
  idleWarning: number | null;
  signIn(contract: string, password: string, supplier?: string): Promise<void>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
  /** Keeps the session open (the server counts idle time from the last request). */
  stayActive(): Promise<void>;
  /** Calls the cabinet API; every call counts as activity. */
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  /** Unread notifications, shown beside the navigation. */
  unread: number;
  setUnread(n: number): void;
  /** The consumer has seen the notifications. */
  notificationsSeen(): void;
  /** Posts a multipart form to the cabinet API. */
  upload<T>(path: string, form: FormData): Promise<T>;
};

const Context = createContext<State | null>(null);

/**
 * Holds the consumer's cabinet session and its idle clock: the server signs a session out after
 * `idleMinutes` without a request (R6); the page warns a minute before and then ends it too.
 */
export function CabinetSessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<CabinetSession | null>(null);
  const [loading, setLoading] = useState(true);
  const [ended, setEnded] = useState<'idle' | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [unread, setUnread] = useState(0);
  const lastActivity = useRef(Date.now());

  const accept = useCallback((s: CabinetSession) => {
    setCsrfToken(s.csrfToken);
    lastActivity.current = Date.now();
    setSession(s);
    setEnded(null);
  }, []);

  const call = useCallback(async <T,>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    try {
      const result = await (body instanceof FormData ? apiUpload<T>(path, body) : api<T>(method, path, body));
      lastActivity.current = Date.now();
      return result;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && path !== '/api/cabinet/login') {
        setSession(null);
        if (e.code === 'AUTH_SESSION_EXPIRED') setEnded('idle');
      }
      throw e;
    }
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await api<CabinetSession>('GET', '/api/cabinet/me'));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      setSession(null);
    } finally {
      setLoading(false);
    }
  }, [accept]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    if (!session) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [session]);

  const idleMs = (session?.idleMinutes ?? 10) * 60_000;
  const left = session ? Math.ceil((lastActivity.current + idleMs - now) / 1000) : null;

  useEffect(() => {
    if (session && left !== null && left <= 0) {
      setSession(null);
      setEnded('idle');
      void api('POST', '/api/cabinet/logout').catch(() => undefined);
    }
  }, [session, left]);

  const value = useMemo<State>(
    () => ({
      session,
      loading,
      ended,
      idleWarning: left !== null && left > 0 && left <= 60 ? left : null,
      refresh,
      call,
      unread,
      setUnread,
      notificationsSeen: () => setUnread(0),
      upload: (path, form) => call('POST', path, form),
      signIn: async (contract, password, supplier) =>
        accept(
          await call<CabinetSession>('POST', '/api/cabinet/login', {
            contract,
            password,
            ...(supplier ? { supplier } : {}),
          }),
        ),
      signOut: async () => {
        try {
          await api('POST', '/api/cabinet/logout');
        } finally {
          setSession(null);
          setEnded(null);
        }
      },
      stayActive: async () => {
        accept(await call<CabinetSession>('GET', '/api/cabinet/me'));
      },
    }),
    [session, loading, ended, left, refresh, call, accept, unread],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The cabinet session of the page. */
export function useCabinet(): State {
  const s = useContext(Context);
  if (!s) throw new Error('useCabinet outside CabinetSessionProvider');
  return s;
}

/** Loads one cabinet resource; reloads when `path` changes. */
export function useCabinetData<T>(path: string | null): {
  data: T | null;
  error: unknown;
  reload: () => void;
} {
  const { call } = useCabinet();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick forces a reload
  useEffect(() => {
    if (!path) return;
    let live = true;
    setError(null);
    call<T>('GET', path)
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [path, call, tick]);
  return { data, error, reload: () => setTick((x) => x + 1) };
}
