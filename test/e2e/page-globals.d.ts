// The bits of the extension API that e2e tests call inside extension pages (page.evaluate).
declare const chrome: {
  runtime: { sendMessage(message: unknown): Promise<any> };
  storage: { local: { get(keys?: unknown): Promise<Record<string, unknown>> } };
  tabs: { query(q: { url?: string }): Promise<{ id?: number; url?: string }[]> };
  notifications: { getAll(): Promise<Record<string, boolean>> };
  scripting: {
    executeScript<A extends unknown[], R>(i: { target: { tabId: number }; func: (...args: A) => R; args?: A }): Promise<{ result: Awaited<R> }[]>;
  };
};

/** The e2e build's hook on the options page (entrypoints/options/main.tsx). */
declare const qbcTest: {
  enqueue(writes: import('../../lib/sync/outbox').NewWrite[], opts?: { action?: string }): Promise<import('../../lib/db').OutboxEntry[]>;
  requestPush(realmId?: string): Promise<void>;
  outboxCounts(realmId?: string): Promise<Record<import('../../lib/db').OutboxState, number>>;
};
