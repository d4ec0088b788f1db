import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, ServiceError, WorkflowIdConflictPolicy } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { hashOf } from '../../../../libs/common/src';
import type { CreateTraceRequestDto } from '../../../../libs/domain/src/dto';
import type { Actor, TraceRequestContent } from '../../../../libs/domain/src/types';
import {
  IdempotencyKeyEntity,
  TraceRequestEntity,
} from '../../../../libs/persistence/src/entities';
import { requestWorkflowId, TEMPORAL_CLIENT } from '../../../../libs/temporal/src';
import { traceRequestWorkflow } from '../../../../workflows';
import type { TraceRequestWorkflowInput } from '../../../../workflows/messages';
import type { AuthUser } from '../auth/actor';
import { conflict, notFound, unavailable } from '../common/problem';
import { canSee } from './visibility';
import { TraceRequestView, toView } from './view';

const CREATE_SCOPE = 'trace-requests:create';
const START_DEADLINE_MS = 5000;

@Injectable()
export class TraceRequestsService {
  private readonly logger = new Logger(TraceRequestsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Creates the draft row and starts its workflow in one step: the row is committed only after
   * Temporal accepted the start, so a failure leaves nothing behind; with an Idempotency-Key a
   * retry (even a concurrent one) returns the first request instead of making a second.
   */
  async create(
    user: AuthUser,
    dto: CreateTraceRequestDto,
    idempotencyKey?: string,
  ): Promise<{ created: boolean; view: TraceRequestView }> {
    const content = { ...dto } as unknown as TraceRequestContent;
    const requestHash = hashOf(content);
    if (idempotencyKey) {
      const replay = await this.replayIdempotent(user, idempotencyKey, requestHash);
      if (replay) return { created: false, view: replay };
    }

    const id = randomUUID();
    const now = new Date();
    let inserted = false;
    try {
      await this.db.transaction(async (tx) => {
        if (idempotencyKey) {
          const rows = (await tx.query(
            `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, resource_id)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING key`,
            [user.userId, CREATE_SCOPE, idempotencyKey, requestHash, id],
          )) as unknown[];
          // A concurrent twin committed first: give up this attempt and answer with its result.
          if (rows.length === 0) return;
        }
        const reference = await this.nextReference(tx, user.country, now);
        const row = this.newRow(id, reference, user, content, now);
        await tx.save(TraceRequestEntity, row);
        await this.startWorkflow(row, user, content, now);
        inserted = true;
      });
    } catch (err) {
      if (err instanceof ServiceError) {
        this.logger.error(`workflow start failed: ${err.message}`);
        throw unavailable('the workflow engine is unavailable; nothing was created, retry later');
      }
      throw err;
    }
    if (!inserted && idempotencyKey) {
      const replay = await this.replayIdempotent(user, idempotencyKey, requestHash);
      if (replay) return { created: false, view: replay };
    }
    return { created: true, view: await this.get(user, id) };
  }

  async get(user: AuthUser, id: string): Promise<TraceRequestView> {
    const row = await this.db.getRepository(TraceRequestEntity).findOne({ where: { id } });
    if (!row || !canSee(user, row)) throw notFound('trace request');
    return toView(row, user);
  }

  private async replayIdempotent(user: AuthUser, key: string, requestHash: string) {
    const prior = await this.db
      .getRepository(IdempotencyKeyEntity)
      .findOne({ where: { userId: user.userId, scope: CREATE_SCOPE, key } });
    if (!prior) return undefined;
    if (prior.requestHash !== requestHash) {
      throw conflict('this Idempotency-Key was already used with a different body');
    }
    return this.get(user, prior.resourceId);
  }

  /** References read like ZA-2026-000042: requesting country, year, then a global sequence. */
  private async nextReference(tx: EntityManager, country: string, now: Date): Promise<string> {
    const [{ seq }] = (await tx.query(`SELECT nextval('trace_request_reference_seq') AS seq`)) as {
      seq: string;
    }[];
    return `${country}-${now.getUTCFullYear()}-${seq.padStart(6, '0')}`;
  }

  private newRow(
    id: string,
    reference: string,
    user: AuthUser,
    content: TraceRequestContent,
    now: Date,
  ): TraceRequestEntity {
    return Object.assign(new TraceRequestEntity(), {
      id,
      reference,
      requestingCountry: user.country,
      kind: content.kind,
      urgency: content.urgency,
      language: content.language,
      status: 'DRAFT',
      version: 1,
      stateSeq: 0,
      caseReference: content.caseReference,
      subjectName: subjectName(content),
      content: content as unknown as Record<string, unknown>,
      contentHash: hashOf(content),
      state: null,
      drafterId: user.userId,
      workflowId: requestWorkflowId(id),
      createdAt: now,
      updatedAt: now,
    });
  }

  private async startWorkflow(
    row: TraceRequestEntity,
    user: AuthUser,
    content: TraceRequestContent,
    now: Date,
  ): Promise<void> {
    const input: TraceRequestWorkflowInput = {
      id: row.id,
      reference: row.reference,
      requestingCountry: row.requestingCountry,
      content,
      contentHash: row.contentHash,
      actor: toActor(user, 'investigator'),
      createdAt: now.toISOString(),
      requiredApprovals: 1,
    };
    // Bounded, so a Temporal outage answers 503 promptly instead of holding the transaction.
    await this.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      this.temporal.workflow.start(traceRequestWorkflow, {
        taskQueue: this.config.temporal.taskQueue,
        workflowId: row.workflowId,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        args: [input],
      }),
    );
  }
}

export function subjectName(content: TraceRequestContent): string {
  const s = content.subject;
  return [s.familyName, s.givenNames, ...(s.aliases ?? [])].filter(Boolean).join(' ');
}

export function toActor(user: AuthUser, role: Actor['role']): Actor {
  return { userId: user.userId, username: user.username, role, country: user.country };
}
