// The workflow bundle's entry: every workflow type the worker registers.
export { jurisdictionWorkflow } from './jurisdiction.workflow';
export { traceRequestWorkflow } from './trace-request.workflow';
export { auditVerifyWorkflow } from './audit-verify.workflow';
export { retentionSweepWorkflow } from './retention-sweep.workflow';
