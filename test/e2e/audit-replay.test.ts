// Timeline, replay and history export over real HTTP, against the real workflows (request and
// country track), PostgreSQL and Temporal. Requests are drafted in FI and sent to AT (countries
// no other suite uses); a small node:http server plays INTERPOL's inbound side.
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { HistoryEntry, ReplayReport } from '../../libs/domain/src/api-types';
import { loadConfig } from '../../libs/config/src';
import { SIGNATURE_HEADER, signBody } from '../../libs/gateway/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { jurisdictionWorkflowId, requestWorkflowId } from '../../libs/temporal/src';
import { makeAccount, type Account } from '../support/accounts';
import { apiClient, ATTESTATION, ok, type Body } from '../support/api';
import { eventually, http, savedEnv, startSystem, type RunningSystem } from '../support/e2e';
import { fakeInterpol, type FakeInterpol } from '../support/fake-interpol';
import { validRequestBody } from '../support/fixtures';

const ENV_KEYS = ['INTERPOL_GATEWAY_URL', 'HISTORY_EXPORT_INTERVAL_MS', 'LOG_LEVEL'] as const;

describe('audit: timeline, replay and history export', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let interpol: FakeInterpol;
  let temporal: Client;
  let connection: Connection;
  const env = savedEnv(ENV_KEYS);
  const secret = loadConfig().gateway.secret;
  let inv: Account, sup: Account, ncb: Account, auditor: Account;
  let liaisonAt: Account, liaisonOther: Account;
  let id: string;
  let reference: string;

  const api = apiClient(() => sys.baseUrl);

  const gateway = (route: 'decisions' | 'responses', message: Body) => {
    const raw = JSON.stringify(message);
    return http(sys.baseUrl, 'POST', `/api/v1/gateway/interpol/${route}`, {
      rawBody: raw,
      headers: { [SIGNATURE_HEADER]: signBody(raw, secret) },
    });
  };

  const status = async () => ok(await api<Body>('GET', `/trace-requests/${id}`, inv.token)).status;
  const replay = async (query = '') =>
    ok(
      await api<ReplayReport>('POST', `/audit/trace-requests/${id}/replay${query}`, auditor.token),
    );
  const history = async (token: string) =>
    ok(await api<HistoryEntry[]>('GET', `/trace-requests/${id}/history`, token));

  beforeAll(async () => {
    env.save();
    interpol = await fakeInterpol();
    process.env.INTERPOL_GATEWAY_URL = interpol.url;
    process.env.HISTORY_EXPORT_INTERVAL_MS = '300';
    // The permission checks below are logged as warnings; keep the output to errors.
    process.env.LOG_LEVEL = 'error';
    sys = await startSystem();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    temporal = new Client({ connection });
    [inv, sup, ncb, auditor, liaisonAt, liaisonOther] = await Promise.all([
      makeAccount(db, sys.baseUrl, ['investigator'], 'FI', 'ar-inv'),
      makeAccount(db, sys.baseUrl, ['supervisor'], 'FI', 'ar-sup'),
      makeAccount(db, sys.baseUrl, ['ncb_officer'], 'FI', 'ar-ncb'),
      makeAccount(db, sys.baseUrl, ['auditor'], 'FI', 'ar-aud'),
      makeAccount(db, sys.baseUrl, ['foreign_liaison'], 'AT', 'ar-lat'),
      // A liaison of a country the request is not sent to.
      makeAccount(db, sys.baseUrl, ['foreign_liaison'], 'FI', 'ar-lfi'),
    ]);

    // The whole journey: draft, review, INTERPOL, publication, AT answers, completion, close.
    const created = ok(
      await api<Body>(
        'POST',
        '/trace-requests',
        inv.token,
        validRequestBody({
          caseReference: `CAS-AR-${randomUUID().slice(0, 8)}`,
          targetCountries: ['AT'],
        }),
      ),
      201,
    );
    id = created.id as string;
    reference = created.reference as string;
    ok(await api('POST', `/trace-requests/${id}/submit`, inv.token));
    ok(await api('POST', `/trace-requests/${id}/review`, sup.token, { decision: 'approve' }));
    ok(await api('POST', `/trace-requests/${id}/interpol-submission`, ncb.token, ATTESTATION));
    expect(
      (await gateway('decisions', { reference, decision: 'published', noticeId: 'SILVER-AR1' }))
        .status,
    ).toBe(202);
    const respond = (body: Body) =>
      api('POST', `/trace-requests/${id}/jurisdictions/AT/responses`, liaisonAt.token, body);
    ok(
      await respond({ outcome: 'acknowledged', externalReference: `AT-ACK-${randomUUID()}` }),
      201,
    );
    ok(
      await respond({
        outcome: 'no_assets',
        externalReference: `AT-FINAL-${randomUUID()}`,
        narrative: 'Nothing in the Austrian registries',
      }),
      201,
    );
    await eventually(async () => (await status()) === 'COMPLETED', { what: 'COMPLETED' });
    ok(
      await api('POST', `/trace-requests/${id}/close`, ncb.token, {
        summary: 'Nothing found in AT.',
      }),
    );
  });

  afterAll(async () => {
    await sys?.close();
    await db?.destroy();
    await interpol?.close();
    await connection?.close();
    env.restore();
  });

  /** The timeline as the journey made it: people, roles, statuses in order, the AT track inside. */
  function expectJourney(entries: HistoryEntry[]) {
    const parent = requestWorkflowId(id);
    const child = jurisdictionWorkflowId(id, 'AT');
    const own = entries.filter((e) => e.workflowId === parent);
    expect(own.map((e) => [e.action, e.actor, e.role, e.fromStatus, e.toStatus])).toEqual([
      ['Created', inv.username, 'investigator', null, 'DRAFT'],
      ['SubmittedForReview', inv.username, 'investigator', 'DRAFT', 'IN_REVIEW'],
      ['Approved', sup.username, 'supervisor', 'IN_REVIEW', 'APPROVED'],
      ['SubmittedToInterpol', ncb.username, 'ncb_officer', 'APPROVED', 'SUBMITTED'],
      ['Published', 'interpol-gateway', 'system', 'SUBMITTED', 'PUBLISHED'],
      ['JurisdictionChanged', 'jurisdiction-workflow', 'system', 'PUBLISHED', 'PUBLISHED'],
      ['JurisdictionChanged', 'jurisdiction-workflow', 'system', 'PUBLISHED', 'PUBLISHED'],
      ['Completed', 'jurisdiction-workflow', 'system', 'PUBLISHED', 'COMPLETED'],
      ['Closed', ncb.username, 'ncb_officer', 'COMPLETED', 'CLOSED'],
    ]);
    expect(own.filter((e) => e.action === 'JurisdictionChanged').map((e) => e.details)).toEqual([
      { country: 'AT', status: 'ACKNOWLEDGED', previous: 'AWAITING' },
      { country: 'AT', status: 'ANSWERED', previous: 'ACKNOWLEDGED' },
    ]);
    const track = entries.filter((e) => e.workflowId === child);
    expect(
      track.map((e) => [e.action, e.actor, e.role, e.country, e.fromStatus, e.toStatus]),
    ).toEqual([
      ['ResponseRecorded', liaisonAt.username, 'foreign_liaison', 'AT', 'AWAITING', 'ACKNOWLEDGED'],
      ['ResponseRecorded', liaisonAt.username, 'foreign_liaison', 'AT', 'ACKNOWLEDGED', 'ANSWERED'],
    ]);
    expect(entries).toHaveLength(own.length + track.length);
    // Oldest first, the track's answers among the request's events.
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const answered = entries.findIndex((e) => e.toStatus === 'ANSWERED' && e.workflowId === child);
    const completed = entries.findIndex((e) => e.action === 'Completed');
    expect(answered).toBeLessThan(completed);
    expect(entries.every((e) => /^\d+$/.test(e.eventId))).toBe(true);
    expect(own.find((e) => e.action === 'Approved')!.details).toMatchObject({
      level: 1,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  }

  it('GET /history: who did what and when, with from/to statuses, the country track included', async () => {
    expectJourney(await history(inv.token));
    // Every reader of the request's country reads it, auditors too.
    expect(await history(auditor.token)).toEqual(await history(inv.token));
  });

  it('a liaison reads its own country only, without names; another country gets 404', async () => {
    const entries = await history(liaisonAt.token);
    const track = jurisdictionWorkflowId(id, 'AT');
    expect(entries.filter((e) => e.workflowId === track)).toHaveLength(2);
    // Besides its track's entries, the request's record of its country's changes (the declared
    // view keeps the entries about AT), and no home staff's names.
    expect(entries.every((e) => e.country === 'AT' && e.actor === undefined)).toBe(true);
    expect(
      entries
        .filter((e) => e.workflowId !== track)
        .every((e) => e.action === 'JurisdictionChanged'),
    ).toBe(true);
    const other = await api('GET', `/trace-requests/${id}/history`, liaisonOther.token);
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    const unknown = await api('GET', `/trace-requests/${randomUUID()}/history`, inv.token);
    expect(unknown.status).toBe(404);
  });

  it('replay: deterministic, the request rebuilt step by step; only auditors may replay', async () => {
    const report = await replay();
    expect(report).toMatchObject({ deterministic: true, finalStatus: 'CLOSED' });
    expect(report.divergence).toBeUndefined();
    expect(report.problems).toBeUndefined();
    expect(report.steps.map((s) => s.status)).toEqual([
      'DRAFT',
      'IN_REVIEW',
      'APPROVED',
      'SUBMITTED',
      'PUBLISHED',
      'PUBLISHED',
      'PUBLISHED',
      'COMPLETED',
      'CLOSED',
    ]);
    expect(report.steps[2]).toMatchObject({ action: 'Approved', actor: sup.username });
    expect(report.histories.map((h) => h.workflowId)).toEqual([
      requestWorkflowId(id),
      jurisdictionWorkflowId(id, 'AT'),
    ]);
    expect(report.histories.every((h) => h.deterministic && /^[0-9a-f]{64}$/.test(h.sha256))).toBe(
      true,
    );
    expect(report.events).toBe(report.histories.reduce((n, h) => n + h.events, 0));

    for (const token of [inv.token, sup.token, ncb.token, liaisonAt.token]) {
      const refused = await api('POST', `/audit/trace-requests/${id}/replay`, token);
      expect(refused.status).toBe(403);
    }
  });

  it('asOf: the state at several moments; a bad asOf is 400 naming the field', async () => {
    const { steps } = await replay();
    const at = (action: string) => Date.parse(steps.find((s) => s.action === action)!.at);
    const iso = (ms: number) => new Date(ms).toISOString();
    const before = await replay(`?asOf=${iso(at('Created') - 1)}`);
    expect(before).toMatchObject({ state: null, status: null, deterministic: true });
    const draft = await replay(`?asOf=${iso(at('Created'))}`);
    expect(draft).toMatchObject({ status: 'DRAFT', state: { status: 'DRAFT', version: 1 } });
    const approved = await replay(`?asOf=${iso(at('Approved'))}`);
    expect(approved.status).toBe('APPROVED');
    expect(approved.state).toMatchObject({ approvals: [{ userId: sup.id }] });
    const published = await replay(`?asOf=${iso(at('Published'))}`);
    expect(published.state).toMatchObject({
      status: 'PUBLISHED',
      jurisdictions: { AT: 'AWAITING' },
      interpol: { noticeId: 'SILVER-AR1' },
    });
    const closed = await replay(`?asOf=${iso(Date.now())}`);
    expect(closed.status).toBe('CLOSED');
    expect(closed.state).toMatchObject({ jurisdictions: { AT: 'ANSWERED' } });
    // An offset is honoured.
    const offset = await replay(
      `?asOf=${encodeURIComponent(iso(at('Approved')).replace('Z', '+00:00'))}`,
    );
    expect(offset.status).toBe('APPROVED');

    for (const bad of ['yesterday', '2026-13-45T00:00:00Z', '2026-11-29T10:00:00']) {
      const res = await api<{ errors: { field: string }[] }>(
        'POST',
        `/audit/trace-requests/${id}/replay?asOf=${encodeURIComponent(bad)}`,
        auditor.token,
      );
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
      expect(res.body.errors.map((e) => e.field)).toEqual(['asOf']);
    }
  });

  it('exports the closed histories; timeline and replay still work once Temporal has forgotten them', async () => {
    const live = await replay();
    const liveTimeline = await history(inv.token);
    expect(live.histories.every((h) => h.source === 'temporal' || h.source === 'archive')).toBe(
      true,
    );
    // The exporter stores every closed run once, with the same hash as the live history.
    const rows = await eventually(
      async () => {
        const found = (await db.query(
          `SELECT workflow_id, run_id, sha256, event_count FROM workflow_histories
            WHERE request_id = $1 ORDER BY workflow_id`,
          [id],
        )) as { workflow_id: string; run_id: string; sha256: string; event_count: number }[];
        return found.length === 2 ? found : undefined;
      },
      { what: 'exported histories', timeoutMs: 30000 },
    );
    expect(rows.map((r) => [r.workflow_id, r.run_id, r.sha256, r.event_count])).toEqual(
      live.histories
        .map((h) => [h.workflowId, h.runId, h.sha256, h.events])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );

    // Temporal's retention, sped up: both executions deleted.
    for (const h of live.histories) {
      await temporal.workflowService.deleteWorkflowExecution({
        namespace: 'default',
        workflowExecution: { workflowId: h.workflowId, runId: h.runId },
      });
    }
    for (const h of live.histories) {
      await eventually(
        async () => {
          try {
            await temporal.workflow.getHandle(h.workflowId, h.runId).fetchHistory();
            return false;
          } catch (err) {
            return err instanceof WorkflowNotFoundError || /not found/i.test(String(err));
          }
        },
        // The dev server deletes in the background, sometimes tens of seconds later.
        { what: `${h.workflowId} deleted`, timeoutMs: 90000 },
      );
    }

    const archived = await replay();
    expect(archived.histories.map((h) => h.source)).toEqual(['archive', 'archive']);
    expect({ ...archived, histories: [] }).toEqual({ ...live, histories: [] });
    expect(archived.histories.map((h) => h.sha256)).toEqual(live.histories.map((h) => h.sha256));
    expect(await history(inv.token)).toEqual(liveTimeline);
    expectJourney(await history(auditor.token));
  }, 240_000);
});
