import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Context } from '@temporalio/activity';
import { DataSource, EntityManager } from 'typeorm';
import {
  appendMany,
  assertCannotRewriteAudit,
  checkpointDue,
  recordCheckpoint,
  verify,
} from '../../../../libs/audit/src';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
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
export class AuditActivities implements OnApplicationBootstrap {
  private readonly logger = new Logger('AuditVerification');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await assertCannotRewriteAudit(this.db, this.config.production, (m) => this.logger.warn(m));
    if (!this.config.audit.signingKey)
      this.logger.warn('AUDIT_SIGNING_KEY_FILE is not set: the audit chain is not checkpointed');
  }

  /**
   * Walks the whole chain, heartbeating after every batch so a long walk is not timed out, and
   * checks the signed checkpoints on the way. When the chain holds and a checkpoint is due, signs
   * the head just walked: the checkpoint goes to PostgreSQL and, as this activity's result, into
   * the verify workflow's history (no new workflow command: replay of older runs is unchanged).
   */
  async verifyAuditChain(): Promise<AuditVerification> {
    const { signingKey, publicKeys } = this.config.audit;
    const result: AuditVerification = await verify(this.db, {
      onProgress: (walked) => Context.current().heartbeat(walked),
      ...(publicKeys ? { publicKeys } : {}),
    });
    if (!result.ok) {
      this.logger.error(
        `audit chain BROKEN at entry ${result.firstBrokenEntry?.seq}: ${result.firstBrokenEntry?.reason}`,
      );
      return result;
    }
    this.logger.log(`audit chain verified: ${result.entries} entries`);
    if (signingKey && result.head && (await checkpointDue(this.db, signingKey, this.policy()))) {
      result.checkpoint = await recordCheckpoint(this.db, signingKey, result.head);
      this.logger.log(`audit checkpoint signed at entry ${result.checkpoint.seq}`);
    }
    return result;
  }

  policy() {
    return {
      every: this.config.audit.checkpointEvery,
      intervalMs: this.config.audit.checkpointIntervalMs,
    };
  }
}
