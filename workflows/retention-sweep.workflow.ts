import { proxyActivities } from '@temporalio/workflow';
import type { RetentionActivities, RetentionSweepResult } from './activity-types';

const retention = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * One retention sweep (started by the worker's schedule every RETENTION_SWEEP_INTERVAL, or by
 * hand): due reviews into the NCB's notifications, overdue reviews and ordered erasures pending
 * past their deadline escalated. The activity marks what it announced, so a retried or
 * overlapping run tells nobody twice.
 */
export async function retentionSweepWorkflow(): Promise<RetentionSweepResult> {
  return retention.sweepRetention();
}
