// A TLS-terminating gRPC proxy in front of the Temporal dev server (which speaks plain gRPC only):
// what a Temporal cluster with TLS or mTLS on its frontend, or a hosted Temporal checking API
// keys, looks like to our clients. It decrypts HTTP/2, so it sees every call's path and metadata
// (the `authorization` header an API key becomes), and forwards each stream, trailers included.
import {
  connect,
  constants,
  createSecureServer,
  type ClientHttp2Session,
  type Http2SecureServer,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Session,
} from 'node:http2';
import { readFileSync } from 'node:fs';

export interface GrpcTlsProxy {
  address: string;
  /** Every call seen: its gRPC method path and the authorization metadata it carried. */
  calls: { path: string; authorization?: string }[];
  /** TLS handshakes the proxy refused, with the reason (no client certificate, unknown CA...). */
  refused: string[];
  close(): Promise<void>;
}

export interface GrpcTlsProxyOptions {
  upstream: string;
  cert: string;
  key: string;
  /** Set: mutual TLS, clients must present a certificate signed by this CA. */
  clientCa?: string;
  /** Set: calls without `authorization: Bearer <apiKey>` are refused (UNAUTHENTICATED). */
  apiKey?: string;
}

const HOP_BY_HOP = new Set([':authority', ':scheme', 'connection', 'host']);

export async function startGrpcTlsProxy(opts: GrpcTlsProxyOptions): Promise<GrpcTlsProxy> {
  const upstream: ClientHttp2Session = connect(`http://${opts.upstream}`);
  upstream.on('error', () => undefined);
  const calls: GrpcTlsProxy['calls'] = [];
  const refused: string[] = [];
  const server: Http2SecureServer = createSecureServer({
    cert: readFileSync(opts.cert),
    key: readFileSync(opts.key),
    ...(opts.clientCa
      ? { ca: readFileSync(opts.clientCa), requestCert: true, rejectUnauthorized: true }
      : {}),
  });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (s: ServerHttp2Session) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  server.on('tlsClientError', (err) => refused.push(err.message));
  server.on('stream', (stream, headers: IncomingHttpHeaders) => {
    const path = String(headers[':path']);
    const authorization = headers.authorization;
    calls.push({ path, authorization });
    if (opts.apiKey !== undefined && authorization !== `Bearer ${opts.apiKey}`) {
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': String(16), // UNAUTHENTICATED
          'grpc-message': 'missing or wrong API key',
        },
        { endStream: true },
      );
      return;
    }
    const forwarded: OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k)) forwarded[k] = v;
    const up = upstream.request(forwarded);
    let trailers: OutgoingHttpHeaders = {};
    up.on('response', (responseHeaders, flags) => {
      const h = { ...responseHeaders } as OutgoingHttpHeaders;
      // A trailers-only answer (an error) arrives as headers that end the stream.
      if (flags & constants.NGHTTP2_FLAG_END_STREAM) stream.respond(h, { endStream: true });
      else stream.respond(h, { waitForTrailers: true });
    });
    up.on('trailers', (t) => (trailers = { ...t } as OutgoingHttpHeaders));
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    up.on('data', (chunk: Buffer) => {
      if (!stream.destroyed && !stream.writableEnded) stream.write(chunk);
    });
    up.on('end', () => {
      if (!stream.destroyed && !stream.writableEnded && stream.headersSent) stream.end();
    });
    up.on('error', () => stream.destroy());
    stream.on('data', (chunk: Buffer) => up.write(chunk));
    stream.on('end', () => up.end());
    stream.on('close', () => {
      if (!up.closed) up.close(constants.NGHTTP2_CANCEL);
    });
    stream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    calls,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        upstream.close();
        // Long polls stay open: end every session rather than waiting for them.
        server.close(() => resolve());
        for (const s of sessions) s.destroy();
      }),
  };
}
