// One target country's track: acknowledgement, partial and final answers, deadline, extensions.
// Run by one child workflow per country; PURE like lifecycle.ts (enums/types/limits only, time
// comes in as `now`).
import {
  ASSET_TYPES,
  HANDLING_CODES,
  INFORMATION_ACCURACIES,
  JurisdictionStatus,
  RESPONSE_OUTCOMES,
  SOURCE_RELIABILITIES,
  TRACK_ACTIONS,
  isFinalJurisdictionStatus,
} from './enums';
import type { RequestStatus, ResponseOutcome, TrackAction } from './enums';
import { isoFromMs } from './durations';
import { LIMITS } from './limits';
import { ACTION_ROLES, RefusalCode, tracksRun } from './rules';
import type {
  CountryCode,
  Decision,
  IsoDateTime,
  JurisdictionResponseContent,
  Principal,
  Refusal,
} from './types';

export interface RecordedResponse extends JurisdictionResponseContent {
  at: IsoDateTime;
  recordedBy: Principal;
  /** Arrived after the deadline (or once the country was OVERDUE). */
  late: boolean;
}

export interface DeadlineExtension {
  previousDeadline: IsoDateTime;
  newDeadline: IsoDateTime;
  at: IsoDateTime;
  by: string;
  reason?: string;
}

export interface JurisdictionState {
  country: CountryCode;
  requestingCountry: CountryCode;
  status: JurisdictionStatus;
  deadline: IsoDateTime;
  responses: RecordedResponse[];
  extensions: DeadlineExtension[];
  overdueAt?: IsoDateTime;
  /**
   * Set while the request is suspended: the deadline (and its reminders) wait, and on resumption
   * the deadline moves by the time spent suspended.
   */
  pausedSince?: IsoDateTime;
}

export type RespondCommand = { type: 'respond' } & JurisdictionResponseContent;
export interface ExtendCommand {
  type: 'extend';
  newDeadline: IsoDateTime;
  reason?: string;
}
export interface DeadlinePassedCommand {
  type: 'deadlinePassed';
}
/** The request was suspended at `since` (system: the request's workflow). */
export interface PauseCommand {
  type: 'pause';
  since: IsoDateTime;
}
/** The request's suspension ended at `at`: the deadline moves by the time paused. */
export interface ResumeDeadlineCommand {
  type: 'resumeDeadline';
  at: IsoDateTime;
}
export type JurisdictionCommand =
  RespondCommand | ExtendCommand | DeadlinePassedCommand | PauseCommand | ResumeDeadlineCommand;

interface EventBase {
  at: IsoDateTime;
  actor: Principal;
}
export interface ResponseRecordedEvent extends EventBase {
  type: 'ResponseRecorded';
  response: JurisdictionResponseContent;
  from: JurisdictionStatus;
  status: JurisdictionStatus;
  late: boolean;
}
export interface DeadlineExtendedEvent extends EventBase {
  type: 'DeadlineExtended';
  previousDeadline: IsoDateTime;
  newDeadline: IsoDateTime;
  reason?: string;
}
export interface DeadlinePassedEvent extends EventBase {
  type: 'DeadlinePassed';
  deadline: IsoDateTime;
}
export interface DeadlinePausedEvent extends EventBase {
  type: 'DeadlinePaused';
  since: IsoDateTime;
}
export interface DeadlineResumedEvent extends EventBase {
  type: 'DeadlineResumed';
  pausedSince: IsoDateTime;
  resumedAt: IsoDateTime;
  previousDeadline: IsoDateTime;
  newDeadline: IsoDateTime;
}
export type JurisdictionEvent =
  | ResponseRecordedEvent
  | DeadlineExtendedEvent
  | DeadlinePassedEvent
  | DeadlinePausedEvent
  | DeadlineResumedEvent;

const J = JurisdictionStatus;

/** Final for completion purposes (ANSWERED, DECLINED, OVERDUE); see enums.ts. */
export function isFinal(status: JurisdictionStatus): boolean {
  return isFinalJurisdictionStatus(status);
}

/**
 * Where a response moves a country. Non-final: acknowledged -> ACKNOWLEDGED (PARTIAL stays
 * PARTIAL), partial -> PARTIAL, assets_found | no_assets -> ANSWERED, declined -> DECLINED.
 * Final: late and supplementary responses are accepted but only move between final statuses:
 * OVERDUE -> ANSWERED | DECLINED, DECLINED -> ANSWERED (the country reconsidered); an answer is
 * never turned into a decline; acknowledged/partial leave a final status as it is.
 */
export function nextJurisdictionStatus(
  status: JurisdictionStatus,
  outcome: ResponseOutcome,
): JurisdictionStatus {
  const substantive = outcome === 'assets_found' || outcome === 'no_assets';
  if (isFinal(status)) {
    if (substantive) return J.ANSWERED;
    if (outcome === 'declined' && status === J.OVERDUE) return J.DECLINED;
    return status;
  }
  if (substantive) return J.ANSWERED;
  if (outcome === 'declined') return J.DECLINED;
  if (outcome === 'partial') return J.PARTIAL;
  return status === J.AWAITING ? J.ACKNOWLEDGED : status;
}

export function initialJurisdiction(input: {
  country: CountryCode;
  requestingCountry: CountryCode;
  deadline: IsoDateTime;
}): JurisdictionState {
  return {
    country: input.country,
    requestingCountry: input.requestingCountry,
    status: J.AWAITING,
    deadline: input.deadline,
    responses: [],
    extensions: [],
  };
}

const R = RefusalCode;

function refuse(code: RefusalCode, message: string, field?: string): Refusal {
  return field === undefined ? { ok: false, code, message } : { ok: false, code, message, field };
}

/** A problem with one field of a command. */
interface FieldProblem {
  field: string;
  message: string;
}

function actorRef(actor: Principal): Principal {
  return actor.role === 'system'
    ? { userId: actor.userId, username: actor.username, role: actor.role }
    : { userId: actor.userId, username: actor.username, role: actor.role, country: actor.country };
}

function isTimestamp(value: unknown): value is string {
  return (
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !isNaN(Date.parse(value))
  );
}

function optionalIn(
  value: unknown,
  allowed: readonly string[],
  field: string,
): FieldProblem | undefined {
  return value === undefined || allowed.includes(value as string)
    ? undefined
    : { field, message: `${field} must be one of ${allowed.join(', ')}` };
}

/** Structural checks of a response (the DTO does the full job at the API edge). */
export function responseProblem(r: Partial<JurisdictionResponseContent>): FieldProblem | undefined {
  const at = (field: string, message: string): FieldProblem => ({ field, message });
  if (!RESPONSE_OUTCOMES.includes(r.outcome as ResponseOutcome)) {
    return at('outcome', `outcome must be one of ${RESPONSE_OUTCOMES.join(', ')}`);
  }
  const ref = r.externalReference;
  if (typeof ref !== 'string' || ref.trim() === '' || ref.length > LIMITS.reference) {
    return at(
      'externalReference',
      `externalReference is required (at most ${LIMITS.reference} characters)`,
    );
  }
  if (r.assets !== undefined) {
    if (!Array.isArray(r.assets) || r.assets.length > LIMITS.assets) {
      return at('assets', `assets must be a list of at most ${LIMITS.assets}`);
    }
    if (r.assets.length > 0 && r.outcome !== 'assets_found' && r.outcome !== 'partial') {
      return at('assets', `assets belong to an assets_found or partial response, not ${r.outcome}`);
    }
    if (!r.assets.every((a) => typeof a === 'object' && a && ASSET_TYPES.includes(a.type))) {
      return at('assets', `every asset needs a type among ${ASSET_TYPES.join(', ')}`);
    }
  }
  if (r.outcome === 'declined' && (typeof r.narrative !== 'string' || r.narrative.trim() === '')) {
    return at('narrative', 'a declined response needs its reason in narrative');
  }
  if (
    r.narrative !== undefined &&
    (typeof r.narrative !== 'string' || r.narrative.length > LIMITS.narrative)
  ) {
    return at('narrative', `narrative must be a string of at most ${LIMITS.narrative} characters`);
  }
  return (
    optionalIn(r.handlingCode, HANDLING_CODES, 'handlingCode') ??
    optionalIn(r.sourceReliability, SOURCE_RELIABILITIES, 'sourceReliability') ??
    optionalIn(r.informationAccuracy, INFORMATION_ACCURACIES, 'informationAccuracy')
  );
}

/**
 * Respond: the country's own liaison, an NCB officer of the requesting country recording it, or
 * the system (relayed through INTERPOL channels). A response whose externalReference is already
 * recorded is accepted with no events (redelivery). Extend: a supervisor of the requesting
 * country, to a later deadline, while the country is not final (a final country's completion is
 * never reopened). deadlinePassed: system; no-op once final, 'conflict' before the deadline
 * (a stale timer after an extension).
 */
export function decideJurisdiction(
  state: JurisdictionState,
  command: JurisdictionCommand,
  actor: Principal,
  now: IsoDateTime,
): Decision<JurisdictionEvent> {
  const by = actorRef(actor);
  switch (command?.type) {
    case 'respond': {
      // Relayed through INTERPOL channels (system), or a human of ACTION_ROLES.respond: the
      // liaison of this very country, an NCB officer of the requesting country.
      const roleOk = actor.role === 'system' || ACTION_ROLES.respond.includes(actor.role);
      const countryOk =
        actor.role === 'system' ||
        (actor.role === 'foreign_liaison' && actor.country === state.country) ||
        (actor.role === 'ncb_officer' && actor.country === state.requestingCountry);
      if (!roleOk || !countryOk) {
        return refuse(
          roleOk ? R.FORBIDDEN_COUNTRY : R.FORBIDDEN_ROLE,
          `only ${state.country}'s liaison or a ${state.requestingCountry} NCB officer records its responses`,
        );
      }
      if (state.responses.some((r) => r.externalReference === command.externalReference)) {
        return { ok: true, events: [] };
      }
      const { type: _type, ...response } = command;
      const problem = responseProblem(response);
      if (problem) return refuse(R.INVALID, problem.message, problem.field);
      // While paused the deadline's remaining time is frozen: nothing arrives late then.
      const late =
        state.status === J.OVERDUE ||
        (state.pausedSince === undefined && Date.parse(now) > Date.parse(state.deadline));
      return {
        ok: true,
        events: [
          {
            type: 'ResponseRecorded',
            at: now,
            actor: by,
            response,
            from: state.status,
            status: nextJurisdictionStatus(state.status, response.outcome),
            late,
          },
        ],
      };
    }

    case 'extend': {
      const roleOk = actor.role !== 'system' && ACTION_ROLES.extend.includes(actor.role);
      if (!roleOk || actor.country !== state.requestingCountry) {
        return refuse(
          roleOk ? R.FORBIDDEN_COUNTRY : R.FORBIDDEN_ROLE,
          `extending a deadline needs a ${state.requestingCountry} supervisor`,
        );
      }
      if (isFinal(state.status)) {
        return refuse(
          R.NOT_ALLOWED_IN_STATE,
          `${state.country} is ${state.status}; its deadline is closed`,
        );
      }
      if (!isTimestamp(command.newDeadline)) {
        return refuse(R.INVALID, 'newDeadline must be an ISO 8601 date-time', 'newDeadline');
      }
      if (Date.parse(command.newDeadline) <= Date.parse(state.deadline)) {
        return refuse(
          R.INVALID,
          `newDeadline must be later than the current ${state.deadline}`,
          'newDeadline',
        );
      }
      if (
        command.reason !== undefined &&
        (typeof command.reason !== 'string' || command.reason.length > LIMITS.reason)
      ) {
        return refuse(
          R.INVALID,
          `reason must be a string of at most ${LIMITS.reason} characters`,
          'reason',
        );
      }
      return {
        ok: true,
        events: [
          {
            type: 'DeadlineExtended',
            at: now,
            actor: by,
            previousDeadline: state.deadline,
            newDeadline: command.newDeadline,
            ...(command.reason !== undefined ? { reason: command.reason } : {}),
          },
        ],
      };
    }

    case 'deadlinePassed': {
      if (actor.role !== 'system') {
        return refuse(R.SYSTEM_ONLY, 'a passed deadline is a system message, not a user action');
      }
      if (isFinal(state.status)) return { ok: true, events: [] };
      if (state.pausedSince !== undefined) {
        return refuse(R.DEADLINE_NOT_PASSED, `the deadline is paused since ${state.pausedSince}`);
      }
      if (Date.parse(now) < Date.parse(state.deadline)) {
        return refuse(R.DEADLINE_NOT_PASSED, `the deadline ${state.deadline} has not passed yet`);
      }
      return {
        ok: true,
        events: [{ type: 'DeadlinePassed', at: now, actor: by, deadline: state.deadline }],
      };
    }

    case 'pause': {
      if (actor.role !== 'system') {
        return refuse(R.SYSTEM_ONLY, 'a pause follows the request’s suspension, not a user action');
      }
      // A final country has no deadline left to pause; a repeated pause changes nothing.
      if (isFinal(state.status) || state.pausedSince !== undefined) return { ok: true, events: [] };
      if (!isTimestamp(command.since)) {
        return refuse(R.INVALID, 'since must be an ISO 8601 date-time', 'since');
      }
      return {
        ok: true,
        events: [{ type: 'DeadlinePaused', at: now, actor: by, since: command.since }],
      };
    }

    case 'resumeDeadline': {
      if (actor.role !== 'system') {
        return refuse(R.SYSTEM_ONLY, 'a resumption follows the request’s, not a user action');
      }
      const since = state.pausedSince;
      if (since === undefined) return { ok: true, events: [] };
      if (!isTimestamp(command.at)) {
        return refuse(R.INVALID, 'at must be an ISO 8601 date-time', 'at');
      }
      const pausedMs = Math.max(0, Date.parse(command.at) - Date.parse(since));
      return {
        ok: true,
        events: [
          {
            type: 'DeadlineResumed',
            at: now,
            actor: by,
            pausedSince: since,
            resumedAt: command.at,
            previousDeadline: state.deadline,
            newDeadline: isoFromMs(Date.parse(state.deadline) + pausedMs),
          },
        ],
      };
    }

    default:
      return refuse(
        R.INVALID,
        `unknown command ${String((command as { type?: unknown })?.type)}`,
        'type',
      );
  }
}

export function evolveJurisdiction(
  state: JurisdictionState,
  event: JurisdictionEvent,
): JurisdictionState {
  switch (event.type) {
    case 'ResponseRecorded':
      return {
        ...state,
        status: event.status,
        responses: [
          ...state.responses,
          { ...event.response, at: event.at, recordedBy: event.actor, late: event.late },
        ],
      };
    case 'DeadlineExtended':
      return {
        ...state,
        deadline: event.newDeadline,
        extensions: [
          ...state.extensions,
          {
            previousDeadline: event.previousDeadline,
            newDeadline: event.newDeadline,
            at: event.at,
            by: event.actor.userId,
            ...(event.reason !== undefined ? { reason: event.reason } : {}),
          },
        ],
      };
    case 'DeadlinePassed':
      return { ...state, status: J.OVERDUE, overdueAt: event.at };
    case 'DeadlinePaused':
      return { ...state, pausedSince: event.since };
    case 'DeadlineResumed': {
      const { pausedSince: _resumed, ...rest } = state;
      return { ...rest, deadline: event.newDeadline };
    }
    default:
      return state;
  }
}

export function foldJurisdiction(
  initial: JurisdictionState,
  events: readonly JurisdictionEvent[],
): JurisdictionState {
  return events.reduce(evolveJurisdiction, initial);
}

// ---------------------------------------------------------------------------------------------
// allowedTrackActions: probe decideJurisdiction, so the rules live in one place

/** What a track's actions are judged on; a summary without responses is enough. */
export type TrackFacts = Pick<JurisdictionState, 'country' | 'requestingCountry' | 'status'> & {
  deadline: IsoDateTime | null;
};

/**
 * Probes whose payload is always invalid (blank externalReference, unparsable newDeadline):
 * decideJurisdiction judges role, country and status first, so an 'invalid' answer means the
 * action itself is open to the actor, exactly as allowedActions does for requests.
 */
const TRACK_PROBES: Record<TrackAction, JurisdictionCommand> = {
  respond: { type: 'respond', outcome: '' as ResponseOutcome, externalReference: '' },
  extend: { type: 'extend', newDeadline: '' },
};

/**
 * The track actions (api.md names) this actor may take now on this country's track. Tracks take
 * actions only while their request is in TRACKS_RUNNING_STATUSES (they stop when it ends).
 */
export function allowedTrackActions(
  track: TrackFacts,
  actor: Principal,
  now: IsoDateTime,
  requestStatus: RequestStatus,
): TrackAction[] {
  if (!tracksRun(requestStatus)) return [];
  const state: JurisdictionState = {
    ...initialJurisdiction({ ...track, deadline: track.deadline ?? now }),
    status: track.status,
  };
  return TRACK_ACTIONS.filter((action) => {
    const result = decideJurisdiction(state, TRACK_PROBES[action], actor, now);
    return result.ok || result.code === R.INVALID;
  });
}
