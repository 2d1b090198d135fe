// HTTP plumbing the broker shares with the sandbox's servers: a request body read within a size
// limit (a larger one refused whole, before any of it is parsed, without stalling the connection),
// and stopping on Ctrl-C or SIGTERM promptly whatever connections are open.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What `readBody` gives back for a body over the limit: the caller answers 413 in its own shape. */
export const BODY_TOO_LARGE = Symbol('body too large');

/** The client closed the connection before sending the whole body: there is no one to answer. */
export class ClientGone extends Error {}

export interface BodyLimit {
  /** The largest body accepted, in bytes. */
  maxBytes: number;
  /**
   * How much of a body the server reads and drops when it does not use it (a refused body, or a
   * body sent with a request answered without one), so the connection can serve the next
   * request. A body announced or found to be longer is cut off: the connection is closed after
   * the answer.
   */
  dropBytes: number;
}

/**
 * Reads the whole body, or returns BODY_TOO_LARGE as soon as the body is known to be over the
 * limit (from Content-Length, or once that many bytes have come). Nothing of a refused body is
 * kept: the rest is read and dropped as it comes (see `dropBody`) while the caller answers.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: BodyLimit): Promise<Buffer | typeof BODY_TOO_LARGE> {
  if (declaredLength(req) > limit.maxBytes) {
    dropBody(req, res, limit);
    return Promise.resolve(BODY_TOO_LARGE);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit.maxBytes) return void chunks.push(chunk);
      stop();
      chunks.length = 0;
      dropBody(req, res, limit, size);
      resolve(BODY_TOO_LARGE);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onGone = () => {
      stop();
      reject(new ClientGone('The client closed the connection before sending the whole body.'));
    };
    const stop = () => {
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
    };
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

/**
 * For a request answered without reading its body: reads and drops the body as it comes, up to
 * `limit.dropBytes` in all (counting `alreadyRead`), so the connection is ready for the next
 * request once the answer has gone. A longer body is not worth reading: when Content-Length
 * announces one, the answer says `Connection: close`; when it only turns out longer, the
 * connection is closed at that point (the answer went out long before). Node would otherwise
 * read any body to its end, however long.
 */
export function dropBody(req: IncomingMessage, res: ServerResponse, limit: BodyLimit, alreadyRead = 0) {
  if (req.complete) return;
  if (declaredLength(req) > limit.dropBytes - alreadyRead) {
    // Node ends the connection once this answer is out, and reads nothing more of the body.
    if (!res.headersSent) res.setHeader('Connection', 'close');
    return;
  }
  let read = alreadyRead;
  req.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > limit.dropBytes) req.socket.destroy();
  });
  req.on('error', () => {});
  req.resume();
}

/** Content-Length as a number (Node has already refused a malformed one); 0 when absent. */
function declaredLength(req: IncomingMessage): number {
  const header = req.headers['content-length'];
  return header === undefined ? 0 : Number(header);
}

/**
 * Ctrl-C (SIGINT) and SIGTERM run `stop` (which closes every server and every open connection)
 * and end the process. A second signal ends it at once; so does a stop still running after
 * `graceMs`, with a line saying so, since closing what is open should take milliseconds.
 */
export function exitOnSignals(stop: () => Promise<unknown>, graceMs = 800) {
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(0);
    stopping = true;
    setTimeout(() => {
      console.error(`Some connections were still open ${graceMs} ms after the signal; exiting without them.`);
      process.exit(1);
    }, graceMs);
    stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`Stopping failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
