// The bits of the extension API that e2e tests call inside extension pages (page.evaluate).
declare const chrome: {
  runtime: { sendMessage(message: unknown): Promise<any> };
  storage: { local: { get(keys?: unknown): Promise<Record<string, unknown>> } };
  tabs: { query(q: { url?: string }): Promise<{ id?: number; url?: string }[]> };
  scripting: {
    executeScript<A extends unknown[], R>(i: { target: { tabId: number }; func: (...args: A) => R; args?: A }): Promise<{ result: Awaited<R> }[]>;
  };
};
