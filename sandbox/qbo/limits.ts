// QBO's per-company limits: requests per minute, requests in flight, batch requests per minute.
// A request over any of them is answered 429 and does not count. The window is configurable so
// tests and benchmarks can exercise the limits in seconds rather than minutes.

export interface LimitSettings {
  enabled: boolean;
  windowMs: number;
  perWindow: number;
  batchPerWindow: number;
  inFlight: number;
}

export const QBO_LIMITS: LimitSettings = { enabled: true, windowMs: 60_000, perWindow: 500, batchPerWindow: 40, inFlight: 10 };

class RealmWindow {
  requests: number[] = [];
  batches: number[] = [];
  inFlight = 0;
}

export class Limiter {
  private readonly realms = new Map<string, RealmWindow>();
  constructor(public settings: LimitSettings = { ...QBO_LIMITS }) {}

  /** Takes a slot for one request, or returns the limit that refused it. */
  acquire(realmId: string, isBatch: boolean, now: number): null | 'per-minute' | 'in-flight' | 'batch' {
    let w = this.realms.get(realmId);
    if (!w) this.realms.set(realmId, (w = new RealmWindow()));
    if (!this.settings.enabled) {
      w.inFlight++;
      return null;
    }
    const since = now - this.settings.windowMs;
    while (w.requests.length && w.requests[0] <= since) w.requests.shift();
    while (w.batches.length && w.batches[0] <= since) w.batches.shift();
    if (w.inFlight >= this.settings.inFlight) return 'in-flight';
    if (w.requests.length >= this.settings.perWindow) return 'per-minute';
    if (isBatch && w.batches.length >= this.settings.batchPerWindow) return 'batch';
    w.requests.push(now);
    if (isBatch) w.batches.push(now);
    w.inFlight++;
    return null;
  }

  release(realmId: string) {
    const w = this.realms.get(realmId);
    if (w && w.inFlight > 0) w.inFlight--;
  }

  reset() {
    this.realms.clear();
  }
}
