// The benchmark's baseline: a workflow that only runs a no-op activity over and over, so its
// history is as long as the request's, of the same kind of events (activity scheduled, started,
// completed, workflow tasks), but costs the replayer no application code.
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

export async function trivialWorkflow(iterations: number): Promise<number> {
  for (let i = 0; i < iterations; i++) await noop();
  return iterations;
}
