// A deliberately changed request workflow for the replay tests: the same workflow type name,
// with one extra timer before anything else and no patched(). Replaying a recorded history
// against it must be reported as non-deterministic, with the divergence named.
import { sleep } from '@temporalio/workflow';
import { traceRequestWorkflow as recorded } from '../../../workflows/trace-request.workflow';
import type { TraceRequestWorkflowInput } from '../../../workflows/messages';

export { jurisdictionWorkflow } from '../../../workflows/jurisdiction.workflow';
export { auditVerifyWorkflow } from '../../../workflows/audit-verify.workflow';
export { retentionSweepWorkflow } from '../../../workflows/retention-sweep.workflow';

export async function traceRequestWorkflow(input: TraceRequestWorkflowInput) {
  await sleep('1 second');
  return recorded(input);
}
