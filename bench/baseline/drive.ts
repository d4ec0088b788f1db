// The profile of one journey as Temporal sees it (read from its histories), and the baseline
// that replays that profile on the bare workflows.
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { jurisdictionWorkflowId, requestWorkflowId } from '../../libs/temporal/src/ids';
import { childUpdate, parentUpdate, type ParentStep } from './workflows';
import { BASELINE_TASK_QUEUE } from './worker';

export interface JourneyProfile {
  parentUpdates: number;
  parentActivities: number;
  children: number;
  parentSignalsSent: number;
  /** Per child, averaged and rounded. */
  childUpdates: number;
  childActivities: number;
  childSignalsSent: number;
}

interface Counts {
  updates: number;
  activities: number;
  children: number;
  signals: number;
}

async function countHistory(client: Client, workflowId: string): Promise<Counts> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const c: Counts = { updates: 0, activities: 0, children: 0, signals: 0 };
  for (const e of history.events ?? []) {
    if (e.workflowExecutionUpdateAcceptedEventAttributes) c.updates++;
    if (e.activityTaskScheduledEventAttributes) c.activities++;
    if (e.startChildWorkflowExecutionInitiatedEventAttributes) c.children++;
    if (e.signalExternalWorkflowExecutionInitiatedEventAttributes) c.signals++;
  }
  return c;
}

/** What one closed journey (request id, its target countries) asked of Temporal. */
export async function profileJourney(
  address: string,
  requestId: string,
  countries: string[],
): Promise<JourneyProfile> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const parent = await countHistory(client, requestWorkflowId(requestId));
    const kids = await Promise.all(
      countries.map((c) => countHistory(client, jurisdictionWorkflowId(requestId, c))),
    );
    const avg = (f: (c: Counts) => number) =>
      Math.round(kids.reduce((s, k) => s + f(k), 0) / Math.max(1, kids.length));
    return {
      parentUpdates: parent.updates,
      parentActivities: parent.activities,
      children: parent.children,
      parentSignalsSent: parent.signals,
      childUpdates: avg((k) => k.updates),
      childActivities: avg((k) => k.activities),
      childSignalsSent: avg((k) => k.signals),
    };
  } finally {
    await connection.close();
  }
}

/** The profile as the bare workflows' steps. */
function plan(p: JourneyProfile) {
  const updates = Math.max(2, p.parentUpdates);
  const atStart = Math.min(1, p.parentActivities);
  const spread = (total: number, n: number) =>
    Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
  const parentSteps: ParentStep[] = spread(p.parentActivities - atStart, updates).map(
    (activities, i) => ({
      activities,
      startChildren: i === updates - 2,
      close: i === updates - 1,
    }),
  );
  const childAtStart = Math.min(1, p.childActivities);
  const childSteps = spread(p.childActivities - childAtStart, p.childUpdates).map((activities) => ({
    activities,
  }));
  return { atStart, parentSteps, childAtStart, childSteps };
}

/** One bare "journey": the parent's updates, its children's updates, then the closing update. */
export async function bareJourney(
  client: Client,
  p: JourneyProfile,
  onCall: (label: string, ms: number) => void = () => {},
): Promise<void> {
  const { atStart, parentSteps, childAtStart, childSteps } = plan(p);
  const children = Array.from({ length: p.children }, (_, i) => `c${i}`);
  const workflowId = `bare-${randomUUID()}`;
  const timed = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    onCall(label, performance.now() - t0);
    return r;
  };
  const handle = await timed('start', () =>
    client.workflow.start('bareParent', {
      taskQueue: BASELINE_TASK_QUEUE,
      workflowId,
      args: [{ children, activitiesAtStart: atStart, childActivitiesAtStart: childAtStart }],
    }),
  );
  for (const step of parentSteps.slice(0, -1)) {
    await timed('parent update', () => handle.executeUpdate(parentUpdate, { args: [step] }));
  }
  await Promise.all(
    children.map(async (c) => {
      const child = client.workflow.getHandle(`${workflowId}-${c}`);
      for (const step of childSteps) {
        await timed('child update', () => child.executeUpdate(childUpdate, { args: [step] }));
      }
    }),
  );
  await timed('parent update', () =>
    handle.executeUpdate(parentUpdate, { args: [parentSteps[parentSteps.length - 1]] }),
  );
  await handle.result();
}
