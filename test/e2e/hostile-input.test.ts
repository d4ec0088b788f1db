import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../libs/config/src';
import { SIGNATURE_HEADER, signBody } from '../../libs/gateway/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { makeAccount } from '../support/accounts';
import { validRequestBody } from '../support/fixtures';
import { eventually, startSystem, type RunningSystem } from '../support/e2e';

/**
 * Random and hostile input on every route the OpenAPI document lists (so new routes are fuzzed
 * too): bodies, headers, query strings and path parameters. Whatever arrives, the API never
 * answers 5xx, and a refused request changes nothing (row counts of the tables a request could
 * write). About 300 runs in all, spread evenly over the routes.
 */

// FUZZ_RUNS raises it for a deeper search by hand; the suite stays under a minute by default.
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const COUNTED = ['trace_requests', 'users', 'assets', 'notifications'] as const;

/** encodeURIComponent, except that a lone surrogate goes out as the bytes a careless client sends. */
const enc = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

/** Printable ASCII: what fetch lets through in a header value. */
const headerText = fc.stringMatching(/^[\x20-\x7e]{0,120}$/);

const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(50),
  'x'.repeat(10_000),
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '${7*7}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(400),
  '2026-02-30',
  'FR1420041010050500013M02606'.toLowerCase(),
);

const scalar = fc.oneof(
  nasty,
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), nasty), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A valid body with one field (at any depth) replaced by something hostile. */
const mutatedRequestBody = fc
  .tuple(fc.nat(), hostileValue, fc.boolean())
  .map(([pick, value, remove]) => {
    const body = JSON.parse(JSON.stringify(validRequestBody())) as Record<string, unknown>;
    const slots: [Record<string, unknown> | unknown[], string | number][] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) {
        node.forEach((v, i) => {
          slots.push([node, i]);
          walk(v);
        });
      } else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          slots.push([node as Record<string, unknown>, k]);
          walk(v);
        }
      }
    };
    walk(body);
    const [parent, key] = slots[pick % slots.length];
    if (remove && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
    else (parent as Record<string | number, unknown>)[key] = value;
    return JSON.stringify(body);
  });

const rawBody = fc.oneof(
  hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
  mutatedRequestBody,
  fc.string(),
  fc.constantFrom(
    '{',
    '{"kind":',
    '[]',
    'null',
    '"a string"',
    '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    `{"a":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`,
    JSON.stringify({ factsSummary: 'x'.repeat(300 * 1024) }),
    '{"decision":"approve","decision":"reject"}',
  ),
);

const pathValue = (valid: string) =>
  fc.oneof(
    fc.constant(valid),
    fc.uuid(),
    fc.string({ minLength: 1 }).map(enc),
    nasty.filter((s) => s.length > 0).map(enc),
    // Already "encoded" by the attacker: bad escapes, encoded slashes and NULs.
    fc.constantFrom('%E0%A4%A', '%', '%zz', '..%2F..%2Fhealth', '%00', '%C0%AE', 'a%2Fb'),
  );

const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('status', 'country', 'q', 'limit', 'cursor', 'unread', 'currency', 'kind'),
        fc.constantFrom('requestId', 'urgency', '__proto__', 'a[b]', 'limit[]', 'constructor[x]'),
        fc.string({ minLength: 1, maxLength: 10 }),
      ),
      fc.oneof(scalar.map(String), fc.constantFrom('-1', '0', '1000000', 'ZZZ', '')),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'));

describe('hostile input on every route: never a 5xx, never a state change when refused', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let operations: { method: string; path: string }[];
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
    const roles: [string, string][] = [
      ['investigator', 'ZA'],
      ['supervisor', 'ZA'],
      ['ncb_officer', 'ZA'],
      ['foreign_liaison', 'FR'],
      ['auditor', 'ZA'],
      ['admin', 'ZA'],
    ];
    for (const [role, country] of roles) {
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
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
    );
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
    for (const op of operations) {
      const isLogout = op.path === '/api/v1/auth/logout';
      const isGateway = op.path.startsWith('/api/v1/gateway/');
      const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

      const request = fc.record({
        pathValues: fc.tuple(
          ...params.map((p) =>
            pathValue(p === 'cc' ? 'FR' : p === 'id' ? requestId : randomUUID()),
          ),
        ),
        query: queryString,
        // Logging out with a real token would revoke it for the runs after: only fake ones there.
        auth: fc.oneof(
          {
            weight: 4,
            arbitrary: isLogout
              ? fc.constant(undefined)
              : fc.constantFrom(...tokens.map((t) => `Bearer ${t}`)),
          },
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: headerText.map((t) => `Bearer ${t}`) },
          { weight: 1, arbitrary: headerText },
        ),
        contentType: fc.constantFrom(
          'application/json',
          'application/json; charset=utf-16',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          undefined,
        ),
        extraHeaders: fc.dictionary(
          fc.constantFrom(
            'if-match',
            'idempotency-key',
            'x-request-id',
            'accept',
            'x-forwarded-for',
          ),
          headerText,
          { maxKeys: 3 },
        ),
        body: fc.option(rawBody, { nil: undefined, freq: 4 }),
        signed: fc.boolean(),
      });

      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let i = 0;
          const path = op.path.replace(/\{\w+\}/g, () => r.pathValues[i++] ?? '');
          const url = `${sys.baseUrl}${path}${r.query ? `?${r.query}` : ''}`;
          const headers: Record<string, string> = { ...r.extraHeaders };
          if (r.auth !== undefined) headers.authorization = r.auth;
          const hasBody = op.method !== 'GET' && r.body !== undefined;
          if (hasBody && r.contentType) headers['content-type'] = r.contentType;
          // A correctly signed hostile message reaches the gateway's validation and services.
          if (isGateway && r.signed)
            headers[SIGNATURE_HEADER] = signBody(r.body ?? '', gatewaySecret);

          const before = await counts();
          const res = await fetch(url, {
            method: op.method,
            headers,
            body: hasBody ? r.body : undefined,
          });
          const text = await res.text();
          const seen = { route: `${op.method} ${op.path}`, url: url.slice(0, 300) };
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
