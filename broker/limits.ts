// How often one caller, or one refresh token or code, may use the broker: a token bucket per key,
// refilled at `perMinute` a minute and holding at most that many (so a burst of up to `perMinute`
// requests is fine, and then one every 60/perMinute seconds).

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private prunedAt = Date.now();

  /** `maxKeys` bounds the memory a flood of new keys (addresses, made-up tokens) can take. */
  constructor(
    readonly perMinute: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts a request for `key`: 0 when it may go ahead, else the whole seconds until one may. */
  take(key: string): number {
    const now = Date.now();
    this.prune(now);
    const rate = this.perMinute;
    const b = this.buckets.get(key) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 60_000) * rate);
    b.at = now;
    // Re-inserted on every use, so the map's first key is the one quiet the longest.
    this.buckets.delete(key);
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens < 1) return Math.ceil(((1 - b.tokens) * 60) / rate);
    b.tokens -= 1;
    return 0;
  }

  /** How many keys are remembered (a bucket untouched for a minute is full again: it is forgotten). */
  get size() {
    return this.buckets.size;
  }

  keys() {
    return [...this.buckets.keys()];
  }

  private prune(now: number) {
    if (now - this.prunedAt < 60_000) return;
    // Oldest first (see take): stop at the first bucket used within the minute.
    for (const [k, b] of this.buckets) {
      if (now - b.at < 60_000) break;
      this.buckets.delete(k);
    }
    this.prunedAt = now;
  }
}
