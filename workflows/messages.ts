/**
 * Signals, queries and updates of the workflows, defined once and imported by both the workflow
 * code and its callers (API, tests), so names and payload types cannot drift apart.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { JurisdictionStatus } from '../libs/domain/src/enums';
import type { JurisdictionCommand, JurisdictionState } from '../libs/domain/src/jurisdiction';
import type { RequestCommand, RequestState } from '../libs/domain/src/lifecycle';
import type { Actor, Principal, TraceRequestContent } from '../libs/domain/src/types';

/**
 * Configuration a request lives by, fixed when it starts so that its history replays the same
 * whatever the configuration becomes later. Durations are ISO 8601.
 */
export interface WorkflowSettings {
  /** National review levels: 1, or 2 when a second approval is switched on. */
  requiredApprovals: 1 | 2;
  /** INTERPOL submissions per requesting country and calendar year. */
  quotaPerYear: number;
  reviewReminderAfter: string;
  reviewEscalationAfter: string;
  gsReminderAfter: string;
  countryDeadline: string;
  /** Answer deadlines of particular countries, instead of countryDeadline (set by admins). */
  countryDeadlines?: Record<string, string>;
  /** Reminders to a country this long before its deadline (each one once). */
  countryRemindersBefore: string[];
  /** How long a request stays valid before it expires. */
  validity: string;
  /** Monitor requests report this often while countries answer. */
  monitorReportEvery: string;
  /** Recipients of an allMembers notice (the pilot's participating countries). */
  participatingCountries: string[];
  /** Continue-as-new once the history has this many events (Temporal's limit is ~51,200). */
  continueAsNewAfterEvents: number;
}

export interface TraceRequestWorkflowInput {
  id: string;
  reference: string;
  requestingCountry: string;
  content: TraceRequestContent;
  /** SHA-256 of the canonical content, computed outside the workflow (no crypto in the sandbox). */
  contentHash: string;
  actor: Actor;
  createdAt: string;
  settings: WorkflowSettings;
  /** Present when the workflow continued as new: where the previous run left off. */
  carried?: CarriedState;
}

/** What a run hands to its continuation. */
export interface CarriedState {
  state: RequestState;
  seq: number;
  /** When the current status was entered, and at which event: anchors the status's timers. */
  statusSince: string;
  statusSinceSeq: number;
  firedTimers: string[];
  startedChildren: string[];
  sentMessages: string[];
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

/** A country track tells its parent when its status changes. */
export const jurisdictionChangedSignal =
  defineSignal<[{ country: string; status: JurisdictionStatus }]>('jurisdictionChanged');

// ---- one child workflow per target country ----

export interface JurisdictionWorkflowInput {
  requestId: string;
  reference: string;
  country: string;
  requestingCountry: string;
  parentWorkflowId: string;
  dispatchedAt: string;
  countryDeadline: string;
  countryRemindersBefore: string[];
}

export interface JurisdictionEnvelope<C extends JurisdictionCommand = JurisdictionCommand> {
  command: C;
  actor: Principal;
}

export const jurisdictionStateQuery = defineQuery<JurisdictionState>('jurisdictionState');

/** Responses and extensions; a repeated externalReference is accepted and changes nothing. */
export const jurisdictionUpdate = defineUpdate<JurisdictionState, [JurisdictionEnvelope]>(
  'jurisdiction',
);

/** The request was suspended at `since`: the track's deadline and reminders wait. */
export const pauseJurisdictionSignal = defineSignal<[{ since: string }]>('pause');

/** The request's suspension ended at `at`: the deadline moves by the time suspended. */
export const resumeJurisdictionSignal = defineSignal<[{ at: string }]>('resume');

/** The parent ended (closed, withdrawn, expired, cancelled): the track stops. */
export const stopJurisdictionSignal = defineSignal<[{ reason: string }]>('stop');
