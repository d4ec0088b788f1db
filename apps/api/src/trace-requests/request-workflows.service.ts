import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Role } from '../../../../libs/domain/src/enums';
import type {
  JurisdictionCommand,
  JurisdictionState,
} from '../../../../libs/domain/src/jurisdiction';
import type { RequestCommand, RequestState } from '../../../../libs/domain/src/lifecycle';
import type { Actor, Principal, SystemActor } from '../../../../libs/domain/src/types';
import {
  jurisdictionWorkflowId,
  requestWorkflowId,
  TEMPORAL_CLIENT,
} from '../../../../libs/temporal/src';
import { commandUpdate, jurisdictionUpdate } from '../../../../workflows/messages';
import type { AuthUser } from '../auth/actor';
import { callWorkflow, executeUpdate } from '../common/temporal-errors';

/** How long a command waits for a just-dispatched country track to start. */
const TRACK_START_WAIT_MS = 5000;

/** Who the INTERPOL gateway's messages are recorded as. */
export const GATEWAY_ACTOR: SystemActor = {
  userId: 'interpol-gateway',
  username: 'interpol-gateway',
  role: 'system',
};

/**
 * The caller as the workflow records it: one role per action, the first of the caller's roles
 * that the route allows (a multi-role user acts in the role the action needs).
 */
export function actorFor(user: AuthUser, allowed: readonly Role[]): Actor {
  const role = user.roles.find((r) => allowed.includes(r)) ?? allowed[0];
  return { userId: user.userId, username: user.username, role, country: user.country };
}

/**
 * Sends commands to the workflows and waits for their outcome: the update returns once the
 * workflow recorded the command and projected its read model (read-your-writes). Refusals and
 * Temporal failures come out as problems (see common/temporal-errors.ts).
 */
@Injectable()
export class RequestWorkflows {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly temporal: Client) {}

  /**
   * One command on the request workflow `trace-request-<id>`; resolves to the new state.
   * `updateId`: see idempotentUpdateId (a fresh one per call without it).
   */
  command(
    requestId: string,
    command: RequestCommand,
    actor: Principal,
    updateId?: string,
  ): Promise<RequestState> {
    const handle = this.temporal.workflow.getHandle(requestWorkflowId(requestId));
    return callWorkflow({ closed: 'the request is closed' }, () =>
      executeUpdate(
        this.temporal.connection,
        handle,
        commandUpdate,
        { command: plain(command), actor },
        updateId,
      ),
    );
  }

  /**
   * One command on a country's track `trace-request-<id>-<cc>`; resolves to its new state.
   * `running`: the request is dispatched and not ended, so its track exists or is about to (the
   * parent starts its tracks right after publication): a track not found yet is waited for
   * briefly instead of being reported closed.
   */
  jurisdiction(
    requestId: string,
    country: string,
    command: JurisdictionCommand,
    actor: Principal,
    running = false,
    updateId?: string,
  ): Promise<JurisdictionState> {
    const handle = this.temporal.workflow.getHandle(jurisdictionWorkflowId(requestId, country));
    const send = () =>
      executeUpdate(
        this.temporal.connection,
        handle,
        jurisdictionUpdate,
        { command: plain(command), actor },
        updateId,
      );
    return callWorkflow(
      { closed: `the track of ${country} is closed: the request has ended` },
      async () => {
        const until = Date.now() + (running ? TRACK_START_WAIT_MS : 0);
        for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
          try {
            return await send();
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError) || Date.now() + delay > until) throw err;
            await new Promise((resolve) => setTimeout(resolve, delay));
          }
        }
      },
    );
  }
}

/** DTO instances as plain JSON data: what is hashed, sent and recorded is exactly the same. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
