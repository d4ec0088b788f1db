// A stand-in for INTERPOL's inbound side in API suites that do not need the simulator's
// behaviour: it accepts every POST with 202 and records it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Body = Record<string, unknown>;
export type Problem = {
  status: number;
  detail: string;
  type: string;
  errors?: { field: string }[];
  /** The domain's refusal code (RefusalCode), when the domain refused. */
  code?: string;
  rule?: string;
};

export interface FakeInterpol {
  url: string;
  received: { path: string; body: Body }[];
  close(): Promise<void>;
}

/** Accepts every POST with 202 and records it. */
export async function fakeInterpol(): Promise<FakeInterpol> {
  const received: { path: string; body: Body }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: raw ? (JSON.parse(raw) as Body) : {} });
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ receivedAt: new Date().toISOString() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
