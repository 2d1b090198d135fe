// Plumbing the sandbox's servers share.
import type { AddressInfo, Server } from 'node:net';

/** Starts `server` listening and resolves with the port it got (a free one when `port` is 0). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
