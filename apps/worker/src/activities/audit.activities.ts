import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Context } from '@temporalio/activity';
import { DataSource, EntityManager } from 'typeorm';
import { appendMany, verify } from '../../../../libs/audit/src';
import type { AuditedEvent, AuditVerification } from '../../../../workflows/activity-types';

/** Where the events of one workflow go on the chain. */
export interface AuditTarget {
  workflowId: string;
  traceRequestId: string;
  objectType: 'trace_request' | 'jurisdiction';
  objectId: string;
  /** Prefix of the action: `trace-request.Approved`, `jurisdiction.ResponseRecorded`. */
  actionPrefix: string;
  reference: string;
}

/**
 * Appends a workflow's newly recorded events to the audit chain inside the projection's
 * transaction, one entry per event keyed `<workflowId>:<seq>`: a retried or replayed projection
 * finds its entries already there and writes nothing.
 */
export async function appendWorkflowEvents(
  em: EntityManager,
  target: AuditTarget,
  events: AuditedEvent[] | undefined,
  opts: { lockHeld?: boolean } = {},
): Promise<void> {
  await appendMany(
    em,
    (events ?? []).map((e) => ({
      at: e.at,
      actor: e.actor.username,
      role: e.actor.role,
      country: 'country' in e.actor ? e.actor.country : null,
      action: `${target.actionPrefix}.${e.type}`,
      objectType: target.objectType,
      objectId: target.objectId,
      traceRequestId: target.traceRequestId,
      outcome: 'success' as const,
      details: {
        reference: target.reference,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        eventSeq: e.seq,
        ...e.details,
      },
      idempotencyKey: `${target.workflowId}:${e.seq}`,
    })),
    opts,
  );
}

@Injectable()
export class AuditActivities {
  private readonly logger = new Logger('AuditVerification');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Walks the whole chain, heartbeating after every batch so a long walk is not timed out. */
  async verifyAuditChain(): Promise<AuditVerification> {
    const result = await verify(this.db, {
      onProgress: (walked) => Context.current().heartbeat(walked),
    });
    if (result.ok) this.logger.log(`audit chain verified: ${result.entries} entries`);
    else
      this.logger.error(
        `audit chain BROKEN at entry ${result.firstBrokenEntry?.seq}: ${result.firstBrokenEntry?.reason}`,
      );
    return result;
  }
}
