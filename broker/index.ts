// npm run broker: the token broker, configured from the environment (broker/README.md).
import { Broker, configFromEnv } from './server';

let config;
try {
  config = configFromEnv();
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
const broker = await Broker.start({ ...config, port: config.port ?? 4020, host: config.host ?? '127.0.0.1' });
console.log(`QuickBooks token broker on ${broker.url} (${config.environment}); answering ${config.allowedOrigins.join(', ')}`);
const stop = async () => {
  await broker.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
