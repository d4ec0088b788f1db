// The whole journey over real HTTP, as the api.md routes and its users would walk it, with
// the INTERPOL simulator playing the General Secretariat and three foreign NCBs. Shared by
// test/e2e/journey.test.ts (worker in process) and test/e2e/fault-worker-kill.test.ts (worker in
// a separate process, killed twice on the way): the hooks are where the second one kills it.
import { hash } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startSim, type SimHandle, type SimOptions } from '../../apps/interpol-sim/src';
import { loadConfig } from '../../libs/config/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import {
  DEMO_PASSWORD,
  eventually,
  http,
  login,
  startSystem,
  type HttpResult,
  type RunningSystem,
} from './e2e';
import { validRequestBody } from './fixtures';

export type Body = Record<string, unknown>;

/** What each target country does (simulator behaviours): assets, none, partial then found. */
export const COUNTRY_PLAN = { FR: 'found', BR: 'none', PT: 'partial' } as const;
export const TARGETS = Object.keys(COUNTRY_PLAN).sort();
/** The outcomes each country's messages carry, in order (simulator behaviours above). */
export const EXPECTED_OUTCOMES: Record<string, string[]> = {
  BR: ['acknowledged', 'no_assets'],
  FR: ['acknowledged', 'assets_found'],
  PT: ['acknowledged', 'partial', 'assets_found'],
};
/** Every notification the journey causes, by kind (drafter and role recipients together). */
export const EXPECTED_NOTIFICATION_KINDS = [
  'approved',
  'changes_requested',
  'completed',
  'completed',
  'gs_query',
  'published',
  'ready_for_interpol',
  'review_requested',
  'review_requested',
].sort();

const ATTESTATION = { attestation: { article3Neutrality: true, dataQualityChecked: true } };
const REPORTING = new Set(['assets_found', 'partial']);

/**
 * The INTERPOL simulator (on a free port) for the API at `apiUrl`, signing with the gateway
 * secret, and INTERPOL_GATEWAY_URL pointed at it for the worker started next.
 */
export async function startSimulator(
  apiUrl: string,
  timing: Pick<SimOptions, 'decisionDelayMs' | 'responseDelayMs' | 'delivery'>,
): Promise<SimHandle> {
  const sim = await startSim({
    port: 0,
    apiUrl,
    secret: loadConfig().gateway.secret,
    ...timing,
    logger: false,
  });
  process.env.INTERPOL_GATEWAY_URL = sim.url;
  return sim;
}

/** The system with the simulator as INTERPOL, a database connection and one office. */
export interface SystemWithSimulator {
  sys: RunningSystem;
  sim: SimHandle;
  db: DataSource;
  office: Office;
  /** Stops the simulator, then the system, then closes the connection. */
  close(): Promise<void>;
}

/**
 * The API first (the simulator needs its URL), then the simulator, then the worker in process
 * (which needs the simulator's URL); a database connection and an office of `country`. The
 * caller saves and restores INTERPOL_GATEWAY_URL. What started is stopped if a step fails.
 */
export async function startSystemWithSimulator(
  country: string,
  timing: Parameters<typeof startSimulator>[1],
): Promise<SystemWithSimulator> {
  const sys = await startSystem({ worker: false });
  let sim: SimHandle | undefined;
  let db: DataSource | undefined;
  const close = async () => {
    await sim?.close();
    await sys.close();
    await db?.destroy();
  };
  try {
    sim = await startSimulator(sys.baseUrl, timing);
    await sys.startWorker();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    const office = await createOffice(db, sys.baseUrl, country);
    return { sys, sim, db, office, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The three people of the requesting country's office, signed in (bearer tokens). */
export interface Office {
  country: string;
  inv: string;
  sup: string;
  ncb: string;
}

/**
 * Creates an investigator, a supervisor and an NCB officer of `country` directly in the users
 * table (as the other suites do) and signs them in over HTTP. A country no other suite uses
 * keeps lists, counts and the yearly quota apart.
 */
export async function createOffice(
  db: DataSource,
  baseUrl: string,
  country: string,
): Promise<Office> {
  const passwordHash = await hash(DEMO_PASSWORD);
  const office: Office = { country, inv: '', sup: '', ncb: '' };
  for (const [key, role] of [
    ['inv', 'investigator'],
    ['sup', 'supervisor'],
    ['ncb', 'ncb_officer'],
  ] as const) {
    const username = `${key}.${country.toLowerCase()}.${randomUUID().slice(0, 8)}`;
    await db.query(
      `INSERT INTO users (username, password_hash, roles, country) VALUES ($1, $2, $3, $4)`,
      [username, passwordHash, [role], country],
    );
    office[key] = await login(baseUrl, username);
  }
  return office;
}

/** The parts of the simulator's control view (GET /control/requests/:reference) we read. */
export interface SimDelivery<M> {
  idempotencyKey: string;
  status: string;
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  message: M;
}
export interface SimAsset {
  type: string;
  description: string;
}
export interface SimView {
  reference: string;
  stage: string;
  submissionAttempts: number;
  failedSubmissionAttempts: number;
  submissions: { submissionId: string; idempotencyKey?: string; requestId: string }[];
  queryAnswers: { answer: string; idempotencyKey?: string }[];
  withdrawals: unknown[];
  idempotencyKeys: { path: string; key: string; count: number }[];
  decisions: SimDelivery<{ decision: string; noticeId?: string; question?: string }>[];
  responses: SimDelivery<{
    country: string;
    outcome: string;
    externalReference: string;
    assets?: SimAsset[];
  }>[];
}

export async function simJson<T = Body>(
  simUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${simUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const simView = (simUrl: string, reference: string) =>
  simJson<SimView>(simUrl, 'GET', `/control/requests/${reference}`);

/** The assets the simulator reported: one entry per (response, position), as the register keys them. */
export function simReportedAssets(view: SimView): string[] {
  return view.responses
    .filter((r) => REPORTING.has(r.message.outcome))
    .flatMap((r) =>
      (r.message.assets ?? []).map(
        (_, i) => `${r.message.country}|${r.message.externalReference}|${i}`,
      ),
    )
    .sort();
}

/** The request the journey walks. */
export interface JourneyRequest {
  id: string;
  reference: string;
}

export interface JourneyHooks {
  /** Right after the NCB's submission to INTERPOL was answered SUBMITTED. */
  afterInterpolSubmission?: (request: JourneyRequest) => Promise<void>;
  /** Once the notice is published and a first country answer is recorded, before COMPLETED. */
  whileCountriesAnswer?: (request: JourneyRequest) => Promise<void>;
}

export interface JourneyOptions {
  apiUrl: string;
  simUrl: string;
  office: Office;
  hooks?: JourneyHooks;
  /** Extra simulator control for this request (e.g. failSubmissions). */
  control?: Body;
  /** Bound of each wait for the system to move on its own (default 60 s). */
  waitMs?: number;
}

export interface JourneyOutcome {
  id: string;
  reference: string;
  sim: SimView;
  /** GET .../jurisdictions after closing. */
  tracks: Body[];
  /** GET .../assets once COMPLETED (before the move). */
  register: { items: Body[]; totals: { amount: string; currency: string }[] };
  /** The asset moved IDENTIFIED -> FREEZE_REQUESTED -> FROZEN (GET /assets/{id}). */
  frozen: Body;
  /** Milliseconds per phase, for the report. */
  timings: Record<string, number>;
}

async function ok<T = Body>(res: HttpResult<T>, status = 200, what = 'request'): Promise<T> {
  if (res.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

/**
 * Walks the journey; every step checks what the API answers. Draft -> review -> changes
 * requested -> edit (If-Match) -> resubmitted -> approved -> submitted to INTERPOL -> queried by
 * the GS -> answered -> published -> FR finds assets, BR none, PT partial then found ->
 * COMPLETED -> an asset frozen under MLA references -> CLOSED.
 */
export async function walkJourney(opts: JourneyOptions): Promise<JourneyOutcome> {
  const { apiUrl, simUrl, office, hooks = {} } = opts;
  const waitMs = opts.waitMs ?? 60_000;
  const api = <T = Body>(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => http<T>(apiUrl, method, `/api/v1${path}`, { token, body, headers });
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (name: string) => {
    timings[name] = Date.now() - mark;
    mark = Date.now();
  };
  const { inv, sup, ncb } = office;

  // 1. The investigator drafts it (a retried create with the same key is the same request).
  const tag = randomUUID().slice(0, 8).toUpperCase();
  const draft = validRequestBody({
    caseReference: `CAS-${office.country}-${tag}`,
    targetCountries: [...TARGETS],
    factsSummary: 'The subject is suspected of laundering tender-fraud proceeds abroad.',
  });
  const key = `journey-${tag}`;
  const created = await ok(
    await api('POST', '/trace-requests', inv, draft, { 'idempotency-key': key }),
    201,
    'create',
  );
  expect(created).toMatchObject({
    status: 'DRAFT',
    version: 1,
    requestingCountry: office.country,
  });
  const id = created.id as string;
  const reference = created.reference as string;
  const replay = await api('POST', '/trace-requests', inv, draft, { 'idempotency-key': key });
  expect(replay.status).toBeLessThan(300);
  expect(replay.body.id).toBe(id);

  // The simulator's plan for this request: the GS asks a question first, then publishes.
  await simJson(simUrl, 'PUT', `/control/requests/${reference}`, {
    gsDecision: 'query',
    thenDecision: 'publish',
    countries: COUNTRY_PLAN,
    ...opts.control,
  });

  const get = async (token = inv) =>
    ok(await api('GET', `/trace-requests/${id}`, token), 200, 'get');
  const waitFor = (status: string, what: string, token = inv) =>
    eventually(
      async () => {
        const view = await get(token);
        return view.status === status ? view : undefined;
      },
      { what: `${reference} ${what} (${status})`, timeoutMs: waitMs, intervalMs: 200 },
    );

  // 2. National review: changes requested, edited under If-Match, resubmitted, approved.
  expect(
    await ok(await api('POST', `/trace-requests/${id}/submit`, inv), 200, 'submit'),
  ).toMatchObject({ status: 'IN_REVIEW' });
  const comment = 'Name the court order and the date it was issued in the legal basis.';
  const sentBack = await ok(
    await api('POST', `/trace-requests/${id}/review`, sup, {
      decision: 'request_changes',
      comment,
    }),
    200,
    'request changes',
  );
  expect(sentBack).toMatchObject({ status: 'CHANGES_REQUESTED' });

  const current = await api('GET', `/trace-requests/${id}`, inv);
  const version = current.body.version as number;
  expect(current.headers.get('etag')).toBe(`"${version}"`);
  expect(current.body.lastReview).toMatchObject({ comment });
  expect(current.body.allowedActions).toEqual(expect.arrayContaining(['edit', 'submit']));
  const edited = {
    ...draft,
    legalBasis: { type: 'court_order', reference: 'GJ-2026-1187', issuedOn: '2026-02-03' },
    factsSummary: `${draft.factsSummary} Court order GJ-2026-1187 of 3 February 2026 applies.`,
  };
  const patched = await api('PATCH', `/trace-requests/${id}`, inv, edited, {
    'if-match': `"${version}"`,
  });
  expect(patched.status).toBe(200);
  expect(patched.body).toMatchObject({
    status: 'CHANGES_REQUESTED',
    version: version + 1,
    factsSummary: edited.factsSummary,
  });
  expect(patched.headers.get('etag')).toBe(`"${version + 1}"`);
  // The version edited is stale now: a second edit from the same copy is a conflict.
  const stale = await api('PATCH', `/trace-requests/${id}`, inv, edited, {
    'if-match': `"${version}"`,
  });
  expect(stale.status).toBe(409);

  expect(
    await ok(await api('POST', `/trace-requests/${id}/submit`, inv), 200, 'resubmit'),
  ).toMatchObject({ status: 'IN_REVIEW' });
  expect(
    await ok(
      await api('POST', `/trace-requests/${id}/review`, sup, { decision: 'approve' }),
      200,
      'approve',
    ),
  ).toMatchObject({ status: 'APPROVED' });
  lap('draftToApproved');

  // 3. The NCB submits to INTERPOL with the compliance attestation.
  const submitted = await ok(
    await api('POST', `/trace-requests/${id}/interpol-submission`, ncb, ATTESTATION),
    200,
    'interpol submission',
  );
  // The answer shows the newest state: on a loaded machine the GS's query may already be in.
  expect(['SUBMITTED', 'QUERIED']).toContain(submitted.status);
  await hooks.afterInterpolSubmission?.({ id, reference });
  lap('submittedHook');

  // 4. The GS asks a question; the investigator answers it; the GS publishes.
  const queried = await waitFor('QUERIED', 'queried by the GS');
  const queries = (queried.interpol as { queries: { question: string }[] }).queries;
  expect(queries).toHaveLength(1);
  expect(queries[0].question).toEqual(expect.any(String));
  expect(queried.allowedActions).toContain('query-answers');
  lap('untilQueried');
  const answered = await ok(
    await api('POST', `/trace-requests/${id}/query-answers`, inv, {
      answer: 'Court order GJ-2026-1187 of 3 February 2026; the accounts received the proceeds.',
    }),
    200,
    'query answer',
  );
  expect(['SUBMITTED', 'PUBLISHED']).toContain(answered.status); // (as above: the GS may be quick)

  // 5. Published; the three countries answer through INTERPOL channels.
  const published = await eventually(
    async () => {
      const view = await get();
      return ['PUBLISHED', 'COMPLETED'].includes(view.status as string) ? view : undefined;
    },
    { what: `${reference} to be published`, timeoutMs: waitMs, intervalMs: 200 },
  );
  expect(published.interpol).toMatchObject({ noticeId: expect.stringMatching(/^SILVER-/) });
  lap('untilPublished');
  if (hooks.whileCountriesAnswer) {
    await eventually(
      async () => {
        const tracks = (await ok(
          await api('GET', `/trace-requests/${id}/jurisdictions`, inv),
        )) as unknown as Body[];
        return tracks.some((t) => (t.responses as unknown[]).length > 0) || undefined;
      },
      { what: `a first country answer to ${reference}`, timeoutMs: waitMs, intervalMs: 100 },
    );
    await hooks.whileCountriesAnswer({ id, reference });
  }

  const completed = await waitFor('COMPLETED', 'every country answered', ncb);
  expect(completed.jurisdictions).toEqual(
    TARGETS.map((country) => expect.objectContaining({ country, status: 'ANSWERED' })),
  );
  expect(completed.allowedActions).toEqual(['withdraw', 'close', 'suspend']);
  lap('untilCompleted');

  // Every message the simulator sent was taken (retries included), and nothing more is coming.
  const sim = await eventually(
    async () => {
      const view = await simView(simUrl, reference);
      const open = [...view.decisions, ...view.responses].filter((d) => d.status !== 'delivered');
      if (view.responses.length === 7 && open.length === 0) return view;
      // Thrown, so a timeout names what is still open.
      throw new Error(
        `${view.responses.length} of 7 responses sent; not delivered: ` +
          (JSON.stringify(
            open.map((d) => ({
              key: d.idempotencyKey,
              status: d.status,
              attempts: d.attempts,
              lastStatus: d.lastStatus,
              lastError: d.lastError,
            })),
          ) ?? '[]'),
      );
    },
    { what: `the simulator's messages on ${reference} to be delivered`, timeoutMs: waitMs },
  );

  // 6. The three tracks and the asset register.
  const tracks = (await ok(
    await api('GET', `/trace-requests/${id}/jurisdictions`, inv),
  )) as unknown as Body[];
  expect(tracks.map((t) => t.country)).toEqual(TARGETS);
  for (const track of tracks) {
    const country = track.country as string;
    const responses = track.responses as Body[];
    expect({ country, status: track.status }).toEqual({ country, status: 'ANSWERED' });
    expect({ country, outcomes: responses.map((r) => r.outcome) }).toEqual({
      country,
      outcomes: EXPECTED_OUTCOMES[country],
    });
    expect(responses.every((r) => (r.recordedBy as Body).username === 'interpol-gateway')).toBe(
      true,
    );
    const sent = sim.responses.filter((r) => r.message.country === country);
    expect(responses.map((r) => r.externalReference).sort()).toEqual(
      sent.map((r) => r.message.externalReference).sort(),
    );
  }

  const register = await ok<JourneyOutcome['register']>(
    await api('GET', `/trace-requests/${id}/assets`, inv),
  );
  const reported = simReportedAssets(sim);
  expect(
    register.items.map((a) => `${a.country}|${a.externalReference}|${a.itemIndex}`).sort(),
  ).toEqual(reported);
  expect(register.items.every((a) => a.status === 'IDENTIFIED')).toBe(true);
  expect(new Set(register.items.map((a) => a.country))).toEqual(new Set(['FR', 'PT']));
  expect(register.items.filter((a) => a.country === 'PT')).toHaveLength(2);
  for (const total of register.totals) {
    expect(total.amount).toMatch(/^\d+\.\d{2,4}$/);
    expect(total.currency).toMatch(/^[A-Z]{3}$/);
  }

  // 7. Follow-up: one French asset is frozen under mutual legal assistance.
  const asset = register.items.find((a) => a.country === 'FR')!;
  const assetId = asset.id as string;
  const freeze = {
    status: 'FREEZE_REQUESTED',
    mlaReference: `MLA-${office.country}-FR-2026-${tag}`,
    note: 'Freezing requested from the French central authority',
  };
  const requested = await ok(
    await api('POST', `/assets/${assetId}/status`, inv, freeze, {
      'idempotency-key': `freeze-${tag}`,
    }),
    200,
    'freeze requested',
  );
  expect(requested).toMatchObject({ status: 'FREEZE_REQUESTED', version: 2 });
  // A retry of the same move changes nothing.
  const retried = await api('POST', `/assets/${assetId}/status`, inv, freeze, {
    'idempotency-key': `freeze-${tag}`,
  });
  expect(retried.status).toBe(200);
  expect(retried.body).toMatchObject({ status: 'FREEZE_REQUESTED', version: 2 });
  const frozen = await ok(
    await api(
      'POST',
      `/assets/${assetId}/status`,
      ncb,
      { status: 'FROZEN', mlaReference: `FR-JIRS-2026-${tag}`, note: 'Frozen by court order' },
      { 'if-match': '2' },
    ),
    200,
    'frozen',
  );
  expect(frozen).toMatchObject({ status: 'FROZEN', version: 3 });
  expect(frozen.moves).toEqual([
    expect.objectContaining({
      fromStatus: 'IDENTIFIED',
      toStatus: 'FREEZE_REQUESTED',
      mlaReference: freeze.mlaReference,
    }),
    expect.objectContaining({
      fromStatus: 'FREEZE_REQUESTED',
      toStatus: 'FROZEN',
      mlaReference: `FR-JIRS-2026-${tag}`,
    }),
  ]);
  const frozenList = await ok<JourneyOutcome['register']>(
    await api('GET', `/assets?status=FROZEN&requestId=${id}`, inv),
  );
  expect(frozenList.items.map((a) => a.id)).toEqual([assetId]);

  // 8. The NCB closes it; the three tracks stay final.
  const closed = await ok(
    await api('POST', `/trace-requests/${id}/close`, ncb, {
      summary: 'Assets located in France and Portugal; one French account frozen under MLA.',
    }),
    200,
    'close',
  );
  expect(closed).toMatchObject({ status: 'CLOSED', allowedActions: [] });
  const finalTracks = (await ok(
    await api('GET', `/trace-requests/${id}/jurisdictions`, inv),
  )) as unknown as Body[];
  expect(finalTracks.map((t) => [t.country, t.status])).toEqual(
    TARGETS.map((c) => [c, 'ANSWERED']),
  );
  lap('registerAndClose');

  return {
    id,
    reference,
    sim: await simView(simUrl, reference),
    tracks: finalTracks,
    register,
    frozen,
    timings,
  };
}

/**
 * What PostgreSQL and the simulator hold after the journey: nothing lost, nothing twice. Counts
 * are exact, and compared with what the simulator says it sent and received.
 */
export async function expectNothingLostOrDuplicated(
  db: DataSource,
  office: Office,
  outcome: JourneyOutcome,
): Promise<void> {
  const { id, reference, sim } = outcome;
  const count = async (sql: string, params: unknown[]): Promise<number> => {
    const rows = (await db.query(sql, params)) as { n: string }[];
    return Number(rows[0].n);
  };

  // The request: one row (its country is this suite's alone), CLOSED.
  expect(
    await count(`SELECT count(*) AS n FROM trace_requests WHERE requesting_country = $1`, [
      office.country,
    ]),
  ).toBe(1);
  const [request] = (await db.query(`SELECT status FROM trace_requests WHERE id = $1`, [id])) as {
    status: string;
  }[];
  expect(request.status).toBe('CLOSED');

  // Three tracks, all final.
  const tracks = (await db.query(
    `SELECT country, status FROM jurisdictions WHERE request_id = $1 ORDER BY country`,
    [id],
  )) as { country: string; status: string }[];
  expect(tracks.map((t) => [t.country.trim(), t.status])).toEqual(
    TARGETS.map((c) => [c, 'ANSWERED']),
  );

  // One response row per distinct message the simulator sent (redeliveries included).
  const sentRefs = [...new Set(sim.responses.map((r) => r.message.externalReference))].sort();
  expect(sentRefs).toHaveLength(sim.responses.length);
  expect(sentRefs).toHaveLength(7);
  const responses = (await db.query(
    `SELECT country, external_reference FROM jurisdiction_responses WHERE request_id = $1
      ORDER BY external_reference`,
    [id],
  )) as { country: string; external_reference: string }[];
  expect(responses.map((r) => r.external_reference)).toEqual(sentRefs);

  // The assets the simulator reported, each once.
  const assets = (await db.query(
    `SELECT country, external_reference, item_index, status FROM assets WHERE request_id = $1`,
    [id],
  )) as { country: string; external_reference: string; item_index: number; status: string }[];
  expect(
    assets.map((a) => `${a.country.trim()}|${a.external_reference}|${a.item_index}`).sort(),
  ).toEqual(simReportedAssets(sim));
  expect(assets.filter((a) => a.status === 'FROZEN')).toHaveLength(1);
  expect(
    await count(
      `SELECT count(*) AS n FROM asset_moves m JOIN assets a ON a.id = m.asset_id
        WHERE a.request_id = $1`,
      [id],
    ),
  ).toBe(2);

  // Notifications: unique keys, exactly the journey's, none twice.
  const notifications = (await db.query(
    `SELECT key, kind FROM notifications WHERE request_id = $1 ORDER BY kind, key`,
    [id],
  )) as { key: string; kind: string }[];
  expect(new Set(notifications.map((n) => n.key)).size).toBe(notifications.length);
  expect(notifications.map((n) => n.kind).sort()).toEqual(EXPECTED_NOTIFICATION_KINDS);

  // Outbound to INTERPOL: one row per idempotency key, each delivered.
  const outbound = (await db.query(
    `SELECT idempotency_key, type, attempts, delivered_at FROM outbound_messages
      WHERE reference = $1 ORDER BY idempotency_key`,
    [reference],
  )) as { idempotency_key: string; type: string; attempts: number; delivered_at: Date | null }[];
  expect(outbound.map((o) => [o.idempotency_key, o.type])).toEqual([
    [`query-answer-${id}-1`, 'queryAnswer'],
    [`submission-${id}`, 'submission'],
  ]);
  expect(outbound.every((o) => o.delivered_at !== null)).toBe(true);

  // One quota slot for the one request.
  expect(
    await count(`SELECT count(*) AS n FROM quota_reservations WHERE request_id = $1`, [id]),
  ).toBe(1);
  expect(
    await count(`SELECT coalesce(sum(used), 0) AS n FROM quota_counters WHERE country = $1`, [
      office.country,
    ]),
  ).toBe(1);

  // The simulator: exactly one submission and one query answer, each under one key; every
  // attempt it saw carried that key; two decisions (query, published), all delivered.
  expect(sim.submissions).toHaveLength(1);
  expect(sim.submissions[0]).toMatchObject({ idempotencyKey: `submission-${id}`, requestId: id });
  expect(sim.queryAnswers).toHaveLength(1);
  expect(sim.queryAnswers[0].idempotencyKey).toBe(`query-answer-${id}-1`);
  expect(sim.withdrawals).toHaveLength(0);
  expect(sim.idempotencyKeys.map((k) => [k.path, k.key]).sort()).toEqual(
    [
      ['/gs/query-answers', `query-answer-${id}-1`],
      ['/gs/submissions', `submission-${id}`],
    ].sort(),
  );
  const submissionKey = sim.idempotencyKeys.find((k) => k.path === '/gs/submissions')!;
  expect(submissionKey.count).toBe(sim.submissionAttempts);
  expect(sim.decisions.map((d) => [d.message.decision, d.status])).toEqual([
    ['query', 'delivered'],
    ['published', 'delivered'],
  ]);
  expect(sim.responses.every((r) => r.status === 'delivered')).toBe(true);
}
