// The INTERPOL gateway, foreign jurisdictions, the asset register and notifications over real
// HTTP, against the real workflows (request and per-country children), PostgreSQL and Temporal.
// Requests are drafted by users of a country no other suite uses (AU); FR's and BR's demo
// liaisons answer. A small node:http server plays INTERPOL's inbound side.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../libs/config/src';
import type { TraceRequestContent } from '../../libs/domain/src/types';
import { SIGNATURE_HEADER, signBody } from '../../libs/gateway/src';
import { makeAccount, type Account } from '../support/accounts';
import { apiClient, ATTESTATION, fakeInterpolStack, fields, ok, type Body } from '../support/api';
import { eventually, http, login, type RunningSystem } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';

const DAY = 24 * 3600 * 1000;

describe('api: INTERPOL gateway, jurisdictions, assets, notifications', () => {
  let sys: RunningSystem;
  let db: DataSource;
  const stack = fakeInterpolStack();
  const secret = loadConfig().gateway.secret;
  const marker = `RUN${randomUUID().slice(0, 8).toUpperCase()}`;

  let inv: Account;
  let sup: Account;
  let ncb: Account;
  let zaInvestigator: string;
  let zaSupervisor: string;
  let zaNcb: string;
  let liaisonFr: string;
  let liaisonBr: string;

  const api = apiClient(() => sys.baseUrl);

  /** Drafted, reviewed and submitted to INTERPOL (SUBMITTED). */
  async function submitted(over: Partial<TraceRequestContent> = {}) {
    const r = await ok(
      await api(
        'POST',
        '/trace-requests',
        inv.token,
        validRequestBody({
          caseReference: `CAS-${marker}`,
          targetCountries: ['FR', 'BR'],
          ...over,
        }),
      ),
      201,
    );
    const id = r.id as string;
    await ok(await api('POST', `/trace-requests/${id}/submit`, inv.token));
    await ok(await api('POST', `/trace-requests/${id}/review`, sup.token, { decision: 'approve' }));
    await ok(
      await api('POST', `/trace-requests/${id}/interpol-submission`, ncb.token, ATTESTATION),
    );
    return { id, reference: r.reference as string };
  }

  /** A signed POST to an inbound gateway route. */
  function gateway(
    route: 'decisions' | 'responses',
    message: Body,
    opts: { signature?: string; headers?: Record<string, string>; raw?: string } = {},
  ) {
    const raw = opts.raw ?? JSON.stringify(message);
    return http(sys.baseUrl, 'POST', `/api/v1/gateway/interpol/${route}`, {
      rawBody: raw,
      headers: {
        ...(opts.signature !== ''
          ? { [SIGNATURE_HEADER]: opts.signature ?? signBody(raw, secret) }
          : {}),
        ...(opts.headers ?? {}),
      },
    });
  }

  const view = async (id: string, token = inv.token) =>
    ok(await api('GET', `/trace-requests/${id}`, token));

  const tracks = async (id: string, token = inv.token) =>
    ok(await api<Body[]>('GET', `/trace-requests/${id}/jurisdictions`, token));

  beforeAll(async () => {
    ({ sys, db } = await stack.start());
    [inv, sup, ncb] = await Promise.all([
      makeAccount(db, sys.baseUrl, ['investigator'], 'AU', 'inv'),
      makeAccount(db, sys.baseUrl, ['supervisor'], 'AU', 'sup'),
      makeAccount(db, sys.baseUrl, ['ncb_officer'], 'AU', 'ncb'),
    ]);
    [zaInvestigator, zaSupervisor, zaNcb, liaisonFr, liaisonBr] = await Promise.all(
      ['investigator.za', 'supervisor.za', 'ncb.za', 'liaison.fr', 'liaison.br'].map((u) =>
        login(sys.baseUrl, u),
      ),
    );
  });

  afterAll(async () => {
    await stack.stop();
  });

  describe('the inbound gateway', () => {
    let id: string;
    let reference: string;

    beforeAll(async () => {
      ({ id, reference } = await submitted());
    });

    it('refuses a missing, wrong, tampered or stale signature with 401 and changes nothing', async () => {
      const message = { reference, decision: 'published', noticeId: 'SILVER-X' };
      const raw = JSON.stringify(message);
      const now = Math.floor(Date.now() / 1000);
      for (const [what, signature, body] of [
        ['no signature', '', raw],
        ['a wrong secret', signBody(raw, 'not-the-gateway-secret'), raw],
        ['a tampered body', signBody(raw, secret), raw.replace('SILVER-X', 'SILVER-Y')],
        ['a stale timestamp', signBody(raw, secret, now - 400), raw],
        ['a future timestamp', signBody(raw, secret, now + 400), raw],
        ['garbage', 'v1=abc', raw],
      ] as [string, string, string][]) {
        const res = await gateway('decisions', message, { signature, raw: body });
        expect({ what, status: res.status }).toEqual({ what, status: 401 });
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
      // A bearer token is no substitute.
      const withToken = await http(sys.baseUrl, 'POST', '/api/v1/gateway/interpol/decisions', {
        token: ncb.token,
        body: message,
      });
      expect(withToken.status).toBe(401);
      expect((await view(id)).status).toBe('SUBMITTED');
    });

    it('404 for an unknown reference; 400 naming bad fields, after the signature', async () => {
      const unknown = await gateway('decisions', {
        reference: 'AU-1999-999999',
        decision: 'published',
      });
      expect(unknown.status).toBe(404);
      const bad = await gateway('decisions', { reference, decision: 'maybe', extra: true });
      expect(bad.status).toBe(400);
      expect(fields(bad)).toEqual(expect.arrayContaining(['decision', 'extra']));
      const noReasons = await gateway('decisions', { reference, decision: 'refused' });
      expect(noReasons.status).toBe(400);
      expect(fields(noReasons)).toEqual(['reasons']);
      expect((await view(id)).status).toBe('SUBMITTED');
    });

    it('records a publication (202); a repeated message changes nothing', async () => {
      const message = { reference, decision: 'published', noticeId: `SILVER-${marker}` };
      const key = `gs-${randomUUID()}`;
      const res = await gateway('decisions', message, { headers: { 'idempotency-key': key } });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ accepted: true });
      const published = await view(id);
      expect(published).toMatchObject({
        status: 'PUBLISHED',
        interpol: { noticeId: `SILVER-${marker}` },
      });

      // Redelivered with the same key, and again without one: accepted, nothing changes.
      expect(
        (await gateway('decisions', message, { headers: { 'idempotency-key': key } })).status,
      ).toBe(202);
      expect((await gateway('decisions', message)).status).toBe(202);
      const after = await view(id);
      expect(after.updatedAt).toBe(published.updatedAt);
      expect(after.version).toBe(published.version);
      // The same key for another message is a conflict, never a 5xx.
      const reused = await gateway(
        'decisions',
        { ...message, noticeId: 'SILVER-OTHER' },
        { headers: { 'idempotency-key': key } },
      );
      expect(reused.status).toBe(409);
      // A decision that no longer applies is refused with 409, not a 5xx.
      const late = await gateway('decisions', {
        reference,
        decision: 'query',
        question: 'Too late?',
      });
      expect(late.status).toBe(409);

      // The countries' tracks start.
      const started = await eventually(
        async () => {
          const t = await tracks(id);
          return t.length === 2 ? t : undefined;
        },
        { what: 'both country tracks' },
      );
      expect(started.map((t) => t.country)).toEqual(['BR', 'FR']);
      for (const t of started) {
        expect(t).toMatchObject({ status: 'AWAITING', responses: [] });
        const deadline = Date.parse(t.deadline as string);
        expect(deadline).toBeGreaterThan(Date.now() + 59 * DAY);
        expect(deadline).toBeLessThan(Date.now() + 61 * DAY);
      }
      // The investigator takes no track action: every track says so (allowedActions: []).
      const summary = (await view(id)).jurisdictions as Body[];
      expect(summary).toEqual([
        { country: 'BR', status: 'AWAITING', deadline: started[0].deadline, allowedActions: [] },
        { country: 'FR', status: 'AWAITING', deadline: started[1].deadline, allowedActions: [] },
      ]);
      expect(started.map((t) => t.allowedActions)).toEqual([[], []]);
    });

    it('records a GS refusal (REFUSED); a repeat changes nothing', async () => {
      const other = await submitted();
      const res = await gateway('decisions', {
        reference: other.reference,
        decision: 'refused',
        reasons: ['Article 3: predominantly political character'],
      });
      expect(res.status).toBe(202);
      const refused = await view(other.id);
      expect(refused).toMatchObject({
        status: 'REFUSED',
        interpol: { refusalReasons: ['Article 3: predominantly political character'] },
      });
      // The same refusal again changes nothing (the workflow may have ended: still not a 5xx).
      const again = await gateway('decisions', {
        reference: other.reference,
        decision: 'refused',
        reasons: ['Article 3: predominantly political character'],
      });
      expect([202, 409]).toContain(again.status);
    });

    it('records a query once when INTERPOL redelivers it after its first delivery went unanswered', async () => {
      const other = await submitted();
      const message = {
        reference: other.reference,
        decision: 'query',
        question: `Which court issued the order? ${marker}`,
      };
      const key = `gs-${randomUUID()}`;
      // No worker: the update waits in Temporal, the API answers 503, INTERPOL will redeliver.
      await sys.stopWorker();
      let first;
      try {
        first = await gateway('decisions', message, { headers: { 'idempotency-key': key } });
      } finally {
        await sys.startWorker();
      }
      expect(first.status).toBe(503);
      // The held update is recorded once a worker runs; the investigator answers the query.
      await eventually(
        async () => ((await view(other.id)).status === 'QUERIED' ? true : undefined),
        { what: 'the held query to be recorded' },
      );
      await ok(
        await api('POST', `/trace-requests/${other.id}/query-answers`, inv.token, {
          answer: 'The High Court, order GJ-2026-1187.',
        }),
      );
      // The redelivery is the same message under the same key: accepted, not a second query.
      const again = await gateway('decisions', message, { headers: { 'idempotency-key': key } });
      expect(again.status).toBe(202);
      const after = await view(other.id);
      expect(after.status).toBe('SUBMITTED');
      expect((after.interpol as { queries: unknown[] }).queries).toEqual([
        expect.objectContaining({ question: message.question, answer: expect.any(String) }),
      ]);
    }, 60_000);
  });

  describe('jurisdictions, responses, assets', () => {
    let id: string;
    let reference: string;
    const frRef = `FR-OCRGDF-${randomUUID().slice(0, 6)}`;
    const FR_ANSWER = {
      outcome: 'assets_found',
      externalReference: frRef,
      narrative: 'Two accounts and a cash deposit found',
      handlingCode: 'H1',
      sourceReliability: 'B',
      informationAccuracy: 2,
      assets: [
        {
          type: 'bank_account',
          description: 'Current account at a Paris bank',
          identifiers: { iban: 'FR1420041010050500013M02606' },
          holder: 'SCI Les Tilleuls',
          estimatedValue: { amount: '1000000.25', currency: 'EUR' },
        },
        {
          type: 'securities',
          description: 'Securities account',
          estimatedValue: { amount: '250000.50', currency: 'USD' },
        },
        {
          type: 'cash',
          description: 'Safe deposit box',
          estimatedValue: { amount: '0.25', currency: 'EUR' },
        },
      ],
    };

    beforeAll(async () => {
      ({ id, reference } = await submitted());
      expect(
        (await gateway('decisions', { reference, decision: 'published', noticeId: 'SILVER-J' }))
          .status,
      ).toBe(202);
      await eventually(async () => (await tracks(id)).length === 2, { what: 'the tracks' });
    });

    const respond = (cc: string, token: string, body: unknown, key?: string) =>
      api<Body>(
        'POST',
        `/trace-requests/${id}/jurisdictions/${cc}/responses`,
        token,
        body,
        key ? { 'idempotency-key': key } : undefined,
      );

    it('a liaison sees its own country only', async () => {
      const fr = await tracks(id, liaisonFr);
      expect(fr.map((t) => t.country)).toEqual(['FR']);
      expect(((await view(id, liaisonFr)).jurisdictions as Body[]).map((j) => j.country)).toEqual([
        'FR',
      ]);
      expect((await tracks(id, liaisonBr)).map((t) => t.country)).toEqual(['BR']);
      expect((await api('GET', `/trace-requests/${id}/jurisdictions`, zaInvestigator)).status).toBe(
        404,
      );
    });

    it("records FR's liaison's answer (201), once per Idempotency-Key and externalReference", async () => {
      const key = `resp-${randomUUID()}`;
      const res = await respond('FR', liaisonFr, FR_ANSWER, key);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        country: 'FR',
        status: 'ANSWERED',
        responses: [
          {
            externalReference: frRef,
            outcome: 'assets_found',
            handlingCode: 'H1',
            sourceReliability: 'B',
            informationAccuracy: '2',
            late: false,
            recordedBy: { username: 'liaison.fr', role: 'foreign_liaison' },
          },
        ],
      });
      expect((res.body.responses as Body[])[0].assets).toHaveLength(3);

      const again = await respond('FR', liaisonFr, FR_ANSWER, key);
      expect(again.status).toBe(201);
      expect(again.body.responses).toHaveLength(1);
      const noKey = await respond('FR', liaisonFr, FR_ANSWER);
      expect(noKey.status).toBe(201);
      expect(noKey.body.responses).toHaveLength(1);
      const reused = await respond('FR', liaisonFr, { ...FR_ANSWER, narrative: 'other' }, key);
      expect(reused.status).toBe(409);

      const all = await tracks(id);
      expect(all.find((t) => t.country === 'FR')).toMatchObject({ status: 'ANSWERED' });
      expect((all.find((t) => t.country === 'FR')!.responses as Body[]).length).toBe(1);
    });

    it('refuses the wrong liaison or role (403), bad bodies (400), unknown tracks (404)', async () => {
      const partial = { outcome: 'partial', externalReference: `x-${randomUUID()}` };
      expect((await respond('FR', liaisonBr, partial)).status).toBe(403);
      expect((await respond('BR', liaisonFr, partial)).status).toBe(403);
      expect((await respond('BR', inv.token, partial)).status).toBe(403);
      expect((await respond('BR', zaNcb, partial)).status).toBe(404);
      expect((await respond('DE', ncb.token, partial)).status).toBe(404);
      expect((await respond('B1', ncb.token, partial)).status).toBe(404);
      const badOutcome = await respond('BR', liaisonBr, { ...partial, outcome: 'maybe' });
      expect(badOutcome.status).toBe(400);
      expect(fields(badOutcome)).toEqual(['outcome']);
      const declinedNoReason = await respond('BR', liaisonBr, { ...partial, outcome: 'declined' });
      expect(declinedNoReason.status).toBe(400);
      expect(fields(declinedNoReason)).toEqual(['narrative']);
      const assetsOnNone = await respond('BR', liaisonBr, {
        ...partial,
        outcome: 'no_assets',
        assets: [{ type: 'cash', description: 'x' }],
      });
      expect(assetsOnNone.status).toBe(400);
      expect(fields(assetsOnNone)).toEqual(['assets']);
      const nul = await respond('BR', liaisonBr, { ...partial, narrative: 'a\u0000b' });
      expect(nul.status).toBe(400);
      expect(fields(nul)).toEqual(['narrative']);
      expect((await tracks(id)).find((t) => t.country === 'BR')).toMatchObject({
        status: 'AWAITING',
        responses: [],
      });
    });

    it("an NCB officer records BR's partial answer; a supervisor extends BR's deadline", async () => {
      const partial = await respond('br', ncb.token, {
        outcome: 'partial',
        externalReference: `BR-PF-${randomUUID().slice(0, 6)}`,
        narrative: 'Registry searches under way',
      });
      expect(partial.status).toBe(201);
      expect(partial.body).toMatchObject({
        country: 'BR',
        status: 'PARTIAL',
        responses: [{ recordedBy: { role: 'ncb_officer', username: ncb.username } }],
      });

      const current = Date.parse(partial.body.deadline as string);
      const extension = (body: unknown, token = sup.token, cc = 'BR') =>
        api<Body>('POST', `/trace-requests/${id}/jurisdictions/${cc}/extension`, token, body);
      const later = new Date(current + 10 * DAY).toISOString();
      const res = await extension({ newDeadline: later, reason: 'Asked for more time' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        country: 'BR',
        deadline: later,
        extensions: [{ newDeadline: later, reason: 'Asked for more time' }],
      });
      const earlier = await extension({ newDeadline: new Date(current).toISOString() });
      expect(earlier.status).toBe(400);
      expect(fields(earlier)).toEqual(['newDeadline']);
      const notATime = await extension({ newDeadline: 'next week' });
      expect(notATime.status).toBe(400);
      expect(fields(notATime)).toEqual(['newDeadline']);
      const byInvestigator = await extension({ newDeadline: later }, inv.token);
      expect(byInvestigator.status).toBe(403);
      expect((await extension({ newDeadline: later }, zaSupervisor)).status).toBe(404);
      // FR has answered: its deadline is closed.
      const closedTrack = await extension(
        { newDeadline: new Date(Date.now() + 90 * DAY).toISOString() },
        sup.token,
        'FR',
      );
      expect(closedTrack.status).toBe(409);
      expect(closedTrack.body).toMatchObject({ code: 'not_allowed_in_state' });
      expect(earlier.body).toMatchObject({ code: 'invalid' });

      // Each track says what the caller may do there now, as the domain decides: the supervisor
      // may extend BR (PARTIAL) but not FR (ANSWERED); the NCB officer records for both; the
      // liaison answers for its own country only (the web app shows exactly these buttons).
      const actionsOf = async (token: string) =>
        Object.fromEntries((await tracks(id, token)).map((t) => [t.country, t.allowedActions]));
      expect(await actionsOf(sup.token)).toEqual({ BR: ['extend'], FR: [] });
      expect(await actionsOf(ncb.token)).toEqual({ BR: ['respond'], FR: ['respond'] });
      expect(await actionsOf(liaisonFr)).toEqual({ FR: ['respond'] });
      expect(await actionsOf(inv.token)).toEqual({ BR: [], FR: [] });
      const summaries = (await view(id, sup.token)).jurisdictions as Body[];
      expect(summaries.map((t) => [t.country, t.allowedActions])).toEqual([
        ['BR', ['extend']],
        ['FR', []],
      ]);
    });

    describe('the asset register', () => {
      let assets: Body[];

      beforeAll(async () => {
        const register = await ok(await api('GET', `/trace-requests/${id}/assets`, inv.token));
        assets = register.items as Body[];
      });

      it("lists a request's assets with totals per currency, as decimal strings", async () => {
        expect(assets).toHaveLength(3);
        expect(assets[0]).toMatchObject({
          requestId: id,
          reference,
          country: 'FR',
          externalReference: frRef,
          type: 'bank_account',
          holder: 'SCI Les Tilleuls',
          identifiers: { iban: 'FR1420041010050500013M02606' },
          estimatedValue: { amount: '1000000.25', currency: 'EUR' },
          status: 'IDENTIFIED',
          version: 1,
        });
        const register = await ok(await api('GET', `/trace-requests/${id}/assets`, inv.token));
        expect(register.totals).toEqual([
          { currency: 'EUR', amount: '1000000.50' },
          { currency: 'USD', amount: '250000.50' },
        ]);
        // A liaison sees what its own country reported.
        const fr = await ok(await api('GET', `/trace-requests/${id}/assets`, liaisonFr));
        expect((fr.items as Body[]).length).toBe(3);
        const br = await ok(await api('GET', `/trace-requests/${id}/assets`, liaisonBr));
        expect(br).toEqual({ items: [], totals: [] });
        expect((await api('GET', `/trace-requests/${id}/assets`, zaInvestigator)).status).toBe(404);
      });

      it('lists across requests, filtered and scoped, with totals', async () => {
        const eur = await ok(await api('GET', `/assets?currency=EUR&requestId=${id}`, inv.token));
        expect((eur.items as Body[]).map((a) => a.type).sort()).toEqual(['bank_account', 'cash']);
        expect(eur.totals).toEqual([{ currency: 'EUR', amount: '1000000.50' }]);
        const paged = await ok(await api('GET', `/assets?requestId=${id}&limit=2`, inv.token));
        expect((paged.items as Body[]).length).toBe(2);
        expect(paged.totals).toHaveLength(2);
        const rest = await ok(
          await api(
            'GET',
            `/assets?requestId=${id}&limit=2&cursor=${paged.nextCursor as string}`,
            inv.token,
          ),
        );
        expect((rest.items as Body[]).length).toBe(1);
        expect(rest.nextCursor).toBeNull();
        const ids = [...(paged.items as Body[]), ...(rest.items as Body[])].map((a) => a.id);
        expect(new Set(ids).size).toBe(3);
        // Scoping: another country's staff see none of these; a liaison its own country's.
        const za = await ok(await api('GET', `/assets?requestId=${id}`, zaInvestigator));
        expect(za).toMatchObject({ items: [], totals: [] });
        const br = await ok(await api('GET', `/assets?requestId=${id}`, liaisonBr));
        expect(br.items).toEqual([]);
        const fr = await ok(await api('GET', '/assets?limit=100', liaisonFr));
        expect((fr.items as Body[]).every((a) => a.country === 'FR')).toBe(true);
        for (const [query, field] of [
          ['status=LOST', 'status[0]'],
          ['currency=euro', 'currency'],
          ['requestId=nope', 'requestId'],
          ['limit=1000', 'limit'],
          ['colour=red', 'colour'],
        ]) {
          const res = await api('GET', `/assets?${query}`, inv.token);
          expect({ query, status: res.status }).toEqual({ query, status: 400 });
          expect(fields(res)).toContain(field);
        }
      });

      it('moves an asset along the chain in one transaction, idempotently', async () => {
        const assetId = assets[0].id as string;
        const move = (body: unknown, token = inv.token, headers?: Record<string, string>) =>
          api<Body>('POST', `/assets/${assetId}/status`, token, body, headers);
        const key = `move-${randomUUID()}`;
        const freeze = { status: 'FREEZE_REQUESTED', mlaReference: 'MLA-AU-FR-2026-17' };
        const res = await move(freeze, inv.token, { 'idempotency-key': key });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          id: assetId,
          status: 'FREEZE_REQUESTED',
          version: 2,
          moves: [
            {
              fromStatus: 'IDENTIFIED',
              toStatus: 'FREEZE_REQUESTED',
              mlaReference: 'MLA-AU-FR-2026-17',
              actor: { username: inv.username },
            },
          ],
        });
        // The same key again: the same answer, nothing moved twice.
        const again = await move(freeze, inv.token, { 'idempotency-key': key });
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({ status: 'FREEZE_REQUESTED', version: 2 });
        expect(again.body.moves).toHaveLength(1);
        const reused = await move({ ...freeze, status: 'FROZEN' }, inv.token, {
          'idempotency-key': key,
        });
        expect(reused.status).toBe(409);

        // Never backwards; a stale If-Match is a conflict.
        expect((await move({ status: 'IDENTIFIED', mlaReference: 'x' })).status).toBe(409);
        expect(
          (await move({ status: 'FROZEN', mlaReference: 'x' }, ncb.token, { 'if-match': '1' }))
            .status,
        ).toBe(409);
        const frozen = await move(
          { status: 'FROZEN', mlaReference: 'FR-JIRS-2026-88', note: 'Frozen by court order' },
          ncb.token,
          { 'if-match': '2' },
        );
        expect(frozen.status).toBe(200);
        expect(frozen.body).toMatchObject({ status: 'FROZEN', version: 3 });
        const released = await move({ status: 'RELEASED', mlaReference: 'FR-JIRS-2026-99' });
        expect(released.body).toMatchObject({ status: 'RELEASED', version: 4 });
        expect(released.body.moves).toHaveLength(3);
        expect((await move({ status: 'SEIZED', mlaReference: 'x' })).status).toBe(409);

        const got = await ok(await api('GET', `/assets/${assetId}`, inv.token));
        expect(got).toMatchObject({ status: 'RELEASED', version: 4 });
        const filtered = await ok(
          await api('GET', `/assets?status=RELEASED&requestId=${id}`, inv.token),
        );
        expect((filtered.items as Body[]).map((a) => a.id)).toEqual([assetId]);
        expect(filtered.totals).toEqual([{ currency: 'EUR', amount: '1000000.25' }]);
      });

      it('refuses other roles (403), other countries (404) and bad bodies (400)', async () => {
        const assetId = assets[1].id as string;
        const move = (body: unknown, token: string) =>
          api('POST', `/assets/${assetId}/status`, token, body);
        const body = { status: 'FREEZE_REQUESTED', mlaReference: 'MLA-1' };
        expect((await move(body, sup.token)).status).toBe(403);
        expect((await move(body, liaisonFr)).status).toBe(403);
        expect((await move(body, zaInvestigator)).status).toBe(404);
        expect((await api('POST', `/assets/${randomUUID()}/status`, inv.token, body)).status).toBe(
          404,
        );
        expect((await api('POST', '/assets/nope/status', inv.token, body)).status).toBe(404);
        const badStatus = await move({ status: 'GONE', mlaReference: 'MLA-1' }, inv.token);
        expect(badStatus.status).toBe(400);
        expect(fields(badStatus)).toEqual(['status']);
        const noMla = await move({ status: 'FROZEN' }, inv.token);
        expect(noMla.status).toBe(400);
        expect(fields(noMla)).toEqual(['mlaReference']);
        expect((await ok(await api('GET', `/assets/${assetId}`, inv.token))).version).toBe(1);
      });

      it('concurrent retries with one Idempotency-Key move once', async () => {
        const assetId = assets[2].id as string;
        const key = `race-${randomUUID()}`;
        const results = await Promise.all(
          [1, 2, 3].map(() =>
            api<Body>(
              'POST',
              `/assets/${assetId}/status`,
              inv.token,
              { status: 'SEIZED', mlaReference: 'MLA-SEIZE-1' },
              { 'idempotency-key': key },
            ),
          ),
        );
        expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
        const got = await ok(await api('GET', `/assets/${assetId}`, inv.token));
        expect(got).toMatchObject({ status: 'SEIZED', version: 2 });
        expect(got.moves).toHaveLength(1);
      });
    });

    it('a relayed BR answer completes the request; the NCB closes it; then it is closed', async () => {
      const relayed = await gateway('responses', {
        reference,
        country: 'BR',
        outcome: 'no_assets',
        externalReference: `BR-FINAL-${randomUUID().slice(0, 6)}`,
        narrative: 'No assets found in the registries',
      });
      expect(relayed.status).toBe(202);
      expect(relayed.body).toMatchObject({ accepted: true });
      const br = (await tracks(id)).find((t) => t.country === 'BR')!;
      expect(br).toMatchObject({ status: 'ANSWERED' });
      expect((br.responses as Body[]).at(-1)).toMatchObject({
        outcome: 'no_assets',
        recordedBy: { username: 'interpol-gateway', role: 'system' },
      });
      // Unknown country or reference through the gateway: 404.
      expect(
        (
          await gateway('responses', {
            reference,
            country: 'DE',
            outcome: 'no_assets',
            externalReference: 'DE-1',
          })
        ).status,
      ).toBe(404);

      const completed = await eventually(
        async () => {
          const v = await view(id, ncb.token);
          return v.status === 'COMPLETED' ? v : undefined;
        },
        { what: 'COMPLETED' },
      );
      expect(completed.allowedActions).toContain('close');
      const closed = await api('POST', `/trace-requests/${id}/close`, ncb.token, {
        summary: 'FR found assets; MLA requests sent. BR found none.',
      });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'CLOSED', allowedActions: [] });
      expect(
        (await api('POST', `/trace-requests/${id}/close`, ncb.token, { summary: 'again' })).status,
      ).toBe(409);
      // The tracks stop with the request: a late answer is refused with 409 (never a 5xx).
      const late = await eventually(
        async () => {
          const res = await respond('FR', liaisonFr, {
            outcome: 'no_assets',
            externalReference: `FR-LATE-${randomUUID().slice(0, 6)}`,
          });
          return res.status === 409 ? res : undefined;
        },
        { what: 'the FR track to stop' },
      );
      expect(late.status).toBe(409);
      // Still readable, by its liaisons too.
      expect((await view(id, liaisonFr)).status).toBe('CLOSED');
    });
  });

  describe('handling codes and grading', () => {
    let id: string;
    let reference: string;
    const tag = randomUUID().slice(0, 6);
    // Words that must never leave in a case file without the source's permission.
    const H2_NARRATIVE = `H2-ONLY-NARRATIVE-${tag}`;
    const H2_ASSET = `H2-ONLY-VILLA-${tag}`;
    const H1_ANSWER = {
      outcome: 'assets_found',
      externalReference: `FR-H1-${tag}`,
      narrative: 'Account found; the bank statement follows',
      handlingCode: 'H1',
      sourceReliability: 'A',
      informationAccuracy: '1',
      assets: [
        {
          type: 'bank_account',
          description: `H1 account ${tag}`,
          estimatedValue: { amount: '100.10', currency: 'EUR' },
        },
      ],
    };
    const H2_MESSAGE = {
      outcome: 'partial',
      externalReference: `BR-H2-${tag}`,
      narrative: H2_NARRATIVE,
      handlingCode: 'H2',
      sourceReliability: 'C',
      informationAccuracy: '3',
      assets: [
        {
          type: 'real_estate',
          description: H2_ASSET,
          estimatedValue: { amount: '900000.00', currency: 'EUR' },
        },
      ],
    };

    beforeAll(async () => {
      ({ id, reference } = await submitted());
      expect(
        (await gateway('decisions', { reference, decision: 'published', noticeId: 'SILVER-H' }))
          .status,
      ).toBe(202);
      await eventually(async () => (await tracks(id)).length === 2, { what: 'the tracks' });
    });

    const respond = (cc: string, token: string, body: unknown) =>
      api<Body>('POST', `/trace-requests/${id}/jurisdictions/${cc}/responses`, token, body);
    const caseFile = (body: unknown, token = inv.token) =>
      api<Body>('POST', `/trace-requests/${id}/case-file`, token, body);

    it('refuses an unknown code, a grading out of range and H3 without its text: 400 naming the field', async () => {
      const base = { outcome: 'no_assets', externalReference: `FR-BAD-${tag}` };
      for (const [body, field] of [
        [{ ...base, handlingCode: 'H4' }, 'handlingCode'],
        [{ ...base, handlingCode: 'h0' }, 'handlingCode'],
        [{ ...base, sourceReliability: 'D' }, 'sourceReliability'],
        [{ ...base, informationAccuracy: 5 }, 'informationAccuracy'],
        [{ ...base, informationAccuracy: '0' }, 'informationAccuracy'],
        [{ ...base, handlingCode: 'H3' }, 'handlingRestriction'],
        [{ ...base, handlingCode: 'H3', handlingRestriction: ' ' }, 'handlingRestriction'],
        [{ ...base, handlingCode: 'H1', handlingRestriction: 'why' }, 'handlingRestriction'],
      ] as [Body, string][]) {
        const api400 = await respond('FR', liaisonFr, body);
        expect({ body, status: api400.status, fields: fields(api400) }).toEqual({
          body,
          status: 400,
          fields: [field],
        });
        const gw400 = await gateway('responses', { reference, country: 'FR', ...body });
        expect({ body, status: gw400.status, fields: fields(gw400) }).toEqual({
          body,
          status: 400,
          fields: [field],
        });
      }
      expect((await tracks(id)).find((t) => t.country === 'FR')).toMatchObject({
        status: 'AWAITING',
        responses: [],
      });
    });

    it('records and shows the code and grading: tracks, an H3 restriction, the timeline', async () => {
      expect((await respond('FR', liaisonFr, H1_ANSWER)).status).toBe(201);
      expect((await gateway('responses', { reference, country: 'BR', ...H2_MESSAGE })).status).toBe(
        202,
      );
      const h3 = {
        outcome: 'assets_found',
        externalReference: `BR-H3-${tag}`,
        narrative: 'Vehicle found',
        handlingCode: 'H3',
        handlingRestriction: 'Not to be shared with tax authorities',
        assets: [{ type: 'vehicle', description: `H3 car ${tag}` }],
      };
      expect((await gateway('responses', { reference, country: 'BR', ...h3 })).status).toBe(202);
      const all = await tracks(id);
      expect(all.find((t) => t.country === 'FR')!.responses).toEqual([
        expect.objectContaining({
          handlingCode: 'H1',
          sourceReliability: 'A',
          informationAccuracy: '1',
        }),
      ]);
      expect(all.find((t) => t.country === 'BR')!.responses).toEqual([
        expect.objectContaining({
          handlingCode: 'H2',
          sourceReliability: 'C',
          informationAccuracy: '3',
        }),
        expect.objectContaining({
          handlingCode: 'H3',
          handlingRestriction: 'Not to be shared with tax authorities',
        }),
      ]);
      const history = await eventually(
        async () => {
          const h = await ok(await api<Body[]>('GET', `/trace-requests/${id}/history`, inv.token));
          return h.filter((e) => e.action === 'ResponseRecorded').length === 3 ? h : undefined;
        },
        { what: 'three answers in the timeline' },
      );
      expect(
        history
          .filter((e) => e.action === 'ResponseRecorded')
          .map((e) => [e.country, e.handling])
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      ).toEqual([
        ['BR', { handlingCode: 'H2', sourceReliability: 'C', informationAccuracy: '3' }],
        [
          'BR',
          { handlingCode: 'H3', handlingRestriction: 'Not to be shared with tax authorities' },
        ],
        ['FR', { handlingCode: 'H1', sourceReliability: 'A', informationAccuracy: '1' }],
      ]);
    });

    it('a case file leaves H2/H3 answers and their assets out and marks H1 not for evidence', async () => {
      const res = await caseFile({});
      expect(res.status).toBe(200);
      const file = res.body;
      const text = JSON.stringify(file);
      expect(text).not.toContain(H2_NARRATIVE);
      expect(text).not.toContain(H2_ASSET);
      expect(text).not.toContain(`H3 car ${tag}`);
      expect(text).not.toContain('Not to be shared with tax authorities');
      const byCountry = (cc: string) =>
        (file.jurisdictions as Body[]).find((t) => t.country === cc)!.responses as Body[];
      expect(byCountry('BR')).toEqual([]);
      expect(byCountry('FR')).toEqual([
        expect.objectContaining({ handlingCode: 'H1', evidenceMark: 'not for use as evidence' }),
      ]);
      const register = file.assets as { items: Body[]; totals: Body[] };
      expect(register.items.map((a) => [a.description, a.evidenceMark])).toEqual([
        [`H1 account ${tag}`, 'not for use as evidence'],
      ]);
      // The totals are the kept assets' only.
      expect(register.totals).toEqual([{ currency: 'EUR', amount: '100.10' }]);
      const handling = file.handling as Body;
      const withheld = handling.withheld as Body[];
      expect(withheld.map((w) => [w.country, w.handlingCode])).toEqual([
        ['BR', 'H2'],
        ['BR', 'H3'],
      ]);
      const timeline = (file.timeline as Body[]).filter((e) => e.action === 'ResponseRecorded');
      expect(timeline.filter((e) => (e.details as Body).withheld === true)).toHaveLength(2);
      expect(timeline.find((e) => e.country === 'FR')).toMatchObject({
        evidenceMark: 'not for use as evidence',
      });

      // A permission names a withheld answer of this request, and nothing else.
      const fr = byCountry('FR')[0];
      const notWithheld = await caseFile({ permissions: [{ answerId: fr.id, reference: 'X' }] });
      expect(notWithheld.status).toBe(400);
      expect(fields(notWithheld)).toEqual(['permissions[0].answerId']);
      const unknown = await caseFile({
        permissions: [{ answerId: randomUUID(), reference: 'X' }],
      });
      expect(unknown.status).toBe(400);
      expect(fields(unknown)).toEqual(['permissions[0].answerId']);
      const noRef = await caseFile({ permissions: [{ answerId: withheld[0].answerId }] });
      expect(noRef.status).toBe(400);
      expect(fields(noRef)).toEqual(['permissions[0].reference']);
      // A foreign liaison exports no case file.
      expect((await caseFile({}, liaisonFr)).status).toBe(403);
    });

    it('includes an H2 answer once the source permission is recorded, and audits it', async () => {
      const first = await ok(await caseFile({}));
      const h2 = (first.handling as { withheld: Body[] }).withheld.find(
        (w) => w.handlingCode === 'H2',
      )!;
      const permission = `BR-NCB-PERMISSION-${tag}`;
      const res = await caseFile({
        permissions: [{ answerId: h2.answerId, reference: permission }],
      });
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      expect(text).toContain(H2_NARRATIVE);
      expect(text).toContain(H2_ASSET);
      // The H3 answer has no permission: still out.
      expect(text).not.toContain(`H3 car ${tag}`);
      const br = (res.body.jurisdictions as Body[]).find((t) => t.country === 'BR')!;
      expect(br.responses).toEqual([
        expect.objectContaining({ id: h2.answerId, sourcePermission: permission }),
      ]);
      expect((res.body.handling as Body).released).toEqual([
        { answerId: h2.answerId, country: 'BR', handlingCode: 'H2', permission },
      ]);
      const entries = (await db.query(
        `SELECT actor, outcome, details FROM audit_log
          WHERE action = 'trace-requests.case-file' AND trace_request_id = $1 ORDER BY seq`,
        [id],
      )) as { actor: string; outcome: string; details: Body }[];
      expect(entries.at(-1)).toEqual({
        actor: inv.username,
        outcome: 'success',
        details: expect.objectContaining({
          permissions: [{ answerId: h2.answerId, handlingCode: 'H2', reference: permission }],
        }),
      });
    });
  });

  describe('notifications', () => {
    let reference: string;
    const mine = async (token: string, query = '') => {
      const res = await ok(await api('GET', `/notifications?limit=100${query}`, token));
      return (res.items as Body[]).filter((n) => n.reference === reference);
    };

    beforeAll(async () => {
      ({ reference } = await submitted());
    });

    it("shows each caller its own and its role's notifications, newest first", async () => {
      const forSupervisor = await eventually(
        async () => {
          const n = await mine(sup.token);
          return n.some((x) => x.kind === 'review_requested') ? n : undefined;
        },
        { what: "the supervisor's notification" },
      );
      expect(forSupervisor.every((n) => n.kind !== 'approved')).toBe(true);
      const forDrafter = await eventually(
        async () => {
          const n = await mine(inv.token);
          return n.some((x) => x.kind === 'approved') ? n : undefined;
        },
        { what: "the drafter's notification" },
      );
      expect(forDrafter[0]).toMatchObject({ reference, readAt: null });
      const forNcb = await eventually(
        async () => {
          const n = await mine(ncb.token);
          return n.some((x) => x.kind === 'ready_for_interpol') ? n : undefined;
        },
        { what: "the NCB's notification" },
      );
      expect(forNcb.length).toBeGreaterThan(0);
      // Another country's staff and foreign liaisons see none of them.
      expect(await mine(zaSupervisor)).toEqual([]);
      expect(await mine(zaNcb)).toEqual([]);
      expect(await mine(liaisonFr)).toEqual([]);
      // Newest first.
      const all = (await ok(await api('GET', '/notifications?limit=100', inv.token)))
        .items as Body[];
      const times = all.map((n) => Date.parse(n.createdAt as string));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('marks one read (only the caller may), filters unread, pages with a cursor', async () => {
      const [first] = await mine(sup.token);
      expect(
        (await api('POST', `/notifications/${first.id as string}/read`, zaSupervisor)).status,
      ).toBe(404);
      expect((await api('POST', `/notifications/${randomUUID()}/read`, sup.token)).status).toBe(
        404,
      );
      expect((await api('POST', '/notifications/nope/read', sup.token)).status).toBe(404);
      const read = await api('POST', `/notifications/${first.id as string}/read`, sup.token);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: first.id });
      expect(read.body.readAt).toEqual(expect.any(String));
      const again = await api('POST', `/notifications/${first.id as string}/read`, sup.token);
      expect(again.body.readAt).toBe(read.body.readAt);
      expect((await mine(sup.token, '&unread=true')).map((n) => n.id)).not.toContain(first.id);
      expect((await mine(sup.token, '&unread=false')).map((n) => n.id)).toContain(first.id);

      const seen: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 50; i++) {
        const page: Body = await ok(
          await api('GET', `/notifications?limit=1${cursor ? `&cursor=${cursor}` : ''}`, inv.token),
        );
        seen.push(...(page.items as Body[]).map((n) => n.id as string));
        cursor = page.nextCursor as string | null;
        if (!cursor) break;
      }
      expect(new Set(seen).size).toBe(seen.length);
      const unpaged = (await ok(await api('GET', '/notifications?limit=100', inv.token)))
        .items as Body[];
      expect(seen.slice(0, unpaged.length)).toEqual(unpaged.map((n) => n.id));

      const bad = await api('GET', '/notifications?unread=maybe', inv.token);
      expect(bad.status).toBe(400);
      expect(fields(bad)).toEqual(['unread']);
      expect((await api('GET', '/notifications', undefined)).status).toBe(401);
    });
  });
});
