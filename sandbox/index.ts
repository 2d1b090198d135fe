// npm run sandbox -- [--port 4010] [--seed default|scale|empty] [--window-ms 60000] [--no-limits] [--tls]
// Starts the local QuickBooks Online emulator, the token broker (port + 10) and the demo host
// apps (4101-4105), and prints what each serves. --port 0 picks free ports for everything.
// --tls also serves the QuickBooks sandbox over TLS + HTTP/2 (port + 1), as Intuit's gateway does.
import { parseArgs } from 'node:util';
import { SEED_KINDS, type SeedKind } from './qbo/seed';
import { startStack } from './stack';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: 'default' },
    'window-ms': { type: 'string' },
    'no-limits': { type: 'boolean', default: false },
    tls: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('npm run sandbox -- [--port 4010] [--host 127.0.0.1] [--seed default|scale|empty] [--window-ms 60000] [--no-limits] [--tls]');
  process.exit(0);
}
if (!SEED_KINDS.includes(values.seed as SeedKind)) {
  console.error(`--seed must be one of ${SEED_KINDS.join(', ')}.`);
  process.exit(2);
}
const port = Number(values.port);
const started = Date.now();
const stack = await startStack({
  host: values.host,
  qboPort: port,
  qboTlsPort: values.tls ? (port === 0 ? 0 : port + 1) : undefined,
  brokerPort: port === 0 ? 0 : port + 10,
  hostsBasePort: port === 0 ? 0 : 4101,
  seed: values.seed as SeedKind,
  limits: { enabled: !values['no-limits'], ...(values['window-ms'] ? { windowMs: Number(values['window-ms']) } : {}) },
});
for (const line of stack.describe()) console.log(line);
console.log(`Ready in ${Date.now() - started} ms. Ctrl-C stops everything.`);

const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
