import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { checkpointDue, lastOwnCheckpoint } from '../../../libs/audit/src';
import type { AppConfig } from '../../../libs/config/src';
import { APP_CONFIG } from '../../../libs/config/src/config.module';
import { auditVerifyScheduleId, TEMPORAL_CLIENT } from '../../../libs/temporal/src';

/** How often the head is looked at (two indexed reads). */
const POLL_MS = 10_000;

/**
 * Makes "every AUDIT_CHECKPOINT_EVERY entries" happen between the schedule's runs: when the
 * head is due for a checkpoint it triggers the audit verify schedule now, so the signing still
 * happens inside a verify workflow (verified first, recorded in its history). The schedule skips
 * a trigger while a run is going, and after a trigger this worker waits for a new checkpoint or
 * AUDIT_CHECKPOINT_INTERVAL, so a broken chain does not raise its alarm every poll.
 */
@Injectable()
export class AuditCheckpointWatcher implements OnApplicationShutdown {
  private readonly logger = new Logger('AuditCheckpoints');
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private quietUntil = 0;
  private lastSeq?: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  /** Called by WorkerService once the worker runs (a failed boot leaves nothing polling). */
  start(): void {
    if (!this.config.audit.signingKey || this.timer) return;
    this.timer = setInterval(() => {
      this.polling ??= this.poll().finally(() => (this.polling = undefined));
    }, POLL_MS);
    this.timer.unref();
  }

  async poll(): Promise<void> {
    const key = this.config.audit.signingKey;
    if (!key) return;
    const { checkpointEvery: every, checkpointIntervalMs: intervalMs } = this.config.audit;
    try {
      const seq = (await lastOwnCheckpoint(this.db, key))?.seq;
      if (seq !== this.lastSeq) {
        this.lastSeq = seq;
        this.quietUntil = 0;
      }
      if (Date.now() < this.quietUntil) return;
      if (!(await checkpointDue(this.db, key, { every, intervalMs }))) return;
      this.quietUntil = Date.now() + intervalMs;
      await this.client.schedule
        .getHandle(auditVerifyScheduleId(this.config.temporal.taskQueue))
        .trigger();
    } catch (err) {
      // The next poll tries again (the schedule may not exist yet, Temporal may be away).
      this.logger.warn(`could not trigger an audit checkpoint: ${String(err)}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }
}
