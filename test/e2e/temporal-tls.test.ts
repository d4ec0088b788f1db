// Temporal over TLS, mutual TLS and with an API key, as against a production cluster or a hosted
// Temporal: the real API and worker, configured only through the environment (TEMPORAL_TLS_*,
// TEMPORAL_API_KEY), reach the dev server through a TLS-terminating gRPC proxy that asks for a
// client certificate and a bearer API key, and run a request's workflow through it. A wrong CA, a
// missing client certificate or a wrong API key stops the worker at boot with a message saying
// so, within seconds, and the API's readiness names it. Users of SK; target SI.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { makePki, otherCa, type Pki } from '../support/certs';
import { eventually, http, startSystem, type RunningSystem } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';
import { startGrpcTlsProxy, type GrpcTlsProxy } from '../support/grpc-tls-proxy';
import { createOffice } from '../support/journey-http';
import { within } from '../support/processes';

const SERVER_NAME = 'temporal.silvertrace.internal';
const API_KEY = `key-${randomUUID()}`;
const TLS_VARS = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CA_PATH',
  'TEMPORAL_TLS_CERT_PATH',
  'TEMPORAL_TLS_KEY_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_API_KEY',
] as const;

describe('Temporal over mutual TLS with an API key (TLS-terminating proxy)', () => {
  const saved = Object.fromEntries(TLS_VARS.map((k) => [k, process.env[k]]));
  const devServer = process.env.TEMPORAL_ADDRESS!;
  let pki: Pki;
  let wrongCa: string;
  let proxy: GrpcTlsProxy;
  let db: DataSource;
  const systems: RunningSystem[] = [];

  function configure(vars: Partial<Record<(typeof TLS_VARS)[number], string>>): void {
    for (const k of TLS_VARS) delete process.env[k];
    Object.assign(process.env, { TEMPORAL_ADDRESS: proxy.address, ...vars });
  }

  const mtls = () => ({
    TEMPORAL_TLS_CA_PATH: pki.ca,
    TEMPORAL_TLS_CERT_PATH: pki.clientCert,
    TEMPORAL_TLS_KEY_PATH: pki.clientKey,
    TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    TEMPORAL_API_KEY: API_KEY,
  });

  beforeAll(async () => {
    // The server certificate names the cluster, not 127.0.0.1: TEMPORAL_TLS_SERVER_NAME must
    // be honoured for the handshake to succeed at all.
    pki = await makePki([SERVER_NAME]);
    wrongCa = await otherCa(pki.dir);
    proxy = await startGrpcTlsProxy({
      upstream: devServer,
      cert: pki.serverCert,
      key: pki.serverKey,
      clientCa: pki.ca,
      apiKey: API_KEY,
    });
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
  }, 60_000);

  afterAll(async () => {
    for (const s of systems) await s.close().catch(() => undefined);
    for (const k of TLS_VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await proxy?.close();
    await db?.destroy();
    if (pki) await rm(pki.dir, { recursive: true, force: true });
  }, 60_000);

  it('runs a request workflow with the API and the worker both connected through mTLS + API key', async () => {
    configure(mtls());
    const sys = await startSystem();
    systems.push(sys);
    const office = await createOffice(db, sys.baseUrl, 'SK');
    const created = await http<{ id: string; status: string }>(
      sys.baseUrl,
      'POST',
      '/api/v1/trace-requests',
      {
        token: office.inv,
        body: validRequestBody({ caseReference: `CAS-SK-TLS-1`, targetCountries: ['SI'] }),
        headers: { 'idempotency-key': `tls-${randomUUID()}` },
      },
    );
    expect(created.status).toBe(201);
    // An update answered after the worker recorded and projected it: both sides went through.
    const submitted = await http<{ status: string }>(
      sys.baseUrl,
      'POST',
      `/api/v1/trace-requests/${created.body.id}/submit`,
      { token: office.inv },
    );
    expect(submitted).toMatchObject({ status: 200, body: { status: 'IN_REVIEW' } });
    const ready = await http<{ status: string }>(sys.baseUrl, 'GET', '/health/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ok' } });

    const paths = proxy.calls.map((c) => c.path.split('/').pop());
    // The worker polled and the API started and updated, all through the proxy...
    expect(paths).toEqual(
      expect.arrayContaining([
        'PollWorkflowTaskQueue',
        'RespondWorkflowTaskCompleted',
        'StartWorkflowExecution',
        'UpdateWorkflowExecution',
      ]),
    );
    // ...each call carrying the API key as bearer metadata, decrypted here as the server sees it.
    expect(proxy.calls.filter((c) => c.authorization !== `Bearer ${API_KEY}`)).toEqual([]);
    await sys.close();
    systems.pop();
  }, 120_000);

  async function bootFails(vars: Record<string, string>, expected: RegExp): Promise<string> {
    configure(vars);
    const sys = await startSystem({ worker: false });
    systems.push(sys);
    const started = Date.now();
    const error = await within(
      sys.startWorker().then(
        () => new Error('the worker started'),
        (err: unknown) => err as Error,
      ),
      30_000,
      'the worker to give up',
    );
    expect(error.message).toMatch(/^cannot connect to Temporal at 127\.0\.0\.1:\d+ \(TLS/);
    expect(error.message).toMatch(expected);
    // The API keeps serving and its readiness says why Temporal is not usable.
    const ready = await eventually(
      async () => {
        const r = await http<{ error?: { temporal?: { message?: string } } }>(
          sys.baseUrl,
          'GET',
          '/health/ready',
        );
        return r.status === 503 ? r : undefined;
      },
      { what: 'readiness to report Temporal down', timeoutMs: 20_000 },
    );
    expect(ready.body.error?.temporal?.message).toBeTruthy();
    await sys.close();
    systems.pop();
    return `${Date.now() - started} ms: ${error.message}`;
  }

  it('stops the worker at boot, saying so, when it trusts the wrong CA', async () => {
    const said = await bootFails({ ...mtls(), TEMPORAL_TLS_CA_PATH: wrongCa }, /UnknownIssuer/);
    process.stdout.write(`[temporal-tls] wrong CA: ${said}\n`);
  }, 90_000);

  it('stops the worker at boot when it has no client certificate (mTLS refused)', async () => {
    const { TEMPORAL_TLS_CERT_PATH: _c, TEMPORAL_TLS_KEY_PATH: _k, ...noClientCert } = mtls();
    const refusedBefore = proxy.refused.length;
    // TLS 1.3 refuses a missing client certificate after the client's side of the handshake is
    // done: the worker reads the proxy's alert or, when it wrote first, a broken pipe or a
    // closed connection (all three seen here).
    // The boot error names the connection mode (no client certificate in it) and what to set; the
    // proxy's own record proves the refusal.
    const said = await bootFails(
      noClientCert,
      /\(TLS, API key\): [\s\S]*hyper::Error[\s\S]*; the server may require a client certificate: set TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH$/,
    );
    expect(proxy.refused.length).toBeGreaterThan(refusedBefore);
    process.stdout.write(`[temporal-tls] no client certificate: ${said}\n`);
  }, 90_000);

  it('stops the worker at boot with a wrong API key (UNAUTHENTICATED from the server)', async () => {
    const said = await bootFails(
      { ...mtls(), TEMPORAL_API_KEY: 'not-the-key' },
      /authentication.*missing or wrong API key/,
    );
    process.stdout.write(`[temporal-tls] wrong API key: ${said}\n`);
  }, 90_000);
});
