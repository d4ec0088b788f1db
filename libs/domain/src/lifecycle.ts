// The trace-request state machine as pure functions: decide(state, command) -> events | refusal
// and evolve(state, event) -> state. The workflow's update validators call decide, the API asks
// allowedActions, auditors fold recorded events. PURE: imports only enums/types/limits (Temporal
// workflow sandbox), no clock (time comes in as `now`), no hashing (hashes come in as strings).
import { durationMs, isIsoDuration, isoFromMs } from './durations';
import {
  Action,
  GS_DECISIONS,
  JURISDICTION_STATUSES,
  REQUEST_KINDS,
  REVIEW_DECISIONS,
  RequestStatus,
  isFinalJurisdictionStatus,
  isFinalRequestStatus,
} from './enums';
import type { GsDecision, JurisdictionStatus, ReviewDecision, Role } from './enums';
import { LIMITS } from './limits';
import {
  ACTION_ROLES,
  CANCELLABLE_STATUSES,
  EDITABLE_STATUSES,
  RefusalCode,
  SUSPENDABLE_STATUSES,
  SUSPENSION_RULES,
  TRACKS_RUNNING_STATUSES,
} from './rules';
import type {
  Attestation,
  CountryCode,
  Decision,
  IsoDateTime,
  Principal,
  Refusal,
  TraceRequestContent,
} from './types';

// ---------------------------------------------------------------------------------------------
// State

export interface Approval {
  userId: string;
  at: IsoDateTime;
}

export interface InterpolQuery {
  question: string;
  askedAt: IsoDateTime;
  answer?: string;
  answeredAt?: IsoDateTime;
}

export interface InterpolTrack {
  submittedAt?: IsoDateTime;
  publishedAt?: IsoDateTime;
  noticeId?: string;
  queries: InterpolQuery[];
  refusalReasons?: string[];
}

export interface Withdrawal {
  reason: string;
  at: IsoDateTime;
  by: string;
  /** Set when the General Secretariat ordered a dispatched diffusion withdrawn. */
  orderedBy?: 'interpol_gs';
}

/** A running suspension: the country tracks' deadlines are paused until it ends. */
export interface Suspension {
  reason: string;
  since: IsoDateTime;
  /** When it ends by itself (a durable timer resumes the request then). */
  until: IsoDateTime;
  by: string;
  /** Set when the General Secretariat ordered it: only the GS extends or lifts it then. */
  orderedBy?: 'interpol_gs';
  /** Extensions taken (SUSPENSION_RULES.maxExtensions at most). */
  extensions: number;
}

export interface Cancellation {
  reason: string;
  at: IsoDateTime;
}

export interface ReviewNote {
  decision: ReviewDecision;
  comment?: string;
  by: string;
  at: IsoDateTime;
}

export interface RequestState {
  id: string;
  reference: string;
  status: RequestStatus;
  /** Content version: 1 at creation, +1 per edit (the PATCH If-Match value). */
  version: number;
  content: TraceRequestContent;
  /** Hash of `content`, computed outside the domain (hashing needs crypto). */
  contentHash: string;
  requestingCountry: CountryCode;
  drafterId: string;
  /** Users other than the drafter who edited the content; none of them may review it. */
  editorIds: string[];
  /** Approvals of the current review round (reset by a new submission or a change request). */
  approvals: Approval[];
  requiredApprovals: 1 | 2;
  approvedContentHash?: string;
  submittedContentHash?: string;
  interpol: InterpolTrack;
  /** Per target country, mirrored from the per-country tracks; filled on publication. */
  jurisdictions: Record<CountryCode, JurisdictionStatus>;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  lastReview?: ReviewNote;
  closedSummary?: string;
  withdrawal?: Withdrawal;
  completedAt?: IsoDateTime;
  expiredAt?: IsoDateTime;
  /** Present while suspended (the status stays PUBLISHED or COMPLETED). */
  suspension?: Suspension;
  cancellation?: Cancellation;
}

// ---------------------------------------------------------------------------------------------
// Events (facts; evolve trusts them)

interface EventBase {
  at: IsoDateTime;
  actor: Principal;
}

export interface CreatedEvent extends EventBase {
  type: 'Created';
  id: string;
  reference: string;
  content: TraceRequestContent;
  contentHash: string;
  requestingCountry: CountryCode;
  requiredApprovals: 1 | 2;
}
export interface EditedEvent extends EventBase {
  type: 'Edited';
  version: number;
  content: TraceRequestContent;
  contentHash: string;
}
export interface SubmittedForReviewEvent extends EventBase {
  type: 'SubmittedForReview';
  version: number;
}
/** A partial approval: level 1 of 2. */
export interface ApprovalRecordedEvent extends EventBase {
  type: 'ApprovalRecorded';
  level: number;
  of: number;
  comment?: string;
}
export interface ApprovedEvent extends EventBase {
  type: 'Approved';
  level: number;
  contentHash: string;
  comment?: string;
}
export interface RejectedEvent extends EventBase {
  type: 'Rejected';
  comment: string;
}
export interface ChangesRequestedEvent extends EventBase {
  type: 'ChangesRequested';
  comment: string;
}
export interface SubmittedToInterpolEvent extends EventBase {
  type: 'SubmittedToInterpol';
  contentHash: string;
  attestation: Attestation;
}
/** A notice published by the GS, or a diffusion dispatched by the NCB itself. */
export interface PublishedEvent extends EventBase {
  type: 'Published';
  channel: 'notice' | 'diffusion';
  countries: CountryCode[];
  noticeId?: string;
}
export interface RefusedEvent extends EventBase {
  type: 'Refused';
  reasons: string[];
}
export interface QueriedEvent extends EventBase {
  type: 'Queried';
  question: string;
}
export interface QueryAnsweredEvent extends EventBase {
  type: 'QueryAnswered';
  answer: string;
}
export interface WithdrawnEvent extends EventBase {
  type: 'Withdrawn';
  reason: string;
  orderedBy?: 'interpol_gs';
}
export interface ClosedEvent extends EventBase {
  type: 'Closed';
  summary: string;
}
export interface JurisdictionChangedEvent extends EventBase {
  type: 'JurisdictionChanged';
  country: CountryCode;
  status: JurisdictionStatus;
  previous?: JurisdictionStatus;
}
export interface CompletedEvent extends EventBase {
  type: 'Completed';
}
export interface ExpiredEvent extends EventBase {
  type: 'Expired';
}

export interface SuspendedEvent extends EventBase {
  type: 'Suspended';
  reason: string;
  until: IsoDateTime;
  orderedBy?: 'interpol_gs';
}
export interface SuspensionExtendedEvent extends EventBase {
  type: 'SuspensionExtended';
  reason: string;
  previousUntil: IsoDateTime;
  until: IsoDateTime;
}
/** The suspension ended: lifted by the NCB or the GS, or expired at its end (`expired`). */
export interface ResumedEvent extends EventBase {
  type: 'Resumed';
  suspendedSince: IsoDateTime;
  expired: boolean;
}
export interface CancelledEvent extends EventBase {
  type: 'Cancelled';
  reason: string;
}

export type RequestEvent =
  | CreatedEvent
  | EditedEvent
  | SubmittedForReviewEvent
  | ApprovalRecordedEvent
  | ApprovedEvent
  | RejectedEvent
  | ChangesRequestedEvent
  | SubmittedToInterpolEvent
  | PublishedEvent
  | RefusedEvent
  | QueriedEvent
  | QueryAnsweredEvent
  | WithdrawnEvent
  | ClosedEvent
  | JurisdictionChangedEvent
  | CompletedEvent
  | ExpiredEvent
  | SuspendedEvent
  | SuspensionExtendedEvent
  | ResumedEvent
  | CancelledEvent;
export type RequestEventType = RequestEvent['type'];

// ---------------------------------------------------------------------------------------------
// Commands

export interface EditCommand {
  type: 'edit';
  content: TraceRequestContent;
  contentHash: string;
  expectedVersion: number;
}
export interface SubmitCommand {
  type: 'submit';
  /** When given, the version the investigator saw; a newer one is a conflict. */
  expectedVersion?: number;
}
export interface ReviewCommand {
  type: 'review';
  decision: ReviewDecision;
  /** Optional for approve, required for reject and request_changes. */
  comment?: string;
  expectedVersion?: number;
}
export interface SubmitToInterpolCommand {
  type: 'submitToInterpol';
  attestation: Attestation;
  /** Hash of the content about to be sent, when the caller computed it: must be the approved one. */
  contentHash?: string;
}
export interface GsDecisionCommand {
  type: 'gsDecision';
  decision: GsDecision;
  noticeId?: string;
  reasons?: string[];
  question?: string;
  /** Participating countries, needed to publish an allMembers notice (configuration, not content). */
  recipients?: CountryCode[];
}
export interface AnswerQueryCommand {
  type: 'answerQuery';
  answer: string;
}
export interface WithdrawCommand {
  type: 'withdraw';
  reason: string;
}
export interface CloseCommand {
  type: 'close';
  summary: string;
}
export interface JurisdictionChangedCommand {
  type: 'jurisdictionChanged';
  country: CountryCode;
  status: JurisdictionStatus;
}
export interface ExpireCommand {
  type: 'expire';
}

/**
 * Suspend a published request, or extend its running suspension (once): with its end as `until`
 * or as an ISO 8601 `duration` (from now; for an extension, from the current end).
 */
export interface SuspendCommand {
  type: 'suspend';
  reason: string;
  until?: IsoDateTime;
  duration?: string;
}
/** Lift the suspension before its end. */
export interface ResumeCommand {
  type: 'resume';
}
/** The suspension's durable timer (system): it ends at its `until`. */
export interface SuspensionEndedCommand {
  type: 'suspensionEnded';
}
/** The General Secretariat cancels the request (system, final). */
export interface CancelCommand {
  type: 'cancel';
  reason: string;
}

export type RequestCommand =
  | EditCommand
  | SubmitCommand
  | ReviewCommand
  | SubmitToInterpolCommand
  | GsDecisionCommand
  | AnswerQueryCommand
  | WithdrawCommand
  | CloseCommand
  | JurisdictionChangedCommand
  | ExpireCommand
  | SuspendCommand
  | ResumeCommand
  | SuspensionEndedCommand
  | CancelCommand;
export type RequestCommandType = RequestCommand['type'];

export interface CreateRequestInput {
  id: string;
  reference: string;
  content: TraceRequestContent;
  contentHash: string;
  /** National review depth, from configuration. */
  requiredApprovals: 1 | 2;
}

// ---------------------------------------------------------------------------------------------
// Small pure helpers

const S = RequestStatus;
const R = RefusalCode;

function refuse(code: RefusalCode, message: string, field?: string): Refusal {
  return field === undefined ? { ok: false, code, message } : { ok: false, code, message, field };
}

/** An invalid payload, naming its field. */
function invalid(field: string | undefined, message: string): Refusal {
  return refuse(R.INVALID, message, field);
}

function accept<E>(...events: E[]): { ok: true; events: E[] } {
  return { ok: true, events };
}

/** A snapshot of the actor for the record, without whatever else the caller's object carries. */
function actorRef(actor: Principal): Principal {
  return actor.role === 'system'
    ? { userId: actor.userId, username: actor.username, role: actor.role }
    : { userId: actor.userId, username: actor.username, role: actor.role, country: actor.country };
}

function isNonBlank(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= max;
}

function textProblem(field: string, value: unknown, max: number): Refusal | undefined {
  if (typeof value !== 'string' || value.trim().length === 0) {
    return invalid(field, `${field} is required`);
  }
  if (value.length > max) return invalid(field, `${field} must be at most ${max} characters`);
  return undefined;
}

const COUNTRY = /^[A-Z]{2}$/;

/**
 * The routing-relevant part of the content rules, re-checked here because the workflow cannot
 * load the class-validator DTOs. Full field validation is the DTO's job at the API edge.
 */
export function contentProblem(content: unknown): string | undefined {
  return contentRefusal(content)?.message;
}

function contentRefusal(content: unknown): Refusal | undefined {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    return invalid('content', 'content must be an object');
  }
  const c = content as Partial<TraceRequestContent>;
  if (!REQUEST_KINDS.includes(c.kind as never)) {
    return invalid('content.kind', 'content.kind must be notice or diffusion');
  }
  const targets = c.targetCountries;
  const targetsField = 'content.targetCountries';
  if (targets !== undefined) {
    if (
      !Array.isArray(targets) ||
      !targets.every((t) => typeof t === 'string' && COUNTRY.test(t))
    ) {
      return invalid(targetsField, 'content.targetCountries must be ISO 3166-1 alpha-2 codes');
    }
  }
  const hasTargets = Array.isArray(targets) && targets.length > 0;
  if (c.kind === 'diffusion') {
    if (!hasTargets) return invalid(targetsField, 'a diffusion needs targetCountries');
    if (c.allMembers === true) {
      return invalid('content.allMembers', 'a diffusion cannot go to allMembers');
    }
  } else if (hasTargets === (c.allMembers === true)) {
    return invalid(targetsField, 'a notice needs either targetCountries or allMembers: true');
  }
  return undefined;
}

/**
 * The countries a request goes to: its targetCountries, or for an allMembers notice the
 * participating countries given by configuration; never the requesting country itself.
 */
export function recipientsOf(
  content: TraceRequestContent,
  requestingCountry: CountryCode,
  participating: readonly CountryCode[] = [],
): CountryCode[] {
  const list =
    content.allMembers === true && !(content.targetCountries && content.targetCountries.length)
      ? participating
      : (content.targetCountries ?? []);
  return [...new Set(list)].filter((c) => c !== requestingCountry);
}

/** A human of one of `roles`, from the requesting country; refusal otherwise. */
function requireHuman(
  actor: Principal,
  state: RequestState,
  roles: readonly Role[],
  what: string,
): Refusal | undefined {
  if (actor.role === 'system' || !roles.includes(actor.role)) {
    return refuse(R.FORBIDDEN_ROLE, `${what} needs the role ${roles.join(' or ')}`);
  }
  if (actor.country !== state.requestingCountry) {
    return refuse(R.FORBIDDEN_COUNTRY, `only ${state.requestingCountry} users act on this request`);
  }
  return undefined;
}

function requireSystem(actor: Principal, what: string): Refusal | undefined {
  return actor.role === 'system'
    ? undefined
    : refuse(R.SYSTEM_ONLY, `${what} is a system message, not a user action`);
}

function requireStatus(
  state: RequestState,
  allowed: readonly RequestStatus[],
  what: string,
): Refusal | undefined {
  return allowed.includes(state.status)
    ? undefined
    : refuse(R.NOT_ALLOWED_IN_STATE, `cannot ${what} a request in status ${state.status}`);
}

function requireVersion(state: RequestState, expected: unknown): Refusal | undefined {
  if (expected === undefined) return undefined;
  if (typeof expected !== 'number' || !Number.isInteger(expected)) {
    return invalid('expectedVersion', 'expectedVersion must be an integer');
  }
  return expected === state.version
    ? undefined
    : refuse(
        R.STALE_VERSION,
        `version conflict: expected ${expected}, current is ${state.version}`,
        'expectedVersion',
      );
}

function allFinal(jurisdictions: Record<CountryCode, JurisdictionStatus>): boolean {
  const statuses = Object.values(jurisdictions);
  return statuses.length > 0 && statuses.every(isFinalJurisdictionStatus);
}

// ---------------------------------------------------------------------------------------------
// decide

/** The Created event of a new request: only an investigator creates, for their own country. */
export function decideCreate(
  input: CreateRequestInput,
  actor: Principal,
  now: IsoDateTime,
): Decision<CreatedEvent> {
  if (actor.role === 'system' || !ACTION_ROLES.create.includes(actor.role)) {
    return refuse(
      R.FORBIDDEN_ROLE,
      `creating a request needs the role ${ACTION_ROLES.create.join(' or ')}`,
    );
  }
  const refusal =
    textProblem('id', input.id, LIMITS.code) ??
    textProblem('reference', input.reference, LIMITS.code) ??
    textProblem('contentHash', input.contentHash, LIMITS.code) ??
    contentRefusal(input.content) ??
    (input.requiredApprovals === 1 || input.requiredApprovals === 2
      ? undefined
      : invalid('requiredApprovals', 'requiredApprovals must be 1 or 2'));
  if (refusal) return refusal;
  return accept({
    type: 'Created',
    at: now,
    actor: actorRef(actor),
    id: input.id,
    reference: input.reference,
    content: input.content,
    contentHash: input.contentHash,
    requestingCountry: actor.country,
    requiredApprovals: input.requiredApprovals,
  });
}

/**
 * Decide a command against the current state. Checks run in a fixed order (role and country,
 * then four-eyes, then status, then version, then payload) so that a probe with a dummy payload
 * that comes back 'invalid' proves the action itself is allowed (see allowedActions).
 */
export function decide(
  state: RequestState,
  command: RequestCommand,
  actor: Principal,
  now: IsoDateTime,
): Decision<RequestEvent> {
  const by = actorRef(actor);
  switch (command?.type) {
    case 'edit': {
      const refusal =
        requireHuman(actor, state, ACTION_ROLES.edit, 'editing') ??
        requireStatus(state, EDITABLE_STATUSES, 'edit') ??
        (typeof command.expectedVersion === 'number'
          ? requireVersion(state, command.expectedVersion)
          : invalid('expectedVersion', 'expectedVersion (If-Match) is required'));
      if (refusal) return refusal;
      const problem =
        contentRefusal(command.content) ??
        textProblem('contentHash', command.contentHash, LIMITS.code);
      if (problem) return problem;
      return accept({
        type: 'Edited',
        at: now,
        actor: by,
        version: state.version + 1,
        content: command.content,
        contentHash: command.contentHash,
      });
    }

    case 'submit': {
      const refusal =
        requireHuman(actor, state, ACTION_ROLES.submit, 'submitting for review') ??
        requireStatus(state, EDITABLE_STATUSES, 'submit') ??
        requireVersion(state, command.expectedVersion);
      if (refusal) return refusal;
      return accept({ type: 'SubmittedForReview', at: now, actor: by, version: state.version });
    }

    case 'review': {
      const refusal =
        requireHuman(actor, state, ACTION_ROLES.review, 'reviewing') ??
        fourEyes(state, actor) ??
        requireStatus(state, [S.IN_REVIEW], 'review') ??
        requireVersion(state, command.expectedVersion);
      if (refusal) return refusal;
      if (!REVIEW_DECISIONS.includes(command.decision)) {
        return invalid('decision', `decision must be one of ${REVIEW_DECISIONS.join(', ')}`);
      }
      const comment = command.comment ?? undefined;
      if (command.decision === 'approve') {
        if (
          comment !== undefined &&
          (typeof comment !== 'string' || comment.length > LIMITS.comment)
        ) {
          return invalid(
            'comment',
            `comment must be a string of at most ${LIMITS.comment} characters`,
          );
        }
        const level = state.approvals.length + 1;
        return level < state.requiredApprovals
          ? accept({
              type: 'ApprovalRecorded',
              at: now,
              actor: by,
              level,
              of: state.requiredApprovals,
              ...(comment !== undefined ? { comment } : {}),
            })
          : accept({
              type: 'Approved',
              at: now,
              actor: by,
              level,
              contentHash: state.contentHash,
              ...(comment !== undefined ? { comment } : {}),
            });
      }
      const problem = textProblem('comment', comment, LIMITS.comment);
      if (problem) {
        return invalid('comment', `${problem.message} to ${command.decision.replace('_', ' ')}`);
      }
      return accept(
        command.decision === 'reject'
          ? { type: 'Rejected', at: now, actor: by, comment: comment as string }
          : { type: 'ChangesRequested', at: now, actor: by, comment: comment as string },
      );
    }

    case 'submitToInterpol': {
      const refusal =
        requireHuman(actor, state, ACTION_ROLES['interpol-submission'], 'submitting to INTERPOL') ??
        requireStatus(state, [S.APPROVED], 'submit to INTERPOL') ??
        (state.approvedContentHash !== state.contentHash ||
        (command.contentHash !== undefined && command.contentHash !== state.approvedContentHash)
          ? refuse(R.CONTENT_NOT_APPROVED, 'the content differs from the approved content')
          : undefined);
      if (refusal) return refusal;
      const a = command.attestation as Partial<Record<keyof Attestation, unknown>> | undefined;
      if (a?.article3Neutrality !== true || a?.dataQualityChecked !== true) {
        return invalid(
          a?.article3Neutrality !== true
            ? 'attestation.article3Neutrality'
            : 'attestation.dataQualityChecked',
          'attestation.article3Neutrality and attestation.dataQualityChecked must both be true',
        );
      }
      const submitted: SubmittedToInterpolEvent = {
        type: 'SubmittedToInterpol',
        at: now,
        actor: by,
        contentHash: state.contentHash,
        attestation: { article3Neutrality: true, dataQualityChecked: true },
      };
      if (state.content.kind !== 'diffusion') return accept<RequestEvent>(submitted);
      // A diffusion needs no GS decision: the NCB dispatches it to its target countries now.
      const countries = recipientsOf(state.content, state.requestingCountry);
      if (countries.length === 0) {
        return invalid(
          'content.targetCountries',
          'a diffusion needs a target country other than its own',
        );
      }
      return accept<RequestEvent>(submitted, {
        type: 'Published',
        at: now,
        actor: by,
        channel: 'diffusion',
        countries,
      });
    }

    case 'gsDecision': {
      const refusal = requireSystem(actor, 'a General Secretariat decision');
      if (refusal) return refusal;
      return decideGs(state, command, by, now);
    }

    case 'answerQuery': {
      const refusal =
        requireHuman(actor, state, ACTION_ROLES['query-answers'], 'answering a query') ??
        requireStatus(state, [S.QUERIED], 'answer a query on');
      if (refusal) return refusal;
      const problem = textProblem('answer', command.answer, LIMITS.answer);
      if (problem) return problem;
      return accept({ type: 'QueryAnswered', at: now, actor: by, answer: command.answer });
    }

    case 'withdraw': {
      const refusal =
        requireHuman(actor, state, ACTION_ROLES.withdraw, 'withdrawing') ??
        (isFinalRequestStatus(state.status)
          ? refuse(R.NOT_ALLOWED_IN_STATE, `cannot withdraw a request in status ${state.status}`)
          : undefined);
      if (refusal) return refusal;
      const problem = textProblem('reason', command.reason, LIMITS.reason);
      if (problem) return problem;
      return accept({ type: 'Withdrawn', at: now, actor: by, reason: command.reason });
    }

    case 'close': {
      const refusal =
        requireHuman(actor, state, ACTION_ROLES.close, 'closing') ??
        requireStatus(state, [S.COMPLETED], 'close');
      if (refusal) return refusal;
      const problem = textProblem('summary', command.summary, LIMITS.summary);
      if (problem) return problem;
      return accept({ type: 'Closed', at: now, actor: by, summary: command.summary });
    }

    case 'jurisdictionChanged': {
      const refusal =
        requireSystem(actor, 'a jurisdiction change') ??
        requireStatus(state, TRACKS_RUNNING_STATUSES, 'record a jurisdiction change on');
      if (refusal) return refusal;
      const { country, status } = command;
      const previous = state.jurisdictions[country];
      if (typeof country !== 'string' || previous === undefined) {
        return invalid('country', `${String(country)} is not a target country of this request`);
      }
      if (!JURISDICTION_STATUSES.includes(status)) {
        return invalid('status', `status must be one of ${JURISDICTION_STATUSES.join(', ')}`);
      }
      if (status === previous) return accept<RequestEvent>();
      if (isFinalJurisdictionStatus(previous) && !isFinalJurisdictionStatus(status)) {
        return refuse(
          R.NOT_ALLOWED_IN_STATE,
          `${country} is ${previous}; it cannot become ${status} again`,
        );
      }
      const changed: JurisdictionChangedEvent = {
        type: 'JurisdictionChanged',
        at: now,
        actor: by,
        country,
        status,
        previous,
      };
      const completes =
        state.status === S.PUBLISHED && allFinal({ ...state.jurisdictions, [country]: status });
      return completes
        ? accept<RequestEvent>(changed, { type: 'Completed', at: now, actor: by })
        : accept<RequestEvent>(changed);
    }

    case 'expire': {
      const refusal =
        requireSystem(actor, 'expiry') ??
        (isFinalRequestStatus(state.status)
          ? refuse(R.NOT_ALLOWED_IN_STATE, `cannot expire a request in status ${state.status}`)
          : undefined);
      if (refusal) return refusal;
      return accept({ type: 'Expired', at: now, actor: by });
    }

    case 'suspend':
      return decideSuspend(state, command, actor, now);

    case 'resume': {
      const refusal =
        suspensionAuthority(state, actor, ACTION_ROLES.resume, 'lifting a suspension') ??
        (state.suspension
          ? undefined
          : refuse(R.NOT_ALLOWED_IN_STATE, `${state.reference} is not suspended`));
      if (refusal) return refusal;
      return accept<RequestEvent>({
        type: 'Resumed',
        at: now,
        actor: by,
        suspendedSince: state.suspension!.since,
        expired: false,
      });
    }

    case 'suspensionEnded': {
      const refusal = requireSystem(actor, 'the end of a suspension');
      if (refusal) return refusal;
      const suspension = state.suspension;
      if (!suspension) return accept<RequestEvent>(); // lifted already: a stale timer
      if (Date.parse(now) < Date.parse(suspension.until)) {
        return refuse(R.DEADLINE_NOT_PASSED, `the suspension lasts until ${suspension.until}`);
      }
      return accept<RequestEvent>({
        type: 'Resumed',
        at: now,
        actor: by,
        suspendedSince: suspension.since,
        expired: true,
      });
    }

    case 'cancel': {
      const refusal = requireSystem(actor, 'a cancellation by the General Secretariat');
      if (refusal) return refusal;
      if (state.status === S.CANCELLED) return accept<RequestEvent>(); // redelivered
      const stateRefusal = requireStatus(state, CANCELLABLE_STATUSES, 'cancel');
      if (stateRefusal) return stateRefusal;
      const problem = textProblem('reason', command.reason, LIMITS.reason);
      if (problem) return problem;
      return accept<RequestEvent>({
        type: 'Cancelled',
        at: now,
        actor: by,
        reason: command.reason,
      });
    }

    default:
      return invalid('type', `unknown command ${String((command as { type?: unknown })?.type)}`);
  }
}

const SUSPENSION_MAX_MS = durationMs(SUSPENSION_RULES.maxDuration);

/**
 * Who may suspend, extend or lift a suspension: the General Secretariat (system actor, through
 * the gateway) or a human of `roles` from the requesting country; a suspension the GS ordered is
 * the GS's to extend or lift.
 */
function suspensionAuthority(
  state: RequestState,
  actor: Principal,
  roles: readonly Role[],
  what: string,
): Refusal | undefined {
  if (actor.role !== 'system') {
    const refusal = requireHuman(actor, state, roles, what);
    if (refusal) return refusal;
    if (state.suspension?.orderedBy === 'interpol_gs') {
      return {
        ...refuse(
          R.NOT_ALLOWED_IN_STATE,
          'the INTERPOL General Secretariat ordered this suspension: only it extends or lifts it',
        ),
        rule: 'gs-suspension',
      };
    }
  }
  return undefined;
}

/** A new suspension, or the one extension of the running one (SUSPENSION_RULES). */
function decideSuspend(
  state: RequestState,
  command: SuspendCommand,
  actor: Principal,
  now: IsoDateTime,
): Decision<RequestEvent> {
  const by = actorRef(actor);
  const current = state.suspension;
  const refusal =
    suspensionAuthority(state, actor, ACTION_ROLES.suspend, 'suspending') ??
    requireStatus(state, SUSPENDABLE_STATUSES, 'suspend') ??
    (current && current.extensions >= SUSPENSION_RULES.maxExtensions
      ? {
          ...refuse(
            R.NOT_ALLOWED_IN_STATE,
            `a suspension may be extended ${SUSPENSION_RULES.maxExtensions} time(s); it was`,
          ),
          rule: 'one-extension',
        }
      : undefined);
  if (refusal) return refusal;
  const problem = textProblem('reason', command.reason, LIMITS.reason);
  if (problem) return problem;

  const hasUntil = command.until !== undefined && command.until !== null;
  const hasDuration = command.duration !== undefined && command.duration !== null;
  if (hasUntil === hasDuration) {
    return invalid('until', 'give either until (a date-time) or duration (ISO 8601, e.g. P3M)');
  }
  const field = hasUntil ? 'until' : 'duration';
  let untilMs: number;
  if (hasUntil) {
    const until = command.until as unknown;
    if (
      typeof until !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}T/.test(until) ||
      isNaN(Date.parse(until))
    ) {
      return invalid('until', 'until must be an ISO 8601 date-time');
    }
    untilMs = Date.parse(until);
  } else {
    if (!isIsoDuration(command.duration) || durationMs(command.duration) <= 0) {
      return invalid('duration', 'duration must be a positive ISO 8601 duration, e.g. P3M');
    }
    untilMs = Date.parse(current ? current.until : now) + durationMs(command.duration);
  }
  const since = current ? current.since : now;
  const floor = current ? current.until : now;
  if (untilMs <= Date.parse(floor)) {
    return invalid(
      field,
      current
        ? `an extension must end after the current end ${current.until}`
        : `${field} must end in the future`,
    );
  }
  if (untilMs - Date.parse(since) > SUSPENSION_MAX_MS) {
    return invalid(
      field,
      `a suspension lasts at most ${SUSPENSION_RULES.maxDuration} from its start (${since})`,
    );
  }
  const until = isoFromMs(untilMs);
  if (current) {
    return accept<RequestEvent>({
      type: 'SuspensionExtended',
      at: now,
      actor: by,
      reason: command.reason,
      previousUntil: current.until,
      until,
    });
  }
  return accept<RequestEvent>({
    type: 'Suspended',
    at: now,
    actor: by,
    reason: command.reason,
    until,
    ...(actor.role === 'system' ? { orderedBy: 'interpol_gs' as const } : {}),
  });
}

/**
 * Four-eyes: nobody reviews what they drafted or edited, nor reviews twice in one open round
 * (the second of two approvals comes from someone else). Once the round is over, a late second
 * decision is a plain status conflict (409), like any losing concurrent decision.
 */
function fourEyes(state: RequestState, actor: Principal): Refusal | undefined {
  if (actor.userId === state.drafterId || state.editorIds.includes(actor.userId)) {
    return {
      ...refuse(R.FOUR_EYES, 'four-eyes rule: you drafted or edited this request'),
      rule: 'reviewer-not-author',
    };
  }
  if (state.status === S.IN_REVIEW && state.approvals.some((a) => a.userId === actor.userId)) {
    return {
      ...refuse(
        R.FOUR_EYES,
        'four-eyes rule: the second approval must come from another supervisor',
      ),
      rule: 'second-approver-differs',
    };
  }
  return undefined;
}

/**
 * GS decisions. On SUBMITTED: published | refused | query. A repeated decision that matches
 * the current state is accepted with no events (messages may be redelivered). For a diffusion,
 * already dispatched, the GS reviews afterwards: 'published' confirms it (no change) and
 * 'refused' orders it withdrawn -> WITHDRAWN (not REFUSED: countries already hold it and must
 * be told it is withdrawn, the same ending as a withdrawal by the requester).
 */
function decideGs(
  state: RequestState,
  command: GsDecisionCommand,
  by: Principal,
  now: IsoDateTime,
): Decision<RequestEvent> {
  const decision = command.decision;
  if (!GS_DECISIONS.includes(decision)) {
    return invalid('decision', `decision must be one of ${GS_DECISIONS.join(', ')}`);
  }
  const reasons =
    Array.isArray(command.reasons) &&
    command.reasons.length > 0 &&
    command.reasons.length <= LIMITS.refusalReasons &&
    command.reasons.every((r) => isNonBlank(r, LIMITS.reason))
      ? command.reasons
      : undefined;
  const reasonsProblem = invalid(
    'reasons',
    `reasons must list 1 to ${LIMITS.refusalReasons} non-blank reasons`,
  );
  const diffusion = state.content.kind === 'diffusion';
  const pendingQuery = state.interpol.queries.find((q) => q.answer === undefined);

  if (state.status === S.SUBMITTED) {
    if (decision === 'published') {
      if (command.noticeId !== undefined && !isNonBlank(command.noticeId, LIMITS.code)) {
        return invalid('noticeId', `noticeId must be a non-blank string of at most ${LIMITS.code}`);
      }
      if (
        command.recipients !== undefined &&
        (!Array.isArray(command.recipients) ||
          !command.recipients.every((c) => typeof c === 'string' && COUNTRY.test(c)))
      ) {
        return invalid('recipients', 'recipients must be ISO 3166-1 alpha-2 codes');
      }
      const countries = recipientsOf(state.content, state.requestingCountry, command.recipients);
      if (countries.length === 0) {
        return invalid('recipients', 'an allMembers notice needs the participating countries');
      }
      return accept<RequestEvent>({
        type: 'Published',
        at: now,
        actor: by,
        channel: diffusion ? 'diffusion' : 'notice',
        countries,
        ...(command.noticeId !== undefined ? { noticeId: command.noticeId } : {}),
      });
    }
    if (decision === 'refused') {
      if (!reasons) return reasonsProblem;
      return accept<RequestEvent>({ type: 'Refused', at: now, actor: by, reasons });
    }
    const question = command.question;
    if (!isNonBlank(question, LIMITS.question)) {
      return invalid('question', `question is required (at most ${LIMITS.question} characters)`);
    }
    return accept<RequestEvent>({ type: 'Queried', at: now, actor: by, question });
  }

  // Redelivered or post-dispatch decisions.
  if (TRACKS_RUNNING_STATUSES.includes(state.status)) {
    if (decision === 'published') return accept<RequestEvent>();
    if (decision === 'refused' && diffusion) {
      if (!reasons) return reasonsProblem;
      return accept<RequestEvent>({
        type: 'Withdrawn',
        at: now,
        actor: by,
        reason: `INTERPOL General Secretariat ordered withdrawal: ${reasons.join('; ')}`,
        orderedBy: 'interpol_gs',
      });
    }
  }
  if (state.status === S.REFUSED && decision === 'refused') return accept<RequestEvent>();
  if (
    state.status === S.WITHDRAWN &&
    state.withdrawal?.orderedBy === 'interpol_gs' &&
    decision === 'refused'
  ) {
    return accept<RequestEvent>();
  }
  if (
    state.status === S.QUERIED &&
    decision === 'query' &&
    pendingQuery?.question === command.question
  ) {
    return accept<RequestEvent>();
  }
  return refuse(
    R.NOT_ALLOWED_IN_STATE,
    `a GS decision '${decision}' does not apply to status ${state.status}`,
  );
}

// ---------------------------------------------------------------------------------------------
// evolve / fold

export function initialState(created: CreatedEvent): RequestState {
  return {
    id: created.id,
    reference: created.reference,
    status: S.DRAFT,
    version: 1,
    content: created.content,
    contentHash: created.contentHash,
    requestingCountry: created.requestingCountry,
    drafterId: created.actor.userId,
    editorIds: [],
    approvals: [],
    requiredApprovals: created.requiredApprovals,
    interpol: { queries: [] },
    jurisdictions: {},
    createdAt: created.at,
    updatedAt: created.at,
  };
}

/** Apply one event. Total: an event that does not fit leaves the state as it was (but updatedAt). */
export function evolve(state: RequestState, event: RequestEvent): RequestState {
  const s: RequestState = { ...state, updatedAt: event.at };
  switch (event.type) {
    case 'Created':
      return initialState(event);
    case 'Edited': {
      const editor = event.actor.userId;
      const isNew = editor !== s.drafterId && !s.editorIds.includes(editor);
      return {
        ...s,
        version: event.version,
        content: event.content,
        contentHash: event.contentHash,
        editorIds: isNew ? [...s.editorIds, editor] : s.editorIds,
      };
    }
    case 'SubmittedForReview':
      return { ...s, status: S.IN_REVIEW, approvals: [] };
    case 'ApprovalRecorded':
      return {
        ...s,
        approvals: [...s.approvals, { userId: event.actor.userId, at: event.at }],
        lastReview: review('approve', event),
      };
    case 'Approved':
      return {
        ...s,
        status: S.APPROVED,
        approvals: [...s.approvals, { userId: event.actor.userId, at: event.at }],
        approvedContentHash: event.contentHash,
        lastReview: review('approve', event),
      };
    case 'Rejected':
      return { ...s, status: S.REJECTED, lastReview: review('reject', event) };
    case 'ChangesRequested': {
      const { approvedContentHash: _dropped, ...rest } = s;
      return {
        ...rest,
        status: S.CHANGES_REQUESTED,
        approvals: [],
        lastReview: review('request_changes', event),
      };
    }
    case 'SubmittedToInterpol':
      return {
        ...s,
        status: S.SUBMITTED,
        submittedContentHash: event.contentHash,
        interpol: { ...s.interpol, submittedAt: event.at },
      };
    case 'Published': {
      const jurisdictions = { ...s.jurisdictions };
      for (const country of event.countries) jurisdictions[country] ??= 'AWAITING';
      return {
        ...s,
        status: S.PUBLISHED,
        jurisdictions,
        interpol: {
          ...s.interpol,
          publishedAt: event.at,
          ...(event.noticeId !== undefined ? { noticeId: event.noticeId } : {}),
        },
      };
    }
    case 'Refused':
      return {
        ...s,
        status: S.REFUSED,
        interpol: { ...s.interpol, refusalReasons: event.reasons },
      };
    case 'Queried':
      return {
        ...s,
        status: S.QUERIED,
        interpol: {
          ...s.interpol,
          queries: [...s.interpol.queries, { question: event.question, askedAt: event.at }],
        },
      };
    case 'QueryAnswered': {
      const queries = [...s.interpol.queries];
      const i = queries.findIndex((q) => q.answer === undefined);
      if (i >= 0) queries[i] = { ...queries[i], answer: event.answer, answeredAt: event.at };
      return { ...s, status: S.SUBMITTED, interpol: { ...s.interpol, queries } };
    }
    case 'Withdrawn':
      return ended({
        ...s,
        status: S.WITHDRAWN,
        withdrawal: {
          reason: event.reason,
          at: event.at,
          by: event.actor.userId,
          ...(event.orderedBy ? { orderedBy: event.orderedBy } : {}),
        },
      });
    case 'Closed':
      return ended({ ...s, status: S.CLOSED, closedSummary: event.summary });
    case 'JurisdictionChanged':
      return { ...s, jurisdictions: { ...s.jurisdictions, [event.country]: event.status } };
    case 'Completed':
      return { ...s, status: S.COMPLETED, completedAt: event.at };
    case 'Expired':
      return ended({ ...s, status: S.EXPIRED, expiredAt: event.at });
    case 'Suspended':
      return {
        ...s,
        suspension: {
          reason: event.reason,
          since: event.at,
          until: event.until,
          by: event.actor.userId,
          ...(event.orderedBy ? { orderedBy: event.orderedBy } : {}),
          extensions: 0,
        },
      };
    case 'SuspensionExtended':
      return s.suspension
        ? {
            ...s,
            suspension: {
              ...s.suspension,
              reason: event.reason,
              until: event.until,
              extensions: s.suspension.extensions + 1,
            },
          }
        : s;
    case 'Resumed':
      return ended(s);
    case 'Cancelled':
      return ended({
        ...s,
        status: S.CANCELLED,
        cancellation: { reason: event.reason, at: event.at },
      });
    default:
      return s;
  }
}

/** Without its suspension: lifted, expired, or ended with the request. */
function ended(state: RequestState): RequestState {
  if (!state.suspension) return state;
  const { suspension: _lifted, ...rest } = state;
  return rest;
}

function review(decision: ReviewDecision, event: EventBase & { comment?: string }): ReviewNote {
  return {
    decision,
    by: event.actor.userId,
    at: event.at,
    ...(event.comment !== undefined ? { comment: event.comment } : {}),
  };
}

/** Rebuild a request from its full history (which starts with Created). */
export function fold(events: readonly RequestEvent[]): RequestState {
  const [first, ...rest] = events;
  if (first?.type !== 'Created') throw new Error('a request history starts with a Created event');
  return rest.reduce(evolve, initialState(first));
}

/** The state as it stood at `asOf` (events at or before it), or undefined before creation. */
export function stateAt(
  events: readonly RequestEvent[],
  asOf: IsoDateTime,
): RequestState | undefined {
  const limit = Date.parse(asOf);
  const upTo = events.filter((e) => Date.parse(e.at) <= limit);
  return upTo.length > 0 ? fold(upTo) : undefined;
}

export interface TimelineEntry {
  at: IsoDateTime;
  actor: Principal;
  action: RequestEventType;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus;
  event: RequestEvent;
}

/** One entry per event with the status before and after it (the audit timeline). */
export function timeline(events: readonly RequestEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let state: RequestState | undefined;
  for (const event of events) {
    const from = state;
    if (from === undefined && event.type !== 'Created') {
      throw new Error('a request history starts with a Created event');
    }
    state = from === undefined ? initialState(event as CreatedEvent) : evolve(from, event);
    entries.push({
      at: event.at,
      actor: event.actor,
      action: event.type,
      fromStatus: from?.status ?? null,
      toStatus: state.status,
      event,
    });
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// allowedActions: probe decide, so the rules live in one place

const PROBES: readonly [Action, (s: RequestState) => RequestCommand][] = [
  [
    Action.EDIT,
    (s) => ({
      type: 'edit',
      content: s.content,
      contentHash: s.contentHash,
      expectedVersion: s.version,
    }),
  ],
  [Action.SUBMIT, () => ({ type: 'submit' })],
  [Action.REVIEW, () => ({ type: 'review', decision: 'approve' })],
  [
    Action.INTERPOL_SUBMISSION,
    () => ({
      type: 'submitToInterpol',
      attestation: { article3Neutrality: true, dataQualityChecked: true },
    }),
  ],
  [Action.QUERY_ANSWERS, () => ({ type: 'answerQuery', answer: 'probe' })],
  [Action.WITHDRAW, () => ({ type: 'withdraw', reason: 'probe' })],
  [Action.CLOSE, () => ({ type: 'close', summary: 'probe' })],
  // Neither until nor duration: always 'invalid', so only who and when are judged.
  [Action.SUSPEND, () => ({ type: 'suspend', reason: 'probe' })],
  [Action.RESUME, () => ({ type: 'resume' })],
];

/**
 * The api.md action names this actor may take now. An 'invalid' answer to a probe still means
 * the action is open (only the payload was judged), because decide checks the payload last.
 */
export function allowedActions(state: RequestState, actor: Principal): Action[] {
  // A person's buttons: the GS (system) suspends and lifts through the gateway, not through these.
  if (actor.role === 'system') return [];
  const now = state.updatedAt;
  return PROBES.filter(([, probe]) => {
    const result = decide(state, probe(state), actor, now);
    return result.ok || result.code === R.INVALID;
  }).map(([action]) => action);
}
