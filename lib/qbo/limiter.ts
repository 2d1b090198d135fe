// The per-company request limiter every QBO call goes through: at most 500 requests a minute,
// 10 in flight and 40 batch requests a minute (QBO's limits), and a pause for everyone after a
// 429. Requests wait in arrival order within their priority; one that the window cannot take
// yet does not block a later one that it can (a batch waiting for its own window does not hold
// up reads).

export interface LimitSettings {
  perWindow: number;
  batchPerWindow: number;
  inFlight: number;
  windowMs: number;
}

export const QBO_LIMITS: LimitSettings = { perWindow: 500, batchPerWindow: 40, inFlight: 10, windowMs: 60_000 };

interface Waiter {
  isBatch: boolean;
  /** Lower goes first: requests whose answers unlock more work (a first page, a count). */
  priority: number;
  grant: () => void;
}

export class RealmLimiter {
  private readonly waiting: Waiter[] = [];
  private readonly starts: number[] = [];
  private readonly batchStarts: number[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(public settings: LimitSettings = QBO_LIMITS) {}

  /** QBO counts a request when it arrives, a little after we send it; free slots a little late. */
  private get margin() {
    return Math.max(200, this.settings.windowMs * 0.02);
  }

  /** Waits for a slot; call the returned function when the response has arrived. */
  acquire(isBatch = false, priority = 1): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiting.push({
        isBatch,
        priority,
        grant: () => {
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.inFlight--;
            this.pump();
          });
        },
      });
      this.pump();
    });
  }

  /** After a 429: nobody sends to this company for `ms`. */
  pause(ms: number) {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    this.pump();
  }

  private pump() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (;;) {
      if (this.waiting.length === 0) return;
      const now = Date.now();
      if (now < this.pausedUntil) return this.wake(this.pausedUntil - now);
      if (this.inFlight >= this.settings.inFlight) return; // a release pumps again
      const horizon = now - this.settings.windowMs - this.margin;
      while (this.starts.length && this.starts[0] <= horizon) this.starts.shift();
      while (this.batchStarts.length && this.batchStarts[0] <= horizon) this.batchStarts.shift();
      if (this.starts.length >= this.settings.perWindow) return this.wake(this.starts[0] - horizon + 1);
      const batchFull = this.batchStarts.length >= this.settings.batchPerWindow;
      let index = -1;
      for (let i = 0; i < this.waiting.length; i++) {
        const w = this.waiting[i];
        if ((!w.isBatch || !batchFull) && (index < 0 || w.priority < this.waiting[index].priority)) index = i;
      }
      if (index < 0) return this.wake(this.batchStarts[0] - horizon + 1);
      const [next] = this.waiting.splice(index, 1);
      this.starts.push(now);
      if (next.isBatch) this.batchStarts.push(now);
      this.inFlight++;
      next.grant();
    }
  }

  private wake(ms: number) {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(1, ms));
  }
}

const limiters = new Map<string, RealmLimiter>();

/**
 * The limiter for a company, shared by every client in this extension context. A company is its
 * API address (`…/v3/company/<realmId>` at one QuickBooks), not its realm id alone: QuickBooks
 * counts requests where it serves them, so the same realm id on another server (a local sandbox
 * started again on another port, Intuit's sandbox) starts with a window of its own instead of
 * waiting out one that server never counted.
 */
export function limiterFor(company: string, settings?: Partial<LimitSettings>): RealmLimiter {
  let l = limiters.get(company);
  if (!l) limiters.set(company, (l = new RealmLimiter({ ...QBO_LIMITS, ...settings })));
  else if (settings) l.settings = { ...l.settings, ...settings };
  return l;
}
