import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { DATABASE_ACTIVITY } from './activity-options';
import { durationMs } from '../libs/domain/src/durations';
import { addDuration } from './time';
import {
  decideJurisdiction,
  evolveJurisdiction,
  initialJurisdiction,
  isFinal,
  type JurisdictionCommand,
  type JurisdictionEvent,
  type JurisdictionState,
} from '../libs/domain/src/jurisdiction';
import type { Principal } from '../libs/domain/src/types';
import type { AuditedEvent, RequestActivities } from './activity-types';
import { auditedJurisdictionEvent } from './audit-events';
import {
  jurisdictionChangedSignal,
  jurisdictionStateQuery,
  jurisdictionUpdate,
  pauseJurisdictionSignal,
  resumeJurisdictionSignal,
  stopJurisdictionSignal,
  type JurisdictionEnvelope,
  type JurisdictionWorkflowInput,
} from './messages';
import { NOTIFY_PARENT_AFTER_PROJECTION } from './patches';
import { refusalFailure } from './refusals';
import { REQUEST_WORKFLOW, TIMER } from './system-actors';
import { waitUntil } from './wait';

const db = proxyActivities<RequestActivities>(DATABASE_ACTIVITY);

const nowIso = (): string => new Date().toISOString();

/**
 * One target country's track: acknowledgement, partial and final answers, reminders before the
 * deadline, extensions, and OVERDUE when it passes. It keeps accepting late answers until the
 * request ends (the parent sends `stop`).
 */
export async function jurisdictionWorkflow(
  input: JurisdictionWorkflowInput,
): Promise<JurisdictionState> {
  let state = initialJurisdiction({
    country: input.country,
    requestingCountry: input.requestingCountry,
    deadline: addDuration(input.dispatchedAt, input.countryDeadline),
  });
  let seq = 1;
  let stopped = false;
  const fired = new Set<string>();
  const parentNotices: JurisdictionState['status'][] = [];
  /** Pauses and resumptions from the parent (its suspension), recorded in arrival order. */
  const controls: JurisdictionCommand[] = [];
  /** Status changes for the parent that wait for their projection (patches.ts). */
  const unprojectedNotices: JurisdictionState['status'][] = [];
  /** Events recorded but not yet projected: the next projection puts them on the audit chain. */
  const audited: AuditedEvent[] = [];

  const project = async (): Promise<void> => {
    const notices = unprojectedNotices.splice(0);
    await db.projectJurisdiction({
      requestId: input.requestId,
      reference: input.reference,
      country: input.country,
      stateSeq: seq,
      state,
      workflowId: workflowInfo().workflowId,
      updatedAt: nowIso(),
      audit: audited.splice(0),
    });
    parentNotices.push(...notices);
  };

  const apply = (events: JurisdictionEvent[]) => {
    for (const event of events) {
      const before = state.status;
      state = evolveJurisdiction(state, event);
      seq += 1;
      audited.push(auditedJurisdictionEvent(event, seq, before, state.status));
      if (state.status !== before) {
        (patched(NOTIFY_PARENT_AFTER_PROJECTION) ? unprojectedNotices : parentNotices).push(
          state.status,
        );
      }
    }
  };

  const record = async (command: JurisdictionCommand, actor: Principal): Promise<void> => {
    const decision = decideJurisdiction(state, command, actor, nowIso());
    if (!decision.ok) throw refusalFailure(decision);
    if (decision.events.length === 0) return; // a repeat: accepted, nothing changes
    apply(decision.events);
    await project();
  };

  const notify = (kind: string, message: string, cause: string) =>
    db.notify({
      key: `${input.requestId}:${input.country}:${cause}:${kind}`,
      requestId: input.requestId,
      reference: input.reference,
      recipientRole: 'ncb_officer',
      recipientCountry: input.requestingCountry,
      kind,
      message,
      at: nowIso(),
    });

  setHandler(jurisdictionStateQuery, () => state);
  setHandler(
    jurisdictionUpdate,
    async (env: JurisdictionEnvelope) => {
      await record(env.command, env.actor);
      return state;
    },
    {
      validator: (env: JurisdictionEnvelope) => {
        const decision = decideJurisdiction(state, env.command, env.actor, nowIso());
        if (!decision.ok) throw refusalFailure(decision);
      },
    },
  );
  setHandler(stopJurisdictionSignal, () => {
    stopped = true;
  });
  // New messages only: a history without them runs exactly the commands it ran before.
  setHandler(pauseJurisdictionSignal, ({ since }) => {
    controls.push({ type: 'pause', since });
  });
  setHandler(resumeJurisdictionSignal, ({ at }) => {
    controls.push({ type: 'resumeDeadline', at });
  });

  await project();
  while (!stopped) {
    while (controls.length > 0) {
      const command = controls.shift()!;
      const decision = decideJurisdiction(state, command, REQUEST_WORKFLOW, nowIso());
      // A pause of a final track, or a repeat, is accepted with no events and records nothing.
      if (decision.ok && decision.events.length > 0) {
        apply(decision.events);
        await project();
      }
    }
    while (parentNotices.length > 0) {
      const status = parentNotices.shift()!;
      try {
        await getExternalWorkflowHandle(input.parentWorkflowId).signal(jurisdictionChangedSignal, {
          country: input.country,
          status,
        });
      } catch {
        // The request has ended meanwhile: nobody to tell.
      }
    }

    // Paused: no deadline or reminder runs; they come back, moved, on resumption.
    const paused = state.pausedSince !== undefined;
    const due = isFinal(state.status) || paused ? undefined : nextTimer();
    const waitMs = due ? Date.parse(due.at) - Date.now() : undefined;
    if (due && waitMs !== undefined && waitMs <= 0) {
      fired.add(due.key);
      if (due.key.startsWith('deadline:')) {
        await record({ type: 'deadlinePassed' }, TIMER);
        await notify(
          'country_overdue',
          `${input.reference}: ${input.country} passed its deadline`,
          due.key,
        );
      } else {
        await notify(
          'country_reminder',
          `${input.reference}: ${input.country} has not answered; deadline ${state.deadline}`,
          due.key,
        );
      }
      continue;
    }
    const seqBefore = seq;
    await waitUntil(
      () => stopped || seq !== seqBefore || parentNotices.length > 0 || controls.length > 0,
      waitMs,
    );
  }
  await condition(allHandlersFinished);
  return state;

  /** Reminders before the (possibly extended) deadline, then the deadline itself. */
  function nextTimer(): { key: string; at: string } | undefined {
    const deadlineMs = Date.parse(state.deadline);
    const candidates = [
      ...input.countryRemindersBefore.map((before) => ({
        key: `reminder:${state.deadline}:${before}`,
        at: new Date(deadlineMs - durationMs(before)).toISOString(),
      })),
      { key: `deadline:${state.deadline}`, at: state.deadline },
    ];
    return candidates.filter((t) => !fired.has(t.key)).sort((a, b) => a.at.localeCompare(b.at))[0];
  }
}
