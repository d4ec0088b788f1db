// Erasure by crypto-shredding, end to end over real HTTP, PostgreSQL and Temporal: through the
// admin route, the signed INTERPOL gateway and the CLI. Afterwards every read path shows the
// request ERASED with its reference and dates only (detail, list, search by name and IBAN,
// timeline, case file, replay, notifications, the codec server), its workflows are terminated,
// its key is destroyed, and the audit chain records the erasure and still verifies. Bad inputs
// change nothing. Then the retention review: the NCB's work queue, keep, erase.
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../libs/config/src';
import { SIGNATURE_HEADER, signBody } from '../../libs/gateway/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import {
  jurisdictionWorkflowId,
  requestWorkflowId,
  retentionSweepScheduleId,
} from '../../libs/temporal/src/ids';
import { makeAccount, type Account } from '../support/accounts';
import { ATTESTATION, fields, ok, type Body } from '../support/api';
import { buildCli, cliAuth, runCli } from '../support/cli';
import { eventually, http, savedEnv, startSystem, type RunningSystem } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';
import { startSimulator } from '../support/journey-http';
import type { SimHandle } from '../../apps/interpol-sim/src';

const COUNTRY = 'NZ';

/** A valid IBAN (ISO 13616 mod-97 check digits) of this run's own. */
function iban(country: string, bban: string): string {
  const digits = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const mod = [...digits].reduce((r, d) => (r * 10 + Number(d)) % 97, 0);
  return `${country}${String(98 - mod).padStart(2, '0')}${bban}`;
}

describe('erasure (crypto-shredding) and retention review', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let temporal: Client;
  let inv: Account, sup: Account, ncb: Account, auditor: Account;
  let admin: Account, otherAdmin: Account;
  const secret = loadConfig().gateway.secret;
  const env = savedEnv(['RETENTION_REVIEW_GRACE', 'INTERPOL_GATEWAY_URL']);
  let sim: SimHandle;
  const tag = randomUUID().slice(0, 8).toUpperCase();

  const api = <T = Body>(method: string, path: string, token: string, body?: unknown) =>
    http<T>(sys.baseUrl, method, `/api/v1${path}`, { token, body });

  const stamp = String(Date.now()).slice(-6);
  const personal = (n: number) => ({
    familyName: `Erasova${tag}${n}`,
    iban: iban('LU', `${String(n).padStart(3, '0')}${stamp}${tag.slice(0, 7)}`),
  });

  async function draft(n: number): Promise<{ id: string; reference: string }> {
    const p = personal(n);
    const body = validRequestBody({
      subject: {
        familyName: p.familyName,
        givenNames: 'Mira',
        dateOfBirth: '1970-01-02',
        nationalities: [COUNTRY],
      },
      assets: [{ type: 'bank_account', description: 'Account', identifiers: { iban: p.iban } }],
      targetCountries: ['FR'],
    });
    const r = ok(await api('POST', '/trace-requests', inv.token, body), 201);
    return { id: r.id as string, reference: r.reference as string };
  }

  async function withdrawn(n: number) {
    const r = await draft(n);
    const w = ok(
      await api('POST', `/trace-requests/${r.id}/withdraw`, inv.token, { reason: 'done' }),
    );
    expect(w.status).toBe('WITHDRAWN');
    // The workflow ends with the request.
    const handle = temporal.workflow.getHandle(requestWorkflowId(r.id));
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', {
      what: 'the withdrawn request’s workflow to complete',
    });
    return r;
  }

  const gateway = (message: Body) => {
    const raw = JSON.stringify(message);
    return http(sys.baseUrl, 'POST', '/api/v1/gateway/interpol/erasures', {
      rawBody: raw,
      headers: { [SIGNATURE_HEADER]: signBody(raw, secret) },
    });
  };

  const state = async (id: string) => {
    const [row] = (await db.query(
      `SELECT t.status, t.erased_at, k.destroyed_at,
              (SELECT count(*)::int FROM erasures e WHERE e.request_id = t.id) AS erasures
         FROM trace_requests t JOIN data_keys k ON k.request_id = t.id WHERE t.id = $1`,
      [id],
    )) as { status: string; erased_at: Date | null; destroyed_at: Date | null; erasures: number }[];
    return row;
  };

  /** Every read path, as a reader of the requesting country sees it after the erasure. */
  async function expectErasedEverywhere(id: string, n: number) {
    const p = personal(n);
    const detail = ok(await api('GET', `/trace-requests/${id}`, inv.token));
    expect(detail).toMatchObject({ id, status: 'ERASED', erased: true, allowedActions: [] });
    expect(detail.reference).toMatch(/^NZ-/);
    expect(detail.createdAt).toEqual(expect.any(String));
    const text = JSON.stringify(detail);
    expect(text).not.toContain(p.familyName);
    expect(text).not.toContain('subject');

    for (const q of [p.familyName, p.iban]) {
      const found = ok(await api<{ items: Body[] }>('GET', `/trace-requests?q=${q}`, inv.token));
      expect(found.items).toEqual([]);
    }
    const byRef = ok(
      await api<{ items: Body[] }>(
        'GET',
        `/trace-requests?q=${String(detail.reference)}`,
        inv.token,
      ),
    );
    expect(byRef.items.map((i) => [i.id, i.status, i.subjectName])).toEqual([[id, 'ERASED', '']]);

    const timeline = ok(await api<Body[]>('GET', `/trace-requests/${id}/history`, inv.token));
    expect(timeline.length).toBeGreaterThan(1);
    expect(timeline.every((e) => e.erased === true)).toBe(true);
    expect(timeline[0]).toMatchObject({ action: 'trace-requests.create', toStatus: 'DRAFT' });
    expect(timeline.at(-1)).toMatchObject({ action: 'trace-requests.erase', toStatus: 'ERASED' });
    expect(JSON.stringify(timeline)).not.toContain(p.familyName);

    const caseFile = ok(await api('POST', `/trace-requests/${id}/case-file`, inv.token, {}));
    expect((caseFile.request as Body).status).toBe('ERASED');
    expect(JSON.stringify(caseFile)).not.toContain(p.familyName);
    expect(JSON.stringify(caseFile)).not.toContain(p.iban);

    const replay = ok(await api('POST', `/audit/trace-requests/${id}/replay`, auditor.token));
    expect(replay).toMatchObject({ erased: true, finalStatus: 'ERASED', histories: [] });

    const inbox = ok(await api<{ items: Body[] }>('GET', '/notifications?limit=100', ncb.token));
    const mine = inbox.items.filter((x) => x.requestId === id);
    expect(mine.map((x) => x.kind)).toContain('request_erased');
    expect(JSON.stringify(inbox)).not.toContain(p.familyName);
    const [stored] = (await db.query(
      `SELECT count(*)::int AS n FROM notifications WHERE request_id = $1 AND message LIKE $2`,
      [id, `%${p.familyName}%`],
    )) as { n: number }[];
    expect(stored.n).toBe(0);

    // PostgreSQL holds nothing of it in clear any more (exported histories are ciphertext).
    const [clear] = (await db.query(
      `SELECT count(*)::int AS n FROM trace_requests t WHERE t.id = $1
          AND (t::text LIKE $2 OR t::text LIKE $3)`,
      [id, `%${p.familyName}%`, `%${p.iban}%`],
    )) as { n: number }[];
    expect(clear.n).toBe(0);

    // The workflows are closed and what Temporal holds cannot be decoded by anyone.
    const d = await temporal.workflow.getHandle(requestWorkflowId(id)).describe();
    expect(['TERMINATED', 'COMPLETED']).toContain(d.status.name);
    const raw = JSON.parse(
      historyToJSON(await temporal.workflow.getHandle(requestWorkflowId(id)).fetchHistory()),
    ) as {
      events: { workflowExecutionStartedEventAttributes?: { input?: { payloads: Body[] } } }[];
    };
    const payloads = raw.events[0].workflowExecutionStartedEventAttributes!.input!.payloads;
    const decoded = await http(sys.baseUrl, 'POST', '/codec/decode', {
      token: auditor.token,
      body: { payloads },
      headers: { 'x-namespace': process.env.TEMPORAL_NAMESPACE ?? 'default' },
    });
    expect(decoded.status).toBe(410);
  }

  async function chainVerifies() {
    const v = ok(await api('GET', '/audit/verify', auditor.token));
    expect(v.ok).toBe(true);
  }

  beforeAll(async () => {
    env.save();
    // A due review escalates a day later here (P30D by default).
    process.env.RETENTION_REVIEW_GRACE = 'P1D';
    // The API first (the simulator needs its URL), then the simulator, then the worker (which
    // needs the simulator's URL to submit to INTERPOL).
    sys = await startSystem({ worker: false });
    sim = await startSimulator(sys.baseUrl, {
      decisionDelayMs: 50,
      responseDelayMs: 50,
      delivery: { baseDelayMs: 50, maxDelayMs: 200 },
    });
    await sys.startWorker();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    [inv, ncb, sup, auditor, admin, otherAdmin] = await Promise.all([
      makeAccount(db, sys.baseUrl, ['investigator'], COUNTRY, 'er-inv'),
      makeAccount(db, sys.baseUrl, ['ncb_officer'], COUNTRY, 'er-ncb'),
      makeAccount(db, sys.baseUrl, ['supervisor'], COUNTRY, 'er-sup'),
      makeAccount(db, sys.baseUrl, ['auditor'], COUNTRY, 'er-aud'),
      makeAccount(db, sys.baseUrl, ['admin'], COUNTRY, 'er-adm'),
      makeAccount(db, sys.baseUrl, ['admin'], 'AU', 'er-adm-au'),
    ]);
    await db.query(
      `INSERT INTO participating_countries (country, active) VALUES ('FR', true), ($1, true)
       ON CONFLICT DO NOTHING`,
      [COUNTRY],
    );
    temporal = new Client({
      connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }),
    });
    await buildCli();
  });

  afterAll(async () => {
    await temporal?.connection.close();
    await db?.destroy();
    await sim?.close();
    await sys?.close();
    env.restore();
  });

  it('bad inputs get a clear error and change nothing', async () => {
    const { id } = await draft(0);
    const erase = (body: Body, token = admin.token) =>
      api('POST', `/admin/trace-requests/${id}/erasure`, token, body);

    const unknown = await erase({ ground: 'because' });
    expect(unknown.status).toBe(400);
    expect(fields(unknown)).toContain('ground');
    const noRef = await erase({ ground: 'ccf_decision', deadline: '2030-01-01T00:00:00Z' });
    expect(noRef.status).toBe(400);
    expect(fields(noRef)).toEqual(['reference']);
    const running = await erase({ ground: 'requester_withdrew_data' });
    expect(running.status).toBe(409);
    expect(running.body).toMatchObject({ code: 'workflow_running' });
    // Another country's admin does not learn it exists; an investigator may not erase.
    expect((await erase({ ground: 'requester_withdrew_data' }, otherAdmin.token)).status).toBe(404);
    expect((await erase({ ground: 'requester_withdrew_data' }, inv.token)).status).toBe(403);

    expect(await state(id)).toMatchObject({
      status: 'DRAFT',
      erased_at: null,
      destroyed_at: null,
      erasures: 0,
    });
    expect(ok(await api('GET', `/trace-requests/${id}`, inv.token)).status).toBe('DRAFT');
  });

  it('an admin erases a running request on a CCF decision; every read path shows it erased', async () => {
    const { id, reference } = await draft(1);
    // A history archived before payloads were encrypted: its content is in clear (json/plain).
    const clearPayload = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from(JSON.stringify({ familyName: personal(1).familyName })).toString('base64'),
    };
    await db.query(
      `INSERT INTO workflow_histories (workflow_id, run_id, request_id, workflow_type,
         event_count, sha256, history, started_at, closed_at)
       VALUES ($1, 'legacy-run', $2, 'traceRequestWorkflow', 1, repeat('0', 64), $3, now(), now())`,
      [
        `${requestWorkflowId(id)}-legacy`,
        id,
        JSON.stringify({ events: [{ eventId: '1', input: { payloads: [clearPayload] } }] }),
      ],
    );
    const deadline = new Date(Date.now() + 30 * 86400e3).toISOString();
    const res = ok(
      await api('POST', `/admin/trace-requests/${id}/erasure`, admin.token, {
        ground: 'ccf_decision',
        reference: `CCF/${tag}/1`,
        deadline,
        closeRunning: true,
      }),
    );
    expect(res).toMatchObject({
      id,
      reference,
      status: 'ERASED',
      erasure: { ground: 'ccf_decision', orderReference: `CCF/${tag}/1`, channel: 'api' },
    });
    expect((await state(id)).destroyed_at).not.toBeNull();
    const [legacy] = (await db.query(
      `SELECT count(*)::int AS n FROM workflow_histories WHERE request_id = $1 AND run_id = 'legacy-run'`,
      [id],
    )) as { n: number }[];
    expect(legacy.n).toBe(0);
    const d = await temporal.workflow.getHandle(requestWorkflowId(id)).describe();
    expect(d.status.name).toBe('TERMINATED');
    await expectErasedEverywhere(id, 1);

    // Twice: 409 with its code, nothing changes.
    const again = await api('POST', `/admin/trace-requests/${id}/erasure`, admin.token, {
      ground: 'requester_withdrew_data',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'already_erased' });

    // The chain recorded it with ground, reference and deadline, before the deadline.
    const entries = ok(
      await api<{ items: Body[] }>('GET', `/audit/entries?requestId=${id}`, auditor.token),
    );
    const erased = entries.items.filter((e) => e.action === 'trace-requests.erase');
    expect(erased).toHaveLength(1);
    expect(erased[0]).toMatchObject({
      actor: admin.username,
      details: { ground: 'ccf_decision', orderReference: `CCF/${tag}/1`, deadline, late: false },
    });
    await chainVerifies();
  });

  it('erasing a published request terminates its running country tracks too', async () => {
    // FR stays silent: its track runs until its deadline.
    ok(await http(sim.url, 'PUT', '/control/countries/FR', { body: { behaviour: 'silent' } }));
    const { id } = await draft(11);
    ok(await api('POST', `/trace-requests/${id}/submit`, inv.token));
    ok(await api('POST', `/trace-requests/${id}/review`, sup.token, { decision: 'approve' }));
    ok(await api('POST', `/trace-requests/${id}/interpol-submission`, ncb.token, ATTESTATION));
    const track = temporal.workflow.getHandle(jurisdictionWorkflowId(id, 'FR'));
    await eventually(async () => (await track.describe()).status.name === 'RUNNING', {
      what: 'the FR track to run',
    });
    const refused = await api('POST', `/admin/trace-requests/${id}/erasure`, admin.token, {
      ground: 'requester_withdrew_data',
    });
    expect(refused.body).toMatchObject({ status: 409, code: 'workflow_running' });
    const res = ok(
      await api('POST', `/admin/trace-requests/${id}/erasure`, admin.token, {
        ground: 'requester_withdrew_data',
        closeRunning: true,
      }),
    );
    expect(res.status).toBe('ERASED');
    expect((await track.describe()).status.name).toBe('TERMINATED');
    const tracks = ok(await api<Body[]>('GET', `/trace-requests/${id}/jurisdictions`, inv.token));
    expect(tracks.map((t) => [t.country, t.responses])).toEqual([['FR', []]]);
    await expectErasedEverywhere(id, 11);
  });

  it('INTERPOL orders an erasure through the signed gateway; a redelivery changes nothing', async () => {
    const { id, reference } = await withdrawn(2);
    const order = {
      requestReference: reference,
      ground: 'ccf_decision',
      reference: `CCF/${tag}/2`,
      deadline: new Date(Date.now() + 7 * 86400e3).toISOString(),
    };
    const bad = await gateway({ ...order, reference: undefined });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['reference']);
    expect(ok(await gateway(order), 202)).toEqual({ accepted: true, reference });
    expect(ok(await gateway(order), 202)).toEqual({ accepted: true, reference });
    await expectErasedEverywhere(id, 2);
    const [n] = (await db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE trace_request_id = $1
          AND action = 'trace-requests.erase' AND actor = 'interpol-gateway'`,
      [id],
    )) as { n: number }[];
    expect(n.n).toBe(1);
    await chainVerifies();
  });

  it('the simulator makes INTERPOL order an erasure through the signed gateway', async () => {
    const { id, reference } = await draft(10);
    {
      const sent = await http(sim.url, 'POST', `/control/requests/${reference}/erasure`, {
        body: {},
      });
      expect(sent.status).toBe(202);
      expect(sent.body).toMatchObject({
        message: { requestReference: reference, ground: 'ccf_decision' },
      });
      // A running request: the order closes it (no closeRunning needed from INTERPOL).
      await eventually(async () => (await state(id)).status === 'ERASED', {
        what: 'the ordered erasure',
      });
      await expectErasedEverywhere(id, 10);
    }
  });

  it('the CLI erases a withdrawn request', async () => {
    const { id, reference } = await withdrawn(3);
    const auth = cliAuth(sys.baseUrl, admin);
    const wrong = await runCli(['erase', id, '--ground', 'nope'], auth);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/ground/);
    const run = await runCli(['erase', id, '--ground', 'requester_withdrew_data'], auth);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${reference} ERASED (requester_withdrew_data)`);
    await expectErasedEverywhere(id, 3);
    await chainVerifies();
  });

  it('retention review: due reviews are in the NCB work queue; kept with a new date, or erased', async () => {
    const kept = await withdrawn(4);
    const erased = await withdrawn(5);
    const running = await draft(6);
    const yesterday = new Date(Date.now() - 86400e3).toISOString().slice(0, 10);
    // An admin brings the review of ended requests forward (not of a running one, never later).
    for (const r of [kept, erased]) {
      ok(
        await api('PUT', `/admin/trace-requests/${r.id}/retention-review`, admin.token, {
          reviewOn: yesterday,
        }),
      );
    }
    const notEnded = await api(
      'PUT',
      `/admin/trace-requests/${running.id}/retention-review`,
      admin.token,
      { reviewOn: yesterday },
    );
    expect(notEnded.status).toBe(409);
    expect(notEnded.body).toMatchObject({ code: 'not_allowed_in_state' });

    const queue = async () =>
      (
        ok(await api<Record<string, { items: Body[] }>>('GET', '/work-queue', ncb.token))
          .retentionReviews?.items ?? []
      ).map((i) => i.id);
    expect(await queue()).toEqual(expect.arrayContaining([kept.id, erased.id]));
    expect(await queue()).not.toContain(running.id);

    const tooLate = new Date(Date.now() + 6 * 365 * 86400e3).toISOString().slice(0, 10);
    const bad = await api('POST', `/trace-requests/${kept.id}/retention-review`, ncb.token, {
      decision: 'keep',
      reason: 'MLA proceedings still open',
      nextReviewOn: tooLate,
    });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['nextReviewOn']);
    const noReason = await api('POST', `/trace-requests/${kept.id}/retention-review`, ncb.token, {
      decision: 'keep',
      nextReviewOn: '2028-01-01',
    });
    expect(fields(noReason)).toEqual(['reason']);

    const next = new Date(Date.now() + 365 * 86400e3).toISOString().slice(0, 10);
    const keep = ok(
      await api('POST', `/trace-requests/${kept.id}/retention-review`, ncb.token, {
        decision: 'keep',
        reason: 'MLA proceedings still open',
        nextReviewOn: next,
      }),
    );
    expect(keep).toMatchObject({ id: kept.id, due: false });
    expect(String(keep.reviewOn).slice(0, 10)).toBe(next);

    const erase = ok(
      await api('POST', `/trace-requests/${erased.id}/retention-review`, ncb.token, {
        decision: 'erase',
      }),
    );
    expect(erase).toMatchObject({ decision: 'erase', erasure: { ground: 'retention_expired' } });
    expect(await queue()).not.toContain(kept.id);
    expect(await queue()).not.toContain(erased.id);
    await expectErasedEverywhere(erased.id, 5);
    await chainVerifies();
  });

  it('the retention schedule announces due reviews, escalates overdue ones and a CCF order past its deadline', async () => {
    const overdue = await withdrawn(7);
    const due = await withdrawn(8);
    const ordered = await withdrawn(9);
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);
    for (const [r, on] of [
      [overdue, day(-3)],
      [due, day(0)],
    ] as const) {
      ok(
        await api('PUT', `/admin/trace-requests/${r.id}/retention-review`, admin.token, {
          reviewOn: on,
        }),
      );
    }
    // An order INTERPOL sent whose steps could not finish (Temporal was unreachable): its intent
    // is on record, pending, and its deadline has passed.
    await db.query(
      `INSERT INTO erasures (request_id, reference, requesting_country, ground, order_reference,
         deadline, channel, ordered_by, ordered_role, last_error)
       VALUES ($1, $2, $3, 'ccf_decision', $4, now() - interval '1 hour', 'gateway',
               'interpol-gateway', 'system', 'the workflow engine is unavailable')`,
      [ordered.id, ordered.reference, COUNTRY, `CCF/${tag}/9`],
    );

    const sweep = temporal.schedule.getHandle(
      retentionSweepScheduleId(process.env.TEMPORAL_TASK_QUEUE!),
    );
    const inbox = async (who: Account) =>
      ok(await api<{ items: Body[] }>('GET', '/notifications?limit=100', who.token)).items.map(
        (n) => `${String(n.kind)}:${String(n.reference)}`,
      );
    await sweep.trigger();
    const ncbInbox = await eventually(
      async () => {
        const items = await inbox(ncb);
        return items.includes(`erasure_order_overdue:${ordered.reference}`) && items;
      },
      { what: 'the retention sweep’s notifications' },
    );
    expect(ncbInbox).toEqual(
      expect.arrayContaining([
        `retention_review_due:${overdue.reference}`,
        `retention_review_due:${due.reference}`,
      ]),
    );
    const adminInbox = await inbox(admin);
    expect(adminInbox).toEqual(
      expect.arrayContaining([
        `retention_review_overdue:${overdue.reference}`,
        `erasure_order_overdue:${ordered.reference}`,
      ]),
    );
    expect(adminInbox).not.toContain(`retention_review_overdue:${due.reference}`);
    // Another country's admin hears nothing of them.
    expect((await inbox(otherAdmin)).join()).not.toContain(overdue.reference);

    // A second run tells nobody twice.
    const count = async () =>
      (
        (await db.query(
          `SELECT count(*)::int AS n FROM notifications WHERE request_id = ANY($1::uuid[])`,
          [[overdue.id, due.id, ordered.id]],
        )) as { n: number }[]
      )[0].n;
    const before = await count();
    const runs = (await sweep.describe()).info.recentActions.length;
    await sweep.trigger();
    const second = await eventually(async () => (await sweep.describe()).info.recentActions[runs], {
      what: 'the second sweep to start',
    });
    const secondRun = temporal.workflow.getHandle(second.action.workflow.workflowId);
    await eventually(async () => (await secondRun.describe()).status.name === 'COMPLETED', {
      what: 'the second sweep to finish',
    });
    expect(await count()).toBe(before);

    // The order's redelivery completes the erasure; the chain records it as late.
    const order = {
      requestReference: ordered.reference,
      ground: 'ccf_decision',
      reference: `CCF/${tag}/9`,
      deadline: new Date(Date.now() - 3600e3).toISOString(),
    };
    ok(await gateway(order), 202);
    await expectErasedEverywhere(ordered.id, 9);
    const [entry] = (await db.query(
      `SELECT details FROM audit_log WHERE trace_request_id = $1 AND action = 'trace-requests.erase'`,
      [ordered.id],
    )) as { details: Body }[];
    expect(entry.details).toMatchObject({ ground: 'ccf_decision', late: true });
    await chainVerifies();
  });
});
