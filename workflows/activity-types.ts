/**
 * The activities the workflows call, as types only: workflow code may import this file, the
 * worker implements it (apps/worker/src/activities). Every activity is idempotent: Temporal
 * retries it after a crash or timeout, and a retry must change nothing twice.
 */
import type { Checkpoint } from '../libs/audit/src/checkpoints';
import type { JurisdictionState } from '../libs/domain/src/jurisdiction';
import type { Role } from '../libs/domain/src/enums';
import type { Principal } from '../libs/domain/src/types';
import type {
  GsQueryAnswerMessage,
  GsSubmissionMessage,
  GsWithdrawalMessage,
  NcbDiffusionMessage,
} from '../libs/gateway/src/messages';

/**
 * An event recorded by a workflow, for the audit chain: the projection activity appends one entry
 * per event in its own transaction, keyed `<workflowId>:<seq>` so a retry writes it once.
 */
export interface AuditedEvent {
  /** The event's number in its workflow (the state_seq it brought the state to). */
  seq: number;
  type: string;
  at: string;
  actor: Principal;
  fromStatus: string;
  toStatus: string;
  details: Record<string, unknown>;
}

export interface RequestProjection {
  id: string;
  reference: string;
  requestingCountry: string;
  kind: string;
  urgency: string;
  language: string;
  status: string;
  version: number;
  /** Events folded so far; the read model ignores a projection older than what it holds. */
  stateSeq: number;
  caseReference: string;
  subjectName: string;
  content: Record<string, unknown>;
  contentHash: string;
  state: Record<string, unknown>;
  drafterId: string;
  workflowId: string;
  createdAt: string;
  updatedAt: string;
  /** Events recorded since the previous projection (absent in histories from before the chain). */
  audit?: AuditedEvent[];
}

/** One country track's read model; responses and found assets are derived from `state`. */
export interface JurisdictionProjection {
  requestId: string;
  reference: string;
  country: string;
  /** Events folded so far in this track (same guard as RequestProjection.stateSeq). */
  stateSeq: number;
  state: JurisdictionState;
  workflowId: string;
  updatedAt: string;
  /** Events recorded since the previous projection. */
  audit?: AuditedEvent[];
}

export interface QuotaReservation {
  requestId: string;
  country: string;
  /** Quota year (UTC calendar year of the submission). */
  year: number;
  limit: number;
}

export type QuotaResult =
  { ok: true; used: number; limit: number } | { ok: false; used: number; limit: number };

/** What goes out to INTERPOL; the activity signs it and posts it to INTERPOL_GATEWAY_URL. */
export type OutboundMessage =
  | { type: 'submission'; idempotencyKey: string; body: GsSubmissionMessage }
  | { type: 'diffusion'; idempotencyKey: string; body: NcbDiffusionMessage }
  | { type: 'queryAnswer'; idempotencyKey: string; body: GsQueryAnswerMessage }
  | { type: 'withdrawal'; idempotencyKey: string; body: GsWithdrawalMessage };

export interface Notification {
  /** Unique per notification: a retried activity inserts it once. */
  key: string;
  /** Absent for notices about no request (the audit chain's alarm). */
  requestId?: string;
  reference?: string;
  /** Who should see it: a role within a country, and/or one user. */
  recipientRole?: Role;
  recipientCountry?: string;
  recipientUserId?: string;
  kind: string;
  message: string;
  at: string;
}

/** What a verification of the audit chain found (libs/audit `verify`). */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  head?: { seq: number; hash: string };
  firstBrokenEntry?: { seq: number; reason: string };
  /** The signed checkpoints checked on the way (libs/audit CheckpointReport). */
  checkpoints?: {
    total: number;
    verified: number;
    latest?: { seq: number; hash: string; signedAt: string; keyId: string };
    firstContradicted?: { seq: number; signedAt: string; keyId: string; reason: string };
  };
  /**
   * The head this run signed, when one was due (libs/audit Checkpoint): returned by the activity,
   * so it is also kept in this workflow's Temporal history, outside PostgreSQL.
   */
  checkpoint?: Checkpoint;
}

export interface AuditActivities {
  /** Walks the whole audit chain; read-only, so a retry is harmless. */
  verifyAuditChain(): Promise<AuditVerification>;
}

/** What one retention sweep found and announced (counts only: no request content). */
export interface RetentionSweepResult {
  /** Reviews newly due, announced to the requesting NCB. */
  due: number;
  /** Reviews due for longer than RETENTION_REVIEW_GRACE, escalated to the admins. */
  overdue: number;
  /** Ordered erasures still pending past their deadline, escalated to the admins and the NCB. */
  lateErasures: number;
}

export interface RetentionActivities {
  /** Announces due reviews, escalates overdue ones and late erasure orders; each once. */
  sweepRetention(): Promise<RetentionSweepResult>;
}

export interface RequestActivities {
  /** Idempotent upsert of the request's read model. */
  projectRequest(projection: RequestProjection): Promise<void>;
  /** Idempotent upsert of one country track, its responses and the assets it reported. */
  projectJurisdiction(projection: JurisdictionProjection): Promise<void>;
  /** Takes one slot of the country's yearly quota for this request, atomically; once per request. */
  reserveQuota(reservation: QuotaReservation): Promise<QuotaResult>;
  /** Gives the slot back (a submission refused before it left). Idempotent. */
  releaseQuota(reservation: Pick<QuotaReservation, 'requestId'>): Promise<void>;
  /** Signed POST to the INTERPOL gateway; throws (and is retried) until it is accepted. */
  sendToInterpol(message: OutboundMessage): Promise<void>;
  /** Stores (once) and logs a notification. */
  notify(notification: Notification): Promise<void>;
}
