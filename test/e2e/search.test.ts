// Lists, search and work queues over a seeded set: a few requests made through the real API and
// workflow, and ~150 realistic rows written by the real projection activity. The home country is
// EE and the foreign liaisons are JP and KR, which no other suite uses, so every list is this
// suite's own; LU plays "another country".
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ProjectionActivities } from '../../apps/worker/src/activities/projection.activities';
import { syntheticRequest } from '../../bench/seed';
import type { TraceRequestContent } from '../../libs/domain/src/types';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import type { RequestProjection } from '../../workflows/activity-types';
import { makeAccount, type Account } from '../support/accounts';
import { apiClient, ATTESTATION, ok, type Body } from '../support/api';
import { eventually, http, login, startSystem, type RunningSystem } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';

interface Page {
  items: Body[];
  nextCursor: string | null;
}
interface Section {
  total: number;
  items: Body[];
}

/** What the suite knows of each EE row, to compute every expected answer. */
interface Known {
  id: string;
  reference: string;
  caseReference: string;
  status: string;
  kind: string;
  urgency: string;
  targets: string[];
  createdAt: string;
  drafterId: string;
  editorIds: string[];
  approvals: string[];
}

/** An IBAN with valid check digits (mod 97) for a country and BBAN. */
function iban(country: string, bban: string): string {
  const digits = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let mod = 0;
  for (const d of digits) mod = (mod * 10 + Number(d)) % 97;
  return `${country}${String(98 - mod).padStart(2, '0')}${bban}`;
}

const newestFirst = (a: Known, b: Known) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;
const SENT = ['PUBLISHED', 'COMPLETED', 'CLOSED'];

describe('search, filters, paging and work queues', () => {
  let sys: RunningSystem;
  let db: DataSource;
  const marker = `S${randomUUID().slice(0, 6).toUpperCase()}`;
  const alias = `Zorro${marker}`;
  const apiIban = iban('IE', `AIBK9311${String(Date.now()).slice(-10)}`);
  let inv: Account; // EE investigator
  let inv2: Account;
  let sup: Account;
  let dual: Account; // EE investigator and supervisor: edits, so may not review
  let ncb: Account;
  let auditor: Account;
  let liaisonJp: Account;
  let liaisonKr: Account;
  let zaInvestigator: string;
  const known: Known[] = [];
  const ieRows: RequestProjection[] = [];
  const byId = new Map<string, Known>();
  let apiA: string; // DRAFT by inv, alias and IBAN
  let apiB: string; // IN_REVIEW drafted by inv
  let apiC: string; // IN_REVIEW drafted by inv2, edited by dual
  let apiD: string; // PUBLISHED diffusion to JP

  const api = apiClient(() => sys.baseUrl);

  /** Every page of a list query, following nextCursor. */
  async function all(token: string, params: Record<string, string>, limit = 100) {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1000; pages += 1) {
      const qs: URLSearchParams = new URLSearchParams({
        ...params,
        limit: String(limit),
        ...(cursor ? { cursor } : {}),
      });
      const page: Page = await ok(await api<Page>('GET', `/trace-requests?${qs}`, token));
      seen.push(...page.items.map((i) => i.id as string));
      cursor = page.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error('more than 1000 pages');
  }

  const expected = (keep: (k: Known) => boolean) =>
    known
      .filter(keep)
      .sort(newestFirst)
      .map((k) => k.id);

  async function remember(id: string, token: string, drafterId: string, editorIds: string[]) {
    const v = await ok(await api('GET', `/trace-requests/${id}`, token));
    const k: Known = {
      id,
      reference: v.reference as string,
      caseReference: v.caseReference as string,
      status: v.status as string,
      kind: v.kind as string,
      urgency: v.urgency as string,
      targets: v.targetCountries as string[],
      createdAt: v.createdAt as string,
      drafterId,
      editorIds,
      approvals: [],
    };
    known.push(k);
    byId.set(id, k);
  }

  beforeAll(async () => {
    sys = await startSystem();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    [inv, inv2, sup, dual, ncb, auditor, liaisonJp, liaisonKr] = await Promise.all([
      makeAccount(db, sys.baseUrl, ['investigator'], 'EE', 'inv'),
      makeAccount(db, sys.baseUrl, ['investigator'], 'EE', 'inv2'),
      makeAccount(db, sys.baseUrl, ['supervisor'], 'EE', 'sup'),
      makeAccount(db, sys.baseUrl, ['investigator', 'supervisor'], 'EE', 'dual'),
      makeAccount(db, sys.baseUrl, ['ncb_officer'], 'EE', 'ncb'),
      makeAccount(db, sys.baseUrl, ['auditor'], 'EE', 'aud'),
      makeAccount(db, sys.baseUrl, ['foreign_liaison'], 'JP', 'liaison'),
      makeAccount(db, sys.baseUrl, ['foreign_liaison'], 'KR', 'liaison'),
    ]);
    zaInvestigator = await login(sys.baseUrl, 'investigator.za');

    // ---- through the real API and workflow ----
    const body = (over: Partial<TraceRequestContent>) =>
      validRequestBody({ targetCountries: ['JP'], ...over });
    const draft = async (user: Account, over: Partial<TraceRequestContent>) =>
      (await ok(await api('POST', '/trace-requests', user.token, body(over)), 201)).id as string;
    const act = (id: string, action: string, token: string, b?: unknown) =>
      api('POST', `/trace-requests/${id}/${action}`, token, b);

    apiA = await draft(inv, {
      caseReference: `CAS-${marker}-A`,
      subject: { ...validRequestBody().subject, aliases: [alias] },
      assets: [
        {
          type: 'bank_account',
          description: 'Nominee account',
          identifiers: { iban: apiIban },
        },
      ],
    });
    apiB = await draft(inv, { caseReference: `CAS-${marker}-B` });
    await ok(await act(apiB, 'submit', inv.token));
    apiC = await draft(inv2, { caseReference: `CAS-${marker}-C` });
    const edited = body({ caseReference: `CAS-${marker}-C2`, urgency: 'urgent' });
    await ok(
      await http(sys.baseUrl, 'PATCH', `/api/v1/trace-requests/${apiC}`, {
        token: dual.token,
        body: edited,
        headers: { 'if-match': '1' },
      }),
    );
    await ok(await act(apiC, 'submit', inv2.token));
    apiD = await draft(inv, { caseReference: `CAS-${marker}-D`, kind: 'diffusion' });
    await ok(await act(apiD, 'submit', inv.token));
    await ok(await act(apiD, 'review', sup.token, { decision: 'approve' }));
    await ok(await act(apiD, 'interpol-submission', ncb.token, ATTESTATION));
    await remember(apiA, auditor.token, inv.id, []);
    await remember(apiB, auditor.token, inv.id, []);
    await remember(apiC, auditor.token, inv2.id, [dual.id]);
    await remember(apiD, auditor.token, inv.id, []);
    expect(byId.get(apiD)!.status).toBe('PUBLISHED');

    // ---- ~150 rows through the projection activity, created over 150 days of 2025 ----
    const projection = new ProjectionActivities(db);
    const day0 = Date.parse('2025-01-01T09:00:00.000Z');
    const targetsOf = (i: number) => [['JP'], ['KR', 'JP'], ['KR']][i % 3];
    for (let i = 0; i < 150; i += 1) {
      // Every tenth shares its creation instant with the one before: ties are broken by id.
      const createdAt = new Date(day0 + (i - (i % 10 === 9 ? 1 : 0)) * 86_400_000);
      const status = [
        'DRAFT', 'IN_REVIEW', 'CHANGES_REQUESTED', 'APPROVED', 'SUBMITTED', 'QUERIED',
        'PUBLISHED', 'COMPLETED', 'CLOSED', 'WITHDRAWN', 'REJECTED', 'REFUSED',
      ][i % 12]; // prettier-ignore
      const row = syntheticRequest(100_000 + i, {
        country: 'EE',
        drafterId: i % 2 === 0 ? inv.id : inv2.id,
        createdAt,
        status,
        targetCountries: targetsOf(i),
        reference: `EE-2025-${marker}${String(i).padStart(3, '0')}`,
        ...(i % 5 === 2 ? { editorIds: [dual.id] } : {}),
        ...(i % 5 === 1 && status === 'IN_REVIEW'
          ? { approvals: [{ userId: sup.id, at: createdAt.toISOString() }] }
          : {}),
        ...(i === 7 ? { aliases: [alias] } : {}),
      });
      await projection.projectRequest(row);
      ieRows.push(row);
      const state = row.state as { editorIds: string[]; approvals: { userId: string }[] };
      const k: Known = {
        id: row.id,
        reference: row.reference,
        caseReference: row.caseReference,
        status,
        kind: row.kind,
        urgency: row.urgency,
        targets: targetsOf(i),
        createdAt: row.createdAt,
        drafterId: row.drafterId,
        editorIds: state.editorIds,
        approvals: state.approvals.map((a) => a.userId),
      };
      known.push(k);
      byId.set(k.id, k);
      // Country tracks of the sent ones: overdue, past deadline, or still in time.
      if (status === 'PUBLISHED' || status === 'COMPLETED') {
        for (const [n, cc] of targetsOf(i).entries()) {
          const overdue = (i + n) % 3 === 0;
          const deadline = new Date(Date.now() + ((i + n) % 3 === 1 ? -1 : 30) * 86_400_000);
          await db.query(
            `INSERT INTO jurisdictions (request_id, country, reference, status, deadline, state,
               workflow_id, updated_at) VALUES ($1,$2,$3,$4,$5,'{}',$6,now())`,
            [row.id, cc, row.reference, overdue ? 'OVERDUE' : 'AWAITING', deadline, `w-${row.id}`],
          );
        }
      }
    }
    // Another country's requests, one of them sent to JP, and one with the same alias.
    for (let i = 0; i < 5; i += 1) {
      await projection.projectRequest(
        syntheticRequest(200_000 + i, {
          country: 'LU',
          drafterId: inv.id,
          createdAt: new Date(day0 + i * 86_400_000),
          status: 'PUBLISHED',
          targetCountries: ['JP'],
          reference: `LU-2025-${marker}${i}`,
          aliases: [alias],
        }),
      );
    }
    // D's JP track comes from its child workflow.
    await eventually(
      async () =>
        ((await db.query(`SELECT 1 FROM jurisdictions WHERE request_id = $1`, [apiD])) as [])
          .length > 0,
      { what: "D's JP track" },
    );
  });

  afterAll(async () => {
    await sys?.close();
    await db?.destroy();
  });

  describe('filters', () => {
    it('lists everything visible, newest first, each page in order', async () => {
      expect(await all(auditor.token, {})).toEqual(expected(() => true));
      expect(await all(auditor.token, {})).toEqual(expected(() => true));
    });

    it('by status, one or several', async () => {
      expect(await all(auditor.token, { status: 'QUERIED' })).toEqual(
        expected((k) => k.status === 'QUERIED'),
      );
      expect(await all(auditor.token, { status: 'IN_REVIEW,PUBLISHED' })).toEqual(
        expected((k) => k.status === 'IN_REVIEW' || k.status === 'PUBLISHED'),
      );
    });

    it('by kind, urgency and target country', async () => {
      expect(await all(auditor.token, { kind: 'diffusion' })).toEqual(
        expected((k) => k.kind === 'diffusion'),
      );
      expect(await all(auditor.token, { urgency: 'urgent' })).toEqual(
        expected((k) => k.urgency === 'urgent'),
      );
      expect(await all(auditor.token, { country: 'KR' })).toEqual(
        expected((k) => k.targets.includes('KR')),
      );
      const combined = await all(auditor.token, { country: 'JP', status: 'DRAFT', kind: 'notice' });
      expect(combined).toEqual(
        expected((k) => k.targets.includes('JP') && k.status === 'DRAFT' && k.kind === 'notice'),
      );
      expect(combined.length).toBeGreaterThan(2);
    });

    it('by creation date: ISO dates are whole days (inclusive), date-times exact', async () => {
      const inRange = (from: string, to: string) => (k: Known) =>
        k.createdAt >= from && k.createdAt < to;
      expect(
        await all(auditor.token, { createdFrom: '2025-02-01', createdTo: '2025-02-28' }),
      ).toEqual(expected(inRange('2025-02-01', '2025-03-01')));
      expect(await all(auditor.token, { createdFrom: '2025-05-01' })).toEqual(
        expected((k) => k.createdAt >= '2025-05-01'),
      );
      expect(await all(auditor.token, { createdTo: '2025-01-10' })).toEqual(
        expected((k) => k.createdAt < '2025-01-11'),
      );
      // A date-time bound is inclusive at that instant.
      const one = await all(auditor.token, {
        createdFrom: '2025-01-05T09:00:00Z',
        createdTo: '2025-01-05T09:00:00.000Z',
      });
      expect(one).toEqual(expected((k) => k.createdAt === '2025-01-05T09:00:00.000Z'));
      expect(one).toHaveLength(1);
      const feb = await all(auditor.token, {
        createdFrom: '2025-02-01',
        createdTo: '2025-02-28',
        status: 'DRAFT',
      });
      expect(feb).toEqual(
        expected((k) => inRange('2025-02-01', '2025-03-01')(k) && k.status === 'DRAFT'),
      );
    });

    it('refuses bad dates and an empty range (400 naming the field)', async () => {
      for (const [params, field] of [
        [{ createdFrom: 'yesterday' }, 'createdFrom'],
        [{ createdFrom: '2025-02-30' }, 'createdFrom'],
        [{ createdTo: '2025-13-01' }, 'createdTo'],
        [{ createdTo: '2025-01-01T25:00:00Z' }, 'createdTo'],
        [{ createdFrom: '2025-03-02', createdTo: '2025-03-01' }, 'createdTo'],
      ] as [Record<string, string>, string][]) {
        const res = await api<{ errors?: { field: string }[] }>(
          'GET',
          `/trace-requests?${new URLSearchParams(params)}`,
          auditor.token,
        );
        expect({ params, status: res.status }).toEqual({ params, status: 400 });
        expect((res.body.errors ?? []).map((e) => e.field)).toContain(field);
      }
      // The same day as both bounds is that whole day.
      const sameDay = await all(auditor.token, {
        createdFrom: '2025-01-05',
        createdTo: '2025-01-05',
      });
      expect(sameDay).toHaveLength(1);
    });
  });

  describe('q', () => {
    const find = (token: string, q: string, extra: Record<string, string> = {}) =>
      all(token, { q, ...extra });

    it('finds aliases, in any case, across the caller scope only', async () => {
      const seventh = ieRows[7].id;
      expect(await find(auditor.token, alias)).toEqual(
        expected((k) => [apiA, seventh].includes(k.id)),
      );
      expect(await find(auditor.token, alias.toUpperCase())).toHaveLength(2);
      // LU's rows with the alias are another country's.
      expect(await find(zaInvestigator, alias)).toEqual([]);
    });

    it('finds IBANs: whole, partial, lower case, written with spaces', async () => {
      expect(await find(auditor.token, apiIban)).toEqual([apiA]);
      expect(await find(auditor.token, apiIban.toLowerCase())).toEqual([apiA]);
      expect(await find(auditor.token, apiIban.slice(4, 16))).toEqual([apiA]);
      const spaced = apiIban.replace(/(.{4})/g, '$1 ').trim();
      expect(await find(auditor.token, spaced)).toEqual([apiA]);
      const synthetic = (ieRows[20].content.assets as { identifiers: { iban: string } }[])[0]
        .identifiers.iban;
      expect(await find(auditor.token, synthetic)).toEqual([ieRows[20].id]);
    });

    it('finds VINs, IMO numbers (with or without "IMO "), wallets and registry numbers', async () => {
      const ids = (n: number) =>
        Object.assign(
          {},
          ...(ieRows[n].content.assets as { identifiers: Record<string, string> }[]).map(
            (a) => a.identifiers,
          ),
        ) as Record<string, string>;
      expect(await find(auditor.token, ids(30).vin)).toEqual([ieRows[30].id]);
      expect(await find(auditor.token, ids(31).imo)).toEqual([ieRows[31].id]);
      expect(await find(auditor.token, ids(31).imo.replace('IMO ', 'imo'))).toEqual([
        ieRows[31].id,
      ]);
      expect(await find(auditor.token, ids(32).walletAddress)).toEqual([ieRows[32].id]);
      expect(await find(auditor.token, ids(33).registryNumber)).toEqual([ieRows[33].id]);
    });

    it('finds references and case references, and combines with filters', async () => {
      const d = byId.get(apiD)!;
      expect(await find(auditor.token, d.reference)).toEqual([apiD]);
      expect(await find(auditor.token, d.caseReference.toLowerCase())).toEqual([apiD]);
      // The edited case reference of C replaced the drafted one.
      expect(await find(auditor.token, `CAS-${marker}-C2`)).toEqual([apiC]);
      expect(await find(auditor.token, `EE-2025-${marker}04`)).toEqual(
        expected((k) => k.reference.startsWith(`EE-2025-${marker}04`)),
      );
      expect(await find(auditor.token, `EE-2025-${marker}`, { status: 'CLOSED' })).toEqual(
        expected((k) => k.reference.startsWith(`EE-2025-${marker}`) && k.status === 'CLOSED'),
      );
      expect(await find(auditor.token, `CAS-${marker}`, { urgency: 'urgent' })).toEqual([apiC]);
    });

    it('takes LIKE wildcards literally and short terms too', async () => {
      expect(await find(auditor.token, `${marker}%`)).toEqual([]);
      expect(await find(auditor.token, `_${marker.slice(1)}`)).toEqual([]);
      const short = await find(auditor.token, marker.slice(0, 2));
      expect(short).toEqual(expect.arrayContaining([apiA, apiB, apiC, apiD]));
    });
  });

  describe('cursor paging', () => {
    it('visits every row once, in order, at any page size, with filters and q', async () => {
      const everything = expected(() => true);
      for (const limit of [1, 7, 20]) {
        const seen = await all(auditor.token, {}, limit);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toEqual(everything);
      }
      expect(await all(auditor.token, { country: 'JP', q: `EE-2025-${marker}` }, 3)).toEqual(
        expected((k) => k.targets.includes('JP') && k.reference.startsWith(`EE-2025-${marker}`)),
      );
    });

    it('stays stable when rows are added while paging (no repeats, no gaps)', async () => {
      const first = await ok(await api<Page>('GET', '/trace-requests?limit=10', auditor.token));
      // A newer request appears between pages: it is before the cursor, so not repeated.
      const late = syntheticRequest(300_000, {
        country: 'EE',
        drafterId: inv.id,
        createdAt: new Date(),
        status: 'DRAFT',
      });
      await new ProjectionActivities(db).projectRequest(late);
      const rest = await all(auditor.token, { cursor: first.nextCursor! }, 25);
      const seen = [...first.items.map((i) => i.id as string), ...rest];
      expect(seen).toEqual(expected(() => true));
      expect(seen).not.toContain(late.id);
      known.push({
        ...byId.get(apiA)!,
        id: late.id,
        reference: late.reference,
        caseReference: late.caseReference,
        kind: late.kind,
        urgency: late.urgency,
        targets: late.content.targetCountries as string[],
        createdAt: late.createdAt,
        editorIds: [],
      });
      byId.set(late.id, known[known.length - 1]);
    });
  });

  describe('scoping', () => {
    it('another country sees nothing of IE, even by exact identifiers', async () => {
      expect(await all(zaInvestigator, { q: `EE-2025-${marker}` })).toEqual([]);
      expect(await all(zaInvestigator, { q: apiIban })).toEqual([]);
    });

    it('an investigator lists and finds its own cases only: drafted or edited (or assigned)', async () => {
      const own = (k: Known) => k.drafterId === inv2.id || k.editorIds.includes(inv2.id);
      expect(await all(inv2.token, { q: `EE-2025-${marker}` })).toEqual(
        expected((k) => k.reference.startsWith(`EE-2025-${marker}`) && own(k)),
      );
      expect(await all(inv2.token, { q: apiIban })).toEqual([]);
      expect(await all(inv2.token, { q: `CAS-${marker}-C2` })).toEqual([apiC]);
    });

    it('a liaison sees only what was sent to its country, with every filter', async () => {
      const sentTo = (cc: string) => (k: Known) =>
        SENT.includes(k.status) && k.targets.includes(cc);
      const jp = await all(liaisonJp.token, { q: marker });
      // LU's published rows to JP are visible too; of IE, only the sent ones with JP.
      const ie = jp.filter((id) => byId.has(id));
      expect(ie).toEqual(expected(sentTo('JP')));
      expect(ie).toContain(apiD);
      expect(jp.length - ie.length).toBe(5);
      expect(await all(liaisonKr.token, { q: `EE-2025-${marker}` })).toEqual(
        expected(sentTo('KR')),
      );
      // Drafts are never found, whatever the liaison searches for.
      expect(await all(liaisonJp.token, { q: apiIban })).toEqual([]);
      expect(await all(liaisonJp.token, { q: marker, status: 'DRAFT' })).toEqual([]);
      expect(await all(liaisonKr.token, { q: marker, country: 'KR', status: 'CLOSED' })).toEqual(
        expected((k) => sentTo('KR')(k) && k.status === 'CLOSED'),
      );
    });
  });

  describe('work queue', () => {
    const queue = async (user: Account) =>
      ok(await api<Record<string, Section>>('GET', '/work-queue', user.token));
    const idsOf = (s: Section | undefined) => (s?.items ?? []).map((i) => i.id as string).sort();
    const want = (keep: (k: Known) => boolean) =>
      known
        .filter(keep)
        .map((k) => k.id)
        .sort();
    const mine = (u: Account) => (k: Known) => k.drafterId === u.id || k.editorIds.includes(u.id);

    it('investigator: my drafts, my changes requested, queries of my cases to answer', async () => {
      // A query on a case inv is assigned to (by a supervisor) is inv's to answer too.
      const assigned = known.find((k) => k.status === 'QUERIED' && !mine(inv)(k))!;
      await ok(
        await api('POST', `/trace-requests/${assigned.id}/assignments`, sup.token, {
          userId: inv.id,
        }),
      );
      const q = await queue(inv);
      expect(Object.keys(q).sort()).toEqual(['changesRequested', 'drafts', 'queries']);
      expect(idsOf(q.drafts)).toEqual(want((k) => k.status === 'DRAFT' && mine(inv)(k)));
      expect(idsOf(q.drafts)).toContain(apiA);
      expect(q.drafts.total).toBe(q.drafts.items.length);
      expect(idsOf(q.changesRequested)).toEqual(
        want((k) => k.status === 'CHANGES_REQUESTED' && mine(inv)(k)),
      );
      expect(idsOf(q.queries)).toEqual(
        want((k) => k.status === 'QUERIED' && (mine(inv)(k) || k.id === assigned.id)),
      );
      expect(idsOf(q.queries)).toContain(assigned.id);
      // The edits of dual count as dual's.
      const d = await queue(dual);
      expect(idsOf(d.changesRequested)).toEqual(
        want((k) => k.status === 'CHANGES_REQUESTED' && mine(dual)(k)),
      );
      expect(d.changesRequested.items.length).toBeGreaterThan(0);
    });

    it('supervisor: awaiting my review, never what I drafted, edited or approved', async () => {
      const s = await queue(sup);
      expect(Object.keys(s)).toEqual(['awaitingReview']);
      const reviewable = (u: Account) => (k: Known) =>
        k.status === 'IN_REVIEW' && !mine(u)(k) && !k.approvals.includes(u.id);
      expect(idsOf(s.awaitingReview)).toEqual(want(reviewable(sup)));
      expect(idsOf(s.awaitingReview)).toEqual(expect.arrayContaining([apiB, apiC]));
      expect(known.some((k) => k.status === 'IN_REVIEW' && k.approvals.includes(sup.id))).toBe(
        true,
      );
      const d = await queue(dual);
      expect(idsOf(d.awaitingReview)).toEqual(want(reviewable(dual)));
      expect(idsOf(d.awaitingReview)).toContain(apiB);
      expect(idsOf(d.awaitingReview)).not.toContain(apiC);
      // Urgent first (C was made urgent by its edit), then the longest waiting.
      expect(s.awaitingReview.items[0].urgency).toBe('urgent');
    });

    it('ncb_officer: approved, completed to close, overdue countries', async () => {
      const n = await queue(ncb);
      expect(Object.keys(n).sort()).toEqual([
        'overdueCountries',
        'readyForInterpol',
        'retentionReviews',
        'toClose',
      ]);
      // Requests of today are reviewed RETENTION_REVIEW_AFTER (5 years) from now.
      expect(n.retentionReviews.total).toBe(0);
      expect(idsOf(n.readyForInterpol)).toEqual(want((k) => k.status === 'APPROVED'));
      expect(idsOf(n.toClose)).toEqual(want((k) => k.status === 'COMPLETED'));
      // Overdue: marked OVERDUE, or past the deadline and not answered.
      const tracks = (await db.query(
        `SELECT j.request_id, j.country FROM jurisdictions j JOIN trace_requests t
           ON t.id = j.request_id WHERE t.requesting_country = 'EE'
           AND t.status IN ('PUBLISHED','COMPLETED')
           AND (j.status = 'OVERDUE' OR j.deadline < now())`,
      )) as { request_id: string; country: string }[];
      const got = n.overdueCountries.items.map((i) => `${i.id as string}/${i.country as string}`);
      expect(got.sort()).toEqual(tracks.map((t) => `${t.request_id}/${t.country.trim()}`).sort());
      expect(got.length).toBeGreaterThan(3);
      const deadlines = n.overdueCountries.items.map((i) => i.deadline as string);
      expect(deadlines).toEqual([...deadlines].sort());
    });

    it('liaison: requests sent to my country awaiting my answer', async () => {
      const l = await queue(liaisonJp);
      expect(Object.keys(l)).toEqual(['awaitingAnswer']);
      const items = l.awaitingAnswer.items;
      expect(items.every((i) => i.country === 'JP')).toBe(true);
      const ie = items.map((i) => i.id as string).filter((id) => byId.has(id));
      expect(ie.sort()).toEqual(
        want(
          (k) =>
            (k.status === 'PUBLISHED' || k.status === 'COMPLETED') &&
            k.targets.includes('JP') &&
            (k.id === apiD || ieRows.some((r) => r.id === k.id)),
        ),
      );
      expect(ie).toContain(apiD);
      const kr = await queue(liaisonKr);
      expect(kr.awaitingAnswer.items.map((i) => i.id)).not.toContain(apiD);
      expect(kr.awaitingAnswer.items.every((i) => i.country === 'KR')).toBe(true);
    });

    it('auditors have no queue; other countries see none of IE', async () => {
      expect(await queue(auditor)).toEqual({});
      const za = await ok(await api<Record<string, Section>>('GET', '/work-queue', zaInvestigator));
      for (const section of Object.values(za)) {
        for (const item of section.items) expect(byId.has(item.id as string)).toBe(false);
      }
      expect((await http(sys.baseUrl, 'GET', '/api/v1/work-queue')).status).toBe(401);
    });
  });
});
