import type { KeyObject } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { canonicalJson, sha256Hex } from '../../common/src/hash';
import {
  CHECKPOINT_COLUMNS,
  checkpointFromRow,
  CheckpointChecker,
  type CheckpointReport,
} from './checkpoints';

/** The `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Key of the transaction-level advisory lock every writer takes before it reads the head and
 * appends: two transactions can never chain onto the same head. A bigint outside the int4 range
 * of the `hashtext()` keys other code locks with, so it collides with none of them.
 */
export const AUDIT_LOCK_KEY = '7364021552901';

/**
 * The chain's lock as a SELECT item, for a caller that takes it with its own first statement
 * (one round trip less) and then calls appendMany with `lockHeld`.
 */
export const AUDIT_LOCK_SQL = `pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`;

export type AuditOutcome = 'success' | 'refused' | 'failure';

/** What a caller records; the chain adds seq, prev_hash and hash. */
export interface AuditEntryInput {
  /** When it happened (default: now). Stored and hashed to the millisecond. */
  at?: Date | string;
  /** Username, or a system principal's id ("timer", "interpol-gateway", "anonymous"). */
  actor: string;
  role: string;
  country?: string | null;
  /** Usually the policy action key (`trace-requests.get`) or a workflow event (`trace-request.Approved`). */
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  /** The trace request the entry concerns, when there is one (filter `requestId=`). */
  traceRequestId?: string | null;
  outcome: AuditOutcome;
  /** The HTTP request id (x-request-id) that caused it, when there was one. */
  requestId?: string | null;
  details?: Record<string, unknown>;
  /** A retry with the same key writes nothing and returns the first entry. */
  idempotencyKey?: string | null;
}

/** One stored entry, exactly the fields (column names) that are hashed, plus `hash`. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  role: string;
  country: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  trace_request_id: string | null;
  outcome: AuditOutcome;
  request_id: string | null;
  details: Record<string, unknown>;
  idempotency_key: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * An entry as the API shows it (GET /audit/entries, the exports): the stored fields, the
 * snake_case ones camel-cased, hash included.
 */
export interface AuditEntryView extends Pick<
  AuditEntry,
  'seq' | 'at' | 'actor' | 'role' | 'country' | 'action' | 'outcome' | 'details' | 'hash'
> {
  objectType: string | null;
  objectId: string | null;
  traceRequestId: string | null;
  requestId: string | null;
  idempotencyKey: string | null;
  prevHash: string;
}

export interface BrokenEntry {
  seq: number;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Entries walked (all of them when ok). */
  entries: number;
  /** The last entry verified, to anchor outside the database if wanted. */
  head?: { seq: number; hash: string };
  firstBrokenEntry?: BrokenEntry;
  /**
   * The signed checkpoints, when verified with public keys: a contradicted one makes `ok` false
   * and, if the links themselves hold (a recomputed chain, a removed tail), names the entry.
   */
  checkpoints?: CheckpointReport;
}

export const AUDIT_COLUMNS =
  'seq, at, actor, role, country, action, object_type, object_id, trace_request_id, outcome, ' +
  'request_id, details, idempotency_key, prev_hash, hash';

/**
 * The canonical JSON of an entry: every column except `hash`, keys sorted at every level, no
 * whitespace, `at` as ISO 8601 UTC with milliseconds, absent values as null.
 */
export function canonicalEntry(entry: Omit<AuditEntry, 'hash'> | AuditEntry): string {
  const { hash: _ignored, ...rest } = entry as AuditEntry;
  void _ignored;
  return canonicalJson(rest);
}

/** hash = hex(SHA-256(UTF-8(prev_hash || canonical JSON of the entry without hash))). */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return sha256Hex(entry.prev_hash + canonicalEntry(entry));
}

interface Row extends Omit<AuditEntry, 'seq' | 'at'> {
  seq: string | number;
  at: Date | string;
}

/** A row as PostgreSQL returns it, as the entry that was hashed (bigint and timestamptz normalised). */
export function fromRow(row: Row): AuditEntry {
  return {
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    role: row.role,
    country: row.country,
    action: row.action,
    object_type: row.object_type,
    object_id: row.object_id,
    trace_request_id: row.trace_request_id,
    outcome: row.outcome,
    request_id: row.request_id,
    details: row.details ?? {},
    idempotency_key: row.idempotency_key,
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Appends one entry inside the caller's transaction (so it commits or rolls back with the change
 * it records). Takes the chain's advisory lock, reads the head, numbers the entry head + 1 and
 * chains it onto the head's hash. With an idempotency key already used, writes nothing and
 * returns the entry that key wrote.
 */
export async function append(em: EntityManager, input: AuditEntryInput): Promise<AuditEntry> {
  return (await appendMany(em, [input]))[0];
}

/**
 * `append` for several entries, in order, in three statements whatever their number (lock; head
 * and prior keys; one insert): the lock is held until the commit, so its holders must be quick.
 */
export async function appendMany(
  em: EntityManager,
  inputs: AuditEntryInput[],
  opts: { lockHeld?: boolean } = {},
): Promise<AuditEntry[]> {
  if (!em.queryRunner?.isTransactionActive) {
    throw new Error('audit append needs the EntityManager of an open transaction');
  }
  if (inputs.length === 0) return [];
  // Its own statement: a statement's snapshot predates the locks it takes, so the head must be
  // read by a later one.
  if (!opts.lockHeld) await em.query(`SELECT ${AUDIT_LOCK_SQL}`);
  const keys = inputs.map((i) => i.idempotencyKey).filter((k): k is string => !!k);
  const [found] = (await em.query(
    `SELECT (SELECT json_build_object('seq', seq, 'hash', hash)
               FROM audit_log ORDER BY seq DESC LIMIT 1) AS head,
            (SELECT coalesce(json_agg(a), '[]') FROM audit_log a
              WHERE a.idempotency_key = ANY($1::text[])) AS prior`,
    [keys],
  )) as { head: { seq: number | string; hash: string } | null; prior: Row[] }[];
  const byKey = new Map(found.prior.map((r) => [r.idempotency_key, fromRow(r)]));
  let previous = found.head ? { seq: Number(found.head.seq), hash: found.head.hash } : undefined;
  const written: AuditEntry[] = [];
  const out = inputs.map((raw) => {
    const prior = raw.idempotencyKey ? byKey.get(raw.idempotencyKey) : undefined;
    if (prior) return prior;
    // PostgreSQL text and jsonb cannot hold U+0000, which hostile input (a path, a username)
    // may carry: recorded as U+FFFD rather than not recorded at all.
    const input = scrub(raw);
    const entry: Omit<AuditEntry, 'hash'> = {
      seq: previous ? previous.seq + 1 : 1,
      at: new Date(input.at ?? Date.now()).toISOString(),
      actor: input.actor,
      role: input.role,
      country: input.country ?? null,
      action: input.action,
      object_type: input.objectType ?? null,
      object_id: input.objectId ?? null,
      trace_request_id: input.traceRequestId ?? null,
      outcome: input.outcome,
      request_id: input.requestId ?? null,
      // As jsonb will give it back: plain JSON data, undefined members dropped.
      details: JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>,
      idempotency_key: input.idempotencyKey ?? null,
      prev_hash: previous?.hash ?? GENESIS_HASH,
    };
    const stored: AuditEntry = { ...entry, hash: entryHash(entry) };
    previous = { seq: stored.seq, hash: stored.hash };
    written.push(stored);
    if (stored.idempotency_key) byKey.set(stored.idempotency_key, stored);
    return stored;
  });
  if (written.length > 0) {
    await em.query(
      `INSERT INTO audit_log (${AUDIT_COLUMNS})
       SELECT ${AUDIT_COLUMNS} FROM jsonb_populate_recordset(NULL::audit_log, $1::jsonb)`,
      [JSON.stringify(written)],
    );
  }
  return out;
}

function scrub<T>(value: T): T {
  if (typeof value === 'string') return value.split('\u0000').join('\ufffd') as T;
  if (Array.isArray(value)) return value.map(scrub) as T;
  if (value instanceof Date) return value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [scrub(k), scrub(v)]),
    ) as T;
  }
  return value;
}

/** `append` in a transaction of its own, for events that change nothing else (reads, refusals). */
export function record(db: DataSource, input: AuditEntryInput): Promise<AuditEntry> {
  return db.transaction((em) => append(em, input));
}

/** What is wrong with `entry` as the successor of `previous` (undefined: nothing). */
export function checkLink(
  entry: AuditEntry,
  previous: { seq: number; hash: string } | undefined,
): string | undefined {
  const expectedSeq = previous ? previous.seq + 1 : 1;
  if (entry.seq !== expectedSeq) {
    return entry.seq > expectedSeq
      ? `sequence gap: entry ${expectedSeq}${entry.seq - expectedSeq > 1 ? ` to ${entry.seq - 1}` : ''} is missing`
      : `sequence out of order: expected ${expectedSeq}`;
  }
  const expectedPrev = previous?.hash ?? GENESIS_HASH;
  if (entry.prev_hash !== expectedPrev) {
    return `prev_hash does not match the hash of entry ${expectedSeq - 1}`;
  }
  if (entry.hash !== entryHash(entry)) return 'hash does not match the entry (content changed)';
  return undefined;
}

/**
 * Walks the whole chain in `seq` order, `batchSize` rows at a time (never all in memory), inside
 * one REPEATABLE READ transaction so appends meanwhile do not shift what it sees. Answers with
 * the first entry whose sequence, prev_hash or hash is wrong: a changed row breaks its own hash,
 * a deleted one leaves a gap, an inserted one breaks its hash or its successor's prev_hash.
 * `onProgress` is told the entries walked so far.
 */
export async function verify(
  db: DataSource,
  opts: {
    batchSize?: number;
    onProgress?: (walked: number) => void;
    /** Also check the signed checkpoints (audit_checkpoints) with these public keys. */
    publicKeys?: KeyObject[];
  } = {},
): Promise<VerifyResult> {
  const batchSize = opts.batchSize ?? 1000;
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    const checker = opts.publicKeys
      ? new CheckpointChecker(
          (
            (await runner.query(
              `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY seq, id`,
            )) as Parameters<typeof checkpointFromRow>[0][]
          ).map(checkpointFromRow),
          opts.publicKeys,
        )
      : undefined;
    let previous: { seq: number; hash: string } | undefined;
    let walked = 0;
    let broken: BrokenEntry | undefined;
    walk: for (;;) {
      const batch = (await runner.query(
        `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [previous?.seq ?? 0, batchSize],
      )) as Row[];
      for (const row of batch) {
        const entry = fromRow(row);
        const reason = checkLink(entry, previous);
        if (reason) {
          broken = { seq: entry.seq, reason };
          break walk;
        }
        checker?.entry(entry);
        previous = { seq: entry.seq, hash: entry.hash };
        walked += 1;
      }
      opts.onProgress?.(walked);
      if (batch.length < batchSize) break;
    }
    await runner.commitTransaction();
    const checkpoints = checker?.end(previous, !broken);
    const contradicted = checkpoints?.firstContradicted;
    if (!broken && contradicted) {
      broken = {
        seq: contradicted.seq,
        reason: `contradicts the checkpoint signed at ${contradicted.signedAt}: ${contradicted.reason}`,
      };
    }
    return {
      ok: !broken && !contradicted,
      entries: walked,
      ...headOf(previous),
      ...(broken ? { firstBrokenEntry: broken } : {}),
      ...(checkpoints ? { checkpoints } : {}),
    };
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw err;
  } finally {
    await runner.release();
  }
}

const headOf = (previous: { seq: number; hash: string } | undefined) =>
  previous ? { head: previous } : {};
