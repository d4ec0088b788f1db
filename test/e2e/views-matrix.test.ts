// The field matrix over real HTTP (API, worker, Temporal, PostgreSQL): every role x every response
// of a request sent to FR and BR, checked against the declared views (libs/domain/src/views.ts).
// A request of AU (drafted by this suite's own accounts) goes through a change request, a GS
// query, publication, BR's answer with assets, FR's partial answer, an extension of FR's deadline
// with a reason and an asset move with a note. Then, for each caller and response:
// - every field present is one the caller's view declares visible (nothing hidden, nothing
//   undeclared), and arrays filtered to its own country hold only its country's elements;
// - the body equals the complete (auditor's) body seen through the declaration: each field the
//   declaration shows is there, each it hides is absent;
// - the values that must never reach liaison.fr (BR's code, answers and assets, the review
//   comments, the GS query, the extension's reason, the move's note, the case number, home
//   staff's names) are absent from its raw JSON, and symmetrically for liaison.br.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../libs/config/src';
import type { Role } from '../../libs/domain/src/enums';
import {
  applyRule,
  viewerRoles,
  viewFor,
  type Rule,
  type ViewName,
} from '../../libs/domain/src/views';
import { SIGNATURE_HEADER, signBody } from '../../libs/gateway/src';
import { makeAccount, type Account } from '../support/accounts';
import { apiClient, ATTESTATION, fakeInterpolStack, ok, type Body } from '../support/api';
import { eventually, http, login, type RunningSystem } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';

const SUBJECTS = [
  'investigator',
  'supervisor',
  'ncb_officer',
  'auditor',
  'liaison_fr',
  'liaison_br',
  'admin',
] as const;
type Subject = (typeof SUBJECTS)[number];

const ROLE_OF: Record<Subject, Role> = {
  investigator: 'investigator',
  supervisor: 'supervisor',
  ncb_officer: 'ncb_officer',
  auditor: 'auditor',
  liaison_fr: 'foreign_liaison',
  liaison_br: 'foreign_liaison',
  admin: 'admin',
};
const COUNTRY_OF: Record<Subject, string> = {
  investigator: 'AU',
  supervisor: 'AU',
  ncb_officer: 'AU',
  auditor: 'AU',
  liaison_fr: 'FR',
  liaison_br: 'BR',
  admin: 'AU',
};

/** The responses of the matrix: the route and the declared view its body is shown through. */
interface Response {
  path: () => string;
  view: ViewName;
  /** Of one request (its requesting country decides home or liaison), or of the caller only. */
  ofRequest: boolean;
  /** Compared with the auditor's (complete) body through the declaration. */
  comparable: boolean;
  /** The part of a cross-request body about this suite's request. */
  pick?: (body: unknown) => unknown;
}

describe('views: every role x every response, as declared', () => {
  let sys: RunningSystem;
  let db: DataSource;
  const stack = fakeInterpolStack();
  const secret = loadConfig().gateway.secret;
  const api = apiClient(() => sys.baseUrl);
  const m = `V${randomUUID().slice(0, 8).toUpperCase()}`;
  const S = {
    caseReference: `CAS-${m}`,
    review: `REVIEW-${m}`,
    approve: `APPROVE-${m}`,
    question: `GSQ-${m}`,
    answer: `GSA-${m}`,
    frTrace: `FR-TRACE-${m}`,
    brTrace: `BR-TRACE-${m}`,
    anyTrace: `ANY-TRACE-${m}`,
    frRef: `FR-REF-${m}`,
    frFound: `FR-FOUND-${m}`,
    brRef: `BR-REF-${m}`,
    brFound: `BR-FOUND-${m}`,
    brHolder: `BR-HOLDER-${m}`,
    brNarrative: `BR-NARR-${m}`,
    extension: `EXT-FR-${m}`,
    note: `NOTE-${m}`,
    mla: `MLA-${m}`,
    breakGlass: `BG-${m}`,
  };

  const tokens = {} as Record<Subject, string>;
  const accounts = {} as Record<Exclude<Subject, 'liaison_fr' | 'liaison_br'>, Account>;
  let id: string;
  let reference: string;
  let frAssetId: string;

  function gateway(route: 'decisions' | 'responses', message: Body) {
    const raw = JSON.stringify(message);
    return http(sys.baseUrl, 'POST', `/api/v1/gateway/interpol/${route}`, {
      rawBody: raw,
      headers: { [SIGNATURE_HEADER]: signBody(raw, secret) },
    });
  }

  const RESPONSES: Record<string, Response> = {
    detail: {
      path: () => `/trace-requests/${id}`,
      view: 'request',
      ofRequest: true,
      comparable: true,
    },
    list: {
      path: () => `/trace-requests?q=${reference}`,
      view: 'requestSummary',
      ofRequest: true,
      comparable: true,
      pick: (b) => ((b as Body).items as Body[]).find((r) => r.id === id),
    },
    tracks: {
      path: () => `/trace-requests/${id}/jurisdictions`,
      view: 'tracks',
      ofRequest: true,
      comparable: true,
    },
    assets: {
      path: () => `/trace-requests/${id}/assets`,
      view: 'assetRegister',
      ofRequest: true,
      comparable: true,
    },
    assetList: {
      path: () => `/assets?requestId=${id}`,
      view: 'assetRegister',
      ofRequest: false,
      comparable: true,
    },
    asset: {
      path: () => `/assets/${frAssetId}`,
      view: 'asset',
      ofRequest: true,
      comparable: true,
    },
    timeline: {
      path: () => `/trace-requests/${id}/history`,
      view: 'timeline',
      ofRequest: true,
      comparable: true,
    },
    workQueue: {
      path: () => '/work-queue',
      view: 'workQueue',
      ofRequest: false,
      comparable: false,
    },
    dashboard: { path: () => '/dashboard', view: 'dashboard', ofRequest: false, comparable: false },
    notifications: {
      path: () => '/notifications?limit=100',
      view: 'notifications',
      ofRequest: false,
      comparable: false,
    },
  };

  beforeAll(async () => {
    ({ sys, db } = await stack.start());
    const [inv, sup, ncb, aud, adm, other] = await Promise.all([
      makeAccount(db, sys.baseUrl, ['investigator'], 'AU', 'vinv'),
      makeAccount(db, sys.baseUrl, ['supervisor'], 'AU', 'vsup'),
      makeAccount(db, sys.baseUrl, ['ncb_officer'], 'AU', 'vncb'),
      makeAccount(db, sys.baseUrl, ['auditor'], 'AU', 'vaud'),
      makeAccount(db, sys.baseUrl, ['admin'], 'AU', 'vadm'),
      makeAccount(db, sys.baseUrl, ['investigator'], 'AU', 'vother'),
    ]);
    Object.assign(accounts, {
      investigator: inv,
      supervisor: sup,
      ncb_officer: ncb,
      auditor: aud,
      admin: adm,
    });
    for (const [s, a] of Object.entries(accounts)) tokens[s as Subject] = a.token;
    tokens.liaison_fr = await login(sys.baseUrl, 'liaison.fr');
    tokens.liaison_br = await login(sys.baseUrl, 'liaison.br');

    // Drafted with nothing of FR or BR in the subject, so a country code in a body is a track's.
    const created = await ok(
      await api(
        'POST',
        '/trace-requests',
        inv.token,
        validRequestBody({
          caseReference: S.caseReference,
          subject: {
            familyName: 'Mokoena',
            givenNames: 'Thabo',
            dateOfBirth: '1971-03-14',
            nationalities: ['AU'],
            identityDocuments: [{ type: 'passport', number: 'PA1234567', issuingCountry: 'AU' }],
          },
          assets: [
            { type: 'bank_account', description: S.frTrace, suspectedCountry: 'FR' },
            { type: 'real_estate', description: S.brTrace, suspectedCountry: 'BR' },
            { type: 'crypto_asset', description: S.anyTrace },
          ],
          targetCountries: ['FR', 'BR'],
        }),
      ),
      201,
    );
    id = created.id as string;
    reference = created.reference as string;
    await ok(await api('POST', `/trace-requests/${id}/submit`, inv.token));
    await ok(
      await api('POST', `/trace-requests/${id}/review`, sup.token, {
        decision: 'request_changes',
        comment: S.review,
      }),
    );
    await ok(await api('POST', `/trace-requests/${id}/submit`, inv.token));
    await ok(
      await api('POST', `/trace-requests/${id}/review`, sup.token, {
        decision: 'approve',
        comment: S.approve,
      }),
    );
    await ok(
      await api('POST', `/trace-requests/${id}/interpol-submission`, ncb.token, ATTESTATION),
    );
    expect(
      (await gateway('decisions', { reference, decision: 'query', question: S.question })).status,
    ).toBe(202);
    await ok(
      await api('POST', `/trace-requests/${id}/query-answers`, inv.token, { answer: S.answer }),
    );
    expect(
      (await gateway('decisions', { reference, decision: 'published', noticeId: `SILVER-${m}` }))
        .status,
    ).toBe(202);
    await eventually(
      async () =>
        (await ok(await api<Body[]>('GET', `/trace-requests/${id}/jurisdictions`, inv.token)))
          .length === 2,
      { what: 'the FR and BR tracks' },
    );
    await ok(
      await api('POST', `/trace-requests/${id}/jurisdictions/BR/responses`, tokens.liaison_br, {
        outcome: 'assets_found',
        externalReference: S.brRef,
        narrative: S.brNarrative,
        handlingCode: 'H2',
        sourceReliability: 'A',
        informationAccuracy: 1,
        assets: [
          {
            type: 'real_estate',
            description: S.brFound,
            holder: S.brHolder,
            estimatedValue: { amount: '3400000.00', currency: 'BRL' },
          },
        ],
      }),
      201,
    );
    const fr = await ok(
      await api('POST', `/trace-requests/${id}/jurisdictions/FR/responses`, tokens.liaison_fr, {
        outcome: 'partial',
        externalReference: S.frRef,
        narrative: 'Registry searches under way',
        assets: [
          {
            type: 'bank_account',
            description: S.frFound,
            estimatedValue: { amount: '1250000.00', currency: 'EUR' },
          },
        ],
      }),
      201,
    );
    await ok(
      await api('POST', `/trace-requests/${id}/jurisdictions/FR/extension`, sup.token, {
        newDeadline: new Date(Date.parse(fr.deadline as string) + 86_400_000).toISOString(),
        reason: S.extension,
      }),
    );
    const register = await ok(await api('GET', `/trace-requests/${id}/assets`, inv.token));
    frAssetId = (register.items as Body[]).find((a) => a.country === 'FR')!.id as string;
    await ok(
      await api('POST', `/assets/${frAssetId}/status`, inv.token, {
        status: 'FREEZE_REQUESTED',
        mlaReference: S.mla,
        note: S.note,
      }),
    );
    // Another investigator of AU opens it by break-glass: its reason is the home country's.
    await ok(
      await api('POST', `/trace-requests/${id}/break-glass`, other.token, { reason: S.breakGlass }),
    );
    // The last changes are projected: the tracks' rows, and the request's record of both tracks.
    await eventually(
      async () => {
        const t = await ok(
          await api<Body[]>('GET', `/trace-requests/${id}/jurisdictions`, aud.token),
        );
        const timeline = await ok(
          await api<Body[]>('GET', `/trace-requests/${id}/history`, aud.token),
        );
        const recorded = (cc: string, status: string) =>
          timeline.some(
            (e) =>
              // The request's JurisdictionChanged entries (the tracks' own have no country).
              (e.details as Body).country === cc && (e.details as Body).status === status,
          );
        return (t.find((x) => x.country === 'FR')!.extensions as unknown[]).length === 1 &&
          t.find((x) => x.country === 'BR')!.status === 'ANSWERED' &&
          recorded('BR', 'ANSWERED') &&
          recorded('FR', 'PARTIAL')
          ? true
          : undefined;
      },
      { what: 'the last changes to be projected' },
    );
  }, 120_000);

  afterAll(async () => {
    await stack.stop();
  });

  const get = (subject: Subject, r: Response) => api<unknown>('GET', r.path(), tokens[subject]);
  const viewer = (subject: Subject) => ({
    roles: [ROLE_OF[subject]],
    country: COUNTRY_OF[subject],
  });
  const ruleFor = (subject: Subject, r: Response) =>
    viewFor(r.view, viewerRoles(viewer(subject), r.ofRequest ? 'AU' : undefined));

  /** Fields of `value` the rule does not declare visible, and elements of another country. */
  function outsideView(rule: Rule, value: unknown, country: string, path: string): string[] {
    if (rule === false) return [path];
    if (rule === true || value === null || typeof value !== 'object') return [];
    if ('fields' in rule) {
      return Object.entries(value as Body).flatMap(([k, v]) => {
        const sub = rule.fields[k];
        return sub === undefined || sub === false
          ? [`${path}.${k}`]
          : outsideView(sub, v, country, `${path}.${k}`);
      });
    }
    if (!Array.isArray(value)) return [`${path} (not an array)`];
    return value.flatMap((el: unknown, i) => {
      const at = `${path}[${i}]`;
      if ('own' in rule) {
        const cc = rule.own === '.' ? el : (el as Body)[rule.own];
        const allowed = cc === country || (cc === undefined && rule.unassigned === 'keep');
        if (!allowed) return [`${at} (country ${String(cc)})`];
      }
      return outsideView(rule.each, el, country, at);
    });
  }

  /**
   * What the complete body decides of the caller's: allowedActions are the caller's own, and an
   * asset register's totals are summed in SQL over the caller's scope, and a list row counts the
   * tracks the caller sees (both checked apart).
   */
  // allowedActions are computed for the caller's own roles (the domain's, tested elsewhere), so
  // they differ from the full body's; the view only decides whether the field is there.
  const withoutActions = (track: unknown) => {
    const { allowedActions, ...rest } = track as Body;
    return { ...rest, hasActions: Array.isArray(allowedActions) };
  };
  const strip = (body: unknown, name: string) => {
    if (name === 'detail') {
      const { allowedActions: _a, jurisdictions, ...rest } = body as Body;
      return {
        ...rest,
        ...(Array.isArray(jurisdictions)
          ? { jurisdictions: jurisdictions.map(withoutActions) }
          : {}),
      };
    }
    if (name === 'tracks') return (body as unknown[]).map(withoutActions);
    if (name === 'assets' || name === 'assetList') {
      const { totals: _t, ...rest } = body as Body;
      return rest;
    }
    if (name === 'list') {
      const { countryStatuses: _c, nextDeadline: _n, ...rest } = body as Body;
      return rest;
    }
    return body;
  };

  /** The totals per currency of the assets a register lists (one amount per currency here). */
  const totalsOf = (items: Body[]) =>
    items
      .map((a) => a.estimatedValue as Body)
      .sort((a, b) => String(a.currency).localeCompare(String(b.currency)));

  const CASES = SUBJECTS.flatMap((s) => Object.keys(RESPONSES).map((r) => [s, r] as const));

  it.each(CASES)('%s: %s shows exactly the fields its view declares', async (subject, name) => {
    const r = RESPONSES[name];
    const res = await get(subject, r);
    const rule = ruleFor(subject, r);
    if (rule === false) {
      // A role that sees nothing of a response is refused it (admins never read cases).
      expect({ subject, name, status: res.status }).toEqual({ subject, name, status: 403 });
      return;
    }
    if (subject === 'liaison_br' && name === 'asset') {
      // FR's asset is not BR's: as if it did not exist.
      expect(res.status).toBe(404);
      return;
    }
    expect({ subject, name, status: res.status }).toEqual({ subject, name, status: 200 });
    const body = r.pick ? r.pick(res.body) : res.body;
    expect(body).toBeDefined();
    expect(outsideView(rule, body, COUNTRY_OF[subject], name)).toEqual([]);
    if (r.comparable) {
      const full = await get('auditor', r);
      const complete = r.pick ? r.pick(full.body) : full.body;
      const expected = applyRule(rule, complete, COUNTRY_OF[subject]);
      expect(strip(body, name)).toEqual(strip(expected, name));
    }
    if (name === 'assets' || name === 'assetList') {
      const register = body as Body;
      expect(register.totals).toEqual(totalsOf(register.items as Body[]));
    }
    if (name === 'list') {
      // Counted over the tracks the caller's detail shows (a liaison: its own).
      const tracks = (ok(await get(subject, RESPONSES.detail)) as Body).jurisdictions as Body[];
      const counts: Record<string, number> = {};
      for (const t of tracks) counts[t.status as string] = (counts[t.status as string] ?? 0) + 1;
      const open = tracks.filter((t) =>
        ['AWAITING', 'ACKNOWLEDGED', 'PARTIAL'].includes(t.status as string),
      );
      expect(body).toMatchObject({
        countryStatuses: counts,
        nextDeadline: open.map((t) => t.deadline).sort()[0] ?? null,
      });
    }
  });

  /** What each liaison must never be shown: the other country's, and the home country's own. */
  const HOME_ONLY = () => [
    S.caseReference,
    S.review,
    S.approve,
    S.question,
    S.answer,
    S.extension,
    S.note,
    S.breakGlass,
    accounts.investigator.username,
    accounts.supervisor.username,
    accounts.ncb_officer.username,
  ];
  const NEVER: Record<'liaison_fr' | 'liaison_br', () => string[]> = {
    liaison_fr: () => [
      '"BR"',
      S.brTrace,
      S.brRef,
      S.brFound,
      S.brHolder,
      S.brNarrative,
      ...HOME_ONLY(),
    ],
    liaison_br: () => ['"FR"', S.frTrace, S.frRef, S.frFound, S.mla, ...HOME_ONLY()],
  };

  it('the home country sees every one of those values (so their absence below means something)', async () => {
    const raw = (
      await Promise.all(
        ['detail', 'tracks', 'assets', 'asset', 'timeline'].map(async (n) =>
          JSON.stringify(ok(await get('auditor', RESPONSES[n]))),
        ),
      )
    ).join('\n');
    for (const value of new Set([...NEVER.liaison_fr(), ...NEVER.liaison_br()])) {
      expect({ value, present: raw.includes(value) }).toEqual({ value, present: true });
    }
  });

  it.each(['liaison_fr', 'liaison_br'] as const)(
    'nothing of the other country or of the home country reaches %s',
    async (subject) => {
      for (const [name, r] of Object.entries(RESPONSES)) {
        const res = await get(subject, r);
        if (res.status === 404) continue;
        const body = ok(res);
        // Cross-request bodies: the parts about this request (others belong to other suites).
        const mine =
          name === 'list'
            ? r.pick!(body)
            : name === 'notifications'
              ? ((body as Body).items as Body[]).filter((n) => n.reference === reference)
              : name === 'workQueue'
                ? Object.values(body as Body).flatMap((s) =>
                    ((s as Body).items as Body[]).filter((i) => i.id === id),
                  )
                : body;
        const raw = JSON.stringify(mine);
        for (const value of NEVER[subject]()) {
          expect({ name, value, leaked: raw.includes(value) }).toEqual({
            name,
            value,
            leaked: false,
          });
        }
      }
    },
  );

  it('a liaison gets what it needs: the content to search, its own target, track, answer, deadline and assets', async () => {
    const detail = ok(await get('liaison_fr', RESPONSES.detail)) as Body;
    expect(detail).toMatchObject({
      reference,
      requestingCountry: 'AU',
      subject: { familyName: 'Mokoena', nationalities: ['AU'] },
      purposes: expect.any(Array),
      offences: expect.any(Array),
      legalBasis: { reference: expect.any(String) },
      targetCountries: ['FR'],
      jurisdictions: [{ country: 'FR', status: 'PARTIAL', deadline: expect.any(String) }],
      interpol: { noticeId: `SILVER-${m}` },
    });
    expect((detail.assets as Body[]).map((a) => a.description)).toEqual([S.frTrace, S.anyTrace]);
    const tracks = ok(await get('liaison_fr', RESPONSES.tracks)) as Body[];
    expect(tracks).toHaveLength(1);
    expect(tracks[0]).toMatchObject({
      country: 'FR',
      extensions: [{ newDeadline: expect.any(String) }],
      responses: [{ externalReference: S.frRef, assets: [{ description: S.frFound }] }],
    });
    const queue = ok(await get('liaison_fr', RESPONSES.workQueue)) as Body;
    expect(Object.keys(queue)).toEqual(['awaitingAnswer']);
    const waiting = ((queue.awaitingAnswer as Body).items as Body[]).find((i) => i.id === id);
    expect(waiting).toMatchObject({ reference, country: 'FR', countryStatus: 'PARTIAL' });
    expect(waiting).not.toHaveProperty('caseReference');
    const asset = ok(await get('liaison_fr', RESPONSES.asset)) as Body;
    expect(asset).toMatchObject({ country: 'FR', moves: [{ mlaReference: S.mla }] });
    const list = RESPONSES.list.pick!(ok(await get('liaison_fr', RESPONSES.list))) as Body;
    expect(list).toMatchObject({ targetCountries: ['FR'], countryStatuses: { PARTIAL: 1 } });
    const dashboard = ok(await get('liaison_fr', RESPONSES.dashboard)) as Body;
    expect((dashboard.responseTimes as Body[]).map((t) => t.country)).toEqual(['FR']);
  });
});
