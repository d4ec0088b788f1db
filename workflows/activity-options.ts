import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Options of the activities that are single PostgreSQL statements (projections, quota, notices).
 * Short: a task lost with a crashed worker is only retried once this runs out. Idempotent, so
 * retrying until PostgreSQL is back is always safe. (Timeouts are not part of replay: changing
 * them needs no patch.)
 */
export const DATABASE_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
};
