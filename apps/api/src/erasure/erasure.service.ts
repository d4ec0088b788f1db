import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { isGlobalAdmin } from '../../../../libs/domain/src/admin-scope';
import { ERASED, ErasureGround, isOrderedGround } from '../../../../libs/domain/src/erasure';
import { RefusalCode } from '../../../../libs/domain/src/rules';
import { Role } from '../../../../libs/domain/src/enums';
import { TraceRequestEntity } from '../../../../libs/persistence/src/entities';
import {
  jurisdictionWorkflowId,
  requestWorkflowId,
  TEMPORAL_CLIENT,
} from '../../../../libs/temporal/src';
import { DATA_KEY_STORE } from '../../../../libs/crypto/src/crypto.module';
import type { DataKeyStore } from '../../../../libs/crypto/src/data-keys';
import { AuditRecorder, type AuditActor } from '../audit/audit-recorder.service';
import { notFound, unavailable } from '../common/problem';
import { refusalProblem } from '../common/temporal-errors';
import { rowsOf } from '../trace-requests/sql';

/** What an erasure is asked with (admin route, gateway order, retention review). */
export interface ErasureOrder {
  ground: ErasureGround;
  reference?: string;
  deadline?: string;
  closeRunning: boolean;
  channel: 'api' | 'gateway' | 'retention';
  by: AuditActor;
}

export interface ErasureRecord {
  requestId: string;
  reference: string;
  ground: string;
  orderReference: string | null;
  deadline: string | null;
  channel: string;
  requestedAt: string;
  completedAt: string | null;
}

interface ErasureRow {
  request_id: string;
  reference: string;
  ground: string;
  order_reference: string | null;
  deadline: Date | null;
  channel: string;
  ordered_by: string;
  ordered_role: string;
  requested_at: Date;
  completed_at: Date | null;
}

const TERMINATE_REASON = 'personal data erased';

/** How a clear JSON payload's metadata reads in a history's JSON (base64 of `json/plain`). */
const CLEAR_PAYLOAD_MARK = Buffer.from('json/plain').toString('base64');

export const erasureRecord = (r: ErasureRow): ErasureRecord => ({
  requestId: r.request_id,
  reference: r.reference,
  ground: r.ground,
  orderReference: r.order_reference,
  deadline: r.deadline ? new Date(r.deadline).toISOString() : null,
  channel: r.channel,
  requestedAt: new Date(r.requested_at).toISOString(),
  completedAt: r.completed_at ? new Date(r.completed_at).toISOString() : null,
});

/**
 * Erasure by crypto-shredding (README, "Personal data"). The intent is recorded first (the
 * `erasures` row, once per request), then the steps run in an order that never leaves a
 * half-done state a retry cannot finish: (1) the request's workflows are terminated (a worker
 * holding a destroyed key would otherwise fail their tasks forever), (2) the data key is
 * destroyed (every payload in Temporal and in workflow_histories is then unreadable), (3) the
 * read models are scrubbed to reference, dates and statuses, and the erasure is completed and
 * recorded on the audit chain in one transaction. Each step is idempotent: a retry of a pending
 * erasure (same route, or the gateway's redelivery) completes it.
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger(ErasureService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore,
    private readonly audit: AuditRecorder,
  ) {}

  /** The request row for an admin: its own country's (or any, for an INTERPOL admin); 404 else. */
  async forAdmin(
    admin: { roles: readonly string[]; country: string },
    id: string,
  ): Promise<TraceRequestEntity> {
    const row = await this.db.getRepository(TraceRequestEntity).findOne({ where: { id } });
    // Another country's request is not visible to a country's admin: as unknown (api.md).
    if (!row || (!isGlobalAdmin(admin) && row.requestingCountry !== admin.country)) {
      throw notFound('trace request');
    }
    return row;
  }

  /** The read model's status (ERASED once done). */
  async status(requestId: string): Promise<string | undefined> {
    const rows = (await this.db.query(`SELECT status FROM trace_requests WHERE id = $1`, [
      requestId,
    ])) as { status: string }[];
    return rows[0]?.status;
  }

  async find(requestId: string): Promise<ErasureRecord | undefined> {
    const rows = (await this.db.query(`SELECT * FROM erasures WHERE request_id = $1`, [
      requestId,
    ])) as ErasureRow[];
    return rows[0] ? erasureRecord(rows[0]) : undefined;
  }

  /** Erases the request: 409 already_erased, 409 workflow_running, 503 when a step failed. */
  async erase(row: TraceRequestEntity, order: ErasureOrder): Promise<ErasureRecord> {
    const existing = await this.find(row.id);
    if (existing?.completedAt) {
      throw refusalProblem(
        RefusalCode.ALREADY_ERASED,
        `request ${row.reference} was already erased at ${existing.completedAt}`,
      );
    }
    if (!existing) {
      if (!order.closeRunning) {
        const running = await this.runningWorkflows(row);
        if (running.length > 0) {
          throw refusalProblem(
            RefusalCode.WORKFLOW_RUNNING,
            `request ${row.reference} is still running (${running.join(', ')}): close it ` +
              'first, or send closeRunning: true to terminate its workflows as part of the erasure',
            { field: 'closeRunning' },
          );
        }
      }
      // The intent, once: a concurrent twin's insert wins and both go on to complete it.
      await this.db.query(
        `INSERT INTO erasures (request_id, reference, requesting_country, ground, order_reference,
           deadline, channel, ordered_by, ordered_role)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (request_id) DO NOTHING`,
        [
          row.id,
          row.reference,
          row.requestingCountry,
          order.ground,
          order.reference ?? null,
          isOrderedGround(order.ground) ? (order.deadline ?? null) : null,
          order.channel,
          order.by.actor,
          order.by.role,
        ],
      );
    } else {
      await this.db.query(`UPDATE erasures SET attempts = attempts + 1 WHERE request_id = $1`, [
        row.id,
      ]);
    }
    try {
      return await this.complete(row, order.by);
    } catch (err) {
      // Never the content: Temporal's and PostgreSQL's messages name ids and states only.
      const message = err instanceof Error ? err.message : String(err);
      await this.db.query(`UPDATE erasures SET last_error = $2 WHERE request_id = $1`, [
        row.id,
        message.slice(0, 1000),
      ]);
      this.logger.error(`erasure of ${row.reference} left pending: ${message}`);
      throw unavailable(
        `the erasure of ${row.reference} is recorded but not finished (${message}); ` +
          'send it again to complete it',
      );
    }
  }

  /** Workflow ids of the request that still run (the request's and its country tracks'). */
  async runningWorkflows(row: TraceRequestEntity): Promise<string[]> {
    const running: string[] = [];
    for (const workflowId of await this.workflowIds(row)) {
      try {
        const d = await this.temporal.workflow.getHandle(workflowId).describe();
        if (d.status.name === 'RUNNING') running.push(workflowId);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    return running;
  }

  private async workflowIds(row: TraceRequestEntity): Promise<string[]> {
    const tracks = (await this.db.query(
      `SELECT country FROM jurisdictions WHERE request_id = $1 ORDER BY country`,
      [row.id],
    )) as { country: string }[];
    return [
      requestWorkflowId(row.id),
      ...tracks.map((t) => jurisdictionWorkflowId(row.id, t.country.trim())),
    ];
  }

  private async complete(row: TraceRequestEntity, by: AuditActor): Promise<ErasureRecord> {
    // 1. Nothing runs on the request any more (children first would let the parent restart
    //    nothing: tracks are started by the parent only, so the parent goes first).
    const terminated: string[] = [];
    for (const workflowId of await this.workflowIds(row)) {
      try {
        await this.temporal.workflow.getHandle(workflowId).terminate(TERMINATE_REASON);
        terminated.push(workflowId);
      } catch (err) {
        // Already closed (or never started): nothing to stop.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    // 2. The key: whatever it encrypted, anywhere, is gone.
    const destroyed = await this.keys.destroyRequestKey(row.id);
    // 3. The read models keep the reference, dates and statuses only; completed and recorded
    //    in the same transaction.
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`trace_request:${row.id}`]);
      await tx.query(`SELECT id FROM trace_requests WHERE id = $1 FOR UPDATE`, [row.id]);
      await tx.query(
        `UPDATE trace_requests SET status = $2, erased_at = coalesce(erased_at, now()),
           content = '{}'::jsonb, subject_name = '', case_reference = '', state = NULL,
           updated_at = now()
         WHERE id = $1`,
        [row.id, ERASED],
      );
      await tx.query(`UPDATE jurisdictions SET state = '{}'::jsonb WHERE request_id = $1`, [
        row.id,
      ]);
      await tx.query(`DELETE FROM jurisdiction_responses WHERE request_id = $1`, [row.id]);
      // Histories archived before payloads were encrypted hold the content in clear (json/plain
      // payloads): destroying the key does not shred those, so they go. Encrypted ones stay,
      // unreadable, with their hashes.
      await tx.query(
        `DELETE FROM workflow_histories WHERE request_id = $1 AND strpos(history::text, $2) > 0`,
        [row.id, CLEAR_PAYLOAD_MARK],
      );
      await tx.query(
        `UPDATE asset_moves SET note = NULL
          WHERE asset_id IN (SELECT id FROM assets WHERE request_id = $1)`,
        [row.id],
      );
      await tx.query(
        `UPDATE assets SET description = '', identifiers = NULL, holder = NULL
          WHERE request_id = $1`,
        [row.id],
      );
      // Notifications keep who, when and what kind; their text may have named the subject.
      await tx.query(
        `UPDATE notifications SET message = reference || ': ' || kind || ' (erased)'
          WHERE request_id = $1`,
        [row.id],
      );
      const [erasure] = await rowsOf<ErasureRow>(
        this.db,
        `UPDATE erasures SET completed_at = coalesce(completed_at, now()), last_error = NULL
          WHERE request_id = $1 RETURNING *`,
        [row.id],
        tx,
      );
      const done = erasureRecord(erasure);
      const late = done.deadline !== null && done.completedAt! > done.deadline;
      await tx.query(
        `INSERT INTO notifications (key, request_id, reference, recipient_role, recipient_country,
           kind, message, created_at)
         VALUES ($1, $2, $3, $4, $5, 'request_erased', $6, now()) ON CONFLICT (key) DO NOTHING`,
        [
          `erasure:${row.id}:ncb`,
          row.id,
          row.reference,
          Role.NCB_OFFICER,
          row.requestingCountry,
          `${row.reference}: personal data erased (${done.ground}` +
            `${done.orderReference ? `, ${done.orderReference}` : ''})`,
        ],
      );
      await this.audit.inTransaction(tx, {
        ...by,
        action: 'trace-requests.erase',
        objectType: 'trace_request',
        objectId: row.id,
        traceRequestId: row.id,
        outcome: 'success',
        idempotencyKey: `erasure:${row.id}`,
        details: {
          reference: row.reference,
          ground: done.ground,
          ...(done.orderReference ? { orderReference: done.orderReference } : {}),
          ...(done.deadline ? { deadline: done.deadline, late } : {}),
          channel: done.channel,
          orderedBy: by.actor,
          workflowsTerminated: terminated,
          keyDestroyed: destroyed,
        },
      });
      return done;
    });
  }
}
