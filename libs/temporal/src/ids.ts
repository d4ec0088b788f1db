/** Business ids double as workflow ids, so a retried start can never create a second workflow. */
export const requestWorkflowId = (requestId: string): string => `trace-request-${requestId}`;

export const jurisdictionWorkflowId = (requestId: string, country: string): string =>
  `trace-request-${requestId}-${country.toLowerCase()}`;

/** The request id both kinds carry (`trace-request-<uuid>`, `trace-request-<uuid>-<cc>`). */
export function requestIdOf(workflowId: string | undefined): string | undefined {
  if (!workflowId) return undefined;
  return /^trace-request-([0-9a-f-]{36})(?:-[a-z]{2})?$/.exec(workflowId)?.[1];
}

/** The schedule (and the id prefix of its runs) that verifies the audit chain; one per task queue. */
export const auditVerifyScheduleId = (taskQueue: string): string => `audit-verify-${taskQueue}`;

/** The schedule (and the id prefix of its runs) that sweeps retention reviews; one per task queue. */
export const retentionSweepScheduleId = (taskQueue: string): string =>
  `retention-sweep-${taskQueue}`;
