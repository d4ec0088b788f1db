// Workflow histories as the auditors' record: fetched from Temporal in the SDK's JSON form
// (historyToJSON, the form of test/histories) and archived in PostgreSQL (workflow_histories).
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { hashOf } from '../../common/src/hash';

/** A history in proto3 JSON: `{ events: [...] }`. */
export interface HistoryDocument {
  events: { eventId: string; eventTime: string; eventType: string; [k: string]: unknown }[];
}

export interface RunHistory {
  workflowId: string;
  runId: string;
  history: HistoryDocument;
  sha256: string;
  events: number;
  source: 'archive' | 'temporal';
}

export { requestIdOf } from './ids';

/** SHA-256 over the canonical JSON of the history document (what the archive stores). */
export const historyHash = (history: HistoryDocument): string => hashOf(history);

/**
 * One run's history from Temporal (the latest run when runId is omitted), raw as the server
 * holds it: its payloads stay encrypted (libs/crypto), and so does what is archived from it.
 */
export async function fetchRun(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<{ runId: string; history: HistoryDocument }> {
  // The run named first, so a continue-as-new meanwhile cannot mismatch id and history.
  const id = runId ?? (await client.workflow.getHandle(workflowId).describe()).runId;
  const history = await client.workflow.getHandle(workflowId, id).fetchHistory();
  return { runId: id, history: JSON.parse(historyToJSON(history)) as HistoryDocument };
}

export interface ArchiveRow {
  workflowId: string;
  runId: string;
  requestId: string;
  workflowType: string;
  history: HistoryDocument;
  startedAt: string;
  closedAt: string;
}

/** Minimal query surface (a TypeORM DataSource or EntityManager). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Stores a closed run once: a second export of the same run changes nothing. */
export async function archiveRun(db: Queryable, row: ArchiveRow): Promise<void> {
  await db.query(
    `INSERT INTO workflow_histories
       (workflow_id, run_id, request_id, workflow_type, event_count, sha256, history,
        started_at, closed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
     ON CONFLICT (workflow_id, run_id) DO NOTHING`,
    [
      row.workflowId,
      row.runId,
      row.requestId,
      row.workflowType,
      row.history.events.length,
      historyHash(row.history),
      JSON.stringify(row.history),
      row.startedAt,
      row.closedAt,
    ],
  );
}
