// npm run broker: the token broker, configured from the environment (broker/README.md). A setting
// it cannot use stops it before it listens, with a line per setting saying what to put there.
import { BrokerConfigError, configFromEnv, type BrokerConfig } from './config';
import { exitOnSignals } from './http';
import { Broker } from './server';

let config: BrokerConfig;
try {
  config = configFromEnv();
} catch (e) {
  console.error(e instanceof BrokerConfigError ? e.message : `The token broker could not read its settings: ${(e as Error).message}`);
  process.exit(2);
}
const broker = await Broker.start(config);
const proxies = config.trustedProxies?.length ? `X-Forwarded-For believed from ${config.trustedProxies.join(', ')}` : 'X-Forwarded-For ignored (no BROKER_TRUSTED_PROXIES)';
console.log(`QuickBooks token broker on ${broker.url} (${config.environment}); answering ${config.allowedOrigins.join(', ')}`);
console.log(`  limits: ${config.ratePerMinute} requests a minute per client address, ${config.tokenRatePerMinute} per refresh token or code; ${proxies}`);
exitOnSignals(() => broker.close());
