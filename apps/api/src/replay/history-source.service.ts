import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import {
  fetchRun,
  historyHash,
  type HistoryDocument,
  type RunHistory,
} from '../../../../libs/temporal/src/histories';
import { requestWorkflowId, TEMPORAL_CLIENT } from '../../../../libs/temporal/src';
import type { EncryptionCodec } from '../../../../libs/crypto/src/codec';
import { PAYLOAD_CODEC } from '../../../../libs/crypto/src/crypto.module';
import { decodeJsonPayloads } from '../../../../libs/crypto/src/payload-json';
import { childWorkflowIds, continuedAsNew, startOf } from './history-events';

export interface RequestHistories {
  /** The request workflow's runs, oldest first (more than one after a continue-as-new). */
  request: RunHistory[];
  /** One history per country track, in the order the request started them. */
  tracks: RunHistory[];
}

interface ArchivedRow {
  workflow_id: string;
  run_id: string;
  history: HistoryDocument;
  sha256: string;
}

/**
 * The recorded histories of one request: archived runs from PostgreSQL (workflow_histories) where
 * the exporter stored them, the rest fetched live from Temporal, so the record survives
 * Temporal's retention and a running request is still readable.
 */
@Injectable()
export class HistorySource {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(PAYLOAD_CODEC) private readonly codec: EncryptionCodec,
  ) {}

  async forRequest(requestId: string): Promise<RequestHistories> {
    const rows = (await this.db.query(
      `SELECT workflow_id, run_id, history, sha256 FROM workflow_histories
        WHERE request_id = $1 ORDER BY started_at, workflow_id`,
      [requestId],
    )) as ArchivedRow[];
    const archived = new Map<string, RunHistory[]>();
    for (const row of rows) {
      const list = archived.get(row.workflow_id) ?? [];
      list.push({
        workflowId: row.workflow_id,
        runId: row.run_id,
        history: row.history,
        sha256: row.sha256,
        events: row.history.events.length,
        source: 'archive',
      });
      archived.set(row.workflow_id, list);
    }
    const parentId = requestWorkflowId(requestId);
    const request = await this.chain(parentId, archived.get(parentId) ?? []);
    const childIds = [...new Set(request.flatMap((r) => childWorkflowIds(r.history)))];
    const tracks: RunHistory[] = [];
    for (const id of childIds) {
      // Country tracks never continue as new: one run each.
      const chain = await this.chain(id, archived.get(id) ?? []);
      tracks.push(...chain);
    }
    // Archived and live histories hold encrypted payloads (as Temporal stores them): decoded
    // here with the request's data key, once, for the timeline, the replay and the folding.
    // `sha256` stays that of the record as stored. A destroyed key throws DataKeyDestroyedError.
    for (const run of [...request, ...tracks]) {
      run.history = await decodeJsonPayloads(run.history, this.codec);
    }
    return { request, tracks };
  }

  /** Every run of a workflow id, oldest first, following continue-as-new links backwards. */
  private async chain(workflowId: string, archived: RunHistory[]): Promise<RunHistory[]> {
    const byRun = new Map(archived.map((r) => [r.runId, r]));
    let last = archived.find((r) => !continuedAsNew(r.history));
    if (!last) last = await this.live(workflowId);
    const runs: RunHistory[] = [last];
    for (;;) {
      const previous = startOf(runs[0].history).continuedFromRunId;
      if (!previous) break;
      runs.unshift(byRun.get(previous) ?? (await this.live(workflowId, previous)));
    }
    return runs;
  }

  private async live(workflowId: string, runId?: string): Promise<RunHistory> {
    const run = await fetchRun(this.client, workflowId, runId);
    return {
      workflowId,
      runId: run.runId,
      history: run.history,
      sha256: historyHash(run.history),
      events: run.history.events.length,
      source: 'temporal',
    };
  }
}
