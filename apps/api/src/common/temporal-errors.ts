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
import type { FieldError } from './problem';
import { ProblemException } from './problem';

/**
 * The one place where what Temporal answered becomes an HTTP problem. Every route that sends an
 * update (request actions, country responses, gateway messages) goes through `callWorkflow`
 * (with `executeUpdate`).
 *
 * - WorkflowUpdateFailedError: the workflow refused. Its cause is an ApplicationFailure whose
 *   `type` is the domain refusal code: forbidden -> 403, conflict -> 409, invalid -> 400,
 *   quota -> 409 (the country's quota is spent), not_found -> 404; any other deliberate
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

/** A refusal message usually starts with the field it is about ("newDeadline must be ..."). */
function fieldOf(message: string): FieldError[] | undefined {
  const m = /^([A-Za-z][\w.[\]]*) (must|is|needs|cannot)\b/.exec(message);
  return m ? [{ field: m[1], message }] : undefined;
}

/** The problem for a refusal code and message coming out of the workflow. */
export function refusalProblem(code: string, message: string): ProblemException {
  switch (code) {
    case 'forbidden':
      return new ProblemException(
        403,
        message,
        undefined,
        message.startsWith('four-eyes') ? PROBLEM_TYPES.fourEyes : undefined,
      );
    case 'conflict':
      return new ProblemException(409, message);
    case 'invalid':
      return new ProblemException(400, message, fieldOf(message));
    case 'quota':
      return new ProblemException(409, message, undefined, PROBLEM_TYPES.quota);
    case 'not_found':
      return new ProblemException(404, message);
    default:
      logger.warn(`workflow refused with an unmapped failure type ${code}: ${message}`);
      return new ProblemException(409, message);
  }
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
      return refusalProblem(cause.type ?? 'unknown', cause.message);
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
