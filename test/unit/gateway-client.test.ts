import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GatewayTransportError,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  postSigned,
  verifySignature,
} from '../../libs/gateway/src';

const secret = 'client-test-secret';

interface Seen {
  headers: IncomingMessage['headers'];
  raw: string;
}

describe('postSigned', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];
  let reply: (res: ServerResponse) => void = (res) => res.writeHead(202).end();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        reply(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('signs exactly the bytes it sends and sets JSON and idempotency headers', async () => {
    reply = (res) => res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
    const result = await postSigned(
      `${baseUrl}/x`,
      { reference: 'ZA-1', note: 'é ü' },
      { secret, idempotencyKey: 'key-1' },
    );
    expect(result).toEqual({ status: 202, body: { ok: true } });
    const [req] = seen;
    expect(req.raw).toBe('{"reference":"ZA-1","note":"é ü"}');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers[IDEMPOTENCY_HEADER]).toBe('key-1');
    const header = req.headers[SIGNATURE_HEADER];
    expect(
      verifySignature(typeof header === 'string' ? header : undefined, req.raw, secret),
    ).toEqual({
      ok: true,
    });
  });

  it('returns HTTP error statuses instead of throwing', async () => {
    reply = (res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
    await expect(postSigned(`${baseUrl}/x`, {}, { secret })).resolves.toEqual({
      status: 503,
      body: 'busy',
    });
    expect(seen[0].headers[IDEMPOTENCY_HEADER]).toBeUndefined();
  });

  it('throws a transport error on timeout', async () => {
    reply = (res) => setTimeout(() => res.writeHead(200).end(), 500);
    await expect(postSigned(`${baseUrl}/slow`, {}, { secret, timeoutMs: 50 })).rejects.toThrow(
      /timed out/,
    );
  });

  it('throws a transport error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(postSigned(`http://127.0.0.1:${port}/x`, {}, { secret })).rejects.toBeInstanceOf(
      GatewayTransportError,
    );
  });

  it('refuses a body that is not JSON', async () => {
    await expect(postSigned(`${baseUrl}/x`, undefined, { secret })).rejects.toThrow(TypeError);
  });
});
