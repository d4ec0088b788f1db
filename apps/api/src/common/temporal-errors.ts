import { randomUUID } from 'node:crypto';
import { HttpException, Logger } from '@nestjs/common';
import {
  ApplicationFailure,
  CancelledFailure,
  ConnectionLike,
  isGrpcServiceError,
  ServiceError,
  TerminatedFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WorkflowUpdateStage,
} from '@temporalio/client';
import type { UpdateDefinition, WorkflowHandle } from '@temporalio/client';
import { RefusalCode } from '../../../../libs/domain/src/rules';
import type { RefusalDetails } from '../../../../workflows/refusals';
import { ProblemException } from './problem';

/**
 * The one place where what Temporal answered becomes an HTTP problem. Every route that sends an
 * update (request actions, country responses, gateway messages) goes through `callWorkflow`
 * (with `executeUpdate`).
 *
 * - WorkflowUpdateFailedError: the workflow refused. Its cause is an ApplicationFailure whose
 *   `type` is the domain's refusal code and whose first detail carries field and rule
 *   (workflows/refusals.ts); REFUSAL_HTTP maps the code to the answer. Any other deliberate
 *   failure -> 409. A cancelled or terminated update means the workflow ended under it -> 409.
 * - WorkflowNotFoundError: the workflow already completed (or never ran) -> 409, it is closed.
 * - ServiceError on an update: executeUpdate first asks the workflow (ended -> 409, running ->
 *   the same update id again); what is left is Temporal unreachable or too slow -> 503.
 * - RPC timeout: Temporal not answering in time -> 503.
 * Anything else is a bug of ours and is rethrown (the filter answers a bare 500 and logs it).
 */

/**
 * An update must be accepted (validated by the workflow) within ACCEPT, then completed (handled
 * and projected) within COMPLETE: an unreachable Temporal or a stopped worker answers 503 after
 * a few seconds instead of holding the caller.
 */
export const UPDATE_ACCEPT_DEADLINE_MS = 5_000;
export const UPDATE_COMPLETE_DEADLINE_MS = 15_000;

export interface WorkflowCallContext {
  /** Said when the workflow no longer runs (e.g. "the request is closed"). */
  closed: string;
}

const logger = new Logger('TemporalErrors');

/** Problem types a client can branch on without parsing the detail. */
export const PROBLEM_TYPES = {
  quota: 'urn:silvertrace:problem:quota-exhausted',
  closed: 'urn:silvertrace:problem:workflow-closed',
  fourEyes: 'urn:silvertrace:problem:four-eyes',
  unavailable: 'urn:silvertrace:problem:workflow-engine-unavailable',
} as const;

/** How a refusal is answered: its HTTP status, and a problem type when clients branch on it. */
export interface RefusalAnswer {
  status: 400 | 403 | 409;
  type?: string;
}

/** Every domain refusal code's answer (api.md: 403 role or four-eyes, 409 state, 400 input). */
export const REFUSAL_HTTP: Record<RefusalCode, RefusalAnswer> = {
  [RefusalCode.FORBIDDEN_ROLE]: { status: 403 },
  [RefusalCode.FORBIDDEN_COUNTRY]: { status: 403 },
  [RefusalCode.SYSTEM_ONLY]: { status: 403 },
  [RefusalCode.FOUR_EYES]: { status: 403, type: PROBLEM_TYPES.fourEyes },
  [RefusalCode.NOT_ALLOWED_IN_STATE]: { status: 409 },
  [RefusalCode.STALE_VERSION]: { status: 409 },
  [RefusalCode.CONTENT_NOT_APPROVED]: { status: 409 },
  [RefusalCode.DEADLINE_NOT_PASSED]: { status: 409 },
  [RefusalCode.QUOTA_EXHAUSTED]: { status: 409, type: PROBLEM_TYPES.quota },
  [RefusalCode.INVALID]: { status: 400 },
  [RefusalCode.ALREADY_ERASED]: { status: 409 },
  [RefusalCode.WORKFLOW_RUNNING]: { status: 409 },
};

/**
 * The coarse codes of workflow code before 2026-12-03. An update retried under the same id
 * returns its first outcome, which may carry one of these across a deployment.
 */
const LEGACY_REFUSAL_HTTP: Record<string, RefusalAnswer> = {
  forbidden: { status: 403 },
  conflict: { status: 409 },
  quota: { status: 409, type: PROBLEM_TYPES.quota },
};

const isRefusalCode = (code: string): code is RefusalCode =>
  Object.prototype.hasOwnProperty.call(REFUSAL_HTTP, code);

/** The problem for a refusal coming out of the workflow: by code, never by the message's text. */
export function refusalProblem(
  code: string,
  message: string,
  details: RefusalDetails = {},
): ProblemException {
  const answer = isRefusalCode(code)
    ? REFUSAL_HTTP[code]
    : Object.prototype.hasOwnProperty.call(LEGACY_REFUSAL_HTTP, code)
      ? LEGACY_REFUSAL_HTTP[code]
      : undefined;
  if (!answer) logger.warn(`workflow refused with an unmapped failure type ${code}: ${message}`);
  const field = typeof details.field === 'string' ? details.field : undefined;
  const rule = typeof details.rule === 'string' ? details.rule : undefined;
  return new ProblemException(
    answer?.status ?? 409,
    message,
    field !== undefined ? [{ field, message }] : undefined,
    answer?.type,
    { code, ...(rule !== undefined ? { rule } : {}) },
  );
}

const GRPC_NOT_FOUND = 5;

/** The gRPC status of a Temporal client error, looking through ServiceError's cause. */
function grpcCode(err: unknown): number | undefined {
  return grpcErrorOf(err)?.code;
}

function grpcErrorOf(err: unknown) {
  const candidate = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(candidate) ? candidate : undefined;
}

/** Maps an error thrown by a Temporal client call, or undefined when it is not Temporal's. */
export function temporalProblem(err: unknown, ctx: WorkflowCallContext): HttpException | undefined {
  if (err instanceof HttpException) return err;
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      const details = (cause.details?.[0] ?? {}) as RefusalDetails;
      return refusalProblem(cause.type ?? 'unknown', cause.message, details);
    }
    if (cause instanceof CancelledFailure || cause instanceof TerminatedFailure) {
      return new ProblemException(409, ctx.closed, undefined, PROBLEM_TYPES.closed);
    }
    logger.warn(`update failed: ${cause?.message ?? err.message}`);
    return new ProblemException(409, cause?.message ?? err.message);
  }
  if (err instanceof WorkflowNotFoundError) {
    return new ProblemException(409, ctx.closed, undefined, PROBLEM_TYPES.closed);
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    logger.warn(`update timed out: ${err.message}`);
    return new ProblemException(
      503,
      'the workflow engine did not answer in time; the action may still be recorded, ' +
        'read the request before retrying',
      undefined,
      PROBLEM_TYPES.unavailable,
    );
  }
  if (grpcCode(err) === GRPC_NOT_FOUND) {
    // An update sent to a workflow that has just completed: it no longer takes actions.
    return new ProblemException(409, ctx.closed, undefined, PROBLEM_TYPES.closed);
  }
  if (err instanceof ServiceError || isGrpcServiceError(err)) {
    logger.warn(`workflow engine unavailable: ${(err as Error).message}`);
    return new ProblemException(
      503,
      'the workflow engine is unavailable; retry later',
      undefined,
      PROBLEM_TYPES.unavailable,
    );
  }
  return undefined;
}

/**
 * Runs one Temporal client call, turning every Temporal outcome into the right problem. The
 * result is whatever the call returned.
 */
export async function callWorkflow<T>(ctx: WorkflowCallContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const problem = temporalProblem(err, ctx);
    if (problem) throw problem;
    throw err;
  }
}

/**
 * Sends one update and waits for its result, within the two deadlines above. Errors are
 * Temporal's own (wrap the call in callWorkflow to map them).
 *
 * The update carries one id for all its attempts, so a retry of an update the server already
 * took returns that update's outcome instead of running the command twice. A caller with its own
 * idempotency key passes `updateId` (see idempotentUpdateId): Temporal keeps the ids a workflow
 * run has taken, so a message redelivered after its first delivery went unanswered gets the
 * first one's outcome instead of being decided again on a state that has moved on.
 */
export async function executeUpdate<Ret, Arg>(
  connection: ConnectionLike,
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  updateId: string = randomUUID(),
): Promise<Ret> {
  const acceptBy = Date.now() + UPDATE_ACCEPT_DEADLINE_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      const accepted = await connection.withDeadline(acceptBy, () =>
        handle.startUpdate(update, {
          args: [arg],
          updateId,
          waitForStage: WorkflowUpdateStage.ACCEPTED,
        }),
      );
      return await connection.withDeadline(Date.now() + UPDATE_COMPLETE_DEADLINE_MS, () =>
        accepted.result(),
      );
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      // An update racing the workflow's last task (it completes, or its task is retried) is
      // aborted by the server with a code that varies. Ask the workflow itself: a closed one is
      // a 409, a running one gets the same update again (its validator then answers).
      const status = await statusOf(connection, handle);
      logger.warn(
        `update ${updateId} attempt ${attempt} failed (${grpcSummary(err)}); ` +
          `the workflow is ${status ?? 'not reachable'}`,
      );
      if (status !== undefined && status !== 'RUNNING') {
        throw new WorkflowNotFoundError('the workflow has completed', handle.workflowId, undefined);
      }
      const delay = Math.min(100 * 2 ** (attempt - 1), 1_000);
      if (status === undefined || Date.now() + delay >= acceptBy) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** The workflow's status name (RUNNING, COMPLETED...), or undefined when Temporal is unreachable. */
async function statusOf(
  connection: ConnectionLike,
  handle: WorkflowHandle,
): Promise<string | undefined> {
  try {
    const info = await connection.withDeadline(Date.now() + UPDATE_ACCEPT_DEADLINE_MS, () =>
      handle.describe(),
    );
    return info.status.name;
  } catch {
    return undefined; // Temporal really is unreachable: let the original error speak (503).
  }
}

/** "gRPC code 10: update aborted", for the log. */
function grpcSummary(err: unknown): string {
  const grpc = grpcErrorOf(err);
  return grpc ? `gRPC code ${grpc.code}: ${grpc.details}` : (err as Error).message;
}

/**
 * The update id for a command sent under a client's Idempotency-Key: the same key with the same
 * body is the same update, another body under that key is another update (refused by the caller
 * once the key is on record).
 */
export function idempotentUpdateId(
  scope: string,
  owner: string,
  key: string,
  requestHash: string,
): string {
  return `${scope}:${owner}:${requestHash.slice(0, 16)}:${key}`;
}
