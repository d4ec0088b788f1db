import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import type { JurisdictionCommand } from '../../libs/domain/src/jurisdiction';
import { startSim, type SimHandle } from '../../apps/interpol-sim/src';
import {
  GATEWAY,
  Journey,
  createCast,
  liaison,
  notificationKinds,
  type Cast,
} from '../support/journey';
import { realActivities, testWorker, timeSkippingEnv } from '../support/workflow-env';
import type { RequestActivities } from '../../workflows/activity-types';

const DAY = 86_400_000;
const attest = { article3Neutrality: true, dataQualityChecked: true } as const;

describe('request lifecycle on the time-skipping server (real PostgreSQL, real simulator)', () => {
  let env: TestWorkflowEnvironment;
  let db: DataSource;
  let worker: Worker;
  let taskQueue: string;
  let running: Promise<void>;
  let sim: SimHandle;
  let za: Cast;

  /** What the simulated INTERPOL received for a reference. */
  const simSaw = async (reference: string) => {
    const res = await fetch(`${sim.url}/control/requests/${reference}`);
    return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
  };
  const eventuallySim = async (reference: string, pred: (r: string) => boolean, what: string) => {
    for (let i = 0; i < 200; i++) {
      const seen = await simSaw(reference);
      if (seen && pred(JSON.stringify(seen))) return seen;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the simulator never saw ${what} for ${reference}`);
  };

  let activities: RequestActivities;

  beforeAll(async () => {
    // Decisions and answers are driven by the tests through updates, as the gateway would.
    sim = await startSim({
      port: 0,
      apiUrl: 'http://127.0.0.1:9',
      secret: 'dev-gateway-secret',
      decisionDelayMs: 3_600_000,
      responseDelayMs: 3_600_000,
      logger: false,
    });
    process.env.INTERPOL_GATEWAY_URL = sim.url;
    const real = await realActivities();
    db = real.db;
    activities = real.activities;
    za = await createCast(db, 'ZA');
  });

  // A fresh time-skipping server per test: after a test with child workflows, the Java test
  // server sometimes sleeps in real time instead of skipping (sdk-java #2392, #2642).
  beforeEach(async () => {
    env = await timeSkippingEnv();
    ({ worker, taskQueue } = await testWorker(env, activities));
    running = worker.run();
  });

  afterEach(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  afterAll(async () => {
    await sim?.close();
    await db?.destroy();
  });

  const journey = () => new Journey(env, taskQueue, za);

  it('happy path: review, INTERPOL, three countries (found; none; partial then found), close', async () => {
    const j = await journey().start();
    expect((await j.toSubmitted()).status).toBe('SUBMITTED');
    await eventuallySim(j.reference, (s) => s.includes('submission'), 'the submission');
    expect((await j.publish()).status).toBe('PUBLISHED');

    const fr = liaison('FR');
    await j.respond(
      'FR',
      { type: 'respond', outcome: 'acknowledged', externalReference: 'FR-1' },
      fr,
    );
    await j.respond(
      'FR',
      {
        type: 'respond',
        outcome: 'assets_found',
        externalReference: 'FR-2',
        assets: [
          {
            type: 'bank_account',
            description: 'Account at Banque X',
            estimatedValue: { amount: '1200000.00', currency: 'EUR' },
          },
        ],
      },
      fr,
    );
    await j.respond('BR', { type: 'respond', outcome: 'no_assets', externalReference: 'BR-1' });
    await j.respond('PT', {
      type: 'respond',
      outcome: 'partial',
      externalReference: 'PT-1',
      assets: [
        {
          type: 'real_estate',
          description: 'Flat in Lisbon',
          estimatedValue: { amount: '450000.00', currency: 'EUR' },
        },
      ],
    });
    expect((await j.trackState('PT')).status).toBe('PARTIAL');
    await j.respond('PT', {
      type: 'respond',
      outcome: 'assets_found',
      externalReference: 'PT-2',
      assets: [{ type: 'vessel', description: 'Yacht', identifiers: { imo: '9074729' } }],
    });

    const completed = await j.until((s) => s.status === 'COMPLETED', 'COMPLETED');
    expect(completed.jurisdictions).toEqual({ FR: 'ANSWERED', BR: 'ANSWERED', PT: 'ANSWERED' });
    const assets = await db.query(
      `SELECT country, status, amount, currency FROM assets WHERE request_id = $1 ORDER BY country, item_index`,
      [j.id],
    );
    expect(assets).toHaveLength(3);
    expect(assets.every((a: { status: string }) => a.status === 'IDENTIFIED')).toBe(true);
    const tracks = await db.query(
      `SELECT country, status FROM jurisdictions WHERE request_id = $1 ORDER BY country`,
      [j.id],
    );
    expect(tracks).toEqual([
      { country: 'BR', status: 'ANSWERED' },
      { country: 'FR', status: 'ANSWERED' },
      { country: 'PT', status: 'ANSWERED' },
    ]);

    expect(
      (await j.act({ type: 'close', summary: 'Assets located in FR and PT' }, za.ncb)).status,
    ).toBe('CLOSED');
    expect((await j.handle.result()).status).toBe('CLOSED');
    expect((await j.track('FR').result()).status).toBe('ANSWERED'); // tracks stop with the request
    const row = await db.query(`SELECT status FROM trace_requests WHERE id = $1`, [j.id]);
    expect(row).toEqual([{ status: 'CLOSED' }]);
    await j.recordHistory('happy-path');
    await j.recordHistory('happy-path-track-pt', 'PT');
  });

  it('refused by the General Secretariat', async () => {
    const j = await journey().start();
    await j.toSubmitted();
    const s = await j.act(
      { type: 'gsDecision', decision: 'refused', reasons: ['Article 3: predominantly political'] },
      GATEWAY,
    );
    expect(s.status).toBe('REFUSED');
    expect((await j.handle.result()).interpol.refusalReasons).toEqual([
      'Article 3: predominantly political',
    ]);
    expect(await notificationKinds(db, j.id)).toEqual(expect.arrayContaining(['refused']));
    await j.recordHistory('refused');
  });

  it('queried: the investigator answers, INTERPOL gets the answer, then publishes', async () => {
    const j = await journey().start({ targetCountries: ['FR'] });
    await j.toSubmitted();
    // The simulated GS asks (it only takes an answer to a question it asked).
    await eventuallySim(j.reference, (x) => x.includes('submission'), 'the submission');
    await fetch(`${sim.url}/control/requests/${j.reference}/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'query', question: 'Which court issued the order?' }),
    });
    expect(
      (
        await j.act(
          { type: 'gsDecision', decision: 'query', question: 'Which court issued the order?' },
          GATEWAY,
        )
      ).status,
    ).toBe('QUERIED');
    expect(await notificationKinds(db, j.id)).toEqual(expect.arrayContaining(['gs_query']));
    // Only the investigator answers.
    await expect(j.act({ type: 'answerQuery', answer: 'x' }, za.ncb)).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    expect(
      (await j.act({ type: 'answerQuery', answer: 'Johannesburg High Court' }, za.investigator))
        .status,
    ).toBe('SUBMITTED');
    await eventuallySim(
      j.reference,
      (s) => s.includes('Johannesburg High Court'),
      'the query answer',
    );
    await j.publish();
    await j.respond('FR', { type: 'respond', outcome: 'no_assets', externalReference: 'FR-9' });
    await j.until((s) => s.status === 'COMPLETED');
    await j.act({ type: 'close', summary: 'Nothing found' }, za.ncb);
    await j.handle.result();
    await j.recordHistory('queried');
  });

  it('diffusion: dispatched straight to its countries, no GS publication', async () => {
    const j = await journey().start({ kind: 'diffusion', targetCountries: ['FR', 'BR'] });
    const s = await j.toSubmitted();
    expect(s.status).toBe('PUBLISHED');
    await eventuallySim(j.reference, (x) => x.includes('diffusion'), 'the diffusion');
    await j.respond('FR', {
      type: 'respond',
      outcome: 'declined',
      externalReference: 'FR-D',
      narrative: 'No legal basis here',
    });
    await j.respond('BR', { type: 'respond', outcome: 'no_assets', externalReference: 'BR-D' });
    expect((await j.until((x) => x.status === 'COMPLETED')).jurisdictions).toEqual({
      FR: 'DECLINED',
      BR: 'ANSWERED',
    });
    await j.act({ type: 'close', summary: 'done' }, za.ncb);
    await j.handle.result();
    await j.recordHistory('diffusion');
  });

  it('overdue: reminders before a country deadline, OVERDUE after it, then COMPLETED', async () => {
    const j = await journey().start({ targetCountries: ['FR', 'BR'] });
    await j.toSubmitted();
    await j.publish();
    await j.respond('FR', { type: 'respond', outcome: 'no_assets', externalReference: 'FR-O' });
    await env.sleep(47 * DAY); // 14 days before BR's 60-day deadline
    await j.until(() => true);
    expect(await notificationKinds(db, j.id)).toEqual(expect.arrayContaining(['country_reminder']));
    await env.sleep(14 * DAY);
    const s = await j.until((x) => x.status === 'COMPLETED', 'COMPLETED after the deadline');
    expect(s.jurisdictions).toEqual({ FR: 'ANSWERED', BR: 'OVERDUE' });
    expect(await notificationKinds(db, j.id)).toEqual(
      expect.arrayContaining(['country_overdue', 'completed']),
    );
    // A late answer is still recorded.
    expect(
      (
        await j.respond('BR', {
          type: 'respond',
          outcome: 'no_assets',
          externalReference: 'BR-late',
        })
      ).status,
    ).toBe('ANSWERED');
    await j.act({ type: 'close', summary: 'closed after deadline' }, za.ncb);
    await j.handle.result();
    await j.recordHistory('overdue');
    await j.recordHistory('overdue-track-br', 'BR');
  });

  it('an extension moves a country deadline', async () => {
    const j = await journey().start({ targetCountries: ['FR', 'BR'] });
    await j.toSubmitted();
    await j.publish();
    const fr = await j.trackState('FR');
    const newDeadline = new Date(Date.parse(fr.deadline) + 30 * DAY).toISOString();
    // Only a supervisor extends.
    await expect(
      j.respond('FR', { type: 'extend', newDeadline }, za.investigator),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect(
      (
        await j.respond(
          'FR',
          { type: 'extend', newDeadline, reason: 'asked for more time' },
          za.supervisor,
        )
      ).deadline,
    ).toBe(newDeadline);
    await env.sleep(61 * DAY);
    await j.until((x) => x.jurisdictions.BR === 'OVERDUE', 'BR overdue');
    expect((await j.trackState('FR')).status).toBe('AWAITING');
    await env.sleep(30 * DAY);
    expect((await j.until((x) => x.status === 'COMPLETED')).jurisdictions).toEqual({
      FR: 'OVERDUE',
      BR: 'OVERDUE',
    });
    await j.act({ type: 'withdraw', reason: 'end of test' }, za.ncb);
  });

  it('review reminder, then escalation, while national review waits', async () => {
    const j = await journey().start();
    await j.act({ type: 'submit' }, za.investigator);
    await env.sleep(2 * DAY + 60_000);
    await j.until(() => true);
    expect(await notificationKinds(db, j.id)).toEqual(expect.arrayContaining(['review_reminder']));
    expect(await notificationKinds(db, j.id)).not.toContain('review_escalated');
    await env.sleep(3 * DAY);
    await j.until(() => true);
    expect(await notificationKinds(db, j.id)).toEqual(expect.arrayContaining(['review_escalated']));
    await j.act({ type: 'withdraw', reason: 'end of test' }, za.investigator);
  });

  it('reminds the NCB when the GS decision is late', async () => {
    const j = await journey().start();
    await j.toSubmitted();
    await env.sleep(10 * DAY + 60_000);
    await j.until(() => true);
    expect(await notificationKinds(db, j.id)).toEqual(
      expect.arrayContaining(['gs_decision_overdue']),
    );
    await j.act({ type: 'withdraw', reason: 'end of test' }, za.ncb);
  });

  it('expires when its validity ends', async () => {
    const j = await journey().start({}, { validity: 'P30D' });
    await j.act({ type: 'submit' }, za.investigator);
    await env.sleep(31 * DAY);
    expect((await j.handle.result()).status).toBe('EXPIRED');
  });

  it('ignores a repeated response (same externalReference)', async () => {
    const j = await journey().start({ targetCountries: ['FR'] });
    await j.toSubmitted();
    await j.publish();
    const partial: JurisdictionCommand = {
      type: 'respond',
      outcome: 'partial',
      externalReference: 'FR-DUP',
      assets: [{ type: 'cash', description: 'Safe deposit' }],
    };
    await j.respond('FR', partial);
    await j.respond('FR', partial);
    expect((await j.trackState('FR')).responses).toHaveLength(1);
    const n = await db.query(
      `SELECT count(*)::int AS n FROM jurisdiction_responses WHERE request_id = $1`,
      [j.id],
    );
    expect(n).toEqual([{ n: 1 }]);
    const a = await db.query(`SELECT count(*)::int AS n FROM assets WHERE request_id = $1`, [j.id]);
    expect(a).toEqual([{ n: 1 }]);
    await j.act({ type: 'withdraw', reason: 'end of test' }, za.ncb);
  });

  describe('withdrawal at each stage', () => {
    const stages: [string, (j: Journey) => Promise<unknown>, boolean][] = [
      ['DRAFT', async () => undefined, false],
      ['IN_REVIEW', (j) => j.act({ type: 'submit' }, za.investigator), false],
      [
        'APPROVED',
        async (j) => {
          await j.act({ type: 'submit' }, za.investigator);
          await j.act({ type: 'review', decision: 'approve' }, za.supervisor);
        },
        false,
      ],
      ['SUBMITTED', (j) => j.toSubmitted(), true],
      [
        'QUERIED',
        async (j) => {
          await j.toSubmitted();
          await j.act({ type: 'gsDecision', decision: 'query', question: 'why?' }, GATEWAY);
        },
        true,
      ],
      [
        'PUBLISHED',
        async (j) => {
          await j.toSubmitted();
          await j.publish();
        },
        true,
      ],
    ];
    it.each(stages)('from %s', async (status, reach, toldInterpol) => {
      const j = await journey().start({ targetCountries: ['FR'] });
      await reach(j);
      expect((await j.state()).status).toBe(status);
      const s = await j.act(
        { type: 'withdraw', reason: 'purpose achieved' },
        status === 'DRAFT' ? za.investigator : za.ncb,
      );
      expect(s.status).toBe('WITHDRAWN');
      expect((await j.handle.result()).withdrawal?.reason).toBe('purpose achieved');
      if (toldInterpol)
        await eventuallySim(j.reference, (x) => x.includes('purpose achieved'), 'the withdrawal');
      if (status === 'PUBLISHED') expect((await j.track('FR').result()).status).toBe('AWAITING');
      if (status === 'PUBLISHED') await j.recordHistory('withdrawn');
    });
  });

  it('four-eyes and two review levels', async () => {
    const j = await journey().start({}, { requiredApprovals: 2 });
    await j.act({ type: 'submit' }, za.investigator);
    const asDrafter = { ...za.investigator, role: 'supervisor' as const };
    const err = await j
      .act({ type: 'review', decision: 'approve' }, asDrafter)
      .catch((e: unknown) => e);
    expect((err as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'four_eyes',
      details: [{ rule: 'reviewer-not-author' }],
    });
    expect((await j.act({ type: 'review', decision: 'approve' }, za.supervisor)).status).toBe(
      'IN_REVIEW',
    );
    const again = await j
      .act({ type: 'review', decision: 'approve' }, za.supervisor)
      .catch((e: unknown) => e);
    expect((again as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'four_eyes',
      details: [{ rule: 'second-approver-differs' }],
    });
    expect((await j.act({ type: 'review', decision: 'approve' }, za.supervisor2)).status).toBe(
      'APPROVED',
    );
    await j.act({ type: 'withdraw', reason: 'end of test' }, za.ncb);
  });

  it('two concurrent review decisions: exactly one wins', async () => {
    const j = await journey().start();
    await j.act({ type: 'submit' }, za.investigator);
    const results = await Promise.allSettled([
      j.act({ type: 'review', decision: 'approve' }, za.supervisor),
      j.act({ type: 'review', decision: 'reject', comment: 'insufficient basis' }, za.supervisor2),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect((lost.reason as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'not_allowed_in_state',
    });
    const history = await j.handle.fetchHistory();
    const accepted = (history.events ?? []).filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
    );
    expect(accepted).toHaveLength(2); // submit + the winning review; the loser left no trace
    const s = await j.state();
    if (s.status === 'APPROVED') await j.act({ type: 'withdraw', reason: 'end of test' }, za.ncb);
  });

  it('quota race: two NCB officers take the last slot at once, one wins', async () => {
    // A country only this test drafts for, its counter cleared: the race is for the last slot.
    await db.query(`DELETE FROM quota_reservations WHERE country = 'SG'`);
    await db.query(`DELETE FROM quota_counters WHERE country = 'SG'`);
    const nz = await createCast(db, 'SG');
    const a = await new Journey(env, taskQueue, nz).start({}, { quotaPerYear: 1 });
    const b = await new Journey(env, taskQueue, nz).start({}, { quotaPerYear: 1 });
    for (const j of [a, b]) {
      await j.act({ type: 'submit' }, nz.investigator);
      await j.act({ type: 'review', decision: 'approve' }, nz.supervisor);
    }
    const results = await Promise.allSettled(
      [a, b].map((j) => j.act({ type: 'submitToInterpol', attestation: attest }, nz.ncb)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect((lost.reason as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'quota_exhausted',
    });
    const statuses = [(await a.state()).status, (await b.state()).status].sort();
    expect(statuses).toEqual(['APPROVED', 'SUBMITTED']);
    for (const j of [a, b]) await j.act({ type: 'withdraw', reason: 'end of test' }, nz.ncb);
  });

  it('monitor requests report periodically and continue as new before the history grows large', async () => {
    const j = await journey().start(
      { purposes: ['monitor'], targetCountries: ['FR'] },
      { monitorReportEvery: 'P1D', continueAsNewAfterEvents: 80, countryDeadline: 'P400D' },
    );
    await j.toSubmitted();
    await j.publish();
    const firstRun = (await j.handle.describe()).runId;
    await env.sleep(40 * DAY);
    const s = await j.until(() => true);
    expect(s.status).toBe('PUBLISHED');
    const reports = (await notificationKinds(db, j.id)).filter((k) => k === 'monitor_report');
    expect(reports.length).toBeGreaterThanOrEqual(39);
    const latest = env.client.workflow.getHandle(`trace-request-${j.id}`);
    expect((await latest.describe()).runId).not.toBe(firstRun);
    // The continued run still takes answers and actions.
    await j.respond('FR', { type: 'respond', outcome: 'no_assets', externalReference: 'FR-M' });
    await j.until((x) => x.status === 'COMPLETED');
    await latest.executeUpdate('command', {
      args: [{ command: { type: 'close', summary: 'monitoring ended' }, actor: za.ncb }],
    });
  });
  describe('suspension and cancellation', () => {
    const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / DAY;
    const untilTrack = async (
      j: Journey,
      country: string,
      pred: (t: Awaited<ReturnType<Journey['trackState']>>) => boolean,
      what: string,
    ) => {
      for (let i = 0; i < 200; i++) {
        const t = await j.trackState(country);
        if (pred(t)) return t;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${country}: ${what}`);
    };

    it('an NCB suspension pauses the countries: the deadline moves by the suspended time', async () => {
      const j = await journey().start({ targetCountries: ['FR', 'BR'] });
      await j.toSubmitted();
      await j.publish();
      const original = (await j.trackState('FR')).deadline; // 60 days after publication
      await env.sleep(10 * DAY);
      const suspended = await j.act(
        { type: 'suspend', reason: 'Data quality review', duration: 'P3M' },
        za.ncb,
      );
      expect(suspended.status).toBe('PUBLISHED');
      const since = suspended.suspension!.since;
      expect(daysBetween(since, suspended.suspension!.until)).toBe(90);
      await untilTrack(j, 'FR', (t) => t.pausedSince === since, 'paused');
      await untilTrack(j, 'BR', (t) => t.pausedSince === since, 'paused');
      // Past the original deadline while suspended: nobody is overdue, no reminder is sent.
      await env.sleep(70 * DAY);
      expect(await j.until(() => true)).toMatchObject({ jurisdictions: { FR: 'AWAITING' } });
      expect((await j.trackState('BR')).status).toBe('AWAITING');
      // Neither the deadline nor its reminders (14 and 3 days before it) ran meanwhile.
      expect(await notificationKinds(db, j.id)).not.toContain('country_overdue');
      expect(await notificationKinds(db, j.id)).not.toContain('country_reminder');
      // Responses still arrive, and are not late.
      const fr = await j.respond('FR', {
        type: 'respond',
        outcome: 'acknowledged',
        externalReference: 'FR-S1',
      });
      expect(fr.responses[0].late).toBe(false);
      const resumed = await j.act({ type: 'resume' }, za.ncb);
      expect(resumed.suspension).toBeUndefined();
      const moved = await untilTrack(j, 'BR', (t) => t.pausedSince === undefined, 'resumed');
      const suspendedDays = daysBetween(since, resumed.updatedAt);
      expect(daysBetween(original, moved.deadline)).toBeCloseTo(suspendedDays, 6);
      // The moved deadline runs: BR becomes overdue at it, not before.
      await env.sleep((daysBetween(resumed.updatedAt, moved.deadline) - 1) * DAY);
      expect((await j.trackState('BR')).status).toBe('AWAITING');
      // The reminders came back before the moved deadline.
      await j.until(() => true);
      const reminders = (await db.query(
        `SELECT key FROM notifications WHERE request_id = $1 AND kind = 'country_reminder'`,
        [j.id],
      )) as { key: string }[];
      expect(reminders.map((r) => r.key).filter((k) => k.includes(':BR:'))).toHaveLength(2);
      await env.sleep(2 * DAY);
      await j.respond('FR', { type: 'respond', outcome: 'no_assets', externalReference: 'FR-S2' });
      const done = await j.until((x) => x.status === 'COMPLETED', 'COMPLETED');
      expect(done.jurisdictions).toEqual({ FR: 'ANSWERED', BR: 'OVERDUE' });
      expect(await notificationKinds(db, j.id)).toEqual(
        expect.arrayContaining(['suspended', 'resumed', 'country_overdue']),
      );
      const liaisons = (await db.query(
        `SELECT recipient_country AS c FROM notifications
          WHERE request_id = $1 AND kind = 'suspended' AND recipient_role = 'foreign_liaison'
          ORDER BY 1`,
        [j.id],
      )) as { c: string }[];
      expect(liaisons.map((r) => r.c)).toEqual(['BR', 'FR']);
      await j.act({ type: 'close', summary: 'closed after a suspension' }, za.ncb);
      await j.handle.result();
      await j.recordHistory('suspended-resumed');
      await j.recordHistory('suspended-resumed-track-br', 'BR');
    });

    it('a GS suspension, extended once, ends by itself at its end and the deadlines run again', async () => {
      const j = await journey().start({ targetCountries: ['FR'] });
      await j.toSubmitted();
      await j.publish();
      const original = (await j.trackState('FR')).deadline;
      await env.sleep(5 * DAY);
      const s = await j.act({ type: 'suspend', reason: 'GS review', duration: 'P1M' }, GATEWAY);
      expect(s.suspension?.orderedBy).toBe('interpol_gs');
      // The requesting NCB neither lifts nor extends the GS's suspension.
      await expect(j.act({ type: 'resume' }, za.ncb)).rejects.toBeInstanceOf(
        WorkflowUpdateFailedError,
      );
      const extended = await j.act(
        { type: 'suspend', reason: 'GS review continues', duration: 'P1M' },
        GATEWAY,
      );
      expect(daysBetween(s.suspension!.since, extended.suspension!.until)).toBe(60);
      // One extension only.
      await expect(
        j.act({ type: 'suspend', reason: 'again', duration: 'P1D' }, GATEWAY),
      ).rejects.toMatchObject({ cause: { type: 'not_allowed_in_state' } });
      await untilTrack(j, 'FR', (t) => t.pausedSince !== undefined, 'paused');
      await env.sleep(59 * DAY); // past the original deadline, still suspended
      expect((await j.trackState('FR')).status).toBe('AWAITING');
      expect((await j.state()).suspension).toBeDefined();
      await env.sleep(2 * DAY); // the suspension's end: a durable timer resumes it
      const after = await j.until((x) => x.suspension === undefined, 'the automatic end');
      expect(after.status).toBe('PUBLISHED');
      const moved = await untilTrack(j, 'FR', (t) => t.pausedSince === undefined, 'resumed');
      expect(daysBetween(original, moved.deadline)).toBeCloseTo(60, 6);
      expect(await notificationKinds(db, j.id)).toEqual(
        expect.arrayContaining(['suspended', 'suspension_extended', 'resumed']),
      );
      await env.sleep(56 * DAY); // the moved deadline passes
      expect((await j.until((x) => x.status === 'COMPLETED')).jurisdictions).toEqual({
        FR: 'OVERDUE',
      });
      await j.act({ type: 'withdraw', reason: 'end of test' }, za.ncb);
      await j.handle.result();
      await j.recordHistory('suspension-expired');
    });

    it('a cancellation by the GS stops the tracks, tells the liaisons and is final', async () => {
      const j = await journey().start({ targetCountries: ['FR', 'BR'] });
      await j.toSubmitted();
      await j.publish();
      await j.respond('FR', { type: 'respond', outcome: 'acknowledged', externalReference: 'C-1' });
      // A redelivered cancellation changes nothing; a person may not cancel.
      await expect(
        j.act({ type: 'cancel', reason: 'not mine to cancel' }, za.ncb),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const cancelled = await j.act(
        { type: 'cancel', reason: 'Article 3: cancelled by the GS' },
        GATEWAY,
      );
      expect(cancelled.status).toBe('CANCELLED');
      expect(
        (await j.act({ type: 'cancel', reason: 'Article 3: cancelled by the GS' }, GATEWAY)).status,
      ).toBe('CANCELLED');
      const final = await j.handle.result();
      expect(final.cancellation?.reason).toBe('Article 3: cancelled by the GS');
      expect((await j.track('FR').result()).status).toBe('ACKNOWLEDGED');
      expect((await j.track('BR').result()).status).toBe('AWAITING');
      const told = (await db.query(
        `SELECT coalesce(recipient_role, 'drafter') AS r, recipient_country AS c FROM notifications
          WHERE request_id = $1 AND kind = 'cancelled' ORDER BY 1, 2`,
        [j.id],
      )) as { r: string; c: string | null }[];
      expect(told).toEqual([
        { r: 'drafter', c: null },
        { r: 'foreign_liaison', c: 'BR' },
        { r: 'foreign_liaison', c: 'FR' },
        { r: 'ncb_officer', c: 'ZA' },
      ]);
      const row = (await db.query(`SELECT status FROM trace_requests WHERE id = $1`, [j.id])) as {
        status: string;
      }[];
      expect(row).toEqual([{ status: 'CANCELLED' }]);
      await j.recordHistory('cancelled');
    });
  });
});
