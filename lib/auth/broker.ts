// The extension's side of the token broker: code exchange, refresh, revoke. Errors come back
// as AuthError kinds: InvalidGrant means the user must reconnect; Transient never disconnects.
import { z } from 'zod';

export type AuthErrorKind = 'InvalidGrant' | 'Transient' | 'NeedsReconnect' | 'StateMismatch' | 'Cancelled' | 'Broker';

export class AuthError extends Error {
  constructor(
    readonly kind: AuthErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number(),
  x_refresh_token_expires_in: z.number().optional(),
  x_refresh_token_hard_expires_in: z.number().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

async function post(brokerUrl: string, path: string, body: unknown): Promise<unknown> {
  // Not a transient failure: nothing will change until someone sets the address.
  if (!brokerUrl) throw new AuthError('Broker', 'The QuickBooks sign-in service (token broker) is not set. Enter its address in Options > Connection > Advanced; your administrator has it.');
  let res: Response;
  try {
    res = await fetch(`${brokerUrl.replace(/\/+$/, '')}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new AuthError('Transient', 'The QuickBooks sign-in service could not be reached. Check your connection; the extension will try again.');
  }
  const json = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  if (res.ok) return json;
  if (json.error === 'invalid_grant') throw new AuthError('InvalidGrant', json.message ?? 'QuickBooks no longer accepts this connection.');
  if (res.status === 429 || res.status >= 500) throw new AuthError('Transient', json.message ?? `The sign-in service answered ${res.status}; the extension will try again.`);
  throw new AuthError('Broker', json.message ?? `The sign-in service refused the request (${json.error ?? res.status}).`);
}

export async function exchangeCode(brokerUrl: string, input: { code: string; redirectUri: string; realmId: string }) {
  return TokenResponse.parse(await post(brokerUrl, '/token', input));
}

export async function refreshTokens(brokerUrl: string, refreshToken: string) {
  return TokenResponse.parse(await post(brokerUrl, '/refresh', { refreshToken }));
}

export async function revokeToken(brokerUrl: string, token: string) {
  await post(brokerUrl, '/revoke', { token });
}
