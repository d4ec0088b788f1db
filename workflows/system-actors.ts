import type { SystemActor } from '../libs/domain/src/types';

/** The machine principals that appear in histories next to people. */
export const TIMER: SystemActor = { userId: 'timer', username: 'timer', role: 'system' };
export const JURISDICTION_TRACK: SystemActor = {
  userId: 'jurisdiction-workflow',
  username: 'jurisdiction-workflow',
  role: 'system',
};
/** The request's own workflow, telling its country tracks to pause or resume. */
export const REQUEST_WORKFLOW: SystemActor = {
  userId: 'request-workflow',
  username: 'request-workflow',
  role: 'system',
};
