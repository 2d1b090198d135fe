// `npm run sandbox` as a user runs it, in a child process: every port follows --port (so two
// stacks run side by side), and Ctrl-C or SIGTERM ends every server whatever connections are
// open: half-sent requests, idle keep-alive connections, HTTP/2 sessions on the TLS port.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect as http2Connect, type ClientHttp2Session } from 'node:http2';
import { connect, createServer, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_APP_IDS, type HostAppId } from '../../sandbox/hosts/server';
import { DEMO_REALM } from '../../sandbox/qbo/seed';
import { EXTENSION_ID, MAX_BASE_PORT, parseBasePort, PORT_OFFSETS, stackPorts } from '../../sandbox/stack';

const ROOT = new URL('../..', import.meta.url);

interface RunningStack {
  child: ChildProcess;
  output: () => string;
  qbo: number;
  qboTls?: number;
  broker: number;
  apps: Record<HostAppId, number>;
}

const children: ChildProcess[] = [];
const openConnections: { destroy(): void }[] = [];
afterEach(() => {
  for (const c of openConnections.splice(0)) c.destroy();
  // Each sandbox runs in its own process group: whatever a failed test left (npm, node), kill it all.
  for (const child of children.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Starts `npm run sandbox -- …args` and waits for it to say it is ready; reads its ports from what it prints. */
async function startSandbox(args: string[]): Promise<RunningStack> {
  const child = spawnSandbox(args);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const check = () => (out.includes('Ready in') ? resolve() : undefined);
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`npm run sandbox exited (${code}) before it was ready:\n${out}`)));
  });
  const port = (re: RegExp) => Number(re.exec(out)?.[1]);
  return {
    child,
    output: () => out,
    qbo: port(/QuickBooks Online sandbox\s+http:\/\/127\.0\.0\.1:(\d+)/),
    qboTls: args.includes('--tls') ? port(/TLS \+ HTTP\/2\s+https:\/\/127\.0\.0\.1:(\d+)/) : undefined,
    broker: port(/Token broker\s+http:\/\/127\.0\.0\.1:(\d+)/),
    apps: Object.fromEntries(HOST_APP_IDS.map((id) => [id, port(new RegExp(`http://${id}\\.localhost:(\\d+)`))])) as Record<HostAppId, number>,
  };
}

/** `npm run sandbox -- …args` in a process group of its own, as a terminal runs a command. */
function spawnSandbox(args: string[]) {
  const child = spawn('npm', ['run', 'sandbox', '--', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  return child;
}

/** Waits for the process to exit on its own; the guard only keeps a hung test from hanging. */
function exited(child: ChildProcess, guardMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode, ms: 0 });
    const guard = setTimeout(() => resolve({ code: null, signal: null, ms: Infinity }), guardMs);
    child.once('exit', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, ms: Date.now() - started });
    });
  });
}

/** Whether anything still accepts connections on `port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function opened(s: Socket): Promise<Socket> {
  openConnections.push(s);
  s.on('error', () => {});
  return new Promise((resolve) => s.once(s.constructor.name === 'TLSSocket' ? 'secureConnect' : 'connect', () => resolve(s)));
}

/**
 * On an HTTP/1.1 port: a request whose body stops half-way, one whose headers stop half-way, and
 * an idle keep-alive connection after a finished request.
 */
async function halfOpen(port: number) {
  const body = await opened(connect(port, '127.0.0.1'));
  body.write('POST /api/_reset HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"half":');
  const head = await opened(connect(port, '127.0.0.1'));
  head.write('GET / HTTP/1.1\r\nHost: test\r\nX-Half: ');
  const idle = await opened(connect(port, '127.0.0.1'));
  await new Promise<void>((resolve) => {
    idle.once('data', () => resolve());
    idle.write('GET /health HTTP/1.1\r\nHost: test\r\n\r\n');
  });
}

/** On the TLS port: an HTTP/2 session with a half-sent request, and an HTTP/1.1 one over TLS. */
async function halfOpenTls(port: number) {
  const session: ClientHttp2Session = http2Connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
  openConnections.push(session);
  session.on('error', () => {});
  await new Promise<void>((resolve) => session.once('connect', () => resolve()));
  const stream = session.request({ ':method': 'POST', ':path': '/_sandbox/reset', 'content-length': '1000' });
  stream.on('error', () => {});
  stream.write('{"half":');
  const h1 = await opened(tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }));
  h1.write('POST /_sandbox/reset HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n{"half":');
}

function allPorts(s: RunningStack) {
  return [s.qbo, ...(s.qboTls ? [s.qboTls] : []), s.broker, ...HOST_APP_IDS.map((id) => s.apps[id])];
}

/** A base port whose every stack port (with TLS) is free right now. */
async function freeBasePort(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const p = stackPorts(base, true);
    const ports = [p.qbo, p.qboTls!, p.broker, ...HOST_APP_IDS.map((_, i) => p.hostsBase + i)];
    const free = await Promise.all(
      ports.map(
        (p) =>
          new Promise<boolean>((resolve) => {
            const server = createServer();
            server.once('error', () => resolve(false));
            server.listen(p, '127.0.0.1', () => server.close(() => resolve(true)));
          }),
      ),
    );
    if (free.every(Boolean)) return base;
  }
}

describe('ports', () => {
  it('all follow the base port: QuickBooks, its TLS port, the broker and the five demo apps', () => {
    expect(stackPorts(4010, true)).toEqual({ qbo: 4010, qboTls: 4011, broker: 4020, hostsBase: 4101 });
    expect(stackPorts(4510, false)).toEqual({ qbo: 4510, qboTls: undefined, broker: 4520, hostsBase: 4601 });
    expect(stackPorts(0, true)).toEqual({ qbo: 0, qboTls: 0, broker: 0, hostsBase: 0 });
    expect(PORT_OFFSETS.hosts + HOST_APP_IDS.length - 1 + MAX_BASE_PORT).toBe(65535);
  });

  it('--port takes 0 or a base port that leaves room for every server', () => {
    expect(parseBasePort('4510')).toEqual({ port: 4510 });
    expect(parseBasePort('0')).toEqual({ port: 0 });
    expect(parseBasePort(String(MAX_BASE_PORT))).toEqual({ port: MAX_BASE_PORT });
    for (const bad of ['65500', '-1', '4010.5', 'abc', '', '0x10'])
      expect(parseBasePort(bad), bad).toEqual({ error: expect.stringMatching(/port must be 0 .* or a base port from 1 to 65440/) });
  });

  it('two stacks with different --port run side by side, each answering on its own ports', async () => {
    const bases = [await freeBasePort(), await freeBasePort()];
    const stacks = await Promise.all(bases.map((base) => startSandbox(['--port', String(base)])));
    for (const [n, s] of stacks.entries()) {
      const base = bases[n];
      expect(s.qbo).toBe(base);
      expect(s.broker).toBe(base + 10);
      expect(HOST_APP_IDS.map((id) => s.apps[id])).toEqual([91, 92, 93, 94, 95].map((o) => base + o));
      expect((await fetch(`http://127.0.0.1:${s.qbo}/_sandbox/state`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${s.broker}/health`)).json()).toMatchObject({ ok: true, environment: 'local' });
      for (const id of HOST_APP_IDS) expect((await fetch(`http://127.0.0.1:${s.apps[id]}/`)).status, `${id} of stack ${n}`).toBe(200);
    }
    // Each stack's broker exchanges tokens with its own QuickBooks: a refresh token from the
    // first stack's QuickBooks is good at the first broker and unknown to the second.
    const tokens = await (await fetch(`http://127.0.0.1:${stacks[0].qbo}/_sandbox/tokens`, { method: 'POST', body: JSON.stringify({ realmId: DEMO_REALM }) })).json();
    const refresh = (s: RunningStack) =>
      fetch(`http://127.0.0.1:${s.broker}/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: `chrome-extension://${EXTENSION_ID}` },
        body: JSON.stringify({ refreshToken: tokens.refresh_token }),
      }).then(async (r) => ({ status: r.status, error: (await r.json()).error }));
    expect(await refresh(stacks[1])).toEqual({ status: 400, error: 'invalid_grant' });
    expect((await refresh(stacks[0])).status).toBe(200);
    const exits = stacks.map((s) => exited(s.child));
    for (const s of stacks) s.child.kill('SIGTERM');
    for (const exit of await Promise.all(exits)) expect(exit.code).toBe(0);
  }, 60_000);

  it('a port in use stops the start with a line saying how to move every port, leaving nothing listening', async () => {
    const base = await freeBasePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(base + 93, '127.0.0.1', () => resolve()));
    try {
      const child = spawnSandbox(['--port', String(base)]);
      let out = '';
      child.stderr!.on('data', (d) => (out += d));
      expect((await exited(child)).code).toBe(2);
      expect(out).toContain(`Port ${base + 93} is in use (another sandbox?). Pass --port to move every port`);
      expect(await listening(base)).toBe(false);
      expect(await listening(base + 10)).toBe(false);
    } finally {
      blocker.close();
    }
  }, 30_000);
});

describe('stopping', () => {
  it.each([
    ['SIGTERM to npm', 'SIGTERM' as const, false],
    ['Ctrl-C (SIGINT to the whole process group)', 'SIGINT' as const, true],
  ])('%s ends every server at once, with half-sent requests, keep-alive and HTTP/2 sessions open', async (_how, signal, group) => {
    const stack = await startSandbox(['--port', '0', '--tls']);
    for (const port of [stack.qbo, stack.broker, ...HOST_APP_IDS.map((id) => stack.apps[id])]) await halfOpen(port);
    await halfOpenTls(stack.qboTls!);

    if (group) process.kill(-stack.child.pid!, signal);
    else stack.child.kill(signal);
    // Measured on a 2-core machine: about 45 ms from the signal to npm's exit. The 5 s guard
    // only turns a sandbox that never stops (as it did) into a failure instead of a hung test.
    const exit = await exited(stack.child, 5_000);
    expect(exit, stack.output()).toMatchObject({ code: 0 });
    for (const port of allPorts(stack)) expect(await listening(port), `port ${port}`).toBe(false);
  }, 60_000);
});
