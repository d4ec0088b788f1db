import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { isFinalRequestStatus } from '../libs/domain/src/enums';
import {
  decide,
  decideCreate,
  evolve,
  initialState,
  type RequestEvent,
  type RequestState,
} from '../libs/domain/src/lifecycle';
import type { Decision, Refusal } from '../libs/domain/src/types';
import type { RequestActivities } from './activity-types';
import {
  commandUpdate,
  stateQuery,
  type CommandEnvelope,
  type TraceRequestWorkflowInput,
} from './messages';

const activities = proxyActivities<RequestActivities>({
  startToCloseTimeout: '30 seconds',
  // Projections are idempotent, so retrying until PostgreSQL is back is always safe.
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/** Refusals travel to the API as ApplicationFailures whose type is the refusal code. */
function refusalFailure(refusal: Refusal): ApplicationFailure {
  return ApplicationFailure.create({
    message: refusal.message,
    type: refusal.code,
    nonRetryable: true,
  });
}

const nowIso = (): string => new Date().toISOString(); // workflow time: deterministic on replay

/** One trace request from its draft to its end; see libs/domain/src/lifecycle.ts for the rules. */
export async function traceRequestWorkflow(
  input: TraceRequestWorkflowInput,
): Promise<RequestState> {
  const created = decideCreate(
    {
      id: input.id,
      reference: input.reference,
      content: input.content,
      contentHash: input.contentHash,
      requiredApprovals: input.requiredApprovals,
    },
    input.actor,
    input.createdAt,
  );
  if (!created.ok) throw refusalFailure(created);
  let state = initialState(created.events[0]);
  let seq = 1;

  const project = () =>
    activities.projectRequest({
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
    });

  const apply = (events: RequestEvent[]) => {
    for (const event of events) {
      state = evolve(state, event);
      seq += 1;
    }
  };

  const check = (env: CommandEnvelope): Decision<RequestEvent> =>
    decide(state, env.command, env.actor, nowIso());

  setHandler(stateQuery, () => state);
  setHandler(
    commandUpdate,
    async (env) => {
      // Decided again here: another update may have changed the state since validation.
      const decision = check(env);
      if (!decision.ok) throw refusalFailure(decision);
      apply(decision.events);
      await project();
      return state;
    },
    {
      validator: (env) => {
        const decision = check(env);
        if (!decision.ok) throw refusalFailure(decision);
      },
    },
  );

  await project();
  await condition(() => isFinalRequestStatus(state.status));
  await condition(allHandlersFinished);
  return state;
}
