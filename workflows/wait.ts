import { condition } from '@temporalio/workflow';

/** Waits for `fn` to hold, or for `timeoutMs` when given (a durable timer); true if it held. */
export async function waitUntil(
  fn: () => boolean,
  timeoutMs: number | undefined,
): Promise<boolean> {
  if (timeoutMs === undefined) {
    await condition(fn);
    return true;
  }
  return condition(fn, timeoutMs);
}
