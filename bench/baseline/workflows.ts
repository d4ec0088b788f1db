// The bare-Temporal baseline: a parent workflow and its children doing what one journey asks of
// Temporal (starts, updates, child workflows, activities, signals) with no-op activities and
// nothing else: no API, no database, no domain rules. The numbers of each come from a real
// journey's histories, measured in the same run (see profile.ts).
import {
  condition,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type * as activities from './activities';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

export interface ParentStep {
  activities: number;
  startChildren?: boolean;
  /** The last update: stops the children and ends the run. */
  close?: boolean;
}

export interface ChildStep {
  activities: number;
}

export interface BareParentInput {
  children: string[];
  activitiesAtStart: number;
  childActivitiesAtStart: number;
}

export const parentUpdate = defineUpdate<number, [ParentStep]>('step');
export const childUpdate = defineUpdate<number, [ChildStep]>('step');
export const childChanged = defineSignal<[string]>('childChanged');
export const stopChild = defineSignal('stop');

async function run(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await noop();
}

export async function bareParent(input: BareParentInput): Promise<number> {
  let closed = false;
  let changes = 0;
  const id = workflowInfo().workflowId;
  setHandler(childChanged, () => {
    changes++;
  });
  setHandler(parentUpdate, async (step) => {
    await run(step.activities);
    if (step.startChildren) {
      for (const c of input.children) {
        await startChild(bareChild, {
          workflowId: `${id}-${c}`,
          parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [{ parent: id, activitiesAtStart: input.childActivitiesAtStart }],
        });
      }
    }
    if (step.close) {
      for (const c of input.children) {
        await getExternalWorkflowHandle(`${id}-${c}`).signal(stopChild);
      }
      closed = true;
    }
    return changes;
  });
  await run(input.activitiesAtStart);
  await condition(() => closed);
  await condition(allHandlersFinished);
  return changes;
}

export async function bareChild(input: {
  parent: string;
  activitiesAtStart: number;
}): Promise<number> {
  let stopped = false;
  let pending = 0;
  let seen = 0;
  setHandler(childUpdate, async (step) => {
    await run(step.activities);
    pending++;
    return ++seen;
  });
  setHandler(stopChild, () => {
    stopped = true;
  });
  await run(input.activitiesAtStart);
  while (!stopped) {
    if (pending > 0) {
      pending--;
      await getExternalWorkflowHandle(input.parent).signal(childChanged, workflowInfo().workflowId);
      continue;
    }
    await condition(() => stopped || pending > 0);
  }
  await condition(allHandlersFinished);
  return seen;
}
