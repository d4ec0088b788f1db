// Generators of hostile input (fast-check): malformed, oversized and hostile bodies, headers,
// query strings and path parameters, for any route of the OpenAPI document. Shared by
// test/e2e/hostile-input.test.ts and `npm run bench:hostile` (bench/hostile.ts), so it lives
// here, in the built tree (dist/ has no test/).
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { SIGNATURE_HEADER, signBody } from '../../libs/gateway/src';
import { sampleContent } from '../../libs/domain/src/testing/fixtures';

/** encodeURIComponent, except that a lone surrogate goes out as the bytes a careless client sends. */
export const enc = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

/** Printable ASCII: what fetch lets through in a header value. */
export const headerText = fc.stringMatching(/^[\x20-\x7e]{0,120}$/);

export const nasty = fc.constantFrom(
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

export const scalar = fc.oneof(
  nasty,
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), nasty), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A valid body with one field (at any depth) replaced by something hostile. */
export const mutatedRequestBody = fc
  .tuple(fc.nat(), hostileValue, fc.boolean())
  .map(([pick, value, remove]) => {
    const body = JSON.parse(JSON.stringify(sampleContent())) as Record<string, unknown>;
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

export const rawBody = fc.oneof(
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

export const pathValue = (valid: string) =>
  fc.oneof(
    fc.constant(valid),
    fc.uuid(),
    fc.string({ minLength: 1 }).map(enc),
    nasty.filter((s) => s.length > 0).map(enc),
    // Already "encoded" by the attacker: bad escapes, encoded slashes and NULs.
    fc.constantFrom('%E0%A4%A', '%', '%zz', '..%2F..%2Fhealth', '%00', '%C0%AE', 'a%2Fb'),
  );

export const queryString = fc
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

export interface Operation {
  method: string;
  /** OpenAPI path, e.g. /api/v1/trace-requests/{id}. */
  path: string;
}

/** The operations an OpenAPI document (/api/docs-json) lists. */
export function operationsOf(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
  );
}

/**
 * The [role, country] of the accounts whose tokens the requests carry: one per role, a foreign
 * liaison officer of FR among them; the first, ZA's investigator, creates the request aimed at.
 */
export const HOSTILE_ROLES: [string, string][] = [
  ['investigator', 'ZA'],
  ['supervisor', 'ZA'],
  ['ncb_officer', 'ZA'],
  ['foreign_liaison', 'FR'],
  ['auditor', 'ZA'],
  ['admin', 'ZA'],
];

export interface HostileContext {
  /** Bearer tokens of real users (several roles). */
  tokens: string[];
  /** The request the path parameter {id} aims at (others get random UUIDs and worse). */
  requestId: string;
  gatewaySecret: string;
}

export interface HostileRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** An arbitrary hostile request on one operation, ready for fetch(baseUrl + url). */
export function hostileRequest(op: Operation, ctx: HostileContext): fc.Arbitrary<HostileRequest> {
  const isLogout = op.path === '/api/v1/auth/logout';
  const isGateway = op.path.startsWith('/api/v1/gateway/');
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  return fc
    .record({
      pathValues: fc.tuple(
        ...params.map((p) =>
          pathValue(p === 'cc' ? 'FR' : p === 'id' ? ctx.requestId : randomUUID()),
        ),
      ),
      query: queryString,
      // Logging out with a real token would revoke it for the runs after: only fake ones there.
      auth: fc.oneof(
        {
          weight: 4,
          arbitrary: isLogout
            ? fc.constant(undefined)
            : fc.constantFrom(...ctx.tokens.map((t) => `Bearer ${t}`)),
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
        fc.constantFrom('if-match', 'idempotency-key', 'x-request-id', 'accept', 'x-forwarded-for'),
        headerText,
        { maxKeys: 3 },
      ),
      body: fc.option(rawBody, { nil: undefined, freq: 4 }),
      signed: fc.boolean(),
    })
    .map((r) => {
      let i = 0;
      const path = op.path.replace(/\{\w+\}/g, () => r.pathValues[i++] ?? '');
      const headers: Record<string, string> = { ...r.extraHeaders };
      if (r.auth !== undefined) headers.authorization = r.auth;
      const hasBody = op.method !== 'GET' && r.body !== undefined;
      if (hasBody && r.contentType) headers['content-type'] = r.contentType;
      // A correctly signed hostile message reaches the gateway's validation and services.
      if (isGateway && r.signed)
        headers[SIGNATURE_HEADER] = signBody(r.body ?? '', ctx.gatewaySecret);
      return {
        url: `${path}${r.query ? `?${r.query}` : ''}`,
        method: op.method,
        headers,
        body: hasBody ? r.body : undefined,
      };
    });
}
