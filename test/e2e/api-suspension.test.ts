// Suspension and cancellation over real HTTP: the NCB officer's routes, the General Secretariat's
// signed gateway messages sent by the INTERPOL simulator's control API, the real workflows,
// PostgreSQL and Temporal. Requests are drafted by an office of a country no other suite uses (CA).
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { SimHandle } from '../../apps/interpol-sim/src';
import { loadConfig } from '../../libs/config/src';
import { SIGNATURE_HEADER, SILVERTRACE_GATEWAY_PATHS, signBody } from '../../libs/gateway/src';
import { jurisdictionWorkflowId } from '../../libs/temporal/src/ids';
import { testDataConverter } from '../support/codec';
import { apiClient, ATTESTATION, fields, ok, type Body } from '../support/api';
import {
  eventually,
  http,
  login,
  savedEnv,
  type HttpResult,
  type RunningSystem,
} from '../support/e2e';
import { validRequestBody } from '../support/fixtures';
import { startSystemWithSimulator, type Office } from '../support/journey-http';

const DAY = 86_400_000;

// A requesting country of its own: another suite spends CA's quota on purpose, and the suites
// share one database.
const COUNTRY = 'KE';

describe('api: suspension and cancellation (NCB routes, GS through the simulator)', () => {
  let sys: RunningSystem;
  let sim: SimHandle;
  let db: DataSource;
  let office: Office;
  let close: (() => Promise<void>) | undefined;
  let liaisonFr: string;
  const env = savedEnv(['INTERPOL_GATEWAY_URL', 'QUOTA_PER_YEAR']);
  const api = apiClient(() => sys.baseUrl);

  beforeAll(async () => {
    env.save();
    process.env.QUOTA_PER_YEAR = '1000';
    ({ sys, sim, db, office, close } = await startSystemWithSimulator(COUNTRY, {
      decisionDelayMs: 100,
      responseDelayMs: 50,
      delivery: { baseDelayMs: 50, maxDelayMs: 200 },
    }));
    liaisonFr = await login(sys.baseUrl, 'liaison.fr');
  });

  afterAll(async () => {
    await close?.();
    env.restore();
  });

  const view = async (id: string, token = office.ncb) =>
    ok(await api('GET', `/trace-requests/${id}`, token));
  const tracks = async (id: string) =>
    ok(await api<Body[]>('GET', `/trace-requests/${id}/jurisdictions`, office.ncb));
  const simPost = (path: string, body: Body = {}) =>
    fetch(`${sim.url}/control/requests/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** A new draft of the office's investigator, sent to `targetCountries`. */
  const drafted = async (targetCountries: string[]) =>
    ok(
      await api('POST', '/trace-requests', office.inv, validRequestBody({ targetCountries })),
      201,
    );

  /** Drafted, reviewed, submitted; the simulated GS publishes; FR and BR stay silent. */
  async function published(): Promise<{ id: string; reference: string }> {
    const created = await drafted(['FR', 'BR']);
    const id = created.id as string;
    const reference = created.reference as string;
    const control = await fetch(`${sim.url}/control/requests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ gsDecision: 'publish', countries: { FR: 'silent', BR: 'silent' } }),
    });
    expect(control.ok).toBe(true);
    await ok(await api('POST', `/trace-requests/${id}/submit`, office.inv));
    await ok(
      await api('POST', `/trace-requests/${id}/review`, office.sup, { decision: 'approve' }),
    );
    await ok(
      await api('POST', `/trace-requests/${id}/interpol-submission`, office.ncb, ATTESTATION),
    );
    await eventually(async () => (await view(id)).status === 'PUBLISHED', { what: 'PUBLISHED' });
    await eventually(async () => (await tracks(id)).length === 2, { what: 'two tracks' });
    return { id, reference };
  }

  const problem = (res: HttpResult<unknown>) => res.body as Body;

  it('the NCB suspends, extends once and resumes; bad input 400, wrong role 403, wrong state 409', async () => {
    // Not published yet: 409 with the code.
    const draft = await drafted(['FR']);
    const early = await api(
      'POST',
      `/trace-requests/${draft.id as string}/suspension`,
      office.ncb,
      {
        reason: 'too early',
        duration: 'P1M',
      },
    );
    expect(early.status).toBe(409);
    expect(problem(early).code).toBe('not_allowed_in_state');

    const { id } = await published();
    const path = `/trace-requests/${id}/suspension`;
    const far = new Date(Date.now() + 200 * DAY).toISOString();
    for (const [body, named] of [
      [{}, ['reason', 'until']],
      [{ reason: 'Data quality review' }, ['until']],
      [{ reason: ' ', duration: 'P1M' }, ['reason']],
      [{ reason: 'x', duration: 'P7M' }, ['duration']],
      [{ reason: 'x', duration: 'three months' }, ['duration']],
      [{ reason: 'x', until: 'next week' }, ['until']],
      [{ reason: 'x', until: far, duration: 'P1M' }, ['until']],
      [{ reason: 'x', duration: 'P1M', extra: true }, ['extra']],
      // Past six months from now: the domain's rule, named as well.
      [{ reason: 'x', until: far }, ['until']],
    ] as [Body, string[]][]) {
      const res = await api('POST', path, office.ncb, body);
      expect({ body, status: res.status, fields: fields(res) }).toEqual({
        body,
        status: 400,
        fields: named,
      });
    }
    for (const token of [office.inv, office.sup, liaisonFr]) {
      expect((await api('POST', path, token, { reason: 'x', duration: 'P1M' })).status).toBe(403);
      expect((await api('POST', `/trace-requests/${id}/resumption`, token)).status).toBe(403);
    }
    expect((await view(id)).suspension).toBeUndefined();
    const notSuspended = await api('POST', `/trace-requests/${id}/resumption`, office.ncb);
    expect(notSuspended.status).toBe(409);
    expect(problem(notSuspended).code).toBe('not_allowed_in_state');

    const before = await tracks(id);
    const suspended = await ok(
      await api('POST', path, office.ncb, { reason: 'Data quality review', duration: 'P1M' }),
    );
    expect(suspended.status).toBe('PUBLISHED');
    expect(suspended.suspension).toMatchObject({ reason: 'Data quality review', extensions: 0 });
    const { since, until } = suspended.suspension as { since: string; until: string };
    expect(Date.parse(until) - Date.parse(since)).toBe(30 * DAY);
    expect(suspended.allowedActions).toEqual(['withdraw', 'suspend', 'resume']);
    // The liaison sees that it is suspended and until when, not why.
    const seenByFr = await view(id, liaisonFr);
    expect(seenByFr.suspension).toEqual({ since, until, extensions: 0 });
    await eventually(async () => (await tracks(id)).every((t) => t.pausedSince === since), {
      what: 'both tracks paused',
    });

    const extended = await ok(
      await api('POST', path, office.ncb, { reason: 'Review continues', duration: 'P1M' }),
    );
    expect(extended.suspension).toMatchObject({ since, extensions: 1, reason: 'Review continues' });
    expect(extended.allowedActions).toEqual(['withdraw', 'resume']);
    const again = await api('POST', path, office.ncb, { reason: 'once more', duration: 'P1D' });
    expect(again.status).toBe(409);
    expect(problem(again)).toMatchObject({ code: 'not_allowed_in_state', rule: 'one-extension' });

    const resumed = await ok(await api('POST', `/trace-requests/${id}/resumption`, office.ncb));
    expect(resumed.suspension).toBeUndefined();
    expect(resumed.allowedActions).toEqual(['withdraw', 'suspend']);
    const after = await eventually(
      async () => {
        const t = await tracks(id);
        return t.every((x) => x.pausedSince === undefined) && t;
      },
      { what: 'both tracks resumed' },
    );
    // Each deadline moved by the time suspended (here: moments).
    for (const t of after) {
      const old = before.find((b) => b.country === t.country)!;
      const moved = Date.parse(t.deadline as string) - Date.parse(old.deadline as string);
      expect(moved).toBeGreaterThanOrEqual(0);
      expect(moved).toBeLessThan(60_000);
    }

    // On the audit chain and in the inboxes, like every other event.
    const audited = (await db.query(
      `SELECT action, actor FROM audit_log WHERE trace_request_id = $1 AND action IN
        ('trace-request.Suspended', 'trace-request.SuspensionExtended', 'trace-request.Resumed',
         'jurisdiction.DeadlinePaused', 'jurisdiction.DeadlineResumed') ORDER BY seq`,
      [id],
    )) as { action: string; actor: string }[];
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'trace-request.Suspended',
        'trace-request.SuspensionExtended',
        'trace-request.Resumed',
        'jurisdiction.DeadlinePaused',
        'jurisdiction.DeadlineResumed',
      ]),
    );
    await eventually(
      async () => {
        const inbox = await ok(await api('GET', '/notifications?limit=100', liaisonFr));
        const kinds = (inbox.items as Body[])
          .filter((n) => n.reference === suspended.reference)
          .map((n) => n.kind);
        return ['suspended', 'suspension_extended', 'resumed'].every((k) => kinds.includes(k));
      },
      { what: "FR's liaison told of the suspension, its extension and the resumption" },
    );
  });

  it('the GS suspends, lifts and cancels through the simulator; the NCB cannot lift the GS suspension', async () => {
    const { id, reference } = await published();
    expect(
      (
        await simPost(`${reference}/suspension`, {
          reason: 'GS compliance review',
          duration: 'P2M',
        })
      ).status,
    ).toBe(202);
    const suspended = await eventually(
      async () => {
        const v = await view(id);
        return v.suspension !== undefined && v;
      },
      { what: 'the GS suspension' },
    );
    expect(suspended.suspension).toMatchObject({
      reason: 'GS compliance review',
      orderedBy: 'interpol_gs',
    });
    expect(suspended.allowedActions).toEqual(['withdraw']);
    const refused = await api('POST', `/trace-requests/${id}/resumption`, office.ncb);
    expect(refused.status).toBe(409);
    expect(problem(refused)).toMatchObject({ code: 'not_allowed_in_state', rule: 'gs-suspension' });

    expect((await simPost(`${reference}/resumption`)).status).toBe(202);
    await eventually(async () => (await view(id)).suspension === undefined, {
      what: 'the GS resumption',
    });

    expect(
      (await simPost(`${reference}/cancellation`, { reason: 'Article 3 concerns' })).status,
    ).toBe(202);
    const cancelled = await eventually(
      async () => {
        const v = await view(id);
        return v.status === 'CANCELLED' && v;
      },
      { what: 'CANCELLED' },
    );
    expect(cancelled.cancellation).toMatchObject({ reason: 'Article 3 concerns' });
    expect(cancelled.allowedActions).toEqual([]);
    const late = await api('POST', `/trace-requests/${id}/suspension`, office.ncb, {
      reason: 'too late',
      duration: 'P1M',
    });
    expect(late.status).toBe(409);
    expect(problem(late).code).toBe('not_allowed_in_state');
    // The liaisons are told (after the workflow answered); the request is no longer theirs to see.
    await eventually(
      async () => {
        const inbox = await ok(await api('GET', '/notifications?limit=100', liaisonFr));
        return (inbox.items as Body[]).some(
          (n) => n.reference === reference && n.kind === 'cancelled',
        );
      },
      { what: "FR's liaison told of the cancellation" },
    );
    expect((await api('GET', `/trace-requests/${id}`, liaisonFr)).status).toBe(404);
    // The country tracks were stopped, as after a withdrawal.
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    try {
      // Results are encrypted payloads: decode them as the API does.
      const client = new Client({ connection, dataConverter: await testDataConverter() });
      for (const cc of ['FR', 'BR']) {
        const track = client.workflow.getHandle(jurisdictionWorkflowId(id, cc));
        expect(((await track.result()) as { status: string }).status).toBe('AWAITING');
      }
    } finally {
      await connection.close();
    }
  });

  it('signed gateway messages: 400 naming the field, 404 unknown, 409 in the wrong state', async () => {
    const secret = loadConfig().gateway.secret;
    const send = (path: string, message: Body) => {
      const raw = JSON.stringify(message);
      return http(sys.baseUrl, 'POST', path, {
        rawBody: raw,
        headers: { [SIGNATURE_HEADER]: signBody(raw, secret) },
      });
    };
    const draft = await drafted(['FR']);
    const reference = draft.reference as string;
    const bad = await send(SILVERTRACE_GATEWAY_PATHS.suspensions, { reference });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['reason', 'until']);
    const noReason = await send(SILVERTRACE_GATEWAY_PATHS.cancellations, { reference });
    expect(fields(noReason)).toEqual(['reason']);
    const unknown = await send(SILVERTRACE_GATEWAY_PATHS.cancellations, {
      reference: `${COUNTRY}-1999-999999`,
      reason: 'x',
    });
    expect(unknown.status).toBe(404);
    for (const [path, message] of [
      [SILVERTRACE_GATEWAY_PATHS.cancellations, { reference, reason: 'not held by INTERPOL' }],
      [SILVERTRACE_GATEWAY_PATHS.suspensions, { reference, reason: 'x', duration: 'P1M' }],
      [SILVERTRACE_GATEWAY_PATHS.resumptions, { reference }],
    ] as [string, Body][]) {
      const res = await send(path, message);
      expect({ path, status: res.status, code: problem(res).code }).toEqual({
        path,
        status: 409,
        code: 'not_allowed_in_state',
      });
    }
    expect((await view(draft.id as string, office.inv)).status).toBe('DRAFT');
  });
});
