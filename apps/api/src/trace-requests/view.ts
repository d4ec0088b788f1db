import { ACTIONS, isFinalJurisdictionStatus } from '../../../../libs/domain/src/enums';
import type { Action, JurisdictionStatus, TrackAction } from '../../../../libs/domain/src/enums';
import { allowedActions, initialState } from '../../../../libs/domain/src/lifecycle';
import type { RequestState } from '../../../../libs/domain/src/lifecycle';
import { HOME_ROLES } from '../../../../libs/domain/src/rules';
import type { TraceRequestSummary } from '../../../../libs/domain/src/api-types';
import type { TraceRequestEntity } from '../../../../libs/persistence/src/entities';
import type { AuthUser } from '../auth/actor';
import { trackActionsFor } from '../jurisdictions/track-actions';

/** One target country at a glance (the full track is GET .../jurisdictions). */
export interface JurisdictionSummary {
  country: string;
  status: string;
  deadline: string | null;
}

/** What the API shows of a request: its content as drafted plus where it stands. */
export interface TraceRequestView extends Record<string, unknown> {
  id: string;
  reference: string;
  status: string;
  version: number;
  requestingCountry: string;
  contentHash: string;
  createdAt: string;
  updatedAt: string;
  /** The api.md action names the caller may take now (union over the caller's roles). */
  allowedActions: Action[];
  /**
   * Per target country: status, deadline and the track actions the caller may take now (a
   * foreign liaison sees its own country only).
   */
  jurisdictions: (JurisdictionSummary & { allowedActions: TrackAction[] })[];
}

/**
 * The domain's allowedActions for every role the caller holds, in api.md order (the domain
 * refuses the roles that take no action: auditors, admins, liaisons).
 */
export function actionsFor(state: RequestState | null | undefined, user: AuthUser): Action[] {
  if (!state || typeof state !== 'object' || !state.status) return [];
  const allowed = new Set<Action>();
  for (const role of user.roles) {
    const actor = { userId: user.userId, username: user.username, role, country: user.country };
    for (const action of allowedActions(state, actor)) allowed.add(action);
  }
  return ACTIONS.filter((a) => allowed.has(a));
}

/** Staff of the requesting country (a foreign liaison, or another country's staff, is not). */
export function isHomeStaff(user: AuthUser, requestingCountry: string): boolean {
  return user.country === requestingCountry && HOME_ROLES.some((r) => user.roles.includes(r));
}

/** A foreign liaison sees its own country's track only. */
export function visibleCountries(
  user: AuthUser,
  requestingCountry: string,
  countries: string[],
): string[] {
  return isHomeStaff(user, requestingCountry)
    ? countries
    : countries.filter((c) => c === user.country);
}

/**
 * The workflow state as last projected. A request just created has no projection yet (the API
 * writes its row before the workflow's first projection lands): its state is then the initial
 * DRAFT state, which the domain derives from the same facts the row holds.
 */
function projectedState(row: TraceRequestEntity): RequestState | undefined {
  if (row.state) return row.state as unknown as RequestState;
  if (row.status !== 'DRAFT') return undefined;
  const at = row.createdAt.toISOString();
  return initialState({
    type: 'Created',
    at,
    actor: {
      userId: row.drafterId,
      username: '',
      role: 'investigator',
      country: row.requestingCountry,
    },
    id: row.id,
    reference: row.reference,
    content: row.content as unknown as RequestState['content'],
    contentHash: row.contentHash,
    requestingCountry: row.requestingCountry,
    // Not known here (configuration at creation); it plays no part in what is allowed now.
    requiredApprovals: 1,
  });
}

const iso = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * The view of a request. `fresh` is the state an update just returned: when the read model has
 * not caught up with it yet (older updatedAt), the fresh state wins, so an action's answer always
 * shows its own effect (read-your-writes) even if a projection lags.
 */
export function toView(
  row: TraceRequestEntity,
  user: AuthUser,
  jurisdictionRows: JurisdictionSummary[] = [],
  fresh?: RequestState,
): TraceRequestView {
  const projected = projectedState(row);
  const useFresh =
    fresh !== undefined &&
    (projected === undefined || Date.parse(fresh.updatedAt) > row.updatedAt.getTime());
  const state = useFresh ? fresh : projected;
  const content = useFresh ? (fresh.content as unknown as Record<string, unknown>) : row.content;

  // The table holds deadlines; the request state knows every country as soon as it is published.
  const byCountry = new Map(jurisdictionRows.map((j) => [j.country, j]));
  for (const [country, status] of Object.entries(state?.jurisdictions ?? {})) {
    if (!byCountry.has(country)) byCountry.set(country, { country, status, deadline: null });
  }
  const countries = visibleCountries(user, row.requestingCountry, [...byCountry.keys()].sort());
  const status = useFresh ? fresh.status : row.status;

  return {
    ...content,
    id: row.id,
    reference: row.reference,
    status,
    version: useFresh ? fresh.version : row.version,
    requestingCountry: row.requestingCountry,
    contentHash: useFresh ? fresh.contentHash : row.contentHash,
    createdAt: iso(row.createdAt),
    updatedAt: useFresh ? iso(fresh.updatedAt) : iso(row.updatedAt),
    allowedActions: actionsFor(state, user),
    jurisdictions: countries.map((c) => {
      const track = byCountry.get(c)!;
      const facts = {
        ...track,
        status: track.status as JurisdictionStatus,
        requestingCountry: row.requestingCountry,
      };
      return { ...track, allowedActions: trackActionsFor(user, status, facts) };
    }),
    ...(state ? progressOf(state, isHomeStaff(user, row.requestingCountry)) : {}),
    // Erased: the content is gone (the spread above is empty); say when.
    ...(row.erasedAt ? { erased: true, erasedAt: iso(row.erasedAt) } : {}),
  };
}

/**
 * Where the request stands beyond its status: the GS track (its open question is what the
 * investigator answers), and for home staff the last review note, withdrawal and closing summary.
 */
function progressOf(state: RequestState, home: boolean): Record<string, unknown> {
  const interpol = state.interpol ?? { queries: [] };
  const out: Record<string, unknown> = {
    interpol: home
      ? interpol
      : { noticeId: interpol.noticeId, publishedAt: interpol.publishedAt, queries: [] },
  };
  if (!home) return out;
  if (state.lastReview) out.lastReview = state.lastReview;
  if (state.withdrawal) out.withdrawal = state.withdrawal;
  if (state.closedSummary) out.closedSummary = state.closedSummary;
  if (state.approvals?.length) out.approvals = state.approvals;
  return out;
}

/** The columns a summary is built from (one query for the whole page). */
export interface SummaryRow {
  id: string;
  reference: string;
  status: string;
  kind: string;
  urgency: string;
  case_reference: string;
  subject_name: string;
  subject: { familyName: string; givenNames: string } | null;
  requesting_country: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  targets: string[] | null;
  all_members: boolean;
  /** [country, status, deadline] per track. */
  tracks: [string, string, string | null][] | null;
}

export function toSummary(row: SummaryRow, user: AuthUser): TraceRequestSummary {
  const tracks = row.tracks ?? [];
  const countries = [...new Set([...(row.targets ?? []), ...tracks.map((t) => t[0])])].sort();
  const visible = new Set(visibleCountries(user, row.requesting_country, countries));
  const countryStatuses: Record<string, number> = {};
  let nextDeadline: string | null = null;
  for (const [country, status, deadline] of tracks) {
    if (!visible.has(country)) continue;
    countryStatuses[status] = (countryStatuses[status] ?? 0) + 1;
    if (deadline && !isFinalJurisdictionStatus(status as JurisdictionStatus)) {
      const at = iso(deadline);
      if (nextDeadline === null || at < nextDeadline) nextDeadline = at;
    }
  }
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    kind: row.kind,
    urgency: row.urgency,
    caseReference: row.case_reference,
    subjectName: row.subject_name,
    subject: row.subject ?? { familyName: '', givenNames: '' },
    requestingCountry: row.requesting_country,
    allMembers: row.all_members,
    targetCountries: countries.filter((c) => visible.has(c)),
    countryStatuses,
    nextDeadline,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
