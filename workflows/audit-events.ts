/**
 * What the audit chain is told about a recorded event: who, when, which transition, and a few
 * facts, never the request's content (it holds personal data and is already in the history).
 * Pure: runs inside the workflows.
 */
import type { JurisdictionEvent } from '../libs/domain/src/jurisdiction';
import type { RequestEvent } from '../libs/domain/src/lifecycle';
import type { AuditedEvent } from './activity-types';

export function auditedRequestEvent(
  event: RequestEvent,
  seq: number,
  fromStatus: string,
  toStatus: string,
): AuditedEvent {
  const { type, at, actor, ...rest } = event;
  const details: Record<string, unknown> = { ...rest };
  // The content is summarised by its hash (kept in `rest` as contentHash where the event has one).
  delete details.content;
  return { seq, type, at, actor, fromStatus, toStatus, details };
}

export function auditedJurisdictionEvent(
  event: JurisdictionEvent,
  seq: number,
  fromStatus: string,
  toStatus: string,
): AuditedEvent {
  const { type, at, actor } = event;
  let details: Record<string, unknown>;
  switch (event.type) {
    case 'ResponseRecorded':
      details = {
        outcome: event.response.outcome,
        externalReference: event.response.externalReference,
        assets: event.response.assets?.length ?? 0,
        late: event.late,
      };
      break;
    case 'DeadlineExtended':
      details = {
        previousDeadline: event.previousDeadline,
        newDeadline: event.newDeadline,
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
      };
      break;
    case 'DeadlinePassed':
      details = { deadline: event.deadline };
      break;
    case 'DeadlinePaused':
      details = { since: event.since };
      break;
    case 'DeadlineResumed':
      details = {
        pausedSince: event.pausedSince,
        resumedAt: event.resumedAt,
        previousDeadline: event.previousDeadline,
        newDeadline: event.newDeadline,
      };
      break;
  }
  return { seq, type, at, actor, fromStatus, toStatus, details };
}
