// Live views of the extension's state for React pages: they re-render when the worker writes.
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useRef, useSyncExternalStore } from 'react';
import { viewOf } from '@/lib/auth/connection';
import { db } from '@/lib/db';
import { boundCompany } from '@/lib/links';
import { appStates, countsOfApp } from '@/lib/hosts/store';
import { drifts } from '@/lib/hosts/worker/drift';
import { outboxCounts } from '@/lib/sync/outbox';
import { progressOf } from '@/lib/sync/pull';

export function useConnections() {
  return useLiveQuery(async () => (await db.connections.toArray()).map((c) => viewOf(c)).sort((a, b) => b.connectedAt - a.connectedAt));
}

export function usePullProgress(realmId: string | undefined) {
  return useLiveQuery(async () => (realmId ? progressOf(await db.syncCursors.where('realmId').equals(realmId).toArray()) : undefined), [realmId]);
}

/** Host apps whose last listing stopped with a problem, or whose records the app says are gone. */
export function useHostAppNotes() {
  return useLiveQuery(() => db.hostApps.filter((a) => !!a.problem || Object.values(a.gone ?? {}).some((ids) => ids.length > 0)).toArray(), []);
}

/**
 * What the extension read of a profile's apps through their APIs, per origin: the listing state,
 * the records kept per kind (for the company the app is bound to), and that company's state.
 * With no origin known yet, an empty list.
 */
export function useAppListings(profileId: string) {
  return useLiveQuery(async () => {
    const connected = new Set((await db.connections.toArray()).filter((c) => c.status === 'connected').map((c) => c.realmId));
    return Promise.all(
      (await appStates(profileId)).map(async (app) => {
        const realmId = await boundCompany(app);
        // The app's records are kept under the company it is bound to (on its first listing).
        const company = !connected.size ? 'none' : !realmId ? 'unbound' : connected.has(realmId) ? 'connected' : 'disconnected';
        return { app, company, counts: realmId ? await countsOfApp(realmId, app) : {} } as const;
      }),
    );
  }, [profileId]);
}

export function useDrifts() {
  return useLiveQuery(() => drifts(), []);
}

/** How many changes wait to reach QuickBooks (or a host app), and how many failed. */
export function useOutboxCounts(realmId: string | undefined) {
  return useLiveQuery(() => (realmId ? outboxCounts(realmId) : undefined), [realmId]);
}

/** The writes of one outbox action (a bulk change), and how many of them are finished or failed. */
export function useActionProgress(action: string | undefined) {
  const entries = useLiveQuery(() => (action ? db.outbox.where('action').equals(action).toArray() : []), [action]);
  const total = entries?.length ?? 0;
  const finished = entries?.filter((e) => e.state === 'done' || e.state === 'failed' || e.state === 'cancelled').length ?? 0;
  const failed = entries?.filter((e) => e.state === 'failed').length ?? 0;
  return { entries: entries ?? [], total, finished, failed };
}

/**
 * The same object of functions on every render, each calling the newest of `fresh`'s: what a
 * memoised list hands its rows, so that a row drawn before is not drawn again for new closures.
 */
export function useStableHandlers<T extends Record<string, (...args: never[]) => void>>(fresh: T): T {
  const latest = useRef(fresh);
  latest.current = fresh;
  return useMemo(
    () => Object.fromEntries(Object.keys(fresh).map((k) => [k, (...args: never[]) => latest.current[k](...args)])) as T,
    // Made once: the functions' names never change, and each calls the newest.
    [],
  );
}

/** Whether a media query matches the page now (kept current as the window is resized). */
export function useMediaQuery(query: string): boolean {
  const list = useMemo(() => window.matchMedia(query), [query]);
  return useSyncExternalStore(
    (changed) => {
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    () => list.matches,
  );
}
