// Everything the product talks to on the sandbox, started together: the local QuickBooks, a
// token broker configured for it, and the five demo host apps.
import { Broker } from '../broker/server';
import { HOST_APP_IDS, startDemoHosts, type DemoHosts } from './hosts/server';
import type { LimitSettings } from './qbo/limits';
import type { SeedKind } from './qbo/seed';
import { QboSandbox } from './qbo/server';

/** The extension's id, fixed by the manifest key (wxt.config.ts): the broker answers only it. */
export const EXTENSION_ID = 'cdbjflagiponpmenikdhggjhoomnimdb';

export interface StackOptions {
  host?: string;
  qboPort?: number;
  /** Also serve the QuickBooks sandbox over TLS + HTTP/2 on this port (0 = any free one). */
  qboTlsPort?: number;
  brokerPort?: number;
  hostsBasePort?: number;
  seed?: SeedKind;
  limits?: Partial<LimitSettings>;
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
  const qbo = await QboSandbox.start({ port: opts.qboPort ?? 4010, host, seed: opts.seed, limits: opts.limits, tlsPort: opts.qboTlsPort });
  const { clientId } = qbo.oauth.settings;
  const broker = await Broker.start({
    clientId,
    clientSecret: qbo.oauth.settings.clientSecret,
    environment: 'local',
    localOrigin: qbo.url,
    allowedOrigins: [`chrome-extension://${EXTENSION_ID}`],
    allowedRedirectUris: [`https://${EXTENSION_ID}.chromiumapp.org/`],
    ratePerMinute: 600,
    port: opts.brokerPort ?? 4020,
    host,
    log: () => {},
  });
  const hosts = await startDemoHosts({ basePort: opts.hostsBasePort ?? 4101, host });
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
