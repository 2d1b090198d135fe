// npm run sandbox -- [--port 4010] [--seed default|scale|empty] [--window-ms 60000] [--no-limits] [--tls]
// Starts the local QuickBooks Online emulator, the token broker (port + 10) and the demo host
// apps (4101-4105), and prints what each serves. --port 0 picks free ports for everything.
// --tls also serves the QuickBooks sandbox over TLS + HTTP/2 (port + 1), as Intuit's gateway does.
import { parseArgs } from 'node:util';
import { parseSeedKind } from './qbo/seed';
import { DEFAULT_STACK_PORT, startStack } from './stack';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: String(DEFAULT_STACK_PORT) },
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
const seed = parseSeedKind(values.seed);
if ('error' in seed) {
  console.error(`--${seed.error}`);
  process.exit(2);
}
const started = Date.now();
const stack = await startStack({
  host: values.host,
  basePort: Number(values.port),
  tls: values.tls,
  seed: seed.seed,
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
