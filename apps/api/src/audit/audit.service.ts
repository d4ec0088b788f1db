import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  assertCannotRewriteAudit,
  AUDIT_COLUMNS,
  AuditEntry,
  AuditEntryView,
  type Checkpoint,
  CHECKPOINT_COLUMNS,
  checkpointFromRow,
  fromRow,
  keyIdOf,
  publicKeyPem,
  verify,
  VerifyResult,
} from '../../../../libs/audit/src';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import type { Page } from '../../../../libs/domain/src/api-types';
import { badRequest } from '../common/problem';
import { instantOf } from '../trace-requests/list-query.dto';
import { AUDIT_DEFAULT_LIMIT, AuditEntriesQuery, AuditRangeQuery } from './audit-query.dto';

export const toView = (e: AuditEntry): AuditEntryView => ({
  seq: e.seq,
  at: e.at,
  actor: e.actor,
  role: e.role,
  country: e.country,
  action: e.action,
  objectType: e.object_type,
  objectId: e.object_id,
  traceRequestId: e.trace_request_id,
  outcome: e.outcome,
  requestId: e.request_id,
  details: e.details,
  idempotencyKey: e.idempotency_key,
  prevHash: e.prev_hash,
  hash: e.hash,
});

/** Export rows are read this many at a time. */
const EXPORT_BATCH = 500;

type Row = Parameters<typeof fromRow>[0];

/** The signed checkpoints and the public keys the API checks them with (GET /audit/checkpoints). */
export interface CheckpointsView {
  publicKeys: { keyId: string; pem: string }[];
  items: Checkpoint[];
}

@Injectable()
export class AuditService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Audit');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await assertCannotRewriteAudit(this.db, this.config.production, (m) => this.logger.warn(m));
  }

  /** The chain, and its signed checkpoints when the API holds their public key(s). */
  verify(): Promise<VerifyResult> {
    const { publicKeys } = this.config.audit;
    return verify(this.db, publicKeys ? { publicKeys } : {});
  }

  /** Every checkpoint, oldest first (one per AUDIT_CHECKPOINT_EVERY entries at most). */
  async checkpoints(): Promise<CheckpointsView> {
    const rows = (await this.db.query(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY seq, id`,
    )) as Parameters<typeof checkpointFromRow>[0][];
    return {
      publicKeys: (this.config.audit.publicKeys ?? []).map((k) => ({
        keyId: keyIdOf(k),
        pem: publicKeyPem(k),
      })),
      items: rows.map(checkpointFromRow),
    };
  }

  /** Entries oldest first (by seq), filtered, one keyset page at a time. */
  async entries(query: AuditEntriesQuery): Promise<Page<AuditEntryView>> {
    const limit = query.limit ?? AUDIT_DEFAULT_LIMIT;
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = rangeSql(query, param);
    if (query.requestId) where.push(`trace_request_id = ${param(query.requestId)}::uuid`);
    if (query.actor) where.push(`actor = ${param(query.actor)}`);
    if (query.action) where.push(`action = ${param(query.action)}`);
    if (query.cursor) where.push(`seq > ${param(query.cursor)}::bigint`);
    const rows = (await this.db.query(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY seq LIMIT ${param(limit + 1)}`,
      params,
    )) as Row[];
    const page = rows.slice(0, limit).map((r) => toView(fromRow(r)));
    const last = page[page.length - 1];
    return { items: page, nextCursor: rows.length > limit && last ? String(last.seq) : null };
  }

  /** Every entry in the range, oldest first, read in batches (for streaming exports). */
  async *range(query: AuditRangeQuery): AsyncGenerator<AuditEntryView> {
    let after = 0;
    for (;;) {
      const params: unknown[] = [];
      const param = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      const where = [...rangeSql(query, param), `seq > ${param(after)}::bigint`];
      const rows = (await this.db.query(
        `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ${where.join(' AND ')}
          ORDER BY seq LIMIT ${param(EXPORT_BATCH)}`,
        params,
      )) as Row[];
      for (const row of rows) yield toView(fromRow(row));
      if (rows.length < EXPORT_BATCH) return;
      after = Number(rows[rows.length - 1].seq);
    }
  }
}

/** `from` inclusive; `to` inclusive, a bare date through its end; 400 when to is before from. */
export function rangeSql(query: AuditRangeQuery, param: (v: unknown) => string): string[] {
  const out: string[] = [];
  const from = query.from ? instantOf(query.from, 'from') : undefined;
  const to = query.to ? instantOf(query.to, 'to') : undefined;
  const toIsDate = query.to !== undefined && query.to.length === 10;
  if (from && to && from.getTime() > to.getTime() - (toIsDate ? 1 : 0)) {
    throw badRequest('invalid query', [{ field: 'to', message: 'to must not be before from' }]);
  }
  if (from) out.push(`at >= ${param(from.toISOString())}::timestamptz`);
  if (to) out.push(`at ${toIsDate ? '<' : '<='} ${param(to.toISOString())}::timestamptz`);
  return out;
}
