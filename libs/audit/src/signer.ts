import type { KeyObject } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type Checkpoint,
  CHECKPOINT_COLUMNS,
  checkpointFromRow,
  keyIdOf,
  signatureProblem,
  signCheckpoint,
} from './checkpoints';

/** When the worker signs the head: after `every` new entries, or `intervalMs` after the last. */
export interface CheckpointPolicy {
  every: number;
  intervalMs: number;
}

type Row = Parameters<typeof checkpointFromRow>[0];

/**
 * The newest checkpoint this key signed and that verifies (rows anyone with INSERT could add
 * under our key id without our key are skipped, so they cannot postpone the next checkpoint).
 */
export async function lastOwnCheckpoint(
  db: DataSource,
  key: KeyObject,
): Promise<Checkpoint | undefined> {
  const rows = (await db.query(
    `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE key_id = $1
      ORDER BY seq DESC LIMIT 20`,
    [keyIdOf(key)],
  )) as Row[];
  return rows.map(checkpointFromRow).find((c) => !signatureProblem(c, [key]));
}

/** The chain's head (seq, hash, at), or undefined while the log is empty. */
export async function chainHead(
  db: DataSource,
  seq?: number,
): Promise<{ seq: number; hash: string; at: string } | undefined> {
  const [row] = (await db.query(
    seq === undefined
      ? `SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1`
      : `SELECT seq, hash, at FROM audit_log WHERE seq = $1`,
    seq === undefined ? [] : [seq],
  )) as { seq: string; hash: string; at: Date }[];
  return row ? { seq: Number(row.seq), hash: row.hash, at: row.at.toISOString() } : undefined;
}

/** Whether the head is due for a checkpoint: new entries, and enough of them or of time. */
export async function checkpointDue(
  db: DataSource,
  key: KeyObject,
  policy: CheckpointPolicy,
  now = new Date(),
): Promise<boolean> {
  const head = await chainHead(db);
  if (!head) return false;
  const last = await lastOwnCheckpoint(db, key);
  const lastSeq = last?.seq ?? 0;
  if (head.seq <= lastSeq) return false;
  if (head.seq - lastSeq >= policy.every) return true;
  // Without a checkpoint yet, time counts from the first entry.
  const since = last ? last.signedAt : (await chainHead(db, 1))?.at;
  return since !== undefined && now.getTime() - new Date(since).getTime() >= policy.intervalMs;
}

/**
 * Signs the entry `head` names (the head a verification just walked) and records it once:
 * a retried activity finds the row (seq, key id) it wrote and returns it.
 */
export async function recordCheckpoint(
  db: DataSource,
  key: KeyObject,
  head: { seq: number; hash: string },
): Promise<Checkpoint> {
  const entry = await chainHead(db, head.seq);
  if (!entry || entry.hash !== head.hash)
    throw new Error(`audit entry ${head.seq} changed since it was verified: not signing it`);
  const c = signCheckpoint(key, entry);
  const inserted = (await db.query(
    `INSERT INTO audit_checkpoints (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (seq, key_id) DO NOTHING RETURNING ${CHECKPOINT_COLUMNS}`,
    [c.seq, c.hash, c.at, c.signedAt, c.keyId, c.signature],
  )) as Row[];
  if (inserted.length > 0) return checkpointFromRow(inserted[0]);
  const [existing] = (await db.query(
    `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE seq = $1 AND key_id = $2`,
    [c.seq, c.keyId],
  )) as Row[];
  return checkpointFromRow(existing);
}
