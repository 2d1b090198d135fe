// Benchmarks run the sandbox QuickBooks in its own process (as in real use, the server's work
// does not share the client's event loop) and drive it through its admin API.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface SandboxProcess {
  url: string;
  /** The TLS + HTTP/2 origin, when started with --tls. */
  tlsUrl?: string;
  brokerUrl: string;
  admin(path: string, body?: unknown, method?: string): Promise<any>;
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, '..', '..');

export async function startSandboxProcess(args: string[] = []): Promise<SandboxProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sandbox/index.ts', '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [url, brokerUrl, tlsUrl] = await new Promise<[string, string, string | undefined]>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /QuickBooks Online sandbox +(http:\/\/[^\s]+)/.exec(out);
      const b = /Token broker +(http:\/\/[^\s]+)/.exec(out);
      const t = /TLS \+ HTTP\/2 +(https:\/\/[^\s]+)/.exec(out);
      if (m && b && (t || !args.includes('--tls'))) res([m[1], b[1], t?.[1]]);
    });
    child.once('exit', (code) => rej(new Error(`sandbox exited with ${code}: ${out}`)));
  });
  child.stdout!.resume();
  const admin = async (path: string, body?: unknown, method = 'POST') => {
    const r = await fetch(`${url}/_sandbox${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return r.json();
  };
  return {
    url,
    tlsUrl,
    brokerUrl,
    admin,
    stop: () =>
      new Promise<void>((res) => {
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}
