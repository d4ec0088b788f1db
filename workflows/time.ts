import { durationMs } from '../libs/domain/src/durations';

/** `at` plus an ISO 8601 duration, as an ISO timestamp (pure arithmetic, safe in workflows). */
export function addDuration(at: string, duration: string): string {
  return new Date(Date.parse(at) + durationMs(duration)).toISOString();
}
