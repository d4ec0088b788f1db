import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { POLICY } from '../../apps/api/src/auth/policy';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { makeAccount } from '../support/accounts';
import { validRequestBody } from '../support/fixtures';
import { http, startSystem, type RunningSystem } from '../support/e2e';

/**
 * The authorization matrix: every route the API serves x every kind of caller, over real HTTP.
 * The expectations are ONE table written from the specification (api.md, issue 4), independent of
 * apps/api/src/auth/policy.ts, so a wrong policy entry fails here; routes are discovered from the
 * OpenAPI document and Express' router, so a new route without a row here fails too.
 *
 * An allowed caller is sent an empty body: it gets past the guard and is then refused by
 * validation or state (400/404/409) or served (2xx), never 401/403. A refused caller gets 403,
 * and a caller without a token 401, whatever the body.
 */

const SUBJECTS = [
  'investigator',
  'supervisor',
  'ncb_officer',
  'liaison_fr',
  'auditor',
  'admin',
  'liaison_br', // a liaison of a country the request does not target
  'anonymous',
] as const;
type Subject = (typeof SUBJECTS)[number];
type SignedIn = Exclude<Subject, 'anonymous'>;

type Expectation =
  /** Needs a token; these callers pass the guard, every other signed-in caller gets 403. */
  | { allow: readonly SignedIn[] }
  /** Needs no bearer token: every caller (with or without one) gets this status. */
  | { everyone: number };

const READERS: readonly SignedIn[] = [
  'investigator',
  'supervisor',
  'ncb_officer',
  'liaison_fr',
  'liaison_br',
  'auditor',
];
const EVERY_USER: readonly SignedIn[] = [...READERS, 'admin'];

const MATRIX: Record<string, Expectation> = {
  'GET /health/live': { everyone: 200 },
  'GET /health/ready': { everyone: 200 },
  // Run here with METRICS_TOKEN set: only the scraper's token reads it, no user token does.
  'GET /metrics': { everyone: 401 },
  'POST /api/v1/auth/token': { everyone: 400 }, // an empty body: public, then validated
  // Signed by HMAC, not by a bearer token: without the signature everyone gets 401.
  'POST /api/v1/gateway/interpol/decisions': { everyone: 401 },
  'POST /api/v1/gateway/interpol/responses': { everyone: 401 },
  'POST /api/v1/gateway/interpol/suspensions': { everyone: 401 },
  'POST /api/v1/gateway/interpol/resumptions': { everyone: 401 },
  'POST /api/v1/gateway/interpol/cancellations': { everyone: 401 },
  'POST /api/v1/gateway/interpol/erasures': { everyone: 401 },

  'POST /api/v1/trace-requests': { allow: ['investigator'] },
  'GET /api/v1/trace-requests': { allow: READERS },
  'GET /api/v1/trace-requests/{id}': { allow: READERS },
  'PATCH /api/v1/trace-requests/{id}': { allow: ['investigator'] },
  'POST /api/v1/trace-requests/{id}/submit': { allow: ['investigator'] },
  'POST /api/v1/trace-requests/{id}/review': { allow: ['supervisor'] },
  'POST /api/v1/trace-requests/{id}/interpol-submission': { allow: ['ncb_officer'] },
  'POST /api/v1/trace-requests/{id}/query-answers': { allow: ['investigator'] },
  'POST /api/v1/trace-requests/{id}/withdraw': { allow: ['investigator', 'ncb_officer'] },
  'POST /api/v1/trace-requests/{id}/close': { allow: ['ncb_officer'] },
  // The case file leaves the system under the handling codes: the requesting country's staff and
  // its auditors export it (a foreign liaison reads its track but exports nothing).
  'POST /api/v1/trace-requests/{id}/case-file': {
    allow: ['investigator', 'supervisor', 'ncb_officer', 'auditor'],
  },
  'POST /api/v1/trace-requests/{id}/assignments': { allow: ['investigator', 'supervisor'] },
  'POST /api/v1/trace-requests/{id}/break-glass': { allow: ['investigator'] },
  'POST /api/v1/trace-requests/{id}/suspension': { allow: ['ncb_officer'] },
  'POST /api/v1/trace-requests/{id}/resumption': { allow: ['ncb_officer'] },

  'GET /api/v1/trace-requests/{id}/jurisdictions': { allow: READERS },
  'POST /api/v1/trace-requests/{id}/jurisdictions/{cc}/responses': {
    allow: ['liaison_fr', 'liaison_br', 'ncb_officer'],
  },
  'POST /api/v1/trace-requests/{id}/jurisdictions/{cc}/extension': { allow: ['supervisor'] },

  'GET /api/v1/trace-requests/{id}/assets': { allow: READERS },
  'GET /api/v1/assets': { allow: READERS },
  'GET /api/v1/assets/{assetId}': { allow: READERS },
  'POST /api/v1/assets/{assetId}/status': { allow: ['investigator', 'ncb_officer'] },

  'GET /api/v1/work-queue': { allow: READERS },
  'GET /api/v1/dashboard': { allow: READERS },

  // The pilot itself: admins only. Removal comes before addition, so the country used here (RO)
  // ends participating.
  'GET /api/v1/admin/users': { allow: ['admin'] },
  'POST /api/v1/admin/users': { allow: ['admin'] },
  'GET /api/v1/admin/users/{id}': { allow: ['admin'] },
  'PATCH /api/v1/admin/users/{id}': { allow: ['admin'] },
  'GET /api/v1/admin/quotas': { allow: ['admin'] },
  'PUT /api/v1/admin/quotas/{country}/{year}': { allow: ['admin'] },
  'GET /api/v1/admin/countries': { allow: ['admin'] },
  'DELETE /api/v1/admin/countries/{country}': { allow: ['admin'] },
  'PUT /api/v1/admin/countries/{country}': { allow: ['admin'] },
  'GET /api/v1/admin/deadlines': { allow: ['admin'] },
  'PATCH /api/v1/admin/deadlines': { allow: ['admin'] },
  'PUT /api/v1/admin/deadlines/countries/{country}': { allow: ['admin'] },
  'DELETE /api/v1/admin/deadlines/countries/{country}': { allow: ['admin'] },
  // Erasure and retention (issue 13): admins erase and bring a review forward, the NCB reviews.
  'POST /api/v1/admin/trace-requests/{id}/erasure': { allow: ['admin'] },
  'PUT /api/v1/admin/trace-requests/{id}/retention-review': { allow: ['admin'] },
  'POST /api/v1/trace-requests/{id}/retention-review': { allow: ['ncb_officer'] },
  // The audit chain: auditors only (an empty export is 200 JSON).
  'GET /api/v1/audit/verify': { allow: ['auditor'] },
  'GET /api/v1/audit/entries': { allow: ['auditor'] },
  'GET /api/v1/audit/checkpoints': { allow: ['auditor'] },
  'GET /api/v1/audit/export': { allow: ['auditor'] },
  // The timeline reads like the request (a liaison sees its own country's track only).
  'GET /api/v1/trace-requests/{id}/history': { allow: READERS },
  // Replay computes and writes nothing: the auditors' own tool.
  'POST /api/v1/audit/trace-requests/{id}/replay': { allow: ['auditor'] },

  // The codec server of the Temporal Web UI and CLI: operators decode, NCB officers encode.
  'POST /codec/decode': { allow: ['ncb_officer', 'auditor'] },
  'POST /codec/encode': { allow: ['ncb_officer'] },

  'GET /api/v1/notifications': { allow: EVERY_USER },
  'POST /api/v1/notifications/{id}/read': { allow: EVERY_USER },
  // Last: it revokes the caller's tokens.
  'POST /api/v1/auth/logout': { allow: EVERY_USER },
};

const ALLOWED_STATUSES = [200, 201, 202, 204, 400, 404, 409];
const WRITE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
/** POST routes that change nothing (a computation over the record), open to auditors. */
const READ_ONLY_POSTS = new Set([
  'POST /api/v1/audit/trace-requests/{id}/replay',
  // An export: it appends its audit entry and changes no case.
  'POST /api/v1/trace-requests/{id}/case-file',
  'POST /codec/decode',
]);
/** Routes about the caller's own session and inbox, not about a case. */
const OWN = new Set([
  'POST /api/v1/auth/logout',
  'GET /api/v1/notifications',
  'POST /api/v1/notifications/{id}/read',
]);

describe('authorization matrix: every route x every role, from one table', () => {
  let sys: RunningSystem;
  let db: DataSource;
  const tokens: Partial<Record<Subject, string>> = {};
  let requestId: string;
  let operations: { key: string; action?: string }[];

  const savedLogLevel = process.env.LOG_LEVEL;
  const savedMetricsToken = process.env.METRICS_TOKEN;

  beforeAll(async () => {
    // Every refusal is logged as a warning; a matrix of them would bury the test output.
    process.env.LOG_LEVEL = 'error';
    process.env.METRICS_TOKEN = `matrix-metrics-${randomUUID()}`;
    sys = await startSystem();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    const accounts: [SignedIn, string, string][] = [
      ['investigator', 'investigator', 'ZA'],
      ['supervisor', 'supervisor', 'ZA'],
      ['ncb_officer', 'ncb_officer', 'ZA'],
      ['liaison_fr', 'foreign_liaison', 'FR'],
      ['auditor', 'auditor', 'ZA'],
      // An admin of RO: the country the admin routes below name (admin-scope rules).
      ['admin', 'admin', 'RO'],
      ['liaison_br', 'foreign_liaison', 'BR'],
    ];
    await Promise.all(
      accounts.map(async ([subject, role, country]) => {
        tokens[subject] = (await makeAccount(db, sys.baseUrl, [role], country, 'mx')).token;
      }),
    );
    const created = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
      token: tokens.investigator,
      body: validRequestBody({ targetCountries: ['FR'] }),
    });
    expect(created.status).toBe(201);
    requestId = created.body.id as string;

    const doc = await http<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(
      sys.baseUrl,
      'GET',
      '/api/docs-json',
    );
    operations = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        key: `${method.toUpperCase()} ${path}`,
        action: op['x-silvertrace-action'] as string | undefined,
      })),
    );
  });

  afterAll(async () => {
    await sys?.close();
    await db?.destroy();
    if (savedLogLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = savedLogLevel;
    if (savedMetricsToken === undefined) delete process.env.METRICS_TOKEN;
    else process.env.METRICS_TOKEN = savedMetricsToken;
  });

  describe('the table covers the API', () => {
    it('has a row for every route in the OpenAPI document, and no row for a route that is gone', () => {
      const served = operations.map((o) => o.key).sort();
      expect(served).toEqual(Object.keys(MATRIX).sort());
    });

    it('has a row for every route Express serves (a route hidden from OpenAPI included)', () => {
      const app = sys.api.getHttpAdapter().getInstance() as {
        router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
      };
      const routes = app.router.stack
        // Swagger's own pages, and the catch-all Nest answers unknown routes with, are no API routes.
        .filter((layer) => layer.route && !/^(\/api\/docs|\{\/\*)/.test(layer.route.path))
        .flatMap((layer) =>
          Object.keys(layer.route!.methods)
            .filter((m) => m !== '_all')
            .map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`),
        );
      expect(routes.length).toBeGreaterThan(0);
      expect([...new Set(routes)].sort()).toEqual(Object.keys(MATRIX).sort());
    });

    it('publishes the policy action of every route, and every action is in the policy', () => {
      for (const op of operations) {
        expect({ route: op.key, known: op.action !== undefined && op.action in POLICY }).toEqual({
          route: op.key,
          known: true,
        });
      }
    });

    it('gives auditors no case write, and admins no case route at all', () => {
      for (const [key, exp] of Object.entries(MATRIX)) {
        if (!('allow' in exp) || OWN.has(key)) continue;
        if (key.includes(' /api/v1/admin/')) {
          expect({ key, allow: exp.allow }).toEqual({ key, allow: ['admin'] });
          continue;
        }
        if (WRITE.has(key.split(' ')[0]) && !READ_ONLY_POSTS.has(key))
          expect({ key, auditor: exp.allow.includes('auditor') }).toEqual({ key, auditor: false });
        expect({ key, admin: exp.allow.includes('admin') }).toEqual({ key, admin: false });
      }
    });
  });

  it('hides a request from the liaison of a country it does not target (404, not 403)', async () => {
    const res = await http(sys.baseUrl, 'GET', `/api/v1/trace-requests/${requestId}`, {
      token: tokens.liaison_br,
    });
    expect(res.status).toBe(404);
  });

  const cases = Object.entries(MATRIX).flatMap(([key, exp]) =>
    SUBJECTS.map((subject) => ({ key, subject, exp })),
  );

  it.each(cases)('$key as $subject', async ({ key, subject, exp }) => {
    const [method, template] = key.split(' ');
    const path = template
      .replace('{id}', template.startsWith('/api/v1/notifications') ? randomUUID() : requestId)
      .replace('{assetId}', randomUUID())
      .replace('{cc}', 'FR')
      .replace('{country}', 'RO')
      .replace('{year}', '2099');
    const res = await http(sys.baseUrl, method, path, {
      token: tokens[subject],
      body: WRITE.has(method) ? {} : undefined,
      headers: method === 'PATCH' ? { 'if-match': '"1"' } : {},
    });
    const seen = { key, subject, status: res.status };
    if ('everyone' in exp) {
      expect(seen).toEqual({ key, subject, status: exp.everyone });
    } else if (subject === 'anonymous') {
      expect(seen).toEqual({ key, subject, status: 401 });
    } else if (exp.allow.includes(subject)) {
      expect(ALLOWED_STATUSES).toContain(res.status);
    } else {
      expect(seen).toEqual({ key, subject, status: 403 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
