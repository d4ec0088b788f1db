import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { DATABASE_ACTIVITY } from './activity-options';
import { addDuration } from './time';
import { isFinalRequestStatus, type Role } from '../libs/domain/src/enums';
import {
  decide,
  decideCreate,
  evolve,
  initialState,
  type RequestCommand,
  type RequestEvent,
  type RequestState,
} from '../libs/domain/src/lifecycle';
import { RefusalCode, tracksRun, WITH_INTERPOL_STATUSES } from '../libs/domain/src/rules';
import type { Decision, Principal } from '../libs/domain/src/types';
import { jurisdictionWorkflowId } from '../libs/temporal/src/ids';
import type {
  AuditedEvent,
  Notification,
  OutboundMessage,
  RequestActivities,
} from './activity-types';
import { auditedRequestEvent } from './audit-events';
import { jurisdictionWorkflow } from './jurisdiction.workflow';
import {
  commandUpdate,
  jurisdictionChangedSignal,
  pauseJurisdictionSignal,
  resumeJurisdictionSignal,
  stateQuery,
  stopJurisdictionSignal,
  type CarriedState,
  type CommandEnvelope,
  type TraceRequestWorkflowInput,
} from './messages';
import { refusalFailure } from './refusals';
import { TIMER, JURISDICTION_TRACK } from './system-actors';
import { waitUntil } from './wait';

const db = proxyActivities<RequestActivities>(DATABASE_ACTIVITY);

const gateway = proxyActivities<Pick<RequestActivities, 'sendToInterpol'>>({
  startToCloseTimeout: '30 seconds',
  // A gateway that is down delays the request, never loses it: retry without limit, and the
  // idempotency key keeps retries from duplicating it on INTERPOL's side.
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes', backoffCoefficient: 2 },
});

const nowIso = (): string => new Date().toISOString(); // workflow time: deterministic on replay

/** Side effects of recorded events, run by the main loop in order. */
type Effect =
  | { type: 'send'; message: OutboundMessage }
  | { type: 'startChildren'; countries: string[]; dispatchedAt: string }
  | { type: 'stopChildren'; reason: string }
  | { type: 'pauseChildren'; since: string }
  | { type: 'resumeChildren'; at: string }
  | { type: 'notify'; notification: Omit<Notification, 'requestId' | 'reference'> };

interface Timer {
  key: string;
  at: string;
  fire: () => Promise<unknown> | unknown;
}

/** One trace request from its draft to its end; the rules are libs/domain/src/lifecycle.ts. */
export async function traceRequestWorkflow(
  input: TraceRequestWorkflowInput,
): Promise<RequestState> {
  const settings = input.settings;
  let state: RequestState;
  let seq: number;
  let statusSince: string;
  let statusSinceSeq: number;
  const firedTimers = new Set<string>(input.carried?.firedTimers ?? []);
  const startedChildren = new Set<string>(input.carried?.startedChildren ?? []);
  const sentMessages = new Set<string>(input.carried?.sentMessages ?? []);

  if (input.carried) {
    ({ state, seq, statusSince, statusSinceSeq } = input.carried);
  } else {
    const created = decideCreate(
      {
        id: input.id,
        reference: input.reference,
        content: input.content,
        contentHash: input.contentHash,
        requiredApprovals: settings.requiredApprovals,
      },
      input.actor,
      input.createdAt,
    );
    if (!created.ok) throw refusalFailure(created);
    state = initialState(created.events[0]);
    seq = 1;
    statusSince = state.createdAt;
    statusSinceSeq = seq;
  }

  const effects: Effect[] = [];
  /** Events recorded but not yet projected: the next projection puts them on the audit chain. */
  const audited: AuditedEvent[] = [];
  const trackChanges: { country: string; status: RequestState['jurisdictions'][string] }[] = [];

  /** Notification keys name their cause (event number or timer), so each is stored once. */
  const notifyRole = (kind: string, role: Role, message: string, cause = String(seq)) =>
    effects.push({
      type: 'notify',
      notification: {
        key: `${state.id}:${cause}:${kind}:${role}`,
        recipientRole: role,
        recipientCountry: state.requestingCountry,
        kind,
        message,
        at: nowIso(),
      },
    });
  const notifyDrafter = (kind: string, message: string) =>
    effects.push({
      type: 'notify',
      notification: {
        key: `${state.id}:${seq}:${kind}:drafter`,
        recipientUserId: state.drafterId,
        kind,
        message,
        at: nowIso(),
      },
    });

  /** Each target country's liaisons (a cancellation or suspension concerns them too). */
  const notifyLiaisons = (kind: string, message: string) => {
    for (const country of Object.keys(state.jurisdictions).sort()) {
      effects.push({
        type: 'notify',
        notification: {
          key: `${state.id}:${seq}:${kind}:foreign_liaison:${country}`,
          recipientRole: 'foreign_liaison',
          recipientCountry: country,
          kind,
          message,
          at: nowIso(),
        },
      });
    }
  };

  /** What each recorded event sets in motion outside the workflow. */
  const effectsOf = (event: RequestEvent, before: RequestState): void => {
    const ref = state.reference;
    switch (event.type) {
      case 'SubmittedForReview':
        notifyRole('review_requested', 'supervisor', `${ref} awaits national review`);
        break;
      case 'Approved':
        notifyDrafter('approved', `${ref} was approved`);
        notifyRole(
          'ready_for_interpol',
          'ncb_officer',
          `${ref} is approved and ready for INTERPOL`,
        );
        break;
      case 'Rejected':
        notifyDrafter('rejected', `${ref} was rejected in national review`);
        break;
      case 'ChangesRequested':
        notifyDrafter('changes_requested', `${ref}: changes requested`);
        break;
      case 'SubmittedToInterpol':
        if (state.content.kind === 'notice') {
          effects.push({ type: 'send', message: submissionMessage(state) });
        } else {
          effects.push({ type: 'send', message: diffusionMessage(state) });
        }
        break;
      case 'Published':
        effects.push({ type: 'startChildren', countries: event.countries, dispatchedAt: event.at });
        notifyDrafter(
          'published',
          `${ref} was ${event.channel === 'notice' ? 'published' : 'dispatched'}`,
        );
        break;
      case 'Refused':
        notifyDrafter('refused', `${ref} was refused by the INTERPOL General Secretariat`);
        notifyRole(
          'refused',
          'ncb_officer',
          `${ref} was refused by the INTERPOL General Secretariat`,
        );
        break;
      case 'Queried':
        notifyDrafter('gs_query', `${ref}: the INTERPOL General Secretariat asks a question`);
        break;
      case 'QueryAnswered':
        effects.push({
          type: 'send',
          message: {
            type: 'queryAnswer',
            idempotencyKey: `query-answer-${state.id}-${state.interpol.queries.length}`,
            body: { reference: ref, answer: event.answer },
          },
        });
        break;
      case 'Withdrawn':
      case 'Expired': {
        const wasSent = WITH_INTERPOL_STATUSES.includes(before.status);
        const byGs = event.type === 'Withdrawn' && event.orderedBy === 'interpol_gs';
        if (wasSent && !byGs) {
          const reason = event.type === 'Withdrawn' ? event.reason : 'validity expired';
          effects.push({
            type: 'send',
            message: {
              type: 'withdrawal',
              idempotencyKey: `withdrawal-${state.id}`,
              body: { reference: ref, reason },
            },
          });
        }
        effects.push({
          type: 'stopChildren',
          reason: event.type === 'Withdrawn' ? 'withdrawn' : 'expired',
        });
        notifyDrafter(
          event.type === 'Withdrawn' ? 'withdrawn' : 'expired',
          `${ref} was ${event.type.toLowerCase()}`,
        );
        break;
      }
      case 'Completed':
        notifyDrafter(
          'completed',
          `${ref}: every target country has answered or passed its deadline`,
        );
        notifyRole('completed', 'ncb_officer', `${ref} is complete and can be closed`);
        break;
      case 'Closed':
        effects.push({ type: 'stopChildren', reason: 'closed' });
        break;
      case 'Suspended': {
        effects.push({ type: 'pauseChildren', since: event.at });
        const message = `${ref} is suspended until ${event.until}${event.orderedBy ? ' by the INTERPOL General Secretariat' : ''}; answer deadlines are paused`;
        notifyDrafter('suspended', message);
        notifyRole('suspended', 'ncb_officer', message);
        notifyLiaisons('suspended', message);
        break;
      }
      case 'SuspensionExtended': {
        const message = `${ref}: the suspension is extended until ${event.until}`;
        notifyDrafter('suspension_extended', message);
        notifyRole('suspension_extended', 'ncb_officer', message);
        notifyLiaisons('suspension_extended', message);
        break;
      }
      case 'Resumed': {
        effects.push({ type: 'resumeChildren', at: event.at });
        const message = `${ref} is ${event.expired ? 'resumed: its suspension ended' : 'resumed'}; answer deadlines run again`;
        notifyDrafter('resumed', message);
        notifyRole('resumed', 'ncb_officer', message);
        notifyLiaisons('resumed', message);
        break;
      }
      case 'Cancelled': {
        // The GS ordered it: nothing to send back; the tracks stop as after a withdrawal.
        effects.push({ type: 'stopChildren', reason: 'cancelled' });
        const message = `${ref} was cancelled by the INTERPOL General Secretariat`;
        notifyDrafter('cancelled', message);
        notifyRole('cancelled', 'ncb_officer', message);
        notifyLiaisons('cancelled', message);
        break;
      }
      default:
        break;
    }
  };

  const applyEvents = (events: RequestEvent[]) => {
    for (const event of events) {
      const before = state;
      state = evolve(state, event);
      seq += 1;
      audited.push(auditedRequestEvent(event, seq, before.status, state.status));
      if (state.status !== before.status) {
        statusSince = event.at;
        statusSinceSeq = seq;
      }
      effectsOf(event, before);
    }
  };

  const saveProjection = () =>
    db.projectRequest({
      id: state.id,
      reference: state.reference,
      requestingCountry: state.requestingCountry,
      kind: state.content.kind,
      urgency: state.content.urgency,
      language: state.content.language,
      status: state.status,
      version: state.version,
      stateSeq: seq,
      caseReference: state.content.caseReference,
      subjectName: [
        state.content.subject.familyName,
        state.content.subject.givenNames,
        ...(state.content.subject.aliases ?? []),
      ].join(' '),
      content: state.content as unknown as Record<string, unknown>,
      contentHash: state.contentHash,
      state: state as unknown as Record<string, unknown>,
      drafterId: state.drafterId,
      workflowId: workflowInfo().workflowId,
      createdAt: state.createdAt,
      updatedAt: state.updatedAt,
      audit: audited.splice(0),
    });

  const decideNow = (command: RequestCommand, actor: Principal): Decision<RequestEvent> =>
    decide(state, command, actor, nowIso());

  /** Decides a command from inside the workflow (timers, country tracks) and saves its events. */
  const decideAndSave = async (command: RequestCommand, actor: Principal): Promise<boolean> => {
    const decision = decideNow(command, actor);
    if (!decision.ok || decision.events.length === 0) return false;
    applyEvents(decision.events);
    await saveProjection();
    return true;
  };

  setHandler(stateQuery, () => state);
  setHandler(
    commandUpdate,
    async (env: CommandEnvelope) => {
      if (env.command.type === 'submitToInterpol') await takeQuotaSlot(env);
      // Decided again: another update may have changed the state since validation.
      const decision = decideNow(env.command, env.actor);
      if (!decision.ok) throw refusalFailure(decision);
      applyEvents(decision.events);
      await saveProjection();
      await startPendingChildren();
      return state;
    },
    {
      validator: (env: CommandEnvelope) => {
        const decision = decideNow(env.command, env.actor);
        if (!decision.ok) throw refusalFailure(decision);
      },
    },
  );
  setHandler(jurisdictionChangedSignal, (change) => {
    trackChanges.push(change);
  });

  /** One quota slot per request, taken atomically in PostgreSQL before the submission counts. */
  async function takeQuotaSlot(env: CommandEnvelope): Promise<void> {
    const year = new Date().getUTCFullYear();
    const result = await db.reserveQuota({
      requestId: state.id,
      country: state.requestingCountry,
      year,
      limit: settings.quotaPerYear,
    });
    if (!result.ok) {
      throw refusalFailure({
        code: RefusalCode.QUOTA_EXHAUSTED,
        message: `the ${year} INTERPOL quota of ${state.requestingCountry} is spent (${result.used}/${result.limit})`,
      });
    }
    if (!decideNow(env.command, env.actor).ok && state.status === 'APPROVED') {
      // Refused for another reason after all: the slot goes back.
      await db.releaseQuota({ requestId: state.id });
    }
  }

  /**
   * Country tracks start before a publication is acknowledged, so a liaison who answers at once
   * finds its track (the other effects may trail behind in the main loop).
   */
  const startPendingChildren = async (): Promise<void> => {
    for (let i = 0; i < effects.length;) {
      if (effects[i].type === 'startChildren') await runEffect(effects.splice(i, 1)[0]);
      else i += 1;
    }
  };

  const runEffect = async (effect: Effect): Promise<void> => {
    switch (effect.type) {
      case 'notify':
        await db.notify({
          ...effect.notification,
          requestId: state.id,
          reference: state.reference,
        });
        return;
      case 'send': {
        if (sentMessages.has(effect.message.idempotencyKey)) return;
        try {
          await gateway.sendToInterpol(effect.message);
        } catch {
          // Only a permanent refusal (4xx) ends up here; people must look at it.
          notifyRole(
            'gateway_refused',
            'ncb_officer',
            `INTERPOL refused the ${effect.message.type} of ${state.reference}`,
          );
        }
        sentMessages.add(effect.message.idempotencyKey);
        return;
      }
      case 'startChildren':
        for (const country of effect.countries) {
          if (startedChildren.has(country)) continue;
          await startChild(jurisdictionWorkflow, {
            workflowId: jurisdictionWorkflowId(state.id, country),
            // Tracks outlive a continue-as-new of this run; they are stopped explicitly.
            parentClosePolicy: ParentClosePolicy.ABANDON,
            args: [
              {
                requestId: state.id,
                reference: state.reference,
                country,
                requestingCountry: state.requestingCountry,
                parentWorkflowId: workflowInfo().workflowId,
                dispatchedAt: effect.dispatchedAt,
                // Same commands as before: only the child's input differs, and only for
                // requests started with per-country deadlines (older inputs have none).
                countryDeadline: settings.countryDeadlines?.[country] ?? settings.countryDeadline,
                countryRemindersBefore: settings.countryRemindersBefore,
              },
            ],
          });
          startedChildren.add(country);
        }
        return;
      case 'pauseChildren':
      case 'resumeChildren':
        for (const country of startedChildren) {
          const track = getExternalWorkflowHandle(jurisdictionWorkflowId(state.id, country));
          try {
            await (effect.type === 'pauseChildren'
              ? track.signal(pauseJurisdictionSignal, { since: effect.since })
              : track.signal(resumeJurisdictionSignal, { at: effect.at }));
          } catch {
            // Already finished: nothing to pause or resume.
          }
        }
        return;
      case 'stopChildren':
        for (const country of startedChildren) {
          try {
            await getExternalWorkflowHandle(jurisdictionWorkflowId(state.id, country)).signal(
              stopJurisdictionSignal,
              { reason: effect.reason },
            );
          } catch {
            // Already finished: nothing to stop.
          }
        }
        return;
    }
  };

  /** The timers the current state calls for; each fires at most once (keys are remembered). */
  const timers = (): Timer[] => {
    const list: Timer[] = [];
    if (!isFinalRequestStatus(state.status)) {
      list.push({
        key: 'expire',
        at: addDuration(state.createdAt, settings.validity),
        fire: () => decideAndSave({ type: 'expire' }, TIMER),
      });
    }
    const suspension = state.suspension;
    if (suspension && !isFinalRequestStatus(state.status)) {
      // Only a suspended request has this timer: earlier histories keep their commands.
      list.push({
        key: `suspension-end:${suspension.since}:${suspension.until}`,
        at: suspension.until,
        fire: () => decideAndSave({ type: 'suspensionEnded' }, TIMER),
      });
    }
    const round = `${statusSinceSeq}`;
    if (state.status === 'IN_REVIEW') {
      list.push({
        key: `review-reminder:${round}`,
        at: addDuration(statusSince, settings.reviewReminderAfter),
        fire: () =>
          notifyRole(
            'review_reminder',
            'supervisor',
            `${state.reference} still awaits national review`,
            `review-reminder:${round}`,
          ),
      });
      list.push({
        key: `review-escalation:${round}`,
        at: addDuration(statusSince, settings.reviewEscalationAfter),
        fire: () => {
          const message = `${state.reference}: national review is overdue (escalated)`;
          notifyRole('review_escalated', 'supervisor', message, `review-escalation:${round}`);
          notifyRole('review_escalated', 'ncb_officer', message, `review-escalation:${round}`);
        },
      });
    }
    if (state.status === 'SUBMITTED') {
      list.push({
        key: `gs-reminder:${round}`,
        at: addDuration(statusSince, settings.gsReminderAfter),
        fire: () =>
          notifyRole(
            'gs_decision_overdue',
            'ncb_officer',
            `${state.reference}: no INTERPOL decision yet`,
            `gs-reminder:${round}`,
          ),
      });
    }
    if (state.content.purposes.includes('monitor') && tracksRun(state.status)) {
      const since = state.interpol.publishedAt ?? statusSince;
      const n = [...firedTimers].filter((k) => k.startsWith('monitor-report:')).length + 1;
      list.push({
        key: `monitor-report:${n}`,
        at: addDuration(since, multiply(settings.monitorReportEvery, n)),
        fire: () =>
          notifyRole(
            'monitor_report',
            'investigator',
            `${state.reference} monitoring report ${n}: ${Object.entries(state.jurisdictions)
              .map(([c, s]) => `${c} ${s}`)
              .join(', ')}`,
            `monitor-report:${n}`,
          ),
      });
    }
    return list.filter((t) => !firedTimers.has(t.key));
  };

  await saveProjection();
  while (!isFinalRequestStatus(state.status) || effects.length > 0) {
    while (effects.length > 0) await runEffect(effects.shift()!);
    while (trackChanges.length > 0) {
      const change = trackChanges.shift()!;
      await decideAndSave(
        { type: 'jurisdictionChanged', country: change.country, status: change.status },
        JURISDICTION_TRACK,
      );
    }
    if (isFinalRequestStatus(state.status)) continue;

    const due = timers().sort((a, b) => a.at.localeCompare(b.at))[0];
    const waitMs = due ? Date.parse(due.at) - Date.now() : undefined;
    if (due && waitMs !== undefined && waitMs <= 0) {
      firedTimers.add(due.key);
      await due.fire();
      continue;
    }
    const seqBefore = seq;
    await waitUntil(
      () => effects.length > 0 || trackChanges.length > 0 || seq !== seqBefore,
      waitMs,
    );

    if (
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength > settings.continueAsNewAfterEvents
    ) {
      await condition(allHandlersFinished);
      if (effects.length === 0 && trackChanges.length === 0) {
        const carried: CarriedState = {
          state,
          seq,
          statusSince,
          statusSinceSeq,
          firedTimers: [...firedTimers],
          startedChildren: [...startedChildren],
          sentMessages: [...sentMessages],
        };
        await continueAsNew<typeof traceRequestWorkflow>({ ...input, carried });
      }
    }
  }
  await condition(allHandlersFinished);
  return state;
}

function submissionMessage(state: RequestState): OutboundMessage {
  return {
    type: 'submission',
    idempotencyKey: `submission-${state.id}`,
    body: {
      reference: state.reference,
      requestId: state.id,
      kind: 'notice',
      requestingCountry: state.requestingCountry,
      ...(state.content.allMembers
        ? { allMembers: true }
        : { targetCountries: state.content.targetCountries ?? [] }),
      contentHash: state.contentHash,
      content: state.content as unknown as Record<string, unknown>,
    },
  };
}

function diffusionMessage(state: RequestState): OutboundMessage {
  return {
    type: 'diffusion',
    idempotencyKey: `diffusion-${state.id}`,
    body: {
      reference: state.reference,
      requestId: state.id,
      requestingCountry: state.requestingCountry,
      targetCountries: state.content.targetCountries ?? [],
      contentHash: state.contentHash,
      content: state.content as unknown as Record<string, unknown>,
    },
  };
}

/** `n` times an ISO 8601 duration, as a duration (P30D x 3 = P90D); only whole numbers scale. */
function multiply(duration: string, n: number): string {
  return duration.replace(
    /(\d+)([YMWDHS])/g,
    (_, v: string, unit: string) => `${Number(v) * n}${unit}`,
  );
}
