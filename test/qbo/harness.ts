// A QboClient wired to a running sandbox, with a token provider that refreshes through the
// sandbox's token endpoint (as the broker would) and counts its refreshes.
import { QboClient, type Exchange, type QboClientOptions, type TokenProvider } from '../../lib/qbo';
import type { QboSandbox } from '../../sandbox/qbo/server';
import { admin, DEMO_REALM } from '../sandbox/harness';

export class SandboxTokens implements TokenProvider {
  refreshes = 0;
  private access = '';
  private refreshToken = '';
  constructor(private readonly sandbox: QboSandbox, private readonly realmId = DEMO_REALM) {}
  async init() {
    const t = await admin(this.sandbox, '/tokens', { realmId: this.realmId });
    this.access = t.access_token;
    this.refreshToken = t.refresh_token;
    return this;
  }
  async accessToken() {
    return this.access;
  }
  private refreshing?: Promise<string>;
  /** One refresh at a time, as lib/auth does: callers arriving meanwhile share it. */
  async refresh(rejected: string) {
    if (this.refreshing) return this.refreshing;
    if (rejected !== this.access) return this.access;
    this.refreshing = this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }
  private async doRefresh() {
    this.refreshes++;
    const res = await fetch(`${this.sandbox.url}/oauth2/v1/tokens/bearer`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('sandbox-client-id:sandbox-client-secret').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.refreshToken }),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`refresh failed: ${json.error}`);
    this.access = json.access_token;
    this.refreshToken = json.refresh_token;
    return this.access;
  }
}

/**
 * A client for the sandbox. Clients of one company share its limiter (as in the extension);
 * tests that are not about limits lift the per-window caps so earlier tests do not slow them.
 */
export async function sandboxClient(sandbox: QboSandbox, extra: Partial<QboClientOptions> = {}) {
  const tokens = await new SandboxTokens(sandbox, extra.realmId ?? DEMO_REALM).init();
  const log: Exchange[] = [];
  const client = new QboClient({
    realmId: DEMO_REALM,
    environment: 'local-sandbox',
    localOrigin: sandbox.url,
    tokens,
    log: (e) => log.push(e),
    retry: { baseDelayMs: 10, maxDelayMs: 50, throttleBaseMs: 20, throttleMaxMs: 100 },
    limits: { perWindow: 1_000_000, batchPerWindow: 1_000_000, inFlight: 10, windowMs: 60_000 },
    ...extra,
  });
  return { client, tokens, log };
}
