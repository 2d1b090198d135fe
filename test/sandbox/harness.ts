// Starts a real emulator on a free port and talks to it over HTTP, as any QBO client would.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { QboSandbox, type QboSandboxOptions } from '../../sandbox/qbo/server';
import { DEMO_REALM } from '../../sandbox/qbo/seed';

export { DEMO_REALM };

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // QBO bodies are free-form JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function startSandbox(opts: QboSandboxOptions = {}) {
  const sandbox = await QboSandbox.start({ limits: { enabled: false }, ...opts });
  return sandbox;
}

/**
 * One emulator for a test file, reseeded with the default company and its limits off before each
 * test. Returns the running emulator (started before the first test).
 */
export function useSandbox(): () => QboSandbox {
  let sandbox: QboSandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox?.close());
  beforeEach(async () => {
    await admin(sandbox!, '/reset', { seed: 'default' });
    await admin(sandbox!, '/limits', { enabled: false });
  });
  return () => sandbox!;
}

/** The emulator's admin API (/_sandbox), on any emulator: in this process or another. */
export async function admin(sandbox: { url: string }, path: string, body?: unknown, method = 'POST') {
  const res = await fetch(`${sandbox.url}/_sandbox${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

/** A reply with its body as text and, when it is JSON, parsed. */
export async function readReply(res: Response): Promise<Reply> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A QBO API client for tests: a bearer token for one company and raw HTTP helpers. */
export async function connect(sandbox: QboSandbox, realmId = DEMO_REALM) {
  const tokens = await admin(sandbox, '/tokens', { realmId });
  const base = `${sandbox.url}/v3/company/${realmId}`;
  const call = async (method: string, path: string, body?: unknown, token = tokens.access_token): Promise<Reply> => {
    const res = await fetch(`${base}/${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': typeof body === 'string' ? 'application/text' : 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return readReply(res);
  };
  return {
    realmId,
    tokens,
    call,
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    query: (q: string) => call('GET', `query?query=${encodeURIComponent(q)}&minorversion=75`),
  };
}

/** Every key path of a sample, with the JSON type at it (arrays merge their elements). */
export function shapeOf(value: unknown, path = '$', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    out.set(path, 'array');
    for (const v of value) shapeOf(v, `${path}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    out.set(path, 'object');
    for (const [k, v] of Object.entries(value)) shapeOf(v, `${path}.${k}`, out);
  } else out.set(path, value === null ? 'null' : typeof value);
  return out;
}

/** The key paths of `sample` that `actual` lacks or holds with another JSON type. */
export function shapeDifferences(sample: unknown, actual: unknown, ignore: RegExp[] = []): string[] {
  const want = shapeOf(sample);
  const got = shapeOf(actual);
  const diffs: string[] = [];
  for (const [path, type] of want) {
    if (ignore.some((r) => r.test(path))) continue;
    if (!got.has(path)) diffs.push(`missing ${path} (${type})`);
    else if (got.get(path) !== type) diffs.push(`${path}: ${got.get(path)} instead of ${type}`);
  }
  return diffs;
}

/**
 * Completes the sandbox's consent page over plain HTTP, as a user would in the browser:
 * reads the form, picks a company and presses Connect. Returns where the page redirects.
 */
export async function completeConsent(authorizeUrl: string, opts: { realmId?: string; decision?: 'allow' | 'deny' } = {}) {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 200)}`);
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    form.set(m[1], m[2].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  const firstRealm = /name="realmId" value="([^"]+)" checked/.exec(html)?.[1];
  form.set('realmId', opts.realmId ?? firstRealm ?? '');
  form.set('decision', opts.decision ?? 'allow');
  const action = new URL('/connect/oauth2', authorizeUrl);
  const res = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`consent answered ${res.status}`);
  return location;
}

/**
 * Sends bytes as they are, over a plain socket, for what fetch would refuse or repair (a bad
 * Host header, broken percent-encoding). Resolves with the status and the body.
 */
export async function rawRequest(origin: string, request: string): Promise<{ status: number; headers: string; body: string }> {
  const { connect: tcp } = await import('node:net');
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = tcp(Number(port), hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = text.slice(0, split);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: text.slice(split + 4) });
    });
  });
}
