import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../libs/config/src';
import { APP_CONFIG } from '../../../libs/config/src/config.module';
import { TEMPORAL_CLIENT } from '../../../libs/temporal/src';
import { archiveRun, fetchRun, requestIdOf } from '../../../libs/temporal/src/histories';

/** How often closed runs are looked for (ms); 0 switches the exporter off. */
export function exportIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HISTORY_EXPORT_INTERVAL_MS;
  if (raw === undefined || raw === '') return 5000;
  if (!/^\d{1,9}$/.test(raw)) {
    throw new Error('HISTORY_EXPORT_INTERVAL_MS must be a whole number of milliseconds (0 = off)');
  }
  return Number(raw);
}

/** Closed runs are looked for again this far behind the latest close seen (visibility lags). */
const OVERLAP_MS = 5 * 60_000;

/**
 * Exports the histories of finished requests to PostgreSQL (workflow_histories): every closed
 * run on this task queue (request runs, continued-as-new runs, country tracks) is fetched from
 * Temporal once and stored with its SHA-256. It reads Temporal's visibility of closed executions,
 * so it changes no workflow's command sequence, needs nothing from the workflows, and catches up
 * after any outage (a restart re-lists everything); the insert is idempotent, so several workers
 * may sweep at once.
 */
@Injectable()
export class HistoryExportService implements OnApplicationShutdown {
  private readonly logger = new Logger(HistoryExportService.name);
  private readonly intervalMs = exportIntervalMs();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** Latest close time seen; the next sweep starts a little before it. */
  private watermark?: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  /** Called by the WorkerService once its Worker polls. */
  start(): void {
    if (this.intervalMs > 0 && !this.timer && !this.stopped) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .then((n) => {
          if (n > 0) this.logger.log(`exported ${n} workflow histories`);
        })
        .catch((err: unknown) => this.logger.warn(`history export: ${String(err)}`))
        .finally(() => this.schedule(this.intervalMs));
    }, delay);
    // A background sweep never keeps a process alive on its own (the Worker's run() does).
    this.timer.unref();
  }

  /** One pass: exports the closed runs not archived yet; returns how many. */
  async sweep(): Promise<number> {
    const since =
      this.watermark !== undefined
        ? ` AND CloseTime > '${new Date(this.watermark - OVERLAP_MS).toISOString()}'`
        : '';
    const query =
      `TaskQueue = '${this.config.temporal.taskQueue}' AND ExecutionStatus != 'Running'` + since;
    const closed: { workflowId: string; runId: string; type: string; start: Date; close: Date }[] =
      [];
    for await (const wf of this.client.workflow.list({ query })) {
      if (this.stopped) return 0;
      if (!wf.closeTime || !requestIdOf(wf.workflowId)) continue;
      closed.push({
        workflowId: wf.workflowId,
        runId: wf.runId,
        type: wf.type,
        start: wf.startTime,
        close: wf.closeTime,
      });
    }
    if (closed.length === 0) return 0;
    const known = (await this.db.query(
      `SELECT workflow_id, run_id FROM workflow_histories
        WHERE (workflow_id, run_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [closed.map((c) => c.workflowId), closed.map((c) => c.runId)],
    )) as { workflow_id: string; run_id: string }[];
    const have = new Set(known.map((k) => `${k.workflow_id}/${k.run_id}`));
    let exported = 0;
    for (const run of closed) {
      if (this.stopped) break;
      if (!have.has(`${run.workflowId}/${run.runId}`)) {
        const { history } = await fetchRun(this.client, run.workflowId, run.runId);
        await archiveRun(this.db, {
          workflowId: run.workflowId,
          runId: run.runId,
          requestId: requestIdOf(run.workflowId)!,
          workflowType: run.type,
          history,
          startedAt: run.start.toISOString(),
          closedAt: run.close.toISOString(),
        });
        exported += 1;
      }
    }
    // Moved only after a whole pass succeeded, so a failed export is looked for again.
    if (!this.stopped) {
      this.watermark = Math.max(this.watermark ?? 0, ...closed.map((c) => c.close.getTime()));
    }
    return exported;
  }
}
