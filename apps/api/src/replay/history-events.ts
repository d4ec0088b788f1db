// Reading recorded Temporal histories (the SDK's historyToJSON form) back into domain events.
// The workflows record no domain events of their own: a history holds the inputs (the start
// input, each accepted `command`/`jurisdiction` update with its actor, the country tracks'
// signals, fired timers) and, after every change, the projection activity's input with the
// workflow's state and its sequence number. Each input is decided again with the domain
// (decide/decideJurisdiction at the time the workflow recorded) and kept only when it yields
// exactly the recorded sequence number and status, so the events rebuilt here are the ones the
// workflow folded, checked against what it projected.
import {
  decideJurisdiction,
  evolveJurisdiction,
  initialJurisdiction,
  type JurisdictionCommand,
  type JurisdictionEvent,
  type JurisdictionState,
} from '../../../../libs/domain/src/jurisdiction';
import {
  decide,
  decideCreate,
  evolve,
  initialState,
  type RequestCommand,
  type RequestEvent,
  type RequestState,
} from '../../../../libs/domain/src/lifecycle';
import type { Principal } from '../../../../libs/domain/src/types';
import type {
  JurisdictionWorkflowInput,
  TraceRequestWorkflowInput,
} from '../../../../workflows/messages';
import { JURISDICTION_TRACK, REQUEST_WORKFLOW, TIMER } from '../../../../workflows/system-actors';
import { addDuration } from '../../../../workflows/time';

/** One event of a history in proto3 JSON (as historyToJSON writes it); fields stay loose. */
export interface HistoryEventJson {
  eventId: string;
  eventTime: string;
  eventType: string;
  [attributes: string]: unknown;
}

export interface HistoryJson {
  events: HistoryEventJson[];
}

interface PayloadJson {
  metadata?: { encoding?: string };
  data?: string;
}

/** A json/plain payload's value (binary/null and empty payloads are undefined). */
export function decodePayload(payload: PayloadJson | undefined): unknown {
  if (!payload?.data) return undefined;
  const encoding = payload.metadata?.encoding
    ? Buffer.from(payload.metadata.encoding, 'base64').toString('utf8')
    : 'json/plain';
  if (encoding !== 'json/plain') return undefined;
  return JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as unknown;
}

type Attrs = Record<string, unknown>;

function attributesOf(event: HistoryEventJson): Attrs {
  const key = Object.keys(event).find((k) => k.endsWith('EventAttributes'));
  return (key ? event[key] : {}) as Attrs;
}

const typeOf = (event: HistoryEventJson) => event.eventType.replace(/^EVENT_TYPE_/, '');

function firstPayload(attrs: Attrs, field = 'input'): unknown {
  const payloads = (attrs[field] as { payloads?: PayloadJson[] } | undefined)?.payloads;
  return decodePayload(payloads?.[0]);
}

/** The workflow type, run start input and the run id it continued from, if any. */
export function startOf(history: HistoryJson): {
  workflowType: string;
  input: unknown;
  continuedFromRunId?: string;
  startedAt: string;
} {
  const first = history.events[0];
  if (!first || typeOf(first) !== 'WORKFLOW_EXECUTION_STARTED') {
    throw new Error('a history starts with WorkflowExecutionStarted');
  }
  const attrs = attributesOf(first);
  const continued = attrs.continuedExecutionRunId;
  return {
    workflowType: (attrs.workflowType as { name: string }).name,
    input: firstPayload(attrs),
    ...(typeof continued === 'string' && continued ? { continuedFromRunId: continued } : {}),
    startedAt: first.eventTime,
  };
}

/** Whether the run ended by continuing as new (its successor holds the rest). */
export const continuedAsNew = (history: HistoryJson): boolean =>
  typeOf(history.events[history.events.length - 1]) === 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW';

/** Ids of the child workflows (country tracks) a run started. */
export function childWorkflowIds(history: HistoryJson): string[] {
  return history.events
    .filter((e) => typeOf(e) === 'START_CHILD_WORKFLOW_EXECUTION_INITIATED')
    .map((e) => attributesOf(e).workflowId as string);
}

/** A domain event rebuilt from a history, with where it was recorded. */
export interface Recorded<E> {
  event: E;
  eventId: string;
  /** Which run (0 = first) recorded it, for a request that continued as new. */
  run?: number;
}

interface Candidate<C> {
  updateId?: string;
  command: C;
  actor: Principal;
}

/** Generic walk shared by both workflow kinds; see the file comment. */
function rebuild<S extends { status: string }, C, E>(
  history: HistoryJson,
  opts: {
    updateName: string;
    projectActivity: string;
    signal?: (name: string, value: unknown) => Candidate<C> | undefined;
    /** What a fired timer may have been (each is tried; only one that fits explains a change). */
    timers: Candidate<C>[];
    decideAt: (state: S, c: Candidate<C>, at: string) => E[] | undefined;
    evolve: (state: S, event: E) => S;
    /** The recorded state, its sequence number and the time of the projection's input. */
    projected: (input: unknown) => { state: S; seq: number; at: string };
  },
  state: S,
  seq: number,
  out: Recorded<E>[],
  problems: string[],
): { state: S; seq: number } {
  const pending: Candidate<C>[] = [];
  for (const event of history.events) {
    const attrs = attributesOf(event);
    switch (typeOf(event)) {
      case 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED': {
        const request = attrs.acceptedRequest as {
          meta?: { updateId?: string };
          input?: { name?: string; args?: { payloads?: PayloadJson[] } };
        };
        if (request?.input?.name !== opts.updateName) break;
        const env = decodePayload(request.input.args?.payloads?.[0]) as {
          command: C;
          actor: Principal;
        };
        pending.push({ updateId: request.meta?.updateId, command: env.command, actor: env.actor });
        break;
      }
      case 'WORKFLOW_EXECUTION_UPDATE_COMPLETED': {
        // The handler has run: its projection, if any, came before this event.
        const updateId = (attrs.meta as { updateId?: string } | undefined)?.updateId;
        const i = pending.findIndex((c) => c.updateId !== undefined && c.updateId === updateId);
        if (i >= 0) pending.splice(i, 1);
        break;
      }
      case 'WORKFLOW_EXECUTION_SIGNALED': {
        const c = opts.signal?.(attrs.signalName as string, firstPayload(attrs));
        if (c) pending.push(c);
        break;
      }
      case 'TIMER_FIRED':
        pending.push(...opts.timers);
        break;
      case 'ACTIVITY_TASK_SCHEDULED': {
        if ((attrs.activityType as { name?: string })?.name !== opts.projectActivity) break;
        const recorded = opts.projected(firstPayload(attrs));
        if (recorded.seq <= seq) break;
        const i = pending.findIndex((c) => {
          const events = opts.decideAt(state, c, recorded.at);
          if (!events || events.length !== recorded.seq - seq) return false;
          return events.reduce(opts.evolve, state).status === recorded.state.status;
        });
        if (i < 0) {
          problems.push(
            `event ${event.eventId}: no recorded input explains the change to ` +
              `${recorded.state.status} (state ${recorded.seq})`,
          );
          state = recorded.state;
          seq = recorded.seq;
          break;
        }
        const [c] = pending.splice(i, 1);
        for (const e of opts.decideAt(state, c, recorded.at)!) {
          state = opts.evolve(state, e);
          out.push({ event: e, eventId: event.eventId });
        }
        seq = recorded.seq;
        break;
      }
      default:
        break;
    }
  }
  return { state, seq };
}

export interface RequestRebuild {
  events: Recorded<RequestEvent>[];
  state?: RequestState;
  seq: number;
  /** Changes the recorded inputs did not explain (empty for a sound history). */
  problems: string[];
}

/**
 * The request's domain events over its runs, oldest run first (a continued run starts from the
 * state its predecessor carried over).
 */
export function requestEventsOf(runs: readonly HistoryJson[]): RequestRebuild {
  const events: Recorded<RequestEvent>[] = [];
  const problems: string[] = [];
  let state: RequestState | undefined;
  let seq = 0;
  for (const [run, history] of runs.entries()) {
    const from = events.length;
    const input = startOf(history).input as TraceRequestWorkflowInput;
    if (input.carried) {
      state ??= input.carried.state;
      seq = Math.max(seq, input.carried.seq);
    } else {
      const created = decideCreate(
        {
          id: input.id,
          reference: input.reference,
          content: input.content,
          contentHash: input.contentHash,
          requiredApprovals: input.settings.requiredApprovals,
        },
        input.actor,
        input.createdAt,
      );
      if (!created.ok) throw new Error(`the recorded creation is refused: ${created.message}`);
      state = initialState(created.events[0]);
      seq = 1;
      events.push({ event: created.events[0], eventId: history.events[0].eventId });
    }
    ({ state, seq } = rebuild<RequestState, RequestCommand, RequestEvent>(
      history,
      {
        updateName: 'command',
        projectActivity: 'projectRequest',
        signal: (name, value) =>
          name === 'jurisdictionChanged'
            ? {
                command: { type: 'jurisdictionChanged', ...(value as object) } as RequestCommand,
                actor: JURISDICTION_TRACK,
              }
            : undefined,
        timers: [
          { command: { type: 'expire' }, actor: TIMER },
          { command: { type: 'suspensionEnded' }, actor: TIMER },
        ],
        decideAt: (s, c, at) => {
          const d = decide(s, c.command, c.actor, at);
          return d.ok ? d.events : undefined;
        },
        evolve,
        projected: (p) => {
          const input = p as { state: RequestState; stateSeq: number };
          return { state: input.state, seq: input.stateSeq, at: input.state.updatedAt };
        },
      },
      state,
      seq,
      events,
      problems,
    ));
    for (let i = from; i < events.length; i++) events[i].run = run;
  }
  return { events, state, seq, problems };
}

export interface JurisdictionRebuild {
  country: string;
  events: Recorded<JurisdictionEvent>[];
  /** Status before and after each event (same order as events). */
  statuses: { from: string; to: string }[];
  initial: JurisdictionState;
  state: JurisdictionState;
  problems: string[];
}

/** One country track's domain events, with the status before and after each. */
export function jurisdictionEventsOf(history: HistoryJson): JurisdictionRebuild {
  const input = startOf(history).input as JurisdictionWorkflowInput;
  const initial = initialJurisdiction({
    country: input.country,
    requestingCountry: input.requestingCountry,
    deadline: addDuration(input.dispatchedAt, input.countryDeadline),
  });
  const events: Recorded<JurisdictionEvent>[] = [];
  const problems: string[] = [];
  const { state } = rebuild<JurisdictionState, JurisdictionCommand, JurisdictionEvent>(
    history,
    {
      updateName: 'jurisdiction',
      projectActivity: 'projectJurisdiction',
      timers: [{ command: { type: 'deadlinePassed' }, actor: TIMER }],
      // The request's suspension pauses and resumes the track's deadline.
      signal: (name, value) => {
        const v = value as { since?: string; at?: string };
        if (name === 'pause') {
          return { command: { type: 'pause', since: v.since ?? '' }, actor: REQUEST_WORKFLOW };
        }
        if (name === 'resume') {
          return { command: { type: 'resumeDeadline', at: v.at ?? '' }, actor: REQUEST_WORKFLOW };
        }
        return undefined;
      },
      decideAt: (s, c, at) => {
        const d = decideJurisdiction(s, c.command, c.actor, at);
        return d.ok ? d.events : undefined;
      },
      evolve: evolveJurisdiction,
      projected: (p) => {
        const input = p as { state: JurisdictionState; stateSeq: number; updatedAt: string };
        return { state: input.state, seq: input.stateSeq, at: input.updatedAt };
      },
    },
    initial,
    1,
    events,
    problems,
  );
  const statuses: { from: string; to: string }[] = [];
  let s = initial;
  for (const { event } of events) {
    const from = s.status;
    s = evolveJurisdiction(s, event);
    statuses.push({ from, to: s.status });
  }
  return { country: input.country, events, statuses, initial, state, problems };
}
