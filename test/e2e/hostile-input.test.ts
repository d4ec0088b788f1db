import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../libs/config/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { makeAccount } from '../support/accounts';
import { validRequestBody } from '../support/fixtures';
import { eventually, startSystem, type RunningSystem } from '../support/e2e';
import {
  HOSTILE_ROLES,
  hostileRequest,
  operationsOf,
  type Operation,
} from '../../bench/lib/hostile';

/**
 * Random and hostile input on every route the OpenAPI document lists (so new routes are fuzzed
 * too): bodies, headers, query strings and path parameters. Whatever arrives, the API never
 * answers 5xx, and a refused request changes nothing (row counts of the tables a request could
 * write). About 300 runs in all, spread evenly over the routes.
 */

// FUZZ_RUNS raises it for a deeper search by hand; the suite stays under a minute by default.
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const COUNTED = ['trace_requests', 'users', 'assets', 'notifications'] as const;

describe('hostile input on every route: never a 5xx, never a state change when refused', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let operations: Operation[];
  const tokens: string[] = [];
  let requestId: string;
  const saved = process.env.LOG_LEVEL;
  const gatewaySecret = loadConfig().gateway.secret;

  const counts = async (): Promise<Record<string, number>> => {
    const row = (
      await db.query(
        `SELECT ${COUNTED.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ')}`,
      )
    )[0] as Record<string, number>;
    return row;
  };

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'error';
    sys = await startSystem();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    for (const [role, country] of HOSTILE_ROLES) {
      tokens.push((await makeAccount(db, sys.baseUrl, [role], country, 'fuzz')).token);
    }
    const res = await fetch(`${sys.baseUrl}/api/v1/trace-requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' },
      body: JSON.stringify(validRequestBody()),
    });
    expect(res.status).toBe(201);
    requestId = ((await res.json()) as { id: string }).id;
    // The request the fuzzer aims at is WITHDRAWN (its workflow closed): every action on it is
    // refused by state, so it never waits for a worker. Then the worker stops, so nothing runs in
    // the background and any change in the counts is the fuzzed request's own.
    const withdrawn = await fetch(`${sys.baseUrl}/api/v1/trace-requests/${requestId}/withdraw`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'fixture of the hostile-input suite' }),
    });
    expect(withdrawn.status).toBe(200);
    await eventually(
      async () => {
        const [row] = (await db.query(`SELECT status FROM trace_requests WHERE id = $1`, [
          requestId,
        ])) as { status: string }[];
        return row?.status === 'WITHDRAWN';
      },
      { what: 'the withdrawal in the read model' },
    );
    await eventually(
      async () => {
        const before = JSON.stringify(await counts());
        await new Promise((r) => setTimeout(r, 300));
        return JSON.stringify(await counts()) === before;
      },
      { what: 'the background work to settle' },
    );
    await sys.stopWorker();

    const doc = (await (await fetch(`${sys.baseUrl}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = operationsOf(doc);
  });

  afterAll(async () => {
    await sys?.close();
    await db?.destroy();
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
  });

  it('finds the routes to fuzz', () => {
    expect(operations.length).toBeGreaterThan(20);
  });

  it.each([
    ['caseReference', { caseReference: 'A\ud800B' }],
    ['factsSummary', { factsSummary: 'lone \udfff surrogate in the summary of the facts' }],
    ['subject.aliases[0]', { subject: { ...validRequestBody().subject, aliases: ['\ud83d'] } }],
  ])(
    'refuses an unpaired surrogate in %s with 400 (it was a 500 from PostgreSQL)',
    async (field, over) => {
      const before = await counts();
      const res = await fetch(`${sys.baseUrl}/api/v1/trace-requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' },
        body: JSON.stringify(validRequestBody(over)),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { field: string }[] }).errors).toEqual([
        expect.objectContaining({ field }),
      ]);
      expect(await counts()).toEqual(before);
    },
  );

  it('survives hostile requests on every route', async () => {
    const perRoute = Math.ceil(TOTAL_RUNS / operations.length);
    const ctx = { tokens, requestId, gatewaySecret };
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(hostileRequest(op, ctx), async (r) => {
          const before = await counts();
          const res = await fetch(`${sys.baseUrl}${r.url}`, {
            method: r.method,
            headers: r.headers,
            body: r.body,
          });
          const text = await res.text();
          const seen = { route: `${op.method} ${op.path}`, url: r.url.slice(0, 300) };
          if (res.status >= 500) {
            throw new Error(`${res.status} for ${JSON.stringify(seen)}: ${text.slice(0, 300)}`);
          }
          expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
          if (res.status >= 400) {
            expect(await counts()).toEqual(before);
            if (text) expect(res.headers.get('content-type')).toMatch(/problem\+json|json/);
          }
        }),
        { numRuns: perRoute, endOnFailure: true },
      );
    }
  });
});
