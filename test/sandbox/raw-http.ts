// HTTP/1.1 over one raw TCP connection, for tests about connections themselves: what a server
// answers to requests written back to back on the same socket, and whether it then keeps the
// connection, closes it, or leaves it hanging.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Exchange {
  responses: RawResponse[];
  /**
   * How the exchange ended: 'open' when every expected answer came and the server kept the
   * connection; 'closed' when the server closed it; 'stalled' when answers were still missing
   * when the guard ran out (a server that neither answers nor closes).
   */
  ended: 'open' | 'closed' | 'stalled';
}

/** A request with a body of `size` bytes of `fill`, announced by Content-Length unless chunked. */
export function postRequest(path: string, size: number, opts: { chunked?: boolean; contentType?: string; fill?: string } = {}): Buffer[] {
  const body = Buffer.alloc(size, opts.fill ?? 'x');
  const type = `Content-Type: ${opts.contentType ?? 'application/json'}\r\n`;
  const origin = 'Origin: chrome-extension://cdbjflagiponpmenikdhggjhoomnimdb\r\n';
  if (!opts.chunked) return [Buffer.from(`POST ${path} HTTP/1.1\r\nHost: test\r\n${origin}${type}Content-Length: ${size}\r\n\r\n`), body];
  const parts = [Buffer.from(`POST ${path} HTTP/1.1\r\nHost: test\r\n${origin}${type}Transfer-Encoding: chunked\r\n\r\n`)];
  for (let at = 0; at < size; at += 64 * 1024) {
    const chunk = body.subarray(at, at + 64 * 1024);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return parts;
}

export const getRequest = (path: string, extra = '') => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: test\r\n${extra}\r\n`);

/**
 * Writes `parts` to one connection and reads answers until `expect` have come ('open': the server
 * kept the connection for more), or with `awaitClose` until the server closes it ('closed').
 * 'stalled' when neither happened before `guardMs`: the guard only stops a hung test, it times
 * nothing.
 */
export function exchange(port: number, parts: Buffer[], expect: number, opts: { awaitClose?: boolean; guardMs?: number } = {}): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const responses: RawResponse[] = [];
    let settled = false;
    const finish = (ended: Exchange['ended']) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      socket.destroy();
      resolve({ responses, ended });
    };
    const guard = setTimeout(() => finish('stalled'), opts.guardMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      for (;;) {
        const headEnd = data.indexOf('\r\n\r\n');
        if (headEnd < 0) break;
        const [statusLine, ...lines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const length = Number(headers['content-length'] ?? 0);
        if (data.length < headEnd + 4 + length) break;
        responses.push({ status: Number(statusLine.split(' ')[1]), headers, body: data.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8') });
        data = data.subarray(headEnd + 4 + length);
      }
      if (responses.length >= expect && !opts.awaitClose) finish(socket.readableEnded ? 'closed' : 'open');
    });
    // The server may close while this side is still writing a body it refused: that is a close.
    socket.on('error', () => finish('closed'));
    socket.on('end', () => finish('closed'));
    socket.on('connect', () => {
      for (const part of parts) socket.write(part);
    });
  });
}
