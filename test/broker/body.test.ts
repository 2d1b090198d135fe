// Bodies over the broker's 64 KB limit are refused whole with 413, in the broker's error shape,
// without being parsed; the connection then serves the next request, or, for a body too long to
// be worth reading, is closed right after the answer. It never hangs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT, Broker } from '../../broker/server';
import { exchange, getRequest, postRequest } from '../sandbox/raw-http';

let broker: Broker;
let port: number;

beforeAll(async () => {
  // QuickBooks is unreachable here: these requests never get that far.
  broker = await Broker.start({
    clientId: 'id', clientSecret: 'secret', environment: 'local', localOrigin: 'http://127.0.0.1:9',
    allowedOrigins: ['chrome-extension://cdbjflagiponpmenikdhggjhoomnimdb'], allowedRedirectUris: [], ratePerMinute: 1000, log: () => {},
  });
  port = Number(new URL(broker.url).port);
});
afterAll(() => broker.close());

const TOO_LARGE = { error: 'body_too_large', message: expect.stringMatching(/over 64 KB/) };

describe('a body over the limit', () => {
  it.each([
    ['announced by Content-Length', false],
    ['sent in chunks', true],
  ])('%s is refused whole, unparsed, and the connection serves the next request', async (_how, chunked) => {
    // Not JSON at all: a broker that parsed it would answer 400.
    const r = await exchange(port, [...postRequest('/refresh', 200 * 1024, { chunked, fill: '{' }), getRequest('/health')], 2);
    expect(r.responses.map((x) => x.status)).toEqual([413, 200]);
    expect(JSON.parse(r.responses[0].body)).toEqual(TOO_LARGE);
    expect(r.responses[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.responses[1].body)).toMatchObject({ ok: true });
    expect(r.ended).toBe('open');
  });

  it('just over the limit is refused; at the limit it is read (and refused as the bad JSON it is)', async () => {
    const over = await exchange(port, postRequest('/refresh', BODY_LIMIT.maxBytes + 1), 1);
    expect(over.responses.map((x) => x.status)).toEqual([413]);
    const at = await exchange(port, postRequest('/refresh', BODY_LIMIT.maxBytes), 1);
    expect(at.responses.map((x) => x.status)).toEqual([400]);
    expect(JSON.parse(at.responses[0].body)).toMatchObject({ error: 'invalid_request', message: 'The request body must be JSON.' });
  });

  it('too long to be worth reading is answered, then the connection is closed, not left hanging', async () => {
    // Announces 50 MB, sends 2 MB and waits: the answer comes at once, then the broker closes.
    const announced = await exchange(port, [Buffer.from(postRequest('/refresh', 50 * 1024 * 1024)[0]), Buffer.alloc(2 * 1024 * 1024, 'x')], 1, { awaitClose: true });
    expect(announced.responses.map((x) => x.status)).toEqual([413]);
    expect(announced.responses[0].headers.connection).toBe('close');
    expect(announced.ended).toBe('closed');
    // Chunked, with no length announced: read and dropped up to 1 MB, then cut off.
    const chunked = await exchange(port, postRequest('/refresh', 3 * 1024 * 1024, { chunked: true }), 1, { awaitClose: true });
    expect(chunked.responses.map((x) => x.status)).toEqual([413]);
    expect(chunked.ended).toBe('closed');
  });

  it('sent with a request refused for another reason is dropped too, within the same bounds', async () => {
    const r = await exchange(port, [...postRequest('/nowhere', 300 * 1024), getRequest('/health')], 2);
    expect(r.responses.map((x) => x.status)).toEqual([404, 200]);
    const big = await exchange(port, [Buffer.from(postRequest('/nowhere', 50 * 1024 * 1024)[0])], 1, { awaitClose: true });
    expect(big.responses.map((x) => x.status)).toEqual([404]);
    expect(big.ended).toBe('closed');
  });
});
