// npm run sandbox -- [--port 4010] [--seed default|scale|empty] [--window-ms 60000] [--no-limits]
// Starts the local QuickBooks Online emulator and prints what it serves.
import { parseArgs } from 'node:util';
import { QboSandbox } from './qbo/server';
import { SEED_KINDS, type SeedKind } from './qbo/seed';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: 'default' },
    'window-ms': { type: 'string' },
    'no-limits': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('npm run sandbox -- [--port 4010] [--host 127.0.0.1] [--seed default|scale|empty] [--window-ms 60000] [--no-limits]');
  process.exit(0);
}
if (!SEED_KINDS.includes(values.seed as SeedKind)) {
  console.error(`--seed must be one of ${SEED_KINDS.join(', ')}.`);
  process.exit(2);
}
const started = Date.now();
const qbo = await QboSandbox.start({
  port: Number(values.port),
  host: values.host,
  seed: values.seed as SeedKind,
  limits: { enabled: !values['no-limits'], ...(values['window-ms'] ? { windowMs: Number(values['window-ms']) } : {}) },
});
const s = qbo.state();
console.log(`QuickBooks Online sandbox on ${qbo.url} (seed "${s.seed}", ready in ${Date.now() - started} ms)`);
for (const c of s.companies)
  console.log(`  company ${c.name}: realmId ${c.realmId}, ${c.counts.Vendor} vendors, ${c.counts.Customer} customers`);
console.log(`  OAuth authorize  ${qbo.url}/connect/oauth2   (client id "${s.clientId}")`);
console.log(`  OAuth tokens     ${qbo.url}/oauth2/v1/tokens/bearer`);
console.log(`  OAuth revoke     ${qbo.url}/v2/oauth2/tokens/revoke`);
console.log(`  Discovery        ${qbo.url}/.well-known/openid_configuration`);
console.log(`  API              ${qbo.url}/v3/company/<realmId>/...`);
console.log(`  Web app pages    ${qbo.url}/app/customerdetail?nameId=<id>`);
console.log(`  Admin            ${qbo.url}/_sandbox   (reset, faults, limits, tokens, clock)`);
console.log(`  Limits           ${s.limits.enabled ? `${s.limits.perWindow} requests / ${s.limits.windowMs} ms, ${s.limits.inFlight} in flight, ${s.limits.batchPerWindow} batches / window` : 'off'}`);

const stop = async () => {
  await qbo.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
