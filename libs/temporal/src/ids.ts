/** Business ids double as workflow ids, so a retried start can never create a second workflow. */
export const requestWorkflowId = (requestId: string): string => `trace-request-${requestId}`;

export const jurisdictionWorkflowId = (requestId: string, country: string): string =>
  `trace-request-${requestId}-${country.toLowerCase()}`;
