import type { SimState, StoredAnswer } from './sim-state';
import type { SimRequest } from './sim.types';

/**
 * Records the key on the request and returns the first answer given for it, if any. Only
 * successful answers are stored, so a retry after a 503 is processed afresh.
 */
export function replayOf(
  state: SimState,
  request: SimRequest,
  path: string,
  idempotencyKey: string | undefined,
): StoredAnswer | undefined {
  if (idempotencyKey === undefined) return undefined;
  state.noteIdempotencyKey(request, path, idempotencyKey);
  const stored = state.storedAnswer(path, idempotencyKey);
  if (stored) state.log('in', 'idempotent_replay', request.reference, { path, idempotencyKey });
  return stored;
}
