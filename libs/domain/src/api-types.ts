// Response bodies of the HTTP API, declared once: the API's services return them, the web app and
// the tests read them. Types only (import with `import type`): nothing here exists at runtime, so
// the web bundle gains no code. Field names are the route contract (design/api.md).
import type { RequestState } from './lifecycle';
import type { Grading, HandlingMarking } from './handling';

/** A page of a list, newest first; nextCursor fetches the next one (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A request as a list shows it (GET /trace-requests): what a row on screen needs, without the
 * content, state and allowedActions of the full view (GET /trace-requests/{id}); a page of 20
 * stays a few kB.
 */
export interface TraceRequestSummary {
  id: string;
  reference: string;
  status: string;
  kind: string;
  urgency: string;
  /** The national case number: home staff only (libs/domain/src/views.ts). */
  caseReference?: string;
  subjectName: string;
  /** The subject's names as drafted (what a list row shows; the rest is in the detail). */
  subject: { familyName: string; givenNames: string };
  requestingCountry: string;
  allMembers: boolean;
  /** The target countries the caller may see (a foreign liaison: its own). */
  targetCountries: string[];
  /** Country tracks by status, e.g. { AWAITING: 2, ANSWERED: 1 } (none before dispatch). */
  countryStatuses: Record<string, number>;
  /** The nearest deadline of a country that has not answered yet. */
  nextDeadline: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** One request waiting for the caller (a country track for overdue and liaison items). */
export interface WorkItem extends Pick<
  TraceRequestSummary,
  | 'id'
  | 'reference'
  | 'status'
  | 'kind'
  | 'urgency'
  | 'caseReference'
  | 'subjectName'
  | 'requestingCountry'
  | 'createdAt'
  | 'updatedAt'
> {
  /** The country track concerned (overdue countries, a liaison's answers). */
  country?: string;
  countryStatus?: string;
  deadline?: string;
}

export interface WorkSection {
  /** Everything waiting, even beyond the items shown. */
  total: number;
  /** Urgent first, then the longest waiting (or the nearest deadline) first. */
  items: WorkItem[];
}

export type SectionName =
  | 'drafts'
  | 'changesRequested'
  | 'queries'
  | 'awaitingReview'
  | 'readyForInterpol'
  | 'toClose'
  | 'overdueCountries'
  | 'awaitingAnswer'
  /** The requesting country's NCB: requests whose retention review is due (keep or erase). */
  | 'retentionReviews';

/** GET /work-queue: sections by name; only those of the caller's roles are present. */
export type WorkQueue = Partial<Record<SectionName, WorkSection>>;

export interface StatusCount {
  status: string;
  count: number;
}

/** One target country: how many tracks, how they stand, and how long answers took. */
export interface CountryResponseTimes {
  country: string;
  tracks: number;
  answered: number;
  open: number;
  overdue: number;
  /** Days from publication to the first substantive answer (not a mere acknowledgement). */
  averageDays: number | null;
  medianDays: number | null;
  maxDays: number | null;
}

export interface AssetFigure {
  status: string;
  /** null for assets reported without an estimated value. */
  currency: string | null;
  count: number;
  /** Sum of the estimated values, a decimal string (never a float). */
  amount: string | null;
}

/** GET /dashboard. */
export interface Dashboard {
  generatedAt: string;
  requestsByStatus: StatusCount[];
  responseTimes: CountryResponseTimes[];
  assets: AssetFigure[];
}

/** One entry of GET /trace-requests/{id}/history. */
export interface HistoryEntry {
  at: string;
  /** Who acted: home staff only (a foreign liaison is shown the role). */
  actor?: string;
  role: string;
  /** The country track concerned (its own entries, and the request's view of it). */
  country?: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  details: Record<string, unknown>;
  /** A recorded answer's handling code and grading (also inside details.response). */
  handling?: HandlingMarking & Grading;
  workflowId: string;
  eventId: string;
  /** The request was erased: this entry comes from the audit chain, without content. */
  erased?: true;
}

export interface ReplayStep {
  eventId: string;
  workflowId: string;
  runId: string;
  at: string;
  status: string;
  action: string;
  actor: string;
}

export interface ReplayedHistory {
  workflowId: string;
  runId: string;
  events: number;
  sha256: string;
  source: 'archive' | 'temporal';
  deterministic: boolean;
  error?: string;
}

/** POST /audit/trace-requests/{id}/replay. */
export interface ReplayReport {
  requestId: string;
  /**
   * The request was erased: its histories can no longer be decoded, so nothing was replayed
   * (deterministic is false, histories empty); the steps come from the audit chain.
   */
  erased?: true;
  deterministic: boolean;
  divergence?: string;
  /** History events over every replayed history (request runs and country tracks). */
  events: number;
  finalStatus: string;
  steps: ReplayStep[];
  histories: ReplayedHistory[];
  /** Recorded changes that the recorded inputs did not explain (absent when none). */
  problems?: string[];
  asOf?: string;
  /** With asOf: the folded state at that moment (null before the request existed). */
  state?: RequestState | null;
  status?: string | null;
}
