// The worker's activities against the real PostgreSQL of the run and, for sendToInterpol, the
// INTERPOL simulator over real HTTP. Each is called twice (a Temporal retry) and concurrently.
import { Logger } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { startSim, type SimHandle } from '../../apps/interpol-sim/src';
import {
  INTERPOL_REFUSED,
  InterpolActivities,
} from '../../apps/worker/src/activities/interpol.activities';
import { NotificationActivities } from '../../apps/worker/src/activities/notification.activities';
import { ProjectionActivities } from '../../apps/worker/src/activities/projection.activities';
import { QuotaActivities } from '../../apps/worker/src/activities/quota.activities';
import { loadConfig, type AppConfig } from '../../libs/config/src';
import {
  decideJurisdiction,
  evolveJurisdiction,
  initialJurisdiction,
  type JurisdictionCommand,
  type JurisdictionState,
} from '../../libs/domain/src/jurisdiction';
import type { Actor, JurisdictionResponseContent } from '../../libs/domain/src/types';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import type { JurisdictionProjection, OutboundMessage } from '../../workflows/activity-types';

const DEADLINE = '2026-06-01T00:00:00.000Z';

let db: DataSource;
let config: AppConfig;
let drafterId: string;

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return Number((await db.query(sql, params))[0].n);
}

/** A trace_requests row for the foreign keys; returns its id and reference. */
async function newRequest(): Promise<{ id: string; reference: string }> {
  const id = randomUUID();
  const reference = `ZA-T-${id.slice(0, 8)}`;
  await db.query(
    `INSERT INTO trace_requests (id, reference, requesting_country, kind, urgency, language,
       status, version, case_reference, subject_name, content, content_hash, drafter_id,
       workflow_id, created_at, updated_at)
     VALUES ($1, $2, 'ZA', 'notice', 'normal', 'en', 'PUBLISHED', 1, 'CAS-1', 'Test Subject',
       '{}', $3, $4, $5, now(), now())`,
    [id, reference, '0'.repeat(64), drafterId, `trace-request-${id}`],
  );
  return { id, reference };
}

const liaison = (country: string): Actor => ({
  userId: randomUUID(),
  username: `liaison.${country.toLowerCase()}`,
  role: 'foreign_liaison',
  country,
});

/** Folds commands through the real domain rules, so the state has the workflow's shape. */
function track(
  country: string,
  commands: { command: JurisdictionCommand; at: string }[],
): JurisdictionState {
  let state = initialJurisdiction({ country, requestingCountry: 'ZA', deadline: DEADLINE });
  const actor = liaison(country);
  for (const { command, at } of commands) {
    const decision = decideJurisdiction(state, command, actor, at);
    if (!decision.ok) throw new Error(`fixture refused: ${decision.message}`);
    state = decision.events.reduce(evolveJurisdiction, state);
  }
  return state;
}

const respond = (r: JurisdictionResponseContent, at: string) => ({
  command: { type: 'respond' as const, ...r },
  at,
});

function projection(
  req: { id: string; reference: string },
  state: JurisdictionState,
  stateSeq: number,
): JurisdictionProjection {
  return {
    requestId: req.id,
    reference: req.reference,
    country: state.country,
    stateSeq,
    state,
    workflowId: `trace-request-${req.id}-${state.country}`,
    updatedAt: new Date(Date.parse('2026-04-01T00:00:00Z') + stateSeq * 1000).toISOString(),
  };
}

beforeAll(async () => {
  // Quiet test output; the spies below still see every call.
  Logger.overrideLogger(false);
  config = loadConfig();
  db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 8)).initialize();
  const [user] = await db.query(
    `INSERT INTO users (username, password_hash, roles, country)
     VALUES ($1, 'x', ARRAY['investigator'], 'ZA') RETURNING id`,
    [`activities-${randomUUID()}`],
  );
  drafterId = user.id;
});

afterAll(async () => {
  await db?.destroy();
});

describe('projectJurisdiction', () => {
  let projections: ProjectionActivities;
  beforeAll(() => {
    projections = new ProjectionActivities(db);
  });

  const counts = async (requestId: string) => ({
    tracks: await count(`SELECT count(*) AS n FROM jurisdictions WHERE request_id = $1`, [
      requestId,
    ]),
    responses: await count(
      `SELECT count(*) AS n FROM jurisdiction_responses WHERE request_id = $1`,
      [requestId],
    ),
    assets: await count(`SELECT count(*) AS n FROM assets WHERE request_id = $1`, [requestId]),
  });

  const acknowledged = respond(
    { outcome: 'acknowledged', externalReference: 'FR-ACK-1' },
    '2026-04-02T09:00:00.000Z',
  );
  const partial = respond(
    {
      outcome: 'partial',
      externalReference: 'FR-PART-1',
      narrative: 'One account so far; more to follow.',
      handlingCode: 'H1',
      sourceReliability: 'B',
      informationAccuracy: '2',
      assets: [
        {
          type: 'bank_account',
          description: 'Current account at a Paris bank',
          identifiers: { iban: 'FR1420041010050500013M02606' },
          holder: 'Nominee SARL',
          estimatedValue: { amount: '1250000.5', currency: 'EUR' },
        },
      ],
    },
    '2026-04-03T09:00:00.000Z',
  );
  const found = respond(
    {
      outcome: 'assets_found',
      externalReference: 'FR-FINAL-1',
      assets: [
        { type: 'real_estate', description: 'Apartment in Nice' },
        {
          type: 'vessel',
          description: 'Motor yacht',
          identifiers: { imo: '9074729' },
          estimatedValue: { amount: '123456789012345678.1234', currency: 'EUR' },
        },
      ],
    },
    '2026-04-04T09:00:00.000Z',
  );

  it('projects the track, every response and the reported assets', async () => {
    const req = await newRequest();
    const state = track('FR', [acknowledged, partial, found]);
    await projections.projectJurisdiction(projection(req, state, 3));

    const [row] = await db.query(
      `SELECT reference, status, deadline, state, state_seq, workflow_id FROM jurisdictions
       WHERE request_id = $1 AND country = 'FR'`,
      [req.id],
    );
    expect(row).toMatchObject({
      reference: req.reference,
      status: 'ANSWERED',
      state_seq: 3,
      workflow_id: `trace-request-${req.id}-FR`,
    });
    expect(new Date(row.deadline).toISOString()).toBe(DEADLINE);
    expect(row.state).toEqual(state);

    const responses = await db.query(
      `SELECT external_reference, seq, outcome, narrative, handling_code, source_reliability,
         information_accuracy, late, recorded_by, at, body
       FROM jurisdiction_responses WHERE request_id = $1 ORDER BY seq`,
      [req.id],
    );
    expect(responses.map((r: { external_reference: string }) => r.external_reference)).toEqual([
      'FR-ACK-1',
      'FR-PART-1',
      'FR-FINAL-1',
    ]);
    expect(responses[1]).toMatchObject({
      seq: 1,
      outcome: 'partial',
      narrative: 'One account so far; more to follow.',
      handling_code: 'H1',
      source_reliability: 'B',
      information_accuracy: '2',
      late: false,
      recorded_by: { role: 'foreign_liaison', country: 'FR', username: 'liaison.fr' },
    });
    expect(new Date(responses[1].at).toISOString()).toBe('2026-04-03T09:00:00.000Z');
    expect(responses[1].body).toEqual(state.responses[1]);
    expect(responses[0]).toMatchObject({ outcome: 'acknowledged', narrative: null });

    const assets = await db.query(
      `SELECT external_reference, item_index, type, description, identifiers, holder, amount,
         currency, status, version, created_at
       FROM assets WHERE request_id = $1 ORDER BY external_reference, item_index`,
      [req.id],
    );
    expect(assets).toEqual([
      expect.objectContaining({
        external_reference: 'FR-FINAL-1',
        item_index: 0,
        type: 'real_estate',
        identifiers: null,
        holder: null,
        amount: null,
        currency: null,
        status: 'IDENTIFIED',
        version: 1,
      }),
      expect.objectContaining({
        external_reference: 'FR-FINAL-1',
        item_index: 1,
        type: 'vessel',
        identifiers: { imo: '9074729' },
        // numeric(24,4) keeps all 18 integer digits and 4 decimals (as a string).
        amount: '123456789012345678.1234',
        currency: 'EUR',
      }),
      expect.objectContaining({
        external_reference: 'FR-PART-1',
        item_index: 0,
        type: 'bank_account',
        identifiers: { iban: 'FR1420041010050500013M02606' },
        holder: 'Nominee SARL',
        amount: '1250000.5000',
        currency: 'EUR',
        status: 'IDENTIFIED',
      }),
    ]);
    expect(new Date(assets[2].created_at).toISOString()).toBe('2026-04-03T09:00:00.000Z');
  });

  it('changes nothing twice when retried, also concurrently', async () => {
    const req = await newRequest();
    const p = projection(req, track('FR', [acknowledged, partial, found]), 3);
    await projections.projectJurisdiction(p);
    const before = await db.query(`SELECT id FROM assets WHERE request_id = $1 ORDER BY id`, [
      req.id,
    ]);

    await projections.projectJurisdiction(p);
    await Promise.all([1, 2, 3, 4].map(() => projections.projectJurisdiction(p)));

    expect(await counts(req.id)).toEqual({ tracks: 1, responses: 3, assets: 3 });
    // The same rows, not deleted and re-created.
    expect(
      await db.query(`SELECT id FROM assets WHERE request_id = $1 ORDER BY id`, [req.id]),
    ).toEqual(before);
  });

  it('projects concurrent first projections of one track without a conflict', async () => {
    const req = await newRequest();
    const p = projection(req, track('BR', [acknowledged, found]), 2);
    await Promise.all([1, 2, 3, 4, 5].map(() => projections.projectJurisdiction(p)));
    expect(await counts(req.id)).toEqual({ tracks: 1, responses: 2, assets: 2 });
  });

  it('never lets an older state_seq overwrite a newer one', async () => {
    const req = await newRequest();
    const seq1 = projection(req, track('FR', [acknowledged]), 1);
    const seq2 = projection(req, track('FR', [acknowledged, partial]), 2);
    const seq3 = projection(req, track('FR', [acknowledged, partial, found]), 3);

    await projections.projectJurisdiction(seq1);
    await projections.projectJurisdiction(seq3);
    // Late and replayed older projections arrive after the newest.
    await projections.projectJurisdiction(seq2);
    await projections.projectJurisdiction(seq1);

    const [row] = await db.query(
      `SELECT status, state_seq, updated_at, state FROM jurisdictions WHERE request_id = $1`,
      [req.id],
    );
    expect(row).toMatchObject({ status: 'ANSWERED', state_seq: 3 });
    expect(new Date(row.updated_at).toISOString()).toBe(seq3.updatedAt);
    expect(row.state.responses).toHaveLength(3);
    expect(await counts(req.id)).toEqual({ tracks: 1, responses: 3, assets: 3 });

    // An equal state_seq is a retry of what is stored: ignored too.
    const sameSeq = { ...seq3, state: { ...seq3.state, status: 'OVERDUE' as const } };
    await projections.projectJurisdiction(sameSeq);
    const [again] = await db.query(`SELECT status FROM jurisdictions WHERE request_id = $1`, [
      req.id,
    ]);
    expect(again.status).toBe('ANSWERED');
  });

  it('registers assets only for assets_found and partial responses', async () => {
    const req = await newRequest();
    const state = track('DE', [
      respond({ outcome: 'no_assets', externalReference: 'DE-1' }, '2026-04-02T00:00:00.000Z'),
    ]);
    const declined = track('ES', [
      respond(
        { outcome: 'declined', externalReference: 'ES-1', narrative: 'No legal basis here.' },
        '2026-04-02T00:00:00.000Z',
      ),
    ]);
    await projections.projectJurisdiction(projection(req, state, 1));
    await projections.projectJurisdiction(projection(req, declined, 1));
    expect(await counts(req.id)).toEqual({ tracks: 2, responses: 2, assets: 0 });
    const statuses = await db.query(
      `SELECT country, status FROM jurisdictions WHERE request_id = $1 ORDER BY country`,
      [req.id],
    );
    expect(statuses).toEqual([
      { country: 'DE', status: 'ANSWERED' },
      { country: 'ES', status: 'DECLINED' },
    ]);
  });

  it('projects a track with no response yet', async () => {
    const req = await newRequest();
    await projections.projectJurisdiction(projection(req, track('PT', []), 0));
    expect(await counts(req.id)).toEqual({ tracks: 1, responses: 0, assets: 0 });
  });
});

describe('reserveQuota / releaseQuota', () => {
  let quota: QuotaActivities;
  beforeAll(() => {
    quota = new QuotaActivities(db);
  });

  // A year of its own per test: counters are per (country, year) and the database is shared.
  let lastYear = 3000 + Math.floor(Math.random() * 500) * 100;
  const freshYear = () => (lastYear += 10);

  const used = async (country: string, year: number) =>
    Number(
      (
        await db.query(`SELECT used FROM quota_counters WHERE country = $1 AND year = $2`, [
          country,
          year,
        ])
      )[0]?.used ?? 0,
    );
  const reservations = (country: string, year: number) =>
    count(`SELECT count(*) AS n FROM quota_reservations WHERE country = $1 AND year = $2`, [
      country,
      year,
    ]);

  it('takes one slot per request, however often it is asked', async () => {
    const year = freshYear();
    const requestId = randomUUID();
    const r = { requestId, country: 'ZA', year, limit: 2 };
    expect(await quota.reserveQuota(r)).toEqual({ ok: true, used: 1, limit: 2 });
    expect(await quota.reserveQuota(r)).toEqual({ ok: true, used: 1, limit: 2 });
    expect(await used('ZA', year)).toBe(1);
    expect(await reservations('ZA', year)).toBe(1);
  });

  it('gives the last slot to exactly one of five racing requests', async () => {
    const year = freshYear();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        quota.reserveQuota({ requestId: randomUUID(), country: 'ZA', year, limit: 1 }),
      ),
    );
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, used: 1, limit: 1 }]);
    expect(results.filter((r) => !r.ok)).toEqual(Array(4).fill({ ok: false, used: 1, limit: 1 }));
    expect(await used('ZA', year)).toBe(1);
    expect(await reservations('ZA', year)).toBe(1);
  });

  it('never exceeds the limit under a larger race', async () => {
    const year = freshYear();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        quota.reserveQuota({ requestId: randomUUID(), country: 'FR', year, limit: 7 }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(7);
    expect(
      results
        .filter((r) => r.ok)
        .map((r) => r.used)
        .sort((a, b) => a - b),
    ).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await used('FR', year)).toBe(7);
    expect(await reservations('FR', year)).toBe(7);
  });

  it('counts concurrent retries of one request once', async () => {
    const year = freshYear();
    const r = { requestId: randomUUID(), country: 'ZA', year, limit: 5 };
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => quota.reserveQuota(r)));
    expect(results).toEqual(Array(5).fill({ ok: true, used: 1, limit: 5 }));
    expect(await used('ZA', year)).toBe(1);
  });

  it('keeps countries and years apart, and refuses everything at limit 0', async () => {
    const year = freshYear();
    await quota.reserveQuota({ requestId: randomUUID(), country: 'ZA', year, limit: 1 });
    expect(
      await quota.reserveQuota({ requestId: randomUUID(), country: 'BR', year, limit: 1 }),
    ).toMatchObject({ ok: true, used: 1 });
    expect(
      await quota.reserveQuota({
        requestId: randomUUID(),
        country: 'ZA',
        year: year + 1,
        limit: 1,
      }),
    ).toMatchObject({ ok: true, used: 1 });
    const zero = freshYear();
    expect(
      await quota.reserveQuota({ requestId: randomUUID(), country: 'ZA', year: zero, limit: 0 }),
    ).toEqual({ ok: false, used: 0, limit: 0 });
    expect(await reservations('ZA', zero)).toBe(0);
  });

  it('gives a slot back once, however often it is released', async () => {
    const year = freshYear();
    const a = randomUUID();
    const b = randomUUID();
    await quota.reserveQuota({ requestId: a, country: 'ZA', year, limit: 2 });
    await quota.reserveQuota({ requestId: b, country: 'ZA', year, limit: 2 });
    expect(await used('ZA', year)).toBe(2);

    await quota.releaseQuota({ requestId: a });
    await quota.releaseQuota({ requestId: a });
    await Promise.all([1, 2, 3].map(() => quota.releaseQuota({ requestId: a })));
    expect(await used('ZA', year)).toBe(1);
    expect(await reservations('ZA', year)).toBe(1);

    // Unknown requests release nothing.
    await quota.releaseQuota({ requestId: randomUUID() });
    expect(await used('ZA', year)).toBe(1);

    // The freed slot can be taken again, by another request or by the same one.
    const c = randomUUID();
    expect(await quota.reserveQuota({ requestId: c, country: 'ZA', year, limit: 2 })).toEqual({
      ok: true,
      used: 2,
      limit: 2,
    });
    expect(await quota.reserveQuota({ requestId: a, country: 'ZA', year, limit: 2 })).toEqual({
      ok: false,
      used: 2,
      limit: 2,
    });
  });
});

describe('sendToInterpol (simulator over real HTTP)', () => {
  let sim: SimHandle;
  let interpol: InterpolActivities;

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.url}/control${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const outbound = async (key: string) =>
    (
      await db.query(
        `SELECT type, reference, attempts, last_status, last_error, delivered_at
         FROM outbound_messages WHERE idempotency_key = $1`,
        [key],
      )
    )[0];

  const submission = (reference: string, key = `submission:${reference}`): OutboundMessage => ({
    type: 'submission',
    idempotencyKey: key,
    body: {
      reference,
      requestId: randomUUID(),
      kind: 'notice',
      requestingCountry: 'ZA',
      targetCountries: ['FR', 'BR'],
      contentHash: 'a'.repeat(64),
      content: { caseReference: 'CAS-1' },
    },
  });

  /** Rejects with what sendToInterpol threw. */
  const failure = async (p: Promise<void>): Promise<Error> => {
    try {
      await p;
    } catch (err) {
      return err as Error;
    }
    throw new Error('expected sendToInterpol to throw');
  };

  beforeAll(async () => {
    sim = await startSim({
      port: 0,
      // Decisions and answers are never due during these tests; nothing is delivered back.
      apiUrl: 'http://127.0.0.1:9',
      secret: config.gateway.secret,
      decisionDelayMs: 3_600_000,
      responseDelayMs: 3_600_000,
      delivery: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 500 },
      logger: false,
    });
    interpol = new InterpolActivities(db, {
      ...config,
      gateway: { ...config.gateway, interpolUrl: `${sim.url}/` },
    });
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('retries a 503 (plain Error), then delivers once; a later call sends nothing', async () => {
    const reference = `ZA-S-${randomUUID().slice(0, 8)}`;
    await control('PUT', `/requests/${reference}`, { failSubmissions: 1 });
    const msg = submission(reference);

    const err = await failure(interpol.sendToInterpol(msg));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect(err.message).toContain('503');
    expect(await outbound(msg.idempotencyKey)).toMatchObject({
      type: 'submission',
      reference,
      attempts: 1,
      last_status: 503,
      delivered_at: null,
    });

    await interpol.sendToInterpol(msg);
    const row = await outbound(msg.idempotencyKey);
    expect(row).toMatchObject({ attempts: 2, last_status: 202, last_error: null });
    expect(row.delivered_at).toBeInstanceOf(Date);

    // A retry after the answer was lost: already delivered, not posted again.
    await interpol.sendToInterpol(msg);
    expect(await outbound(msg.idempotencyKey)).toMatchObject({ attempts: 2, last_status: 202 });
    const seen = await control('GET', `/requests/${reference}`);
    expect(seen).toMatchObject({ submissionAttempts: 2, failedSubmissionAttempts: 1 });
    expect(seen.submissions).toHaveLength(1);
    expect(
      await count(`SELECT count(*) AS n FROM outbound_messages WHERE reference = $1`, [reference]),
    ).toBe(1);
  });

  it('posts each message type to its route, signed, with a body the gateway accepts', async () => {
    const reference = `ZA-S-${randomUUID().slice(0, 8)}`;
    await interpol.sendToInterpol(submission(reference));
    await control('POST', `/requests/${reference}/decide`, { decision: 'query' });
    await interpol.sendToInterpol({
      type: 'queryAnswer',
      idempotencyKey: `query-answer:${reference}:1`,
      body: { reference, answer: 'The court order is GJ-2026-1187 of 3 February 2026.' },
    });
    await interpol.sendToInterpol({
      type: 'withdrawal',
      idempotencyKey: `withdrawal:${reference}`,
      body: { reference, reason: 'Purpose achieved.' },
    });
    const diffused = `ZA-D-${randomUUID().slice(0, 8)}`;
    await interpol.sendToInterpol({
      type: 'diffusion',
      idempotencyKey: `diffusion:${diffused}`,
      body: {
        reference: diffused,
        requestId: randomUUID(),
        requestingCountry: 'ZA',
        targetCountries: ['FR'],
        contentHash: 'b'.repeat(64),
        content: { caseReference: 'CAS-2' },
      },
    });

    const notice = await control('GET', `/requests/${reference}`);
    expect(notice).toMatchObject({ kind: 'notice', stage: 'withdrawn' });
    expect(notice.queryAnswers).toHaveLength(1);
    expect(notice.withdrawals).toHaveLength(1);
    expect(await control('GET', `/requests/${diffused}`)).toMatchObject({
      kind: 'diffusion',
      stage: 'diffused',
    });
    const rows = await db.query(
      `SELECT type, last_status FROM outbound_messages WHERE reference IN ($1, $2) ORDER BY type`,
      [reference, diffused],
    );
    expect(rows).toEqual([
      { type: 'diffusion', last_status: 202 },
      { type: 'queryAnswer', last_status: 202 },
      { type: 'submission', last_status: 202 },
      { type: 'withdrawal', last_status: 202 },
    ]);
  });

  it('does not retry a permanent refusal (4xx), and records it', async () => {
    const reference = `ZA-S-${randomUUID().slice(0, 8)}`;
    const msg: OutboundMessage = {
      type: 'withdrawal',
      idempotencyKey: `withdrawal:${reference}`,
      body: { reference, reason: 'Never submitted.' },
    };
    const err = await failure(interpol.sendToInterpol(msg));
    expect(err).toBeInstanceOf(ApplicationFailure);
    const refusal = err as ApplicationFailure;
    expect(refusal.nonRetryable).toBe(true);
    expect(refusal.type).toBe(INTERPOL_REFUSED);
    expect(refusal.message).toContain('404');
    expect(refusal.details?.[0]).toMatchObject({ status: 404 });
    const row = await outbound(msg.idempotencyKey);
    expect(row).toMatchObject({ attempts: 1, last_status: 404, delivered_at: null });
    expect(row.last_error).toContain(`nothing was submitted for ${reference}`);

    // A conflicting second submission of the same reference under another key: 409.
    const other = `ZA-S-${randomUUID().slice(0, 8)}`;
    await interpol.sendToInterpol(submission(other));
    const conflict = await failure(interpol.sendToInterpol(submission(other, `again:${other}`)));
    expect(conflict).toBeInstanceOf(ApplicationFailure);
    expect((conflict as ApplicationFailure).nonRetryable).toBe(true);
    expect((conflict as ApplicationFailure).details?.[0]).toMatchObject({ status: 409 });
  });

  it('retries when the gateway cannot be reached at all', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const down = new InterpolActivities(db, {
      ...config,
      gateway: { ...config.gateway, interpolUrl: `http://127.0.0.1:${port}` },
    });
    const msg = submission(`ZA-S-${randomUUID().slice(0, 8)}`);
    const err = await failure(down.sendToInterpol(msg));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect(err.message).toContain('unreachable');
    const row = await outbound(msg.idempotencyKey);
    expect(row).toMatchObject({ attempts: 1, last_status: null, delivered_at: null });
    expect(row.last_error).toContain('failed without an HTTP answer');

    // The gateway comes back: the next attempt delivers under the same key.
    await interpol.sendToInterpol(msg);
    expect(await outbound(msg.idempotencyKey)).toMatchObject({ attempts: 2, last_status: 202 });
  });
});

describe('notify', () => {
  let notifications: NotificationActivities;
  beforeAll(() => {
    notifications = new NotificationActivities(db);
  });
  afterEach(() => jest.restoreAllMocks());

  it('stores a notification once per key and logs it once, without its message', async () => {
    const log = jest.spyOn(Logger.prototype, 'log');
    const requestId = randomUUID();
    const key = `${requestId}:review_requested:1`;
    const n = {
      key,
      requestId,
      reference: 'ZA-2026-000123',
      recipientRole: 'supervisor' as const,
      recipientCountry: 'ZA',
      kind: 'review_requested',
      message: 'ZA-2026-000123 (Mokoena) awaits national review',
      at: '2026-04-05T10:00:00.000Z',
    };
    await notifications.notify(n);
    await notifications.notify(n);
    await Promise.all([1, 2, 3].map(() => notifications.notify(n)));

    const rows = await db.query(`SELECT * FROM notifications WHERE request_id = $1`, [requestId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      key,
      reference: 'ZA-2026-000123',
      recipient_role: 'supervisor',
      recipient_country: 'ZA',
      recipient_user_id: null,
      kind: 'review_requested',
      message: n.message,
      read_at: null,
    });
    expect(new Date(rows[0].created_at).toISOString()).toBe(n.at);

    const lines = log.mock.calls.map((c) => String(c[0]));
    const mine = lines.filter((l) => l.includes('ZA-2026-000123'));
    expect(mine).toEqual(['notification review_requested for ZA-2026-000123 to supervisor@ZA']);
    expect(lines.join('\n')).not.toContain('Mokoena');
  });

  it('stores notifications with different keys, e.g. to one user', async () => {
    const requestId = randomUUID();
    const userId = randomUUID();
    await notifications.notify({
      key: `${requestId}:approved`,
      requestId,
      reference: 'ZA-2026-000124',
      recipientUserId: userId,
      kind: 'approved',
      message: 'ZA-2026-000124 was approved',
      at: '2026-04-05T11:00:00.000Z',
    });
    await notifications.notify({
      key: `${requestId}:ready_for_interpol`,
      requestId,
      reference: 'ZA-2026-000124',
      recipientRole: 'ncb_officer',
      recipientCountry: 'ZA',
      kind: 'ready_for_interpol',
      message: 'ZA-2026-000124 is approved and ready for INTERPOL',
      at: '2026-04-05T11:00:00.000Z',
    });
    const rows = await db.query(
      `SELECT kind, recipient_user_id, recipient_role FROM notifications
       WHERE request_id = $1 ORDER BY kind`,
      [requestId],
    );
    expect(rows).toEqual([
      { kind: 'approved', recipient_user_id: userId, recipient_role: null },
      { kind: 'ready_for_interpol', recipient_user_id: null, recipient_role: 'ncb_officer' },
    ]);
  });
});
