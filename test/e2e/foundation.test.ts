import { Client, Connection } from '@temporalio/client';
import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { stateQuery } from '../../workflows/messages';
import { validRequestBody } from '../support/fixtures';
import { eventually, http, login, startSystem, type RunningSystem } from '../support/e2e';
import { testDataConverter } from '../support/codec';

describe('foundation: sign-in, drafting a request, health (real HTTP, PostgreSQL, Temporal)', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let investigator: string;
  let supervisor: string;

  const countRequests = async (): Promise<number> =>
    Number((await db.query(`SELECT count(*) AS n FROM trace_requests`))[0].n);

  beforeAll(async () => {
    sys = await startSystem();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    investigator = await login(sys.baseUrl, 'investigator.za');
    supervisor = await login(sys.baseUrl, 'supervisor.za');
  });

  afterAll(async () => {
    await sys?.close();
    await db?.destroy();
  });

  describe('sign-in', () => {
    it('issues a bearer token with the user', async () => {
      const res = await http(sys.baseUrl, 'POST', '/api/v1/auth/token', {
        body: { username: 'ncb.za', password: 'demo-password' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        token_type: 'Bearer',
        expires_in: 900,
        user: { username: 'ncb.za', roles: ['ncb_officer'], country: 'ZA' },
      });
      expect(typeof res.body.access_token).toBe('string');
    });

    it('refuses a wrong password or unknown user with 401', async () => {
      for (const body of [
        { username: 'ncb.za', password: 'wrong-password' },
        { username: 'nobody', password: 'demo-password' },
      ]) {
        const res = await http(sys.baseUrl, 'POST', '/api/v1/auth/token', { body });
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    });

    it('names missing sign-in fields with 400', async () => {
      const res = await http(sys.baseUrl, 'POST', '/api/v1/auth/token', {
        body: { username: 'x' },
      });
      expect(res.status).toBe(400);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain('password');
    });
  });

  describe('tokens', () => {
    const forge = (header: object, payload: object, secret = 'wrong-secret-wrong-secret') => {
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const unsigned = `${enc(header)}.${enc(payload)}`;
      return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
    };

    it.each([
      ['no token', undefined],
      ['garbage', 'not-a-jwt'],
      [
        'a wrong signature',
        forge({ alg: 'HS256', typ: 'JWT' }, { sub: randomUUID(), roles: ['investigator'] }),
      ],
    ])('answers 401 to %s', async (_what, token) => {
      const res = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token,
        body: validRequestBody(),
      });
      expect(res.status).toBe(401);
    });

    it('answers 401 to an unsigned alg:none token', async () => {
      const [, payload] = investigator.split('.');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
      const res = await http(sys.baseUrl, 'GET', `/api/v1/trace-requests/${randomUUID()}`, {
        token: none,
      });
      expect(res.status).toBe(401);
    });
  });

  describe('drafting', () => {
    it('creates a DRAFT, starts its workflow, and reads it back', async () => {
      const res = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token: investigator,
        body: validRequestBody(),
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'DRAFT',
        version: 1,
        requestingCountry: 'ZA',
        kind: 'notice',
      });
      expect(res.body.reference).toMatch(/^ZA-\d{4}-\d{6}$/);
      const id = res.body.id as string;
      expect(res.headers.get('location')).toBe(`/api/v1/trace-requests/${id}`);

      const got = await http(sys.baseUrl, 'GET', `/api/v1/trace-requests/${id}`, {
        token: investigator,
      });
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ id, status: 'DRAFT', caseReference: 'CAS-2026-0042' });

      const temporal = new Client({
        connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }),
        dataConverter: await testDataConverter(),
      });
      try {
        const state = await temporal.workflow.getHandle(`trace-request-${id}`).query(stateQuery);
        expect(state).toMatchObject({ id, status: 'DRAFT', version: 1 });
      } finally {
        await temporal.connection.close();
      }
      // The workflow's own projection lands in the read model.
      await eventually(
        async () =>
          (await db.query(`SELECT state_seq FROM trace_requests WHERE id = $1`, [id]))[0]
            .state_seq >= 1,
        { what: 'the workflow projection' },
      );
    });

    it('returns the same request for a repeated Idempotency-Key, even concurrently', async () => {
      const key = `key-${randomUUID()}`;
      const before = await countRequests();
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
            token: investigator,
            body: validRequestBody(),
            headers: { 'idempotency-key': key },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await countRequests()).toBe(before + 1);

      const other = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token: investigator,
        body: validRequestBody({ caseReference: 'CAS-OTHER' }),
        headers: { 'idempotency-key': key },
      });
      expect(other.status).toBe(409);
      expect(await countRequests()).toBe(before + 1);
    });

    it('answers 400 naming every bad field, and writes nothing', async () => {
      const before = await countRequests();
      const body = {
        ...validRequestBody(),
        targetCountries: ['XX'],
        unexpected: true,
        subject: { ...validRequestBody().subject, nationalities: ['ZZ'] },
        assets: [
          {
            type: 'bank_account',
            description: 'x',
            estimatedValue: { amount: '10.00', currency: 'EURO' },
          },
        ],
      };
      const res = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token: investigator,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'targetCountries[0]',
          'unexpected',
          'subject.nationalities[0]',
          'assets[0].estimatedValue.currency',
        ]),
      );
      expect(await countRequests()).toBe(before);
    });

    it('answers 400 naming a field that holds a NUL character (PostgreSQL cannot store it)', async () => {
      const before = await countRequests();
      const body = validRequestBody({ caseReference: 'CAS\u0000-1' });
      const res = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token: investigator,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'caseReference' })]);
      expect(await countRequests()).toBe(before);
    });

    it('answers 400 to a body nested absurdly deep (found by the fuzzer as a 500)', async () => {
      const deep = '['.repeat(5000) + ']'.repeat(5000);
      const res = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token: investigator,
        rawBody: deep,
      });
      expect(res.status).toBe(400);
      const nested = {
        ...validRequestBody(),
        factsSummary: JSON.parse('['.repeat(100) + ']'.repeat(100)),
      };
      const res2 = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token: investigator,
        body: nested,
      });
      expect(res2.status).toBe(400);
    });

    it('answers 400 to malformed JSON and 413 to an oversized body', async () => {
      const bad = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token: investigator,
        rawBody: '{"kind":',
      });
      expect(bad.status).toBe(400);
      const huge = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token: investigator,
        body: { ...validRequestBody(), factsSummary: 'x'.repeat(300 * 1024) },
      });
      expect(huge.status).toBe(413);
    });

    it('refuses a non-investigator with 403 and writes nothing', async () => {
      const before = await countRequests();
      const res = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token: supervisor,
        body: validRequestBody(),
      });
      expect(res.status).toBe(403);
      expect(await countRequests()).toBe(before);
    });

    it('answers 404 for an unknown id, and for a request the caller may not see', async () => {
      const unknown = await http(sys.baseUrl, 'GET', `/api/v1/trace-requests/${randomUUID()}`, {
        token: investigator,
      });
      expect(unknown.status).toBe(404);
      const created = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token: investigator,
        body: validRequestBody(),
      });
      const liaison = await login(sys.baseUrl, 'liaison.fr');
      const hidden = await http(sys.baseUrl, 'GET', `/api/v1/trace-requests/${created.body.id}`, {
        token: liaison,
      });
      expect(hidden.status).toBe(404);
    });
  });

  describe('health', () => {
    it('is live and ready when PostgreSQL and Temporal answer', async () => {
      expect((await http(sys.baseUrl, 'GET', '/health/live')).status).toBe(200);
      const ready = await http(sys.baseUrl, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        info: { postgres: { status: 'up' }, temporal: { status: 'up' } },
      });
    });

    it('publishes the OpenAPI document', async () => {
      const doc = await http(sys.baseUrl, 'GET', '/api/docs-json');
      expect(doc.status).toBe(200);
      expect(Object.keys(doc.body.paths as object)).toEqual(
        expect.arrayContaining([
          '/api/v1/auth/token',
          '/api/v1/trace-requests',
          '/api/v1/trace-requests/{id}',
        ]),
      );
    });
  });
});

describe('foundation with Temporal unreachable', () => {
  let sys: RunningSystem;
  let db: DataSource;
  const saved = process.env.TEMPORAL_ADDRESS;

  beforeAll(async () => {
    process.env.TEMPORAL_ADDRESS = '127.0.0.1:1'; // nothing listens there
    sys = await startSystem({ worker: false });
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
  });

  afterAll(async () => {
    await sys?.close();
    await db?.destroy();
    process.env.TEMPORAL_ADDRESS = saved;
  });

  it('reports not ready (503) instead of crashing', async () => {
    const ready = await http(sys.baseUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', error: { temporal: { status: 'down' } } });
  });

  it('answers 503 to a create and leaves nothing half-written', async () => {
    const token = await login(sys.baseUrl, 'investigator.za');
    const before = Number((await db.query(`SELECT count(*) AS n FROM trace_requests`))[0].n);
    const res = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
      token,
      body: validRequestBody(),
      headers: { 'idempotency-key': `down-${randomUUID()}` },
    });
    expect(res.status).toBe(503);
    expect(Number((await db.query(`SELECT count(*) AS n FROM trace_requests`))[0].n)).toBe(before);
  });
});
