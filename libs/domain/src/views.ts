// Need-to-know, field by field: what each role sees of every response of the HTTP API, declared
// as data, and one pure function that applies a view to a response body. The API applies it in
// one place per response type (its serializer); the web app reads what is left. A field a view
// does not name is left out, so a new field is seen by nobody until it is declared here
// (test/unit/views.test.ts fails first).
//
// Pure (enums only): no I/O, nothing of Nest, so the web app and the workflow bundle may import it.
import type { Role } from './enums';

/**
 * What a role sees of one value:
 * - `true`: the value as it is (a whole subtree: the decision covers everything below);
 * - `false`: left out;
 * - `{ fields }`: an object, field by field (fields not named are left out);
 * - `{ each }`: an array, every element seen through `each`;
 * - `{ own }`: an array of which the viewer sees only what concerns its own country: the
 *   elements whose `own` field (or the element itself, when `own` is '.') is the viewer's
 *   country; elements naming no country are kept or dropped as `unassigned` says.
 */
export type Rule = boolean | FieldsRule | EachRule | OwnRule;
export interface FieldsRule {
  readonly fields: Readonly<Record<string, Rule>>;
}
export interface EachRule {
  readonly each: Rule;
}
export interface OwnRule {
  readonly own: string;
  readonly unassigned: 'keep' | 'drop';
  readonly each: Rule;
}

/**
 * Who a role reads as: staff of the requesting country (`home`: everything of their country's
 * requests), a foreign liaison (what was sent to its own country), or nobody (admins manage
 * users, never cases).
 */
export type Audience = 'home' | 'liaison' | 'none';
export const AUDIENCE_OF_ROLE: Readonly<Record<Role, Audience>> = Object.freeze({
  investigator: 'home',
  supervisor: 'home',
  ncb_officer: 'home',
  auditor: 'home',
  foreign_liaison: 'liaison',
  admin: 'none',
  interpol_admin: 'none',
});

const own = (field: string, each: Rule, unassigned: OwnRule['unassigned'] = 'drop'): OwnRule => ({
  own: field,
  unassigned,
  each,
});

/**
 * One target country at a glance: the detail's `jurisdictions` (with the track actions computed
 * for the caller, so whoever sees the track sees them), and what a list row counts.
 */
function trackSummaries(a: Audience, withActions = false): Rule {
  const each: Rule = {
    fields: {
      country: true,
      status: true,
      deadline: true,
      ...(withActions ? { allowedActions: true } : {}),
    },
  };
  return a === 'home' ? { each } : own('country', each);
}

/** GET /trace-requests/{id}, and every action's answer. */
function request(role: Role): Rule {
  const a = AUDIENCE_OF_ROLE[role];
  if (a === 'none') return false;
  const home = a === 'home';
  return {
    fields: {
      id: true,
      reference: true,
      status: true,
      version: true,
      requestingCountry: true,
      createdAt: true,
      updatedAt: true,
      allowedActions: true,
      // A hash of the whole content would let a liaison confirm guesses about what it is not shown.
      contentHash: home,
      // The content as drafted: a liaison gets what it needs to search (api.md, domain.md step 1).
      kind: true,
      language: true,
      urgency: true,
      caseReference: home, // the national case file's number: internal
      requestingAgency: true, // the counterpart to answer
      subject: true,
      offences: true,
      legalBasis: true,
      purposes: true,
      factsSummary: true,
      // The assets to trace in its own country, and those suspected nowhere in particular.
      assets: home ? true : own('suspectedCountry', true, 'keep'),
      targetCountries: home ? true : own('.', true),
      allMembers: true,
      jurisdictions: trackSummaries(a, true),
      // Where the request stands with INTERPOL: a liaison learns of the publication only.
      interpol: {
        fields: {
          noticeId: true,
          publishedAt: true,
          submittedAt: home,
          queries: home,
          refusalReasons: home,
        },
      },
      lastReview: home,
      approvals: home,
      withdrawal: home,
      closedSummary: home,
      // A liaison learns that the request is suspended and until when (its deadline waits), not
      // why or by whom at home; a cancellation reaches it as a notification.
      suspension: {
        fields: {
          since: true,
          until: true,
          extensions: true,
          orderedBy: true,
          reason: home,
          by: home,
        },
      },
      cancellation: home,
      // An erased request says when (no personal data in it), to every reader.
      erased: true,
      erasedAt: true,
      // Who may open the case (libs/domain/src/case-access.ts): the assigned investigators for
      // home staff; the break-glass openings and their reasons for the case's supervisors (and
      // the auditors).
      access: home
        ? {
            fields: {
              assignees: true,
              breakGlass: role === 'supervisor' || role === 'auditor',
            },
          }
        : false,
    },
  };
}

/** One row of GET /trace-requests. */
function requestSummary(a: Audience): Rule {
  if (a === 'none') return false;
  const home = a === 'home';
  return {
    fields: {
      id: true,
      reference: true,
      status: true,
      kind: true,
      urgency: true,
      caseReference: home,
      subjectName: true,
      subject: true,
      requestingCountry: true,
      allMembers: true,
      targetCountries: home ? true : own('.', true),
      // Counted over the tracks `trackSummaries` leaves the viewer (a liaison: its own).
      countryStatuses: true,
      nextDeadline: true,
      version: true,
      createdAt: true,
      updatedAt: true,
    },
  };
}

/** A recorded answer of a country (its own track's, for a liaison). */
function response(a: Audience): Rule {
  const home = a === 'home';
  return {
    fields: {
      id: true,
      externalReference: true,
      outcome: true,
      assets: true,
      narrative: true,
      handlingCode: true,
      handlingRestriction: true,
      sourceReliability: true,
      informationAccuracy: true,
      late: true,
      at: true,
      // Who recorded the answer (its liaison, the NCB officer who took it from INTERPOL channels,
      // the gateway) is part of the answer's record; internal user ids are not.
      recordedBy: { fields: { userId: home, username: true, role: true, country: true } },
    },
  };
}

/** One country's track with its responses (POST .../responses and .../extension answer one). */
function track(a: Audience): Rule {
  if (a === 'none') return false;
  const home = a === 'home';
  return {
    fields: {
      country: true,
      status: true,
      deadline: true,
      overdueAt: true,
      pausedSince: true,
      allowedActions: true,
      // The new deadline, not who granted it or the supervisor's reason.
      extensions: {
        each: {
          fields: { previousDeadline: true, newDeadline: true, at: true, by: home, reason: home },
        },
      },
      responses: { each: response(a) },
    },
  };
}

/** GET /trace-requests/{id}/jurisdictions. */
function tracks(a: Audience): Rule {
  if (a === 'none') return false;
  return a === 'home' ? { each: track(a) } : own('country', track(a));
}

/** One asset of the register, as reported by a country, with its follow-up. */
function asset(a: Audience): Rule {
  if (a === 'none') return false;
  const home = a === 'home';
  return {
    fields: {
      id: true,
      requestId: true,
      reference: true,
      country: true,
      externalReference: true,
      itemIndex: true,
      type: true,
      description: true,
      identifiers: true,
      holder: true,
      estimatedValue: true,
      status: true,
      version: true,
      createdAt: true,
      updatedAt: true,
      // The bilateral steps and their MLA references concern the reporting country too; who at
      // home moved it, and their note, do not.
      moves: {
        each: {
          fields: {
            id: true,
            fromStatus: true,
            toStatus: true,
            mlaReference: true,
            at: true,
            note: home,
            actor: home,
          },
        },
      },
    },
  };
}

/** GET /trace-requests/{id}/assets and GET /assets: a liaison sees what its country reported. */
function assetRegister(a: Audience): Rule {
  if (a === 'none') return false;
  return {
    fields: {
      items: a === 'home' ? { each: asset(a) } : own('country', asset(a)),
      totals: true, // summed in SQL over the same scope as the items
      nextCursor: true,
    },
  };
}

/** GET /trace-requests/{id}/history: a liaison reads the entries of its own country's track. */
function timeline(a: Audience): Rule {
  if (a === 'none') return false;
  const home = a === 'home';
  const entry: Rule = {
    fields: {
      at: true,
      actor: home,
      role: true,
      country: true,
      action: true,
      fromStatus: true,
      toStatus: true,
      workflowId: true,
      eventId: true,
      // The handling code of a recorded answer goes wherever the answer goes.
      handling: true,
      // An erased request's entry (from the audit chain, without content).
      erased: true,
      // Home staff: the whole recorded fact. A liaison: its track's facts, without the reasons
      // the home country gave (an extension's reason is an internal note).
      details: home
        ? true
        : {
            fields: {
              country: true,
              status: true,
              previous: true,
              response: true,
              from: true,
              late: true,
              deadline: true,
              previousDeadline: true,
              newDeadline: true,
              reason: false,
            },
          },
    },
  };
  return home ? { each: entry } : own('country', entry);
}

/** GET /work-queue: each section belongs to the role that works it. */
function workQueue(role: Role): Rule {
  const a = AUDIENCE_OF_ROLE[role];
  if (a === 'none') return false;
  const home = a === 'home';
  const item: Rule = {
    fields: {
      id: true,
      reference: true,
      status: true,
      kind: true,
      urgency: true,
      caseReference: home,
      subjectName: true,
      requestingCountry: true,
      createdAt: true,
      updatedAt: true,
      country: true,
      countryStatus: true,
      deadline: true,
    },
  };
  const section = (...owners: Role[]): Rule =>
    owners.includes(role)
      ? { fields: { total: true, items: home ? { each: item } : own('country', item) } }
      : false;
  return {
    fields: {
      drafts: section('investigator'),
      changesRequested: section('investigator'),
      queries: section('investigator'),
      awaitingReview: section('supervisor'),
      readyForInterpol: section('ncb_officer'),
      toClose: section('ncb_officer'),
      overdueCountries: section('ncb_officer'),
      awaitingAnswer: section('foreign_liaison'),
      retentionReviews: section('ncb_officer'),
    },
  };
}

/** GET /dashboard: figures over what the caller may see (SQL scopes the rows the same way). */
function dashboard(a: Audience): Rule {
  if (a === 'none') return false;
  const times: Rule = {
    fields: {
      country: true,
      tracks: true,
      answered: true,
      open: true,
      overdue: true,
      averageDays: true,
      medianDays: true,
      maxDays: true,
    },
  };
  return {
    fields: {
      generatedAt: true,
      requestsByStatus: { each: { fields: { status: true, count: true } } },
      // Home staff see every target country's; a liaison its own.
      responseTimes: a === 'home' ? { each: times } : own('country', times),
      assets: { each: { fields: { status: true, currency: true, count: true, amount: true } } },
    },
  };
}

/** One notification (GET /notifications items, POST /notifications/{id}/read): everyone's own. */
const NOTIFICATION: Rule = {
  fields: {
    id: true,
    requestId: true,
    reference: true,
    kind: true,
    message: true,
    createdAt: true,
    readAt: true,
  },
};

/** The response types of the API that carry case data, by the name the serializers use. */
export const VIEW_NAMES = [
  'request',
  'requestSummary',
  'trackSummaries',
  'track',
  'tracks',
  'asset',
  'assetRegister',
  'timeline',
  'workQueue',
  'dashboard',
  'notification',
  'notifications',
] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

const ROLE_LIST = Object.keys(AUDIENCE_OF_ROLE) as Role[];

function perRole(view: (role: Role) => Rule): Readonly<Record<Role, Rule>> {
  return Object.freeze(
    Object.fromEntries(ROLE_LIST.map((r) => [r, view(r)])) as Record<Role, Rule>,
  );
}
const byAudience = (view: (a: Audience) => Rule) => perRole((r) => view(AUDIENCE_OF_ROLE[r]));

/** The declaration: for every response type, what each role sees of it. */
export const VIEWS: Readonly<Record<ViewName, Readonly<Record<Role, Rule>>>> = Object.freeze({
  request: perRole(request),
  requestSummary: byAudience(requestSummary),
  trackSummaries: byAudience((a) => (a === 'none' ? false : trackSummaries(a))),
  track: byAudience(track),
  tracks: byAudience(tracks),
  asset: byAudience(asset),
  assetRegister: byAudience(assetRegister),
  timeline: byAudience(timeline),
  workQueue: perRole(workQueue),
  dashboard: byAudience(dashboard),
  notification: perRole(() => NOTIFICATION),
  notifications: perRole(() => ({ fields: { items: { each: NOTIFICATION }, nextCursor: true } })),
});

/** Who is looking: the user's roles and country (the JWT's). */
export interface Viewer {
  roles: readonly Role[];
  country: string;
}

/**
 * The roles a viewer reads a request's data in: its home roles when the request is its
 * country's, `foreign_liaison` when it is another country's. Without a request (inboxes,
 * cross-request figures, whose rows SQL scopes) every role the viewer holds.
 */
export function viewerRoles(viewer: Viewer, requestingCountry?: string): Role[] {
  if (requestingCountry === undefined) return [...viewer.roles];
  return viewer.roles.filter((r) => {
    const a = AUDIENCE_OF_ROLE[r];
    if (a === 'home') return viewer.country === requestingCountry;
    if (a === 'liaison') return viewer.country !== requestingCountry;
    return false;
  });
}

/** What holding both rules shows: the union (a user with several roles sees what any shows). */
export function mergeRules(a: Rule, b: Rule): Rule {
  if (a === true || b === true) return true;
  if (a === false) return b;
  if (b === false) return a;
  if ('fields' in a && 'fields' in b) {
    const keys = new Set([...Object.keys(a.fields), ...Object.keys(b.fields)]);
    return {
      fields: Object.fromEntries(
        [...keys].map((k) => [k, mergeRules(a.fields[k] ?? false, b.fields[k] ?? false)]),
      ),
    };
  }
  if ('own' in a && 'own' in b && a.own === b.own) {
    return {
      own: a.own,
      unassigned: a.unassigned === 'keep' || b.unassigned === 'keep' ? 'keep' : 'drop',
      each: mergeRules(a.each, b.each),
    };
  }
  // Seeing every element wins over seeing one's own.
  if ('each' in a && 'each' in b) return { each: mergeRules(a.each, b.each) };
  // Shapes that do not combine are a mistake of the declaration (test/unit/views.test.ts merges
  // every pair of roles): refuse rather than guess which is safe.
  throw new Error('views: rules of different shapes cannot be merged');
}

/** The view of `name` for a viewer in these roles (nothing at all without a role). */
export function viewFor(name: ViewName, roles: readonly Role[]): Rule {
  return roles.reduce<Rule>((acc, r) => mergeRules(acc, VIEWS[name][r] ?? false), false);
}

/**
 * A value as a rule shows it to a viewer of `country`: left-out fields are absent (not null),
 * filtered arrays keep their order. Returns undefined when the rule shows nothing.
 */
export function applyRule(rule: Rule, value: unknown, country: string): unknown {
  if (rule === false) return undefined;
  if (rule === true || value === null || value === undefined) return value;
  if ('fields' in rule) {
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const sub = rule.fields[key];
      if (sub === undefined || sub === false) continue;
      const seen = applyRule(sub, v, country);
      if (seen !== undefined) out[key] = seen;
    }
    return out;
  }
  if (!Array.isArray(value)) return undefined;
  const kept =
    'own' in rule
      ? value.filter((el: unknown) => {
          const cc =
            rule.own === '.'
              ? el
              : el && typeof el === 'object'
                ? (el as Record<string, unknown>)[rule.own]
                : undefined;
          if (cc === undefined || cc === null) return rule.unassigned === 'keep';
          return cc === country;
        })
      : value;
  return kept.map((el: unknown) => applyRule(rule.each, el, country));
}

/**
 * A response body as `viewer` may see it: the view `name` for the roles it reads in (see
 * viewerRoles; `requestingCountry` is that of the request the body belongs to), applied.
 * Fields the viewer may not see are absent; undefined when it may see none of it.
 */
export function applyView<T>(
  name: ViewName,
  viewer: Viewer,
  body: T,
  requestingCountry?: string,
): T {
  const rule = viewFor(name, viewerRoles(viewer, requestingCountry));
  return applyRule(rule, body, viewer.country) as T;
}
