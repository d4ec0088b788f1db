import type { SystemActor } from '../libs/domain/src/types';

/** The machine principals that appear in histories next to people. */
export const TIMER: SystemActor = { userId: 'timer', username: 'timer', role: 'system' };
export const JURISDICTION_TRACK: SystemActor = {
  userId: 'jurisdiction-workflow',
  username: 'jurisdiction-workflow',
  role: 'system',
};
