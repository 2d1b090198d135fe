// npm run sandbox -- [--port 4010] [--seed default|scale|empty] [--window-ms 60000] [--no-limits] [--tls]
// Starts the local QuickBooks Online emulator (port), the token broker (port + 10) and the demo
// host apps (port + 91 to port + 95: 4101-4105 by default), and prints what each serves. --port 0
// picks free ports for everything. --tls also serves the QuickBooks sandbox over TLS + HTTP/2
// (port + 1), as Intuit's gateway does. Ctrl-C or SIGTERM stops every server at once, whatever
// connections are open.
import { parseArgs } from 'node:util';
import { exitOnSignals } from '../broker/http';
import { parseSeedKind } from './qbo/seed';
import { DEFAULT_STACK_PORT, parseBasePort, startStack } from './stack';

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
  console.log('Ports: QuickBooks on --port, TLS + HTTP/2 on port + 1, the broker on port + 10, the demo apps on port + 91 to port + 95.');
  process.exit(0);
}
const seed = parseSeedKind(values.seed);
if ('error' in seed) {
  console.error(`--${seed.error}`);
  process.exit(2);
}
const port = parseBasePort(values.port);
if ('error' in port) {
  console.error(`--${port.error}`);
  process.exit(2);
}
const started = Date.now();
const stack = await startStack({
  host: values.host,
  basePort: port.port,
  tls: values.tls,
  seed: seed.seed,
  limits: { enabled: !values['no-limits'], ...(values['window-ms'] ? { windowMs: Number(values['window-ms']) } : {}) },
}).catch((e: NodeJS.ErrnoException & { port?: number }) => {
  if (e.code !== 'EADDRINUSE') throw e;
  console.error(`Port ${e.port} is in use (another sandbox?). Pass --port to move every port, e.g. npm run sandbox -- --port 4510, or --port 0 for free ones.`);
  process.exit(2);
});
for (const line of stack.describe()) console.log(line);
console.log(`Ready in ${Date.now() - started} ms. Ctrl-C stops everything.`);
exitOnSignals(() => stack.close());
