// Every business rule that is a list: who may take which action, which statuses mean what, and
// the closed set of refusal codes. Declared ONCE here and imported by the domain's decide
// functions, the API (policy table, visibility, services), the workflows and the web app.
// test/unit/rules-single-source.test.ts fails when such a list is written anywhere else.
// PURE and dependency-free (workflow code and the web bundle load it).
import { JurisdictionStatus, RequestStatus, Role } from './enums';

const S = RequestStatus;
const J = JurisdictionStatus;
const {
  INVESTIGATOR: INV,
  SUPERVISOR: SUP,
  NCB_OFFICER: NCB,
  FOREIGN_LIAISON: LIAISON,
  AUDITOR,
  ADMIN,
} = Role;

const list = <T>(...items: T[]): readonly T[] => Object.freeze(items);

// ---------------------------------------------------------------------------------------------
// Roles

/**
 * The roles of each case action: the API's policy table (apps/api/src/auth/policy.ts) and the
 * domain's decide functions both read these, so a route and its rule cannot disagree. Finer
 * conditions (country, four-eyes, status) are decide's. Auditors and admins take no case action.
 */
export const ACTION_ROLES = {
  create: list<Role>(INV),
  edit: list<Role>(INV),
  submit: list<Role>(INV),
  review: list<Role>(SUP),
  'interpol-submission': list<Role>(NCB),
  'query-answers': list<Role>(INV),
  withdraw: list<Role>(INV, NCB),
  close: list<Role>(NCB),
  /** A country track: its own liaison, or an NCB officer of the requesting country recording it. */
  respond: list<Role>(LIAISON, NCB),
  /** A country track's deadline: a supervisor of the requesting country. */
  extend: list<Role>(SUP),
  /** The asset register (bilateral follow-up). */
  'asset-move': list<Role>(INV, NCB),
  /**
   * Suspending a published request (or extending its suspension), and lifting it: an NCB officer
   * of the requesting country; the General Secretariat does both through the signed gateway (the
   * system actor). Cancellation is the General Secretariat's alone: no user role.
   */
  suspend: list<Role>(NCB),
  resume: list<Role>(NCB),
} as const;
export type RuleAction = keyof typeof ACTION_ROLES;

/** Roles that read cases (auditors read everything their country may; admins manage users only). */
export const CASE_READ_ROLES = list<Role>(INV, SUP, NCB, LIAISON, AUDITOR);

/**
 * Staff of the requesting country: they see their own country's requests whole (a foreign
 * liaison sees only what was sent to its country, and only its own country's track).
 */
export const HOME_ROLES = list<Role>(INV, SUP, NCB, AUDITOR);

/** Roles for whom work waits (the work queue's sections); auditors have the audit pages instead. */
export const WORK_QUEUE_ROLES = list<Role>(INV, SUP, NCB, LIAISON);

/** The auditors' tools: replay, the audit log, its verification and export. */
export const AUDIT_ROLES = list<Role>(AUDITOR);

/** Who is told when the audit chain is broken: every auditor and admin, whatever their country. */
export const AUDIT_ALARM_ROLES = list<Role>(AUDITOR, ADMIN);

/**
 * The codec server of the Temporal Web UI and CLI: the national system's operators read decrypted
 * payloads (of requests they may see), never investigators, liaisons or admins; encoding (a
 * signal or start typed into the Web UI) is an operator's write, not an auditor's.
 */
export const CODEC_DECODE_ROLES = list<Role>(NCB, AUDITOR);
export const CODEC_ENCODE_ROLES = list<Role>(NCB);

// ---------------------------------------------------------------------------------------------
// Request status sets (REQUEST_FINAL_STATUSES is in enums.ts, next to the statuses)

/** The content can be edited and submitted for review. */
export const EDITABLE_STATUSES = list<RequestStatus>(S.DRAFT, S.CHANGES_REQUESTED);

/**
 * Sent to the target countries: a foreign liaison of a target country sees the request, and its
 * country tracks exist (they stay readable once it is CLOSED).
 */
export const SENT_TO_COUNTRIES_STATUSES = list<RequestStatus>(S.PUBLISHED, S.COMPLETED, S.CLOSED);

/**
 * The country tracks run: they take responses and extensions, their deadlines fire, GS
 * decisions and country changes apply to the request. Every other status has no running track.
 */
export const TRACKS_RUNNING_STATUSES = list<RequestStatus>(S.PUBLISHED, S.COMPLETED);

/** INTERPOL holds the request: ending it (withdrawal, expiry) must be sent to INTERPOL. */
export const WITH_INTERPOL_STATUSES = list<RequestStatus>(
  S.SUBMITTED,
  S.QUERIED,
  S.PUBLISHED,
  S.COMPLETED,
);

/**
 * A published request may be suspended (its country tracks pause their deadlines) while its
 * tracks run; INTERPOL suspends notices and diffusions it has published, nothing earlier.
 */
export const SUSPENDABLE_STATUSES = TRACKS_RUNNING_STATUSES;

/** The General Secretariat cancels what INTERPOL holds (final: CANCELLED). */
export const CANCELLABLE_STATUSES = WITH_INTERPOL_STATUSES;

/**
 * INTERPOL's Rules on the Processing of Data: a suspension lasts at most six months. One
 * suspension (from its start to its end, its extension included) lasts at most `maxDuration`
 * (ISO 8601; months count 30 days, see durations.ts) and may be extended `maxExtensions` times.
 * A suspension ordered by the General Secretariat is extended or lifted by the GS only
 * (`rule: 'gs-suspension'`); a further extension is refused with `rule: 'one-extension'`.
 */
export const SUSPENSION_RULES = Object.freeze({ maxDuration: 'P6M', maxExtensions: 1 } as const);

export function tracksRun(status: RequestStatus | string): boolean {
  return TRACKS_RUNNING_STATUSES.includes(status as RequestStatus);
}

export function isSentToCountries(status: RequestStatus | string): boolean {
  return SENT_TO_COUNTRIES_STATUSES.includes(status as RequestStatus);
}

// ---------------------------------------------------------------------------------------------
// Country track status sets (JURISDICTION_FINAL_STATUSES is in enums.ts)

/** Still expecting an answer before the deadline (the complement of the final statuses). */
export const JURISDICTION_OPEN_STATUSES = list<JurisdictionStatus>(
  J.AWAITING,
  J.ACKNOWLEDGED,
  J.PARTIAL,
);

/** Final by the country's own answer (OVERDUE is final by the clock). */
export const JURISDICTION_ANSWERED_STATUSES = list<JurisdictionStatus>(J.ANSWERED, J.DECLINED);

/** Tracks a liaison still owes (or may still send) an answer on: open or overdue. */
export const JURISDICTION_AWAITING_ANSWER_STATUSES = list<JurisdictionStatus>(
  ...JURISDICTION_OPEN_STATUSES,
  J.OVERDUE,
);

// ---------------------------------------------------------------------------------------------
// Refusals

/**
 * Why the domain refused a command: a closed set, carried to the API (as the Temporal failure's
 * type) and mapped to an HTTP status by code (apps/api/src/common/temporal-errors.ts), never by
 * the message's text.
 */
export const RefusalCode = {
  /** The actor's role may not take this action (ACTION_ROLES). */
  FORBIDDEN_ROLE: 'forbidden_role',
  /** The actor's country may not act on this request or track. */
  FORBIDDEN_COUNTRY: 'forbidden_country',
  /** A machine message (GS decision, timer, country change) sent by a user. */
  SYSTEM_ONLY: 'system_only',
  /** Nobody reviews what they drafted or edited, nor approves twice in one round. */
  FOUR_EYES: 'four_eyes',
  /** The action does not apply in the current status. */
  NOT_ALLOWED_IN_STATE: 'not_allowed_in_state',
  /** The caller's If-Match / expectedVersion is not the current version. */
  STALE_VERSION: 'stale_version',
  /** The content to send to INTERPOL is not the approved content. */
  CONTENT_NOT_APPROVED: 'content_not_approved',
  /** A deadline message before the deadline (a stale timer after an extension). */
  DEADLINE_NOT_PASSED: 'deadline_not_passed',
  /** The requesting country's yearly INTERPOL quota is spent. */
  QUOTA_EXHAUSTED: 'quota_exhausted',
  /** The command's payload is invalid (`field` names the input when there is one). */
  INVALID: 'invalid',
  /** The request's personal data was already erased (libs/domain/src/erasure.ts). */
  ALREADY_ERASED: 'already_erased',
  /** An erasure of a request whose workflows still run, without `closeRunning: true`. */
  WORKFLOW_RUNNING: 'workflow_running',
} as const;
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];
export const REFUSAL_CODES: readonly RefusalCode[] = Object.freeze(Object.values(RefusalCode));
