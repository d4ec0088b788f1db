import { ACTIONS, isFinalJurisdictionStatus } from '../../../../libs/domain/src/enums';
import type { Action, JurisdictionStatus, TrackAction } from '../../../../libs/domain/src/enums';
import { allowedActions, initialState } from '../../../../libs/domain/src/lifecycle';
import type {
  Approval,
  Cancellation,
  InterpolTrack,
  RequestState,
  ReviewNote,
  Suspension,
  Withdrawal,
} from '../../../../libs/domain/src/lifecycle';
import type { TraceRequestContent } from '../../../../libs/domain/src/types';
import { HOME_ROLES } from '../../../../libs/domain/src/rules';
import type { TraceRequestSummary } from '../../../../libs/domain/src/api-types';
import { applyView } from '../../../../libs/domain/src/views';
import type { TraceRequestEntity } from '../../../../libs/persistence/src/entities';
import type { AuthUser } from '../auth/actor';
import { trackActionsFor } from '../jurisdictions/track-actions';

/** One target country at a glance (the full track is GET .../jurisdictions). */
export interface JurisdictionSummary {
  country: string;
  status: string;
  deadline: string | null;
}

/**
 * What the API shows of a request: its content as drafted plus where it stands. The caller's
 * declared view (libs/domain/src/views.ts) leaves out what its roles may not see.
 */
export interface TraceRequestView extends TraceRequestContent {
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
  interpol?: InterpolTrack;
  lastReview?: ReviewNote;
  approvals?: Approval[];
  withdrawal?: Withdrawal;
  closedSummary?: string;
  suspension?: Suspension;
  cancellation?: Cancellation;
  /** Erased: the content is gone; when (libs/domain/src/erasure.ts). */
  erased?: true;
  erasedAt?: string;
  /** Who may open the case besides the country's supervisors, NCB officers and auditors. */
  access?: CaseAccessView;
}

/** The investigators assigned to a request, and its break-glass openings with their reasons. */
export interface CaseAccessView {
  assignees: { userId: string; username: string; assignedBy: string; at: string }[];
  breakGlass: { userId: string; username: string; reason: string; at: string }[];
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
 * The view of a request, as the caller's roles may see it (libs/domain/src/views.ts). `fresh` is the state an update just returned: when the read model has
 * not caught up with it yet (older updatedAt), the fresh state wins, so an action's answer always
 * shows its own effect (read-your-writes) even if a projection lags.
 */
export function toView(
  row: TraceRequestEntity,
  user: AuthUser,
  jurisdictionRows: JurisdictionSummary[] = [],
  fresh?: RequestState,
  access?: CaseAccessView,
): TraceRequestView {
  const projected = projectedState(row);
  const useFresh =
    fresh !== undefined &&
    (projected === undefined || Date.parse(fresh.updatedAt) > row.updatedAt.getTime());
  const state = useFresh ? fresh : projected;
  const content = (useFresh ? fresh.content : row.content) as unknown as TraceRequestContent;

  // The table holds deadlines; the request state knows every country as soon as it is published.
  const byCountry = new Map(jurisdictionRows.map((j) => [j.country, j]));
  for (const [country, status] of Object.entries(state?.jurisdictions ?? {})) {
    if (!byCountry.has(country)) byCountry.set(country, { country, status, deadline: null });
  }
  const countries = [...byCountry.keys()].sort();
  const status = useFresh ? fresh.status : row.status;

  const view: TraceRequestView = {
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
    ...(state ? progressOf(state) : {}),
    ...(access ? { access } : {}),
    // Erased: the content is gone (the spread above is empty); say when.
    ...(row.erasedAt ? { erased: true, erasedAt: iso(row.erasedAt) } : {}),
  };
  return applyView('request', user, view, row.requestingCountry);
}

/**
 * Where the request stands beyond its status: the GS track (its open question is what the
 * investigator answers), the last review note, withdrawal and closing summary.
 */
function progressOf(state: RequestState): Partial<TraceRequestView> {
  const out: Partial<TraceRequestView> = { interpol: state.interpol ?? { queries: [] } };
  // What of a suspension or a cancellation each role sees is the view's (libs/domain views.ts).
  if (state.suspension) out.suspension = state.suspension;
  if (state.cancellation) out.cancellation = state.cancellation;
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

/**
 * A list row as the caller's roles may see it: the counts and the next deadline are taken over
 * the tracks the declared view leaves the caller (a liaison: its own country's).
 */
export function toSummary(row: SummaryRow, user: AuthUser): TraceRequestSummary {
  const all = (row.tracks ?? []).map(([country, status, deadline]) => ({
    country,
    status,
    deadline,
  }));
  const countries = [...new Set([...(row.targets ?? []), ...all.map((t) => t.country)])].sort();
  const tracks = applyView('trackSummaries', user, all, row.requesting_country) ?? [];
  const countryStatuses: Record<string, number> = {};
  let nextDeadline: string | null = null;
  for (const { status, deadline } of tracks) {
    countryStatuses[status] = (countryStatuses[status] ?? 0) + 1;
    if (deadline && !isFinalJurisdictionStatus(status as JurisdictionStatus)) {
      const at = iso(deadline);
      if (nextDeadline === null || at < nextDeadline) nextDeadline = at;
    }
  }
  const summary: TraceRequestSummary = {
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
    targetCountries: countries,
    countryStatuses,
    nextDeadline,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
  return applyView('requestSummary', user, summary, row.requesting_country);
}
