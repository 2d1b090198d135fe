// Benchmarks run the sandbox QuickBooks in its own process (as in real use, the server's work
// does not share the client's event loop) and drive it through its admin API.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { QboClient, QBO_LIMITS, type Exchange } from '../../lib/qbo';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { admin } from '../sandbox/harness';

export interface SandboxProcess {
  url: string;
  /** The TLS + HTTP/2 origin, when started with --tls. */
  tlsUrl?: string;
  brokerUrl: string;
  admin(path: string, body?: unknown, method?: string): Promise<any>;
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, '..', '..');

export async function startSandboxProcess(args: string[] = []): Promise<SandboxProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sandbox/index.ts', '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [url, brokerUrl, tlsUrl] = await new Promise<[string, string, string | undefined]>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /QuickBooks Online sandbox +(http:\/\/[^\s]+)/.exec(out);
      const b = /Token broker +(http:\/\/[^\s]+)/.exec(out);
      const t = /TLS \+ HTTP\/2 +(https:\/\/[^\s]+)/.exec(out);
      if (m && b && (t || !args.includes('--tls'))) res([m[1], b[1], t?.[1]]);
    });
    child.once('exit', (code) => rej(new Error(`sandbox exited with ${code}: ${out}`)));
  });
  child.stdout!.resume();
  return {
    url,
    tlsUrl,
    brokerUrl,
    admin: (path, body, method) => admin({ url }, path, body, method),
    stop: () =>
      new Promise<void>((res) => {
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}

/** Turns on QBO's own limits (500 requests and 40 batches a minute, 10 in flight), in a fresh window. */
export function qboLimitsOn(sandbox: SandboxProcess) {
  return sandbox.admin('/limits', { enabled: true, ...QBO_LIMITS });
}

/** How many records of each entity the demo company holds. */
export async function demoCounts(sandbox: SandboxProcess): Promise<Record<string, number>> {
  const state = await sandbox.admin('/', undefined, 'GET');
  return state.companies.find((c: { realmId: string }) => c.realmId === DEMO_REALM).counts;
}

/** lib/qbo's client for the demo company, as the extension would make it, with a token from the sandbox. */
export async function demoClient(sandbox: SandboxProcess, log?: (e: Exchange) => void): Promise<QboClient> {
  const tokens = await sandbox.admin('/tokens', { realmId: DEMO_REALM });
  return new QboClient({
    log,
    realmId: DEMO_REALM,
    environment: 'local-sandbox',
    localOrigin: sandbox.url,
    tokens: { accessToken: async () => tokens.access_token, refresh: async () => tokens.access_token },
  });
}
