import { App } from 'antd';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { listNotifications, NOTIFICATION_STREAM, notificationPath, type AppNotification } from '../api/notifications.js';
import { useMe } from '../session/SessionProvider.js';
import { useNotificationLabel } from './labels.js';

// The live channel of one signed-in user: a single EventSource for the whole
// app, the recent notifications for the bell, a toast for each new one, and a
// small event bus that lets the pages listing work refresh themselves.

type Listener = (notification: AppNotification) => void;

interface NotificationsApi {
  /** Newest first, at most KEEP. */
  items: AppNotification[];
  unseen: number;
  /** The stream is open and caught up: nothing sent from now on is missed. */
  connected: boolean;
  /** The newest id the user has looked at in the bell. */
  seenId: number;
  markSeen: () => void;
  subscribe: (listener: Listener) => () => void;
  /** Closes the channel for good (before signing out: the stream must not outlive the session). */
  stop: () => void;
}

const KEEP = 50;
/** A stream the browser gave up on (a 401, a proxy's 502) is reopened after this long. */
const REOPEN_MS = 15_000;
const TOAST_SECONDS = 8;

const NotificationsContext = createContext<NotificationsApi | null>(null);

const seenKey = (userId: number) => `suqiu.notifications.seen.${userId}`;
function readSeen(userId: number): number {
  try {
    return Number(localStorage.getItem(seenKey(userId))) || 0;
  } catch {
    return 0; // storage disabled: everything counts as new until the bell is opened
  }
}

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const userId = me.user.id;
  const { notification } = App.useApp();
  const label = useNotificationLabel();
  const navigate = useNavigate();
  const [items, setItems] = useState<AppNotification[]>([]);
  const [seenId, setSeenId] = useState(() => readSeen(userId));
  const [connected, setConnected] = useState(false);
  const listeners = useRef(new Set<Listener>());
  const stopRef = useRef<() => void>(() => {});
  // The toast reads these through a ref: the channel is opened once per user, not once per language switch.
  const toastRef = useRef<(n: AppNotification) => void>(() => {});
  toastRef.current = (n) =>
    notification.info({
      key: `notification-${n.id}`,
      duration: TOAST_SECONDS,
      title: label(n.kind),
      description: (
        <span data-testid="notification-toast" data-kind={n.kind} data-demand-id={n.demandId ?? undefined}>
          {n.title}
        </span>
      ),
      ...(notificationPath(n) !== null && {
        onClick: () => {
          notification.destroy(`notification-${n.id}`);
          navigate(notificationPath(n)!);
        },
        style: { cursor: 'pointer' },
      }),
      placement: 'bottomRight',
    });

  useEffect(() => {
    const known = new Set<number>();
    let lastId = 0;
    let initial = true;
    let source: EventSource | null = null;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const remember = (batch: AppNotification[]) => {
      for (const n of batch) {
        known.add(n.id);
        lastId = Math.max(lastId, n.id);
      }
      setItems((prev) => [...batch, ...prev].sort((a, b) => b.id - a.id).slice(0, KEEP));
    };
    // A new one: on the list, as a toast, and to the pages that listen.
    const deliver = (n: AppNotification) => {
      if (known.has(n.id)) return;
      remember([n]);
      toastRef.current(n);
      listeners.current.forEach((listener) => listener(n));
    };
    // What the stream did not carry: the recent ones at first (quietly), and after a reopen what was missed meanwhile.
    const catchUp = async () => {
      try {
        const batch = (await listNotifications(lastId)).filter((n) => !known.has(n.id));
        if (stopped) return;
        if (initial) remember(batch);
        else batch.sort((a, b) => a.id - b.id).forEach(deliver);
        initial = false;
      } catch {
        // a 401 signs the user out through the client; anything else waits for the next open
      }
    };
    const open = () => {
      if (stopped) return;
      source = new EventSource(NOTIFICATION_STREAM);
      // Every open (the first, and each of the browser's own reconnects) checks what the stream may have missed.
      source.addEventListener('open', () => void catchUp().then(() => !stopped && setConnected(true)));
      source.addEventListener('notification', (event) => {
        try {
          deliver(JSON.parse((event as MessageEvent<string>).data) as AppNotification);
        } catch {
          // a malformed event is dropped, never the channel
        }
      });
      source.addEventListener('error', () => {
        if (!stopped) setConnected(false);
        // CONNECTING: the browser retries by itself. CLOSED: it gave up (an error status), so we try again later.
        if (source?.readyState !== EventSource.CLOSED || stopped) return;
        source = null;
        reopen = setTimeout(() => void catchUp().then(open), REOPEN_MS);
      });
    };
    const stop = () => {
      stopped = true;
      clearTimeout(reopen);
      source?.close();
      source = null;
      setConnected(false);
    };
    stopRef.current = stop;
    open();
    return stop;
  }, [userId]);

  const markSeen = useCallback(() => {
    const newest = items[0]?.id ?? 0;
    if (newest <= seenId) return;
    setSeenId(newest);
    try {
      localStorage.setItem(seenKey(userId), String(newest));
    } catch {
      // only this page remembers
    }
  }, [items, seenId, userId]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const stop = useCallback(() => stopRef.current(), []);

  const value = useMemo<NotificationsApi>(
    () => ({ items, unseen: items.filter((n) => n.id > seenId).length, connected, seenId, markSeen, subscribe, stop }),
    [items, seenId, connected, markSeen, subscribe, stop],
  );
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

export function useNotifications(): NotificationsApi {
  const context = useContext(NotificationsContext);
  if (!context) throw new Error('useNotifications outside NotificationsProvider');
  return context;
}

/**
 * Calls `refresh` when notifications of the given kinds arrive, at most once per
 * `delayMs`: a dispatch wave or a scheduler pass sends many at once, and one
 * reload covers them. The first one starts the clock and later ones do not
 * push it back, so a steady stream still reloads the page every `delayMs`.
 */
export function useLiveRefresh(kinds: readonly string[] | 'all', refresh: () => void, delayMs = 600): void {
  const { subscribe } = useNotifications();
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  const kindsKey = kinds === 'all' ? 'all' : kinds.join(',');
  useEffect(() => {
    const wanted = kindsKey === 'all' ? null : new Set(kindsKey.split(','));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe((n) => {
      if (wanted && !wanted.has(n.kind)) return;
      timer ??= setTimeout(() => {
        timer = undefined;
        refreshRef.current();
      }, delayMs);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [subscribe, kindsKey, delayMs]);
}

/** A counter that moves on each (debounced) relevant notification: pages put it in their load key. */
export function useLiveTick(kinds: readonly string[] | 'all'): number {
  const [tick, setTick] = useState(0);
  useLiveRefresh(kinds, () => setTick((n) => n + 1));
  return tick;
}
