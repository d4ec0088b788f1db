// The request actions of api.md over real HTTP, against the real workflow (worker), PostgreSQL and
// Temporal: every action's happy path and refusals, If-Match, four-eyes, concurrent reviews,
// quota, closed workflows, Temporal unreachable, the view's allowedActions, and the list.
// Requests are drafted by users of countries no other suite uses (NZ, CA), so quotas and lists
// are this suite's own; a small node:http server plays INTERPOL's inbound side.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../libs/config/src';
import type { TraceRequestContent } from '../../libs/domain/src/types';
import { SIGNATURE_HEADER, signBody } from '../../libs/gateway/src';
import { makeAccount, type Account } from '../support/accounts';
import { apiClient, ATTESTATION, fakeInterpolStack, fields, ok, type Body } from '../support/api';
import {
  eventually,
  http,
  login,
  startSystem,
  type HttpResult,
  type RunningSystem,
} from '../support/e2e';
import { validRequestBody } from '../support/fixtures';
import type { FakeInterpol, Problem } from '../support/fake-interpol';

describe('api: trace-request actions, view and list', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let interpol: FakeInterpol;
  const stack = fakeInterpolStack({ envKeys: ['TEMPORAL_ADDRESS'] });
  const secret = loadConfig().gateway.secret;
  /** A token in every case reference, so lists and searches only see this run's requests. */
  const marker = `RUN${randomUUID().slice(0, 8).toUpperCase()}`;

  let inv: Account; // NZ investigator
  let sup: Account;
  let sup2: Account;
  let ncb: Account;
  let auditor: Account;
  let dual: Account; // NZ investigator AND supervisor: four-eyes cases
  let zaInvestigator: string; // demo users of another country
  let liaisonFr: string;
  let liaisonBr: string;

  const api = apiClient(() => sys.baseUrl);

  const content = (over: Partial<TraceRequestContent> = {}): TraceRequestContent =>
    validRequestBody({
      caseReference: `CAS-${marker}`,
      targetCountries: ['FR', 'BR'],
      ...over,
    });

  async function draft(
    user: Account = inv,
    over: Partial<TraceRequestContent> = {},
  ): Promise<Body> {
    const res = await api('POST', '/trace-requests', user.token, content(over));
    expect(res.status).toBe(201);
    return res.body;
  }

  const act = (id: string, action: string, token: string, body?: unknown) =>
    api('POST', `/trace-requests/${id}/${action}`, token, body);

  async function approved(user: Account = inv, over: Partial<TraceRequestContent> = {}) {
    const r = await draft(user, over);
    const id = r.id as string;
    await ok(await act(id, 'submit', user.token));
    await ok(await act(id, 'review', sup.token, { decision: 'approve' }));
    return id;
  }

  async function submitted(over: Partial<TraceRequestContent> = {}) {
    const id = await approved(inv, over);
    const view = await ok(await act(id, 'interpol-submission', ncb.token, ATTESTATION));
    return { id, reference: view.reference as string };
  }

  /** A signed GS decision through the inbound gateway route. */
  function gsDecision(message: Body, headers: Record<string, string> = {}) {
    const raw = JSON.stringify(message);
    return http(sys.baseUrl, 'POST', '/api/v1/gateway/interpol/decisions', {
      rawBody: raw,
      headers: { [SIGNATURE_HEADER]: signBody(raw, secret), ...headers },
    });
  }

  beforeAll(async () => {
    ({ sys, db, interpol } = await stack.start());
    [inv, sup, sup2, ncb, auditor, dual] = await Promise.all([
      makeAccount(db, sys.baseUrl, ['investigator'], 'NZ', 'inv'),
      makeAccount(db, sys.baseUrl, ['supervisor'], 'NZ', 'sup'),
      makeAccount(db, sys.baseUrl, ['supervisor'], 'NZ', 'sup2'),
      makeAccount(db, sys.baseUrl, ['ncb_officer'], 'NZ', 'ncb'),
      makeAccount(db, sys.baseUrl, ['auditor'], 'NZ', 'aud'),
      makeAccount(db, sys.baseUrl, ['investigator', 'supervisor'], 'NZ', 'dual'),
    ]);
    [zaInvestigator, liaisonFr, liaisonBr] = await Promise.all([
      login(sys.baseUrl, 'investigator.za'),
      login(sys.baseUrl, 'liaison.fr'),
      login(sys.baseUrl, 'liaison.br'),
    ]);
  });

  afterAll(async () => {
    await stack.stop();
  });

  describe('the view', () => {
    it('lists the actions each caller may take now, and an ETag of the version', async () => {
      const r = await draft();
      const id = r.id as string;
      expect(r).toMatchObject({ status: 'DRAFT', version: 1, jurisdictions: [] });
      expect(r.allowedActions).toEqual(['edit', 'submit', 'withdraw']);

      const asSup = await api('GET', `/trace-requests/${id}`, sup.token);
      expect(asSup.status).toBe(200);
      expect(asSup.headers.get('etag')).toBe('"1"');
      expect(asSup.body.allowedActions).toEqual([]);
      expect((await api('GET', `/trace-requests/${id}`, ncb.token)).body.allowedActions).toEqual([
        'withdraw',
      ]);
      expect(
        (await api('GET', `/trace-requests/${id}`, auditor.token)).body.allowedActions,
      ).toEqual([]);

      await ok(await act(id, 'submit', inv.token));
      const inReview = await api('GET', `/trace-requests/${id}`, sup.token);
      expect(inReview.body).toMatchObject({ status: 'IN_REVIEW', allowedActions: ['review'] });
      // The union over a multi-role caller's roles.
      const asDual = await api('GET', `/trace-requests/${id}`, dual.token);
      expect(asDual.body.allowedActions).toEqual(['review', 'withdraw']);
    });

    it('answers 404 for unknown, malformed and invisible ids, on reads and actions', async () => {
      const r = await draft();
      const id = r.id as string;
      expect((await api('GET', `/trace-requests/${randomUUID()}`, inv.token)).status).toBe(404);
      expect((await api('GET', '/trace-requests/not-a-uuid', inv.token)).status).toBe(404);
      expect((await api('GET', `/trace-requests/${id}`, zaInvestigator)).status).toBe(404);
      expect((await api('GET', `/trace-requests/${id}`, liaisonFr)).status).toBe(404);
      // Another country's investigator may submit in general, but not this request.
      const hidden = await act(id, 'submit', zaInvestigator);
      expect(hidden.status).toBe(404);
      expect((await act(randomUUID(), 'submit', inv.token)).status).toBe(404);
      // Nothing happened to it.
      expect((await api('GET', `/trace-requests/${id}`, inv.token)).body.status).toBe('DRAFT');
    });
  });

  describe('PATCH (edit) with If-Match', () => {
    it('edits with the current version, refuses a stale one with 409', async () => {
      const r = await draft();
      const id = r.id as string;
      const edited = content({ caseReference: `CAS-${marker}-EDITED` });
      const res = await api('PATCH', `/trace-requests/${id}`, inv.token, edited, {
        'if-match': '"1"',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id,
        status: 'DRAFT',
        version: 2,
        caseReference: `CAS-${marker}-EDITED`,
      });
      expect(res.body.contentHash).not.toBe(r.contentHash);
      expect(res.headers.get('etag')).toBe('"2"');
      // Read-your-writes: the read model already shows it.
      expect((await api('GET', `/trace-requests/${id}`, inv.token)).body.version).toBe(2);

      const stale = await api('PATCH', `/trace-requests/${id}`, inv.token, content(), {
        'if-match': '1',
      });
      expect(stale.status).toBe(409);
      expect(stale.headers.get('content-type')).toContain('application/problem+json');
      expect(stale.body).toMatchObject({ code: 'stale_version' });
      expect((await api('GET', `/trace-requests/${id}`, inv.token)).body.version).toBe(2);
    });

    it('needs If-Match (428 naming it) and a well-formed one (400 naming it)', async () => {
      const id = (await draft()).id as string;
      const missing = await api('PATCH', `/trace-requests/${id}`, inv.token, content());
      expect(missing.status).toBe(428);
      expect(fields(missing)).toEqual(['If-Match']);
      const bad = await api('PATCH', `/trace-requests/${id}`, inv.token, content(), {
        'if-match': 'banana',
      });
      expect(bad.status).toBe(400);
      expect(fields(bad)).toEqual(['If-Match']);
    });

    it('names bad fields (400), refuses other roles (403) and other countries (404)', async () => {
      const id = (await draft()).id as string;
      const badBody = await api(
        'PATCH',
        `/trace-requests/${id}`,
        inv.token,
        { ...content(), kind: 'poster', extra: 1 },
        { 'if-match': '1' },
      );
      expect(badBody.status).toBe(400);
      expect(fields(badBody)).toEqual(expect.arrayContaining(['kind', 'extra']));
      // PostgreSQL cannot store U+0000: a 400 naming the field, never a 500 or a stuck workflow.
      const nul = await api(
        'PATCH',
        `/trace-requests/${id}`,
        inv.token,
        content({ factsSummary: 'before\u0000after' }),
        { 'if-match': '1' },
      );
      expect(nul.status).toBe(400);
      expect(fields(nul)).toEqual(['factsSummary']);
      const nulCreate = await api(
        'POST',
        '/trace-requests',
        inv.token,
        content({ caseReference: 'CAS-\u0000' }),
      );
      expect(nulCreate.status).toBe(400);
      expect(fields(nulCreate)).toEqual(['caseReference']);
      const nulQuery = await api('GET', '/trace-requests?q=a%00b', inv.token);
      expect(nulQuery.status).toBe(400);
      expect(fields(nulQuery)).toEqual(['q']);
      const bySupervisor = await api('PATCH', `/trace-requests/${id}`, sup.token, content(), {
        'if-match': '1',
      });
      expect(bySupervisor.status).toBe(403);
      const byZa = await api('PATCH', `/trace-requests/${id}`, zaInvestigator, content(), {
        'if-match': '1',
      });
      expect(byZa.status).toBe(404);
    });

    it('refuses an edit once the request is in review (409)', async () => {
      const id = (await draft()).id as string;
      await ok(await act(id, 'submit', inv.token));
      const res = await api('PATCH', `/trace-requests/${id}`, inv.token, content(), {
        'if-match': '1',
      });
      expect(res.status).toBe(409);
    });
  });

  describe('submit and review', () => {
    it('submits (IN_REVIEW) once; a second submit is an illegal transition (409)', async () => {
      const id = (await draft()).id as string;
      const res = await act(id, 'submit', inv.token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'IN_REVIEW', version: 1 });
      expect((await act(id, 'submit', inv.token)).status).toBe(409);
      expect((await act(id, 'submit', sup.token)).status).toBe(403);
    });

    it('submit with a stale If-Match is a 409', async () => {
      const id = (await draft()).id as string;
      const res = await http(sys.baseUrl, 'POST', `/api/v1/trace-requests/${id}/submit`, {
        token: inv.token,
        headers: { 'if-match': '"7"' },
      });
      expect(res.status).toBe(409);
    });

    it('approves, rejects and requests changes; the decision is on record', async () => {
      const a = (await draft()).id as string;
      await ok(await act(a, 'submit', inv.token));
      const approvedView = await act(a, 'review', sup.token, { decision: 'approve' });
      expect(approvedView.status).toBe(200);
      expect(approvedView.body).toMatchObject({ status: 'APPROVED' });
      expect(approvedView.body.lastReview).toMatchObject({ decision: 'approve' });

      const b = (await draft()).id as string;
      await ok(await act(b, 'submit', inv.token));
      const changes = await act(b, 'review', sup.token, {
        decision: 'request_changes',
        comment: 'Add the registry number of the apartment',
      });
      expect(changes.body).toMatchObject({
        status: 'CHANGES_REQUESTED',
        lastReview: {
          decision: 'request_changes',
          comment: 'Add the registry number of the apartment',
        },
      });
      // Back to the investigator: edit and resubmit.
      await ok(
        await api('PATCH', `/trace-requests/${b}`, inv.token, content(), { 'if-match': '1' }),
      );
      expect((await act(b, 'submit', inv.token)).body).toMatchObject({
        status: 'IN_REVIEW',
        version: 2,
      });

      const c = (await draft()).id as string;
      await ok(await act(c, 'submit', inv.token));
      const rejected = await act(c, 'review', sup.token, {
        decision: 'reject',
        comment: 'No legal basis for the request abroad',
      });
      expect(rejected.body).toMatchObject({ status: 'REJECTED', allowedActions: [] });
      // A rejected request's workflow has ended: any action now is a conflict.
      const after = await act(c, 'withdraw', inv.token, { reason: 'too late' });
      expect(after.status).toBe(409);
    });

    it('names bad review bodies (400) and refuses non-supervisors (403)', async () => {
      const id = (await draft()).id as string;
      await ok(await act(id, 'submit', inv.token));
      const unknown = await act(id, 'review', sup.token, { decision: 'maybe' });
      expect(unknown.status).toBe(400);
      expect(fields(unknown)).toEqual(['decision']);
      const noComment = await act(id, 'review', sup.token, { decision: 'reject' });
      expect(noComment.status).toBe(400);
      expect(fields(noComment)).toEqual(['comment']);
      const notJson = await http(sys.baseUrl, 'POST', `/api/v1/trace-requests/${id}/review`, {
        token: sup.token,
        rawBody: '{"decision":',
      });
      expect(notJson.status).toBe(400);
      expect((await act(id, 'review', inv.token, { decision: 'approve' })).status).toBe(403);
      expect((await act(id, 'review', ncb.token, { decision: 'approve' })).status).toBe(403);
      expect((await api('GET', `/trace-requests/${id}`, sup.token)).body.status).toBe('IN_REVIEW');
    });

    it('four-eyes: the drafter may not review (403), even holding the supervisor role', async () => {
      const id = (await draft(dual)).id as string;
      await ok(await act(id, 'submit', dual.token));
      const res = await act(id, 'review', dual.token, { decision: 'approve' });
      expect(res.status).toBe(403);
      expect((res.body as Problem).detail).toMatch(/four-eyes/);
      expect(res.body).toMatchObject({
        type: 'urn:silvertrace:problem:four-eyes',
        code: 'four_eyes',
        rule: 'reviewer-not-author',
      });
      expect((await api('GET', `/trace-requests/${id}`, dual.token)).body.allowedActions).toEqual([
        'withdraw',
      ]);
    });

    it('four-eyes: an editor may not review (403); another supervisor may', async () => {
      const id = (await draft(inv)).id as string;
      await ok(
        await api('PATCH', `/trace-requests/${id}`, dual.token, content(), { 'if-match': '1' }),
      );
      await ok(await act(id, 'submit', inv.token));
      const byEditor = await act(id, 'review', dual.token, { decision: 'approve' });
      expect(byEditor.status).toBe(403);
      expect((byEditor.body as Problem).detail).toMatch(/four-eyes/);
      const byOther = await act(id, 'review', sup.token, { decision: 'approve' });
      expect(byOther.status).toBe(200);
      expect(byOther.body.status).toBe('APPROVED');
    });

    it('two concurrent decisions: one wins (200), the other gets 409', async () => {
      const id = (await draft()).id as string;
      await ok(await act(id, 'submit', inv.token));
      const results = await Promise.all([
        act(id, 'review', sup.token, { decision: 'approve' }),
        act(id, 'review', sup2.token, {
          decision: 'request_changes',
          comment: 'Please add the passport number',
        }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!;
      const final = await api('GET', `/trace-requests/${id}`, inv.token);
      expect(final.body.status).toBe(winner.body.status);
    });
  });

  describe('INTERPOL submission, query answers', () => {
    it('submits an approved notice (SUBMITTED) and the worker sends it to INTERPOL', async () => {
      const id = await approved();
      const bad = await act(id, 'interpol-submission', ncb.token, {
        attestation: { article3Neutrality: false, dataQualityChecked: true },
      });
      expect(bad.status).toBe(400);
      expect(fields(bad)).toEqual(['attestation.article3Neutrality']);
      expect((await act(id, 'interpol-submission', inv.token, ATTESTATION)).status).toBe(403);

      const res = await act(id, 'interpol-submission', ncb.token, ATTESTATION);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'SUBMITTED' });
      const reference = res.body.reference as string;
      await eventually(
        async () =>
          interpol.received.some(
            (m) => m.path === '/gs/submissions' && m.body.reference === reference,
          ),
        { what: 'the submission at INTERPOL' },
      );
      // Not twice.
      expect((await act(id, 'interpol-submission', ncb.token, ATTESTATION)).status).toBe(409);
    });

    it('a submission when not approved is a 409', async () => {
      const id = (await draft()).id as string;
      expect((await act(id, 'interpol-submission', ncb.token, ATTESTATION)).status).toBe(409);
    });

    it('answers the GS query (QUERIED -> SUBMITTED), and it goes to INTERPOL', async () => {
      const { id, reference } = await submitted();
      expect((await act(id, 'query-answers', inv.token, { answer: 'early' })).status).toBe(409);
      const q = await gsDecision({
        reference,
        decision: 'query',
        question: 'Which court issued the order?',
      });
      expect(q.status).toBe(202);
      const queried = await api('GET', `/trace-requests/${id}`, inv.token);
      expect(queried.body).toMatchObject({ status: 'QUERIED' });
      expect(queried.body.allowedActions).toContain('query-answers');
      expect(queried.body.interpol).toMatchObject({
        queries: [{ question: 'Which court issued the order?' }],
      });

      const blank = await act(id, 'query-answers', inv.token, { answer: '  ' });
      expect(blank.status).toBe(400);
      expect(fields(blank)).toEqual(['answer']);
      expect((await act(id, 'query-answers', ncb.token, { answer: 'x' })).status).toBe(403);
      const answered = await act(id, 'query-answers', inv.token, {
        answer: 'The Auckland High Court, order CIV-2026-404-1187',
      });
      expect(answered.status).toBe(200);
      expect(answered.body.status).toBe('SUBMITTED');
      await eventually(
        async () =>
          interpol.received.some(
            (m) => m.path === '/gs/query-answers' && m.body.reference === reference,
          ),
        { what: 'the query answer at INTERPOL' },
      );
    });

    it("409 when the country's quota is spent, and the request stays APPROVED", async () => {
      const [caInv, caSup, caNcb] = await Promise.all([
        makeAccount(db, sys.baseUrl, ['investigator'], 'CA', 'inv'),
        makeAccount(db, sys.baseUrl, ['supervisor'], 'CA', 'sup'),
        makeAccount(db, sys.baseUrl, ['ncb_officer'], 'CA', 'ncb'),
      ]);
      await db.query(
        `INSERT INTO quota_counters (country, year, used) VALUES ('CA', $1, 100000)
         ON CONFLICT (country, year) DO UPDATE SET used = 100000`,
        [new Date().getUTCFullYear()],
      );
      const r = await draft(caInv);
      const id = r.id as string;
      await ok(await act(id, 'submit', caInv.token));
      await ok(await act(id, 'review', caSup.token, { decision: 'approve' }));
      const res = await act(id, 'interpol-submission', caNcb.token, ATTESTATION);
      expect(res.status).toBe(409);
      expect((res.body as Problem).type).toBe('urn:silvertrace:problem:quota-exhausted');
      expect((res.body as Problem).detail).toMatch(/quota/);
      expect((res.body as Problem).code).toBe('quota_exhausted');
      expect((await api('GET', `/trace-requests/${id}`, caInv.token)).body.status).toBe('APPROVED');
    });
  });

  describe('withdraw and close', () => {
    it('withdraws (WITHDRAWN); then the request is closed to every action (409)', async () => {
      const id = (await draft()).id as string;
      const noReason = await act(id, 'withdraw', inv.token, {});
      expect(noReason.status).toBe(400);
      expect(fields(noReason)).toEqual(['reason']);
      expect((await act(id, 'withdraw', sup.token, { reason: 'x' })).status).toBe(403);
      const res = await act(id, 'withdraw', ncb.token, { reason: 'Purpose achieved' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'WITHDRAWN',
        withdrawal: { reason: 'Purpose achieved' },
        allowedActions: [],
      });
      const again = await act(id, 'withdraw', inv.token, { reason: 'again' });
      expect(again.status).toBe(409);
      expect((await act(id, 'submit', inv.token)).status).toBe(409);
    });

    it('close needs a COMPLETED request (409), the ncb_officer role (403) and a summary (400)', async () => {
      const id = await approved();
      expect((await act(id, 'close', ncb.token, { summary: 'Done' })).status).toBe(409);
      expect((await act(id, 'close', inv.token, { summary: 'Done' })).status).toBe(403);
      const noSummary = await act(id, 'close', ncb.token, { summary: '' });
      expect(noSummary.status).toBe(400);
      expect(fields(noSummary)).toEqual(['summary']);
    });
  });

  describe('list', () => {
    // Created oldest first: A (notice, normal), B (diffusion to FR, urgent, then dispatched),
    // C (notice to BR only, subject "Ngata"), D (notice, withdrawn).
    let a: string;
    let b: string;
    let c: string;
    let d: string;
    const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
    const ids = (res: HttpResult<Body>) => (res.body.items as Body[]).map((i) => i.id as string);

    beforeAll(async () => {
      const tag = `${marker}-LIST`;
      a = (await draft(inv, { caseReference: `CAS-${tag}-A` })).id as string;
      b = (
        await draft(inv, {
          caseReference: `CAS-${tag}-B`,
          kind: 'diffusion',
          urgency: 'urgent',
          targetCountries: ['FR'],
        })
      ).id as string;
      c = (
        await draft(inv, {
          caseReference: `CAS-${tag}-C`,
          targetCountries: ['BR'],
          subject: { ...validRequestBody().subject, familyName: 'Ngata', aliases: [] },
        })
      ).id as string;
      d = (await draft(inv, { caseReference: `CAS-${tag}-D` })).id as string;
      // B: a diffusion is dispatched by the NCB at once -> PUBLISHED, visible to FR's liaison.
      await ok(await act(b, 'submit', inv.token));
      await ok(await act(b, 'review', sup.token, { decision: 'approve' }));
      const dispatched = await ok(await act(b, 'interpol-submission', ncb.token, ATTESTATION));
      expect(dispatched.status).toBe('PUBLISHED');
      await ok(await act(d, 'withdraw', inv.token, { reason: 'duplicate' }));
    });

    const list = (token: string, params: Record<string, string>) =>
      api('GET', `/trace-requests?${q({ q: `${marker}-LIST`, ...params })}`, token);

    it('returns the visible requests newest first, as summaries', async () => {
      const res = await list(inv.token, {});
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([d, c, b, a]);
      expect(res.body.nextCursor).toBeNull();
      const first = (res.body.items as Body[])[0];
      const detail = (await api('GET', `/trace-requests/${d}`, inv.token)).body;
      // What a list row needs; the content, state and allowedActions stay in the detail.
      expect(Object.keys(first).sort()).toEqual(
        [
          'id',
          'reference',
          'status',
          'kind',
          'urgency',
          'caseReference',
          'subjectName',
          'subject',
          'requestingCountry',
          'allMembers',
          'targetCountries',
          'countryStatuses',
          'nextDeadline',
          'version',
          'createdAt',
          'updatedAt',
        ].sort(),
      );
      expect(first).toMatchObject({
        id: d,
        status: 'WITHDRAWN',
        requestingCountry: 'NZ',
        reference: detail.reference,
        caseReference: detail.caseReference,
        subject: {
          familyName: (detail.subject as Body).familyName,
          givenNames: (detail.subject as Body).givenNames,
        },
        kind: detail.kind,
        urgency: detail.urgency,
        version: detail.version,
        updatedAt: detail.updatedAt,
        targetCountries: [...(detail.targetCountries as string[])].sort(),
        allMembers: false,
      });
      const tracks = detail.jurisdictions as { status: string }[];
      expect(first.countryStatuses).toEqual(
        tracks.reduce<Record<string, number>>(
          (acc, t) => ({ ...acc, [t.status]: (acc[t.status] ?? 0) + 1 }),
          {},
        ),
      );
      expect(detail).toHaveProperty('allowedActions');
    });

    it('filters by status (one or several), kind, urgency, country and q', async () => {
      expect(ids(await list(inv.token, { status: 'DRAFT' }))).toEqual([c, a]);
      expect(ids(await list(inv.token, { status: 'PUBLISHED,WITHDRAWN' }))).toEqual([d, b]);
      expect(ids(await list(inv.token, { kind: 'diffusion' }))).toEqual([b]);
      expect(ids(await list(inv.token, { urgency: 'urgent' }))).toEqual([b]);
      expect(ids(await list(inv.token, { country: 'BR' }))).toEqual([d, c, a]);
      expect(ids(await list(inv.token, { country: 'FR' }))).toEqual([d, b, a]);
      // q matches reference, case reference or subject name, case-insensitively.
      const byCase = await api(
        'GET',
        `/trace-requests?${q({ q: `cas-${marker}-list-c`.toLowerCase() })}`,
        inv.token,
      );
      expect(ids(byCase)).toEqual([c]);
      const bySubject = await list(inv.token, { q: 'NGATA' });
      expect(ids(bySubject)).toEqual(expect.arrayContaining([c]));
      expect(ids(bySubject)).not.toContain(a);
      const reference = (await api('GET', `/trace-requests/${a}`, inv.token)).body
        .reference as string;
      const byRef = await api('GET', `/trace-requests?${q({ q: reference })}`, inv.token);
      expect(ids(byRef)).toEqual([a]);
      // LIKE wildcards are searched for literally.
      expect(ids(await list(inv.token, { q: '%' }))).toEqual([]);
    });

    it('pages with an opaque cursor, stable and without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: HttpResult<Body> = await list(inv.token, {
          limit: '1',
          ...(cursor ? { cursor } : {}),
        });
        expect(res.status).toBe(200);
        seen.push(...ids(res));
        cursor = res.body.nextCursor as string | null;
        pages += 1;
      } while (cursor && pages < 10);
      expect(seen).toEqual([d, c, b, a]);
      expect(pages).toBe(4);
    });

    it('scopes to what the caller may see', async () => {
      // Another country's staff: nothing of NZ's.
      expect(ids(await list(zaInvestigator, {}))).toEqual([]);
      // A liaison: only what was sent to its country (B, a dispatched diffusion to FR).
      const frList = await list(liaisonFr, {});
      expect(ids(frList)).toEqual([b]);
      // Its row names its own country only, with that track's status and deadline.
      expect((frList.body.items as Body[])[0]).toMatchObject({
        targetCountries: ['FR'],
        countryStatuses: { AWAITING: 1 },
        nextDeadline: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(ids(await list(liaisonBr, {}))).toEqual([]);
      // Auditors and supervisors of NZ see them all.
      expect(ids(await list(auditor.token, {}))).toEqual([d, c, b, a]);
      expect(ids(await list(sup.token, {}))).toEqual([d, c, b, a]);
      // The liaison's view of B shows its own country's track only.
      const seenByFr = await api('GET', `/trace-requests/${b}`, liaisonFr);
      expect(seenByFr.status).toBe(200);
      expect(seenByFr.body.jurisdictions).toEqual([
        expect.objectContaining({ country: 'FR', status: 'AWAITING' }),
      ]);
    });

    it('validates the query: limit, cursor, values and unknown parameters (400)', async () => {
      for (const [params, field] of [
        [{ limit: '0' }, 'limit'],
        [{ limit: '101' }, 'limit'],
        [{ limit: 'ten' }, 'limit'],
        [{ cursor: 'not-a-cursor' }, 'cursor'],
        [{ status: 'LOST' }, 'status[0]'],
        [{ kind: 'poster' }, 'kind'],
        [{ country: 'ZZ' }, 'country'],
        [{ sort: 'asc' }, 'sort'],
      ] as [Record<string, string>, string][]) {
        const res = await list(inv.token, params);
        expect({ params, status: res.status }).toEqual({ params, status: 400 });
        expect(fields(res)).toContain(field);
      }
      expect((await api('GET', '/trace-requests', undefined)).status).toBe(401);
      const admin = await login(sys.baseUrl, 'admin.za');
      expect((await api('GET', '/trace-requests', admin)).status).toBe(403);
    });
  });

  describe('OpenAPI', () => {
    it('lists every route of this module', async () => {
      const doc = await http(sys.baseUrl, 'GET', '/api/docs-json');
      expect(Object.keys(doc.body.paths as object)).toEqual(
        expect.arrayContaining([
          '/api/v1/trace-requests',
          '/api/v1/trace-requests/{id}',
          '/api/v1/trace-requests/{id}/submit',
          '/api/v1/trace-requests/{id}/review',
          '/api/v1/trace-requests/{id}/interpol-submission',
          '/api/v1/trace-requests/{id}/query-answers',
          '/api/v1/trace-requests/{id}/withdraw',
          '/api/v1/trace-requests/{id}/close',
          '/api/v1/trace-requests/{id}/jurisdictions',
          '/api/v1/trace-requests/{id}/jurisdictions/{cc}/responses',
          '/api/v1/trace-requests/{id}/jurisdictions/{cc}/extension',
          '/api/v1/trace-requests/{id}/assets',
          '/api/v1/assets',
          '/api/v1/assets/{assetId}/status',
          '/api/v1/gateway/interpol/decisions',
          '/api/v1/gateway/interpol/responses',
          '/api/v1/notifications',
          '/api/v1/notifications/{id}/read',
        ]),
      );
    });
  });

  describe('with Temporal unreachable', () => {
    let down: RunningSystem;

    beforeAll(async () => {
      process.env.TEMPORAL_ADDRESS = '127.0.0.1:1'; // nothing listens there
      down = await startSystem({ worker: false });
    });

    afterAll(async () => {
      await down?.close();
      process.env.TEMPORAL_ADDRESS = stack.env.saved.TEMPORAL_ADDRESS;
    });

    it('answers an action with 503 (not 500), and reads still work', async () => {
      const id = (await draft()).id as string;
      const res = await http(down.baseUrl, 'POST', `/api/v1/trace-requests/${id}/submit`, {
        token: inv.token,
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const read = await http(down.baseUrl, 'GET', `/api/v1/trace-requests/${id}`, {
        token: inv.token,
      });
      expect(read.status).toBe(200);
      expect(read.body.status).toBe('DRAFT');
    });
  });
});
