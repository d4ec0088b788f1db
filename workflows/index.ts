// The workflow bundle's entry: every workflow type the worker registers.
export { traceRequestWorkflow } from './trace-request.workflow';
