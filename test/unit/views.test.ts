// The declared field-level views (libs/domain/src/views.ts): every field of every response type
// has a decision for every role (a new field without one fails here), no declaration names a
// field that does not exist, and applying a view keeps, drops and filters as declared.
import type { AssetRegister, AssetView } from '../../apps/api/src/assets/assets.service';
import type { JurisdictionView } from '../../apps/api/src/jurisdictions/jurisdictions.service';
import type { NotificationView } from '../../apps/api/src/notifications/notifications.service';
import type { JurisdictionSummary, TraceRequestView } from '../../apps/api/src/trace-requests/view';
import type {
  Dashboard,
  HistoryEntry,
  TraceRequestSummary,
  WorkItem,
  WorkQueue,
} from '../../libs/domain/src/api-types';
import { ROLES } from '../../libs/domain/src/enums';
import type { Role } from '../../libs/domain/src/enums';
import { sampleContent } from '../../libs/domain/src/testing/fixtures';
import {
  applyRule,
  applyView,
  mergeRules,
  VIEW_NAMES,
  VIEWS,
  viewerRoles,
  viewFor,
  type Rule,
  type ViewName,
} from '../../libs/domain/src/views';

/**
 * Every field required, all the way down: a sample typed so must name every field of the
 * response type, optional ones too. A field added to a response type breaks the samples below
 * until it is added here, and then this suite until its view decision is declared.
 */
type Full<T> = T extends readonly (infer E)[]
  ? Full<E>[]
  : T extends object
    ? { [K in keyof T]-?: Full<NonNullable<T[K]>> }
    : T;

const AT = '2026-12-01T10:00:00.000Z';
const content = sampleContent();
const subject = content.subject as Full<typeof content.subject>;

const request: Full<TraceRequestView> = {
  ...content,
  subject,
  offences: content.offences.map((o) => ({ ...o, from: '2016-01-01', to: '2023-06-30' })),
  legalBasis: { ...content.legalBasis, issuedOn: '2024-11-05' },
  assets: content.assets.map((a) => ({
    ...a,
    identifiers: fullIdentifiers(),
    suspectedCountry: a.suspectedCountry ?? 'FR',
    estimatedValue: { amount: '1.00', currency: 'EUR' },
  })),
  targetCountries: ['FR', 'BR'],
  allMembers: false,
  id: 'r1',
  reference: 'ZA-2026-000001',
  status: 'PUBLISHED',
  version: 2,
  requestingCountry: 'ZA',
  contentHash: 'h',
  createdAt: AT,
  updatedAt: AT,
  allowedActions: ['withdraw'],
  jurisdictions: [{ country: 'FR', status: 'AWAITING', deadline: AT, allowedActions: ['extend'] }],
  interpol: {
    submittedAt: AT,
    publishedAt: AT,
    noticeId: 'SILVER-1',
    queries: [{ question: 'q', askedAt: AT, answer: 'a', answeredAt: AT }],
    refusalReasons: ['r'],
  },
  lastReview: { decision: 'approve', comment: 'c', by: 'u', at: AT },
  approvals: [{ userId: 'u', at: AT }],
  withdrawal: { reason: 'r', at: AT, by: 'u', orderedBy: 'interpol_gs' },
  closedSummary: 's',
  suspension: {
    reason: 'internal reason',
    since: AT,
    until: AT,
    by: 'ncb',
    orderedBy: 'interpol_gs',
    extensions: 1,
  },
  cancellation: { reason: 'r', at: AT },
  erased: true,
  erasedAt: AT,
  access: {
    assignees: [{ userId: 'u2', username: 'inv2', assignedBy: 'inv', at: AT }],
    breakGlass: [{ userId: 'u3', username: 'inv3', reason: 'r', at: AT }],
  },
};

function fullIdentifiers() {
  return {
    iban: 'x',
    bic: 'x',
    accountNumber: 'x',
    vin: 'x',
    registrationPlate: 'x',
    imo: 'x',
    mmsi: 'x',
    aircraftRegistration: 'x',
    registryNumber: 'x',
    walletAddress: 'x',
    blockchain: 'x',
    isin: 'x',
    other: 'x',
  };
}

const summary: Full<TraceRequestSummary> = {
  id: 'r1',
  reference: 'ZA-2026-000001',
  status: 'PUBLISHED',
  kind: 'notice',
  urgency: 'normal',
  caseReference: 'CAS-1',
  subjectName: 'Mokoena Thabo',
  subject: { familyName: 'Mokoena', givenNames: 'Thabo' },
  requestingCountry: 'ZA',
  allMembers: false,
  targetCountries: ['BR', 'FR'],
  countryStatuses: { AWAITING: 2 },
  nextDeadline: AT,
  version: 2,
  createdAt: AT,
  updatedAt: AT,
};

const trackSummaries: Full<JurisdictionSummary>[] = [
  { country: 'BR', status: 'AWAITING', deadline: AT },
  { country: 'FR', status: 'PARTIAL', deadline: AT },
];

const track = (country: string): Full<JurisdictionView> => ({
  country,
  status: 'PARTIAL',
  deadline: AT,
  overdueAt: AT,
  pausedSince: AT,
  allowedActions: ['respond'],
  extensions: [{ previousDeadline: AT, newDeadline: AT, at: AT, by: 'sup', reason: 'internal' }],
  responses: [
    {
      id: 'resp1',
      externalReference: `${country}-1`,
      outcome: 'partial',
      assets: [
        {
          type: 'bank_account',
          description: 'd',
          identifiers: fullIdentifiers(),
          holder: 'h',
          estimatedValue: { amount: '1.00', currency: 'EUR' },
        },
      ],
      narrative: 'n',
      handlingCode: 'H3',
      handlingRestriction: 'only for the tax authority',
      sourceReliability: 'B',
      informationAccuracy: '2',
      late: false,
      at: AT,
      recordedBy: { userId: 'u', username: 'liaison', role: 'foreign_liaison', country },
    },
  ],
});

const asset = (country: string): Full<AssetView> => ({
  id: `a-${country}`,
  requestId: 'r1',
  reference: 'ZA-2026-000001',
  country,
  externalReference: `${country}-1`,
  itemIndex: 0,
  type: 'bank_account',
  description: 'd',
  identifiers: { iban: 'x' },
  holder: 'h',
  estimatedValue: { amount: '1.00', currency: 'EUR' },
  status: 'IDENTIFIED',
  version: 1,
  createdAt: AT,
  updatedAt: AT,
  moves: [
    {
      id: 'm1',
      fromStatus: 'IDENTIFIED',
      toStatus: 'FREEZE_REQUESTED',
      mlaReference: 'MLA-1',
      note: 'internal',
      actor: { userId: 'u', username: 'inv' },
      at: AT,
    },
  ],
});

const register: Full<AssetRegister> = {
  items: [asset('BR'), asset('FR')],
  totals: [{ amount: '2.00', currency: 'EUR' }],
  nextCursor: 'c',
};

/** The details of every kind of entry a liaison may be shown (its own track's events). */
const timeline: Full<HistoryEntry>[] = [
  {
    at: AT,
    actor: 'inv',
    role: 'investigator',
    country: 'FR',
    action: 'ResponseRecorded',
    fromStatus: 'AWAITING',
    toStatus: 'PARTIAL',
    details: {
      response: { outcome: 'partial', externalReference: 'FR-1' },
      from: 'AWAITING',
      status: 'PARTIAL',
      late: false,
      previous: 'AWAITING',
      country: 'FR',
      deadline: AT,
      previousDeadline: AT,
      newDeadline: AT,
      reason: 'internal',
    },
    handling: {
      handlingCode: 'H3',
      handlingRestriction: 'only for the tax authority',
      sourceReliability: 'B',
      informationAccuracy: '2',
    },
    erased: true,
    workflowId: 'trace-request-r1-FR',
    eventId: '5',
  },
];

const item: Full<WorkItem> = {
  id: 'r1',
  reference: 'ZA-2026-000001',
  status: 'PUBLISHED',
  kind: 'notice',
  urgency: 'normal',
  caseReference: 'CAS-1',
  subjectName: 'Mokoena',
  requestingCountry: 'ZA',
  createdAt: AT,
  updatedAt: AT,
  country: 'FR',
  countryStatus: 'AWAITING',
  deadline: AT,
};
const section = { total: 1, items: [item] };
const workQueue: Full<WorkQueue> = {
  drafts: section,
  changesRequested: section,
  queries: section,
  awaitingReview: section,
  readyForInterpol: section,
  toClose: section,
  overdueCountries: section,
  awaitingAnswer: section,
  retentionReviews: section,
};

const dashboard: Full<Dashboard> = {
  generatedAt: AT,
  requestsByStatus: [{ status: 'PUBLISHED', count: 1 }],
  responseTimes: [
    {
      country: 'FR',
      tracks: 1,
      answered: 1,
      open: 0,
      overdue: 0,
      averageDays: 1,
      medianDays: 1,
      maxDays: 1,
    },
  ],
  assets: [{ status: 'IDENTIFIED', currency: 'EUR', count: 1, amount: '1.00' }],
};

const notification: Full<NotificationView> = {
  id: 'n1',
  requestId: 'r1',
  reference: 'ZA-2026-000001',
  kind: 'dispatched',
  message: 'm',
  createdAt: AT,
  readAt: AT,
};

/** One complete body per response type. */
const SAMPLES: Record<ViewName, unknown> = {
  request,
  requestSummary: summary,
  trackSummaries,
  track: track('FR'),
  tracks: [track('BR'), track('FR')],
  asset: asset('FR'),
  assetRegister: register,
  timeline,
  workQueue,
  dashboard,
  notification,
  notifications: { items: [notification], nextCursor: 'c' },
};

/** Fields of `value` that reach a `fields` rule without being named in it. */
function undeclared(rule: Rule, value: unknown, path: string): string[] {
  if (typeof rule === 'boolean' || value === null || typeof value !== 'object') return [];
  if ('fields' in rule) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      k in rule.fields ? undeclared(rule.fields[k], v, `${path}.${k}`) : [`${path}.${k}`],
    );
  }
  return (value as unknown[]).flatMap((el, i) => undeclared(rule.each, el, `${path}[${i}]`));
}

/** Fields a `fields` rule names that the complete sample does not have (stale declarations). */
function stale(rule: Rule, value: unknown, path: string): string[] {
  if (typeof rule === 'boolean' || value === null || typeof value !== 'object') return [];
  if ('fields' in rule) {
    const v = value as Record<string, unknown>;
    return Object.entries(rule.fields).flatMap(([k, r]) =>
      k in v ? stale(r, v[k], `${path}.${k}`) : [`${path}.${k}`],
    );
  }
  const list = value as unknown[];
  return list.length ? stale(rule.each, list[list.length - 1], `${path}[]`) : [];
}

describe('views: the declaration', () => {
  it('declares a view of every response type for every role', () => {
    expect(Object.keys(VIEWS).sort()).toEqual([...VIEW_NAMES].sort());
    for (const name of VIEW_NAMES)
      expect(Object.keys(VIEWS[name]).sort()).toEqual([...ROLES].sort());
  });

  it.each(VIEW_NAMES.flatMap((name) => ROLES.map((role) => [name, role] as const)))(
    'every field of %s has a decision for %s, and none is declared that does not exist',
    (name, role) => {
      const rule = VIEWS[name][role];
      expect(undeclared(rule, SAMPLES[name], name)).toEqual([]);
      expect(stale(rule, SAMPLES[name], name)).toEqual([]);
    },
  );

  it('home staff see every field of every request response; admins none', () => {
    const home: Role[] = ['investigator', 'supervisor', 'ncb_officer', 'auditor'];
    for (const name of VIEW_NAMES) {
      if (name === 'workQueue') continue; // sections belong to roles (below)
      for (const role of home) {
        const seen = applyView(name, { roles: [role], country: 'ZA' }, SAMPLES[name], 'ZA');
        // Break-glass openings are shown to the case's supervisors and the auditors (below).
        const all =
          name === 'request' && (role === 'investigator' || role === 'ncb_officer')
            ? { ...request, access: { assignees: request.access.assignees } }
            : SAMPLES[name];
        expect({ name, role, seen }).toEqual({ name, role, seen: all });
      }
      const admin = applyView(name, { roles: ['admin'], country: 'ZA' }, SAMPLES[name]);
      expect({ name, admin }).toEqual({
        name,
        admin: name.startsWith('notification') ? SAMPLES[name] : undefined,
      });
    }
  });

  it("a work queue shows each role its own sections, a liaison's without case numbers", () => {
    const seen = (roles: Role[]) =>
      Object.keys(applyView('workQueue', { roles, country: 'ZA' }, workQueue) as object).sort();
    expect(seen(['investigator'])).toEqual(['changesRequested', 'drafts', 'queries']);
    expect(seen(['supervisor'])).toEqual(['awaitingReview']);
    expect(seen(['ncb_officer'])).toEqual([
      'overdueCountries',
      'readyForInterpol',
      'retentionReviews',
      'toClose',
    ]);
    expect(seen(['auditor'])).toEqual([]);
    expect(seen(['investigator', 'supervisor'])).toHaveLength(4);
    const liaison = applyView(
      'workQueue',
      { roles: ['foreign_liaison'], country: 'FR' },
      workQueue,
    );
    expect(Object.keys(liaison)).toEqual(['awaitingAnswer']);
    const { caseReference: _c, ...rest } = item;
    expect(liaison.awaitingAnswer).toEqual({ total: 1, items: [rest] });
  });
});

describe('views: what a foreign liaison of FR sees of a request of ZA sent to FR and BR', () => {
  const fr = { roles: ['foreign_liaison'] as Role[], country: 'FR' };

  it('the request content to search with, its own target and track; nothing internal', () => {
    const seen = applyView('request', fr, request, 'ZA');
    expect(seen.targetCountries).toEqual(['FR']);
    // The track actions are computed for the caller before the view (here: the sample's).
    expect(seen.jurisdictions).toEqual([
      { country: 'FR', status: 'AWAITING', deadline: AT, allowedActions: ['extend'] },
    ]);
    // The asset suspected in IT is another country's to trace; FR's stays.
    expect(seen.assets.map((a) => a.suspectedCountry)).toEqual(['FR', 'FR']);
    expect(seen.interpol).toEqual({ noticeId: 'SILVER-1', publishedAt: AT });
    for (const field of [
      'caseReference',
      'contentHash',
      'lastReview',
      'approvals',
      'withdrawal',
      'closedSummary',
      'access',
    ]) {
      expect(field in seen).toBe(false);
    }
    expect(seen.subject).toEqual(request.subject);
    expect(seen.legalBasis).toEqual(request.legalBasis);
    expect(seen.offences).toEqual(request.offences);
    expect(seen.purposes).toEqual(request.purposes);
  });

  it('its own track and answers, without home staff names and reasons', () => {
    const seen = applyView('tracks', fr, [track('BR'), track('FR')], 'ZA');
    expect(seen).toHaveLength(1);
    expect(seen[0].country).toBe('FR');
    expect(seen[0].extensions).toEqual([{ previousDeadline: AT, newDeadline: AT, at: AT }]);
    expect(seen[0].responses[0].recordedBy).toEqual({
      username: 'liaison',
      role: 'foreign_liaison',
      country: 'FR',
    });
    expect(seen[0].responses[0].assets).toEqual(track('FR').responses[0].assets);
    expect(applyView('assetRegister', fr, register, 'ZA').items.map((a) => a.country)).toEqual([
      'FR',
    ]);
    const moved = applyView('asset', fr, asset('FR'), 'ZA');
    expect(moved.moves).toEqual([
      {
        id: 'm1',
        fromStatus: 'IDENTIFIED',
        toStatus: 'FREEZE_REQUESTED',
        mlaReference: 'MLA-1',
        at: AT,
      },
    ]);
    const entries = applyView('timeline', fr, timeline, 'ZA');
    expect('actor' in entries[0]).toBe(false);
    expect('reason' in entries[0].details).toBe(false);
    expect(applyView('timeline', { ...fr, country: 'BR' }, timeline, 'ZA')).toEqual([]);
  });

  it('a list row with its own target only', () => {
    const seen = applyView('requestSummary', fr, summary, 'ZA');
    expect(seen.targetCountries).toEqual(['FR']);
    expect('caseReference' in seen).toBe(false);
    expect(applyView('trackSummaries', fr, trackSummaries, 'ZA')).toEqual([trackSummaries[1]]);
  });
});

describe('views: roles and rules', () => {
  it('reads a request as home staff at home, as a liaison abroad, as nobody otherwise', () => {
    const both = { roles: ['investigator', 'foreign_liaison'] as Role[], country: 'FR' };
    expect(viewerRoles(both, 'FR')).toEqual(['investigator']);
    expect(viewerRoles(both, 'ZA')).toEqual(['foreign_liaison']);
    expect(viewerRoles({ roles: ['auditor', 'admin'], country: 'ZA' }, 'FR')).toEqual([]);
    expect(viewerRoles(both)).toEqual(['investigator', 'foreign_liaison']);
    expect(applyView('request', { roles: ['investigator'], country: 'ZA' }, request, 'FR')).toBe(
      undefined,
    );
  });

  it('leaves out undeclared fields, keeps nulls, filters arrays by country', () => {
    expect(applyRule({ fields: { a: true } }, { a: 1, b: 2 }, 'FR')).toEqual({ a: 1 });
    expect(applyRule({ fields: { a: { fields: { x: true } } } }, { a: null }, 'FR')).toEqual({
      a: null,
    });
    expect(applyRule({ own: '.', unassigned: 'drop', each: true }, ['BR', 'FR'], 'FR')).toEqual([
      'FR',
    ]);
    const rows = [{ c: 'BR' }, { c: 'FR' }, {}];
    expect(applyRule({ own: 'c', unassigned: 'keep', each: true }, rows, 'FR')).toEqual([
      { c: 'FR' },
      {},
    ]);
    expect(applyRule({ own: 'c', unassigned: 'drop', each: true }, rows, 'FR')).toEqual([
      { c: 'FR' },
    ]);
    expect(applyRule({ fields: { a: true } }, 'not an object', 'FR')).toBeUndefined();
  });

  it('every pair of roles merges for every response type', () => {
    for (const name of VIEW_NAMES) {
      for (const a of ROLES) {
        for (const b of ROLES) expect(() => viewFor(name, [a, b])).not.toThrow();
      }
    }
    expect(() => mergeRules({ fields: {} }, { each: true })).toThrow(/different shapes/);
  });

  it('a user with several roles sees the union of their views', () => {
    expect(mergeRules({ fields: { a: true } }, { fields: { b: true } })).toEqual({
      fields: { a: true, b: true },
    });
    expect(
      mergeRules({ own: 'c', unassigned: 'drop', each: true }, { each: { fields: {} } }),
    ).toEqual({ each: true });
    expect(mergeRules(false, { each: true })).toEqual({ each: true });
  });
});
