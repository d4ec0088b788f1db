/** Business ids double as workflow ids, so a retried start can never create a second workflow. */
export const requestWorkflowId = (requestId: string): string => `trace-request-${requestId}`;

export const jurisdictionWorkflowId = (requestId: string, country: string): string =>
  `trace-request-${requestId}-${country.toLowerCase()}`;

/** The schedule (and the id prefix of its runs) that verifies the audit chain; one per task queue. */
export const auditVerifyScheduleId = (taskQueue: string): string => `audit-verify-${taskQueue}`;
