/**
 * Signals, queries and updates of the workflows, defined once and imported by both the workflow
 * code and its callers (API, tests), so names and payload types cannot drift apart.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RequestCommand, RequestState } from '../libs/domain/src/lifecycle';
import type { Principal, TraceRequestContent, Actor } from '../libs/domain/src/types';

export interface TraceRequestWorkflowInput {
  id: string;
  reference: string;
  requestingCountry: string;
  content: TraceRequestContent;
  /** SHA-256 of the canonical content, computed outside the workflow (no crypto in the sandbox). */
  contentHash: string;
  actor: Actor;
  createdAt: string;
  /** National review levels: 1, or 2 when a second approval is switched on. */
  requiredApprovals: 1 | 2;
}

/** A command and who gives it: the actor travels into the history, so it says who did what. */
export interface CommandEnvelope<C extends RequestCommand = RequestCommand> {
  command: C;
  actor: Principal;
}

/** The live state of a request, as the workflow holds it. */
export const stateQuery = defineQuery<RequestState>('state');

/**
 * Every action on a request is one update. Its validator applies the domain rules, so a refused
 * action leaves nothing in the history; the caller gets the new state once it is recorded and
 * projected (read-your-writes).
 */
export const commandUpdate = defineUpdate<RequestState, [CommandEnvelope]>('command');
