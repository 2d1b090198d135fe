// Everything the product talks to on the sandbox, started together: the local QuickBooks, a
// token broker configured for it, and the five demo host apps.
import { Broker } from '../broker/server';
import { DEFAULT_BASE_PORT as HOSTS_BASE_PORT, HOST_APP_IDS, startDemoHosts, type DemoHosts } from './hosts/server';
import type { LimitSettings } from './qbo/limits';
import type { SeedKind } from './qbo/seed';
import { QboSandbox } from './qbo/server';

/** The extension's id, fixed by the manifest key (wxt.config.ts): the broker answers only it. */
export const EXTENSION_ID = 'cdbjflagiponpmenikdhggjhoomnimdb';

/** Where the stack's ports start by default: QuickBooks on 4010, the broker on 4020. */
export const DEFAULT_STACK_PORT = 4010;

export interface StackOptions {
  host?: string;
  /**
   * QuickBooks listens on basePort (and basePort + 1 with `tls`), the broker on basePort + 10 and
   * the demo hosts on their own ports, 4101-4105. 0 = free ports for everything. Default 4010.
   */
  basePort?: number;
  /** Also serve the QuickBooks sandbox over TLS + HTTP/2. */
  tls?: boolean;
  seed?: SeedKind;
  limits?: Partial<LimitSettings>;
}

function stackPorts(basePort: number, tls: boolean) {
  const at = (offset: number) => (basePort === 0 ? 0 : basePort + offset);
  return { qbo: at(0), qboTls: tls ? at(1) : undefined, broker: at(10), hostsBase: basePort === 0 ? 0 : HOSTS_BASE_PORT };
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
  const qbo = await QboSandbox.start({ port: ports.qbo, host, seed: opts.seed, limits: opts.limits, tlsPort: ports.qboTls });
  const { clientId } = qbo.oauth.settings;
  const broker = await Broker.start({
    clientId,
    clientSecret: qbo.oauth.settings.clientSecret,
    environment: 'local',
    localOrigin: qbo.url,
    allowedOrigins: [`chrome-extension://${EXTENSION_ID}`],
    allowedRedirectUris: [`https://${EXTENSION_ID}.chromiumapp.org/`],
    ratePerMinute: 600,
    port: ports.broker,
    host,
    log: () => {},
  });
  const hosts = await startDemoHosts({ basePort: ports.hostsBase, host });
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
    async close() {
      await Promise.all([qbo.close(), broker.close(), hosts.close()]);
    },
  };
}
