// Everything the product talks to on the sandbox, started together: the local QuickBooks, a
// token broker configured for it, and the five demo host apps, all on ports counted from one base
// port, so two stacks with different base ports run side by side.
import { Broker } from '../broker/server';
import { HOST_APP_IDS, startDemoHosts, type DemoHosts } from './hosts/server';
import type { LimitSettings } from './qbo/limits';
import type { SeedKind } from './qbo/seed';
import { QboSandbox } from './qbo/server';

/** The extension's id, fixed by the manifest key (wxt.config.ts): the broker answers only it. */
export const EXTENSION_ID = 'cdbjflagiponpmenikdhggjhoomnimdb';

/** Where the stack's ports start by default: QuickBooks on 4010, the broker on 4020, the demo apps on 4101-4105. */
export const DEFAULT_STACK_PORT = 4010;

/**
 * Each server's port, counted from the base port: QuickBooks on base, its TLS + HTTP/2 origin on
 * base + 1, the broker on base + 10, the demo apps on base + 91 to base + 95 (in HOST_APP_IDS order).
 */
export const PORT_OFFSETS = { qbo: 0, qboTls: 1, broker: 10, hosts: 91 } as const;

/** The highest base port: the last demo app's port (base + 95) must still be a port. */
export const MAX_BASE_PORT = 65535 - PORT_OFFSETS.hosts - (HOST_APP_IDS.length - 1);

export interface StackOptions {
  host?: string;
  /** Where the ports start (PORT_OFFSETS); 0 = free ports for everything. Default 4010. */
  basePort?: number;
  /** Also serve the QuickBooks sandbox over TLS + HTTP/2. */
  tls?: boolean;
  seed?: SeedKind;
  limits?: Partial<LimitSettings>;
}

/** The ports a stack with this base port listens on (all 0, meaning free ones, for base port 0). */
export function stackPorts(basePort: number, tls: boolean) {
  const at = (offset: number) => (basePort === 0 ? 0 : basePort + offset);
  return { qbo: at(PORT_OFFSETS.qbo), qboTls: tls ? at(PORT_OFFSETS.qboTls) : undefined, broker: at(PORT_OFFSETS.broker), hostsBase: at(PORT_OFFSETS.hosts) };
}

/** `--port` from the command line: 0, or a base port that leaves room for every server's port. */
export function parseBasePort(value: string): { port: number } | { error: string } {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (port === 0 || (port >= 1 && port <= MAX_BASE_PORT)) return { port };
  return { error: `port must be 0 (free ports for everything) or a base port from 1 to ${MAX_BASE_PORT} (the demo apps listen on base + 91 to base + 95), not "${value}".` };
}

/** The Chromium the product runs in (the system one unless CHROMIUM_PATH says otherwise). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Chromium flags that load the unpacked extension in `dir` (and no other), and keep the browser
 * quiet: no background downloads, component updates, sync or first-run pages.
 */
export function extensionLaunchArgs(dir: string): string[] {
  return [
    `--disable-extensions-except=${dir}`,
    `--load-extension=${dir}`,
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-features=DisableLoadExtensionCommandLineSwitch',
  ];
}

export interface Stack {
  qbo: QboSandbox;
  broker: Broker;
  hosts: DemoHosts;
  describe(): string[];
  close(): Promise<void>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const host = opts.host ?? '127.0.0.1';
  const ports = stackPorts(opts.basePort ?? DEFAULT_STACK_PORT, opts.tls ?? false);
  // A port already taken fails the start: close what had started, so nothing is left listening.
  const started: { close(): Promise<void> }[] = [];
  const start = async <T extends { close(): Promise<void> }>(server: Promise<T>) => {
    const s = await server;
    started.push(s);
    return s;
  };
  let qbo: QboSandbox, broker: Broker, hosts: DemoHosts;
  try {
    qbo = await start(QboSandbox.start({ port: ports.qbo, host, seed: opts.seed, limits: opts.limits, tlsPort: ports.qboTls }));
    broker = await start(
      Broker.start({
        clientId: qbo.oauth.settings.clientId,
        clientSecret: qbo.oauth.settings.clientSecret,
        environment: 'local',
        localOrigin: qbo.url,
        allowedOrigins: [`chrome-extension://${EXTENSION_ID}`],
        allowedRedirectUris: [`https://${EXTENSION_ID}.chromiumapp.org/`],
        ratePerMinute: 600,
        // The sandbox's fault injection makes the extension retry one refresh token more than Intuit would.
        tokenRatePerMinute: 60,
        port: ports.broker,
        host,
        log: () => {},
      }),
    );
    hosts = await start(startDemoHosts({ basePort: ports.hostsBase, host }));
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    throw e;
  }
  const { clientId } = qbo.oauth.settings;
  return {
    qbo,
    broker,
    hosts,
    describe() {
      const s = qbo.state();
      return [
        `QuickBooks Online sandbox  ${qbo.url}  (seed "${s.seed}"; client id "${clientId}")`,
        ...s.companies.map((c) => `  company ${c.name}: realmId ${c.realmId}, ${c.counts.Vendor} vendors, ${c.counts.Customer} customers`),
        `  OAuth ${qbo.url}/connect/oauth2 · API ${qbo.url}/v3/company/<realmId>/… · web app ${qbo.url}/app/… · admin ${qbo.url}/_sandbox`,
        ...(qbo.tlsUrl ? [`  also over TLS + HTTP/2     ${qbo.tlsUrl}  (self-signed certificate)`] : []),
        `  limits: ${s.limits.enabled ? `${s.limits.perWindow} requests / ${s.limits.windowMs} ms, ${s.limits.inFlight} in flight, ${s.limits.batchPerWindow} batches` : 'off'}`,
        `Token broker               ${broker.url}  (for chrome-extension://${EXTENSION_ID})`,
        'Demo host apps:',
        ...HOST_APP_IDS.map((id) => `  ${hosts.apps[id].name.padEnd(30)} ${hosts.apps[id].url}`),
      ];
    },
    /** Stops every server, closing every open connection (half-sent requests, keep-alive, HTTP/2) at once. */
    async close() {
      await Promise.all([qbo.close(), broker.close(), hosts.close()]);
    },
  };
}
