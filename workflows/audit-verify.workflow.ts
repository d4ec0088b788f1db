import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { DATABASE_ACTIVITY } from './activity-options';
import { AUDIT_ALARM_ROLES } from '../libs/domain/src/rules';
import type { AuditActivities, AuditVerification, RequestActivities } from './activity-types';

const audit = proxyActivities<AuditActivities>({
  // A long chain takes a while; the activity heartbeats after every batch.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

const db = proxyActivities<Pick<RequestActivities, 'notify'>>(DATABASE_ACTIVITY);

/**
 * Verifies the audit chain (started by the worker's schedule, or by hand) and, when it is broken,
 * notifies auditors and admins. Notification keys name this run, so a retried activity stores
 * each once and every failing run raises the alarm again until someone repairs the chain.
 */
export async function auditVerifyWorkflow(): Promise<AuditVerification> {
  const result = await audit.verifyAuditChain();
  if (!result.ok && result.firstBrokenEntry) {
    const { seq, reason } = result.firstBrokenEntry;
    const run = workflowInfo().workflowId;
    for (const role of AUDIT_ALARM_ROLES) {
      await db.notify({
        key: `audit-chain-broken:${run}:${role}`,
        recipientRole: role,
        kind: 'audit_chain_broken',
        message: `The audit chain is broken at entry ${seq}: ${reason}`,
        at: new Date().toISOString(),
      });
    }
  }
  return result;
}
