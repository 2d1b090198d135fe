// Web Locks: one holder of a name at a time across the worker, popup, side panel and options
// page. Where they are missing (unit tests in Node), a promise chain per name serialises this
// context, and a lock asked for only if available is always available.

export interface LockOptions {
  /** Run only if nobody holds the lock now; fn is then told whether it holds it. */
  ifAvailable?: boolean;
}

const chains = new Map<string, Promise<unknown>>();

/** Runs fn holding the lock `name`; with ifAvailable, fn(false) runs at once when another holder has it. */
export function withLock<T>(name: string, opts: LockOptions, fn: (held: boolean) => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) return locks.request(name, opts, (lock) => fn(lock !== null)) as Promise<T>;
  if (opts.ifAvailable) return fn(true);
  const held = () => fn(true);
  const run = (chains.get(name) ?? Promise.resolve()).then(held, held);
  chains.set(name, run.catch(() => undefined));
  return run;
}
