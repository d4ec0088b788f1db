import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import path from 'node:path';
import type { AppConfig } from '../../../libs/config/src';
import { APP_CONFIG } from '../../../libs/config/src/config.module';
import type { EncryptionCodec } from '../../../libs/crypto/src/codec';
import { PAYLOAD_CODEC } from '../../../libs/crypto/src/crypto.module';
import { dataConverterOf } from '../../../libs/crypto/src/standalone';
import { temporalConnectionOptions } from '../../../libs/temporal/src/connection-options';
import { installTemporalRuntime } from '../../../libs/temporal/src/runtime';
import { auditVerifyScheduleId, retentionSweepScheduleId } from '../../../libs/temporal/src/ids';
import type { AuditActivities as AuditActivityTypes } from '../../../workflows/activity-types';
import type {
  RequestActivities,
  RetentionActivities as RetentionActivityTypes,
} from '../../../workflows/activity-types';
import { auditVerifyWorkflow } from '../../../workflows/audit-verify.workflow';
import { retentionSweepWorkflow } from '../../../workflows/retention-sweep.workflow';
import { AuditActivities } from './activities/audit.activities';
import { AuditCheckpointWatcher } from './audit-checkpoint.watcher';
import { HistoryExportService } from './history-export.service';
import { InterpolActivities } from './activities/interpol.activities';
import { NotificationActivities } from './activities/notification.activities';
import { ProjectionActivities } from './activities/projection.activities';
import { QuotaActivities } from './activities/quota.activities';
import { RetentionActivities } from './activities/retention.activities';

/** Where the workflow sources are, from both the .ts tree and dist/. */
export const WORKFLOWS_PATH = path.join(__dirname, '../../../workflows');

/**
 * Hosts the Temporal Worker inside a Nest application context. `run()` is kept as a promise,
 * never awaited in a lifecycle hook (that would block start-up forever), and drained on shutdown.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerService.name);
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projections: ProjectionActivities,
    private readonly quota: QuotaActivities,
    private readonly interpol: InterpolActivities,
    private readonly notifications: NotificationActivities,
    private readonly audit: AuditActivities,
    private readonly historyExport: HistoryExportService,
    @Inject(PAYLOAD_CODEC) private readonly codec: EncryptionCodec,
    private readonly auditCheckpoints: AuditCheckpointWatcher,
    private readonly retention: RetentionActivities,
  ) {}

  /** Activities bound to their DI services, as the Worker wants them: one plain object. */
  activities(): RequestActivities & AuditActivityTypes & RetentionActivityTypes {
    return {
      verifyAuditChain: () => this.audit.verifyAuditChain(),
      sweepRetention: () => this.retention.sweepRetention(),
      projectRequest: (p) => this.projections.projectRequest(p),
      projectJurisdiction: (p) => this.projections.projectJurisdiction(p),
      reserveQuota: (r) => this.quota.reserveQuota(r),
      releaseQuota: (r) => this.quota.releaseQuota(r),
      sendToInterpol: (m) => this.interpol.sendToInterpol(m),
      notify: (n) => this.notifications.notify(n),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    installTemporalRuntime(this.config.logLevel, this.config.worker.metricsAddress);
    const { address, tls, apiKey } = this.config.temporal;
    try {
      this.connection = await NativeConnection.connect(
        temporalConnectionOptions(this.config.temporal),
      );
    } catch (err) {
      // A wrong CA, a refused client certificate or key: say where and how, then stop.
      const how = [tls ? 'TLS' : 'plain', tls?.clientCertPair ? 'client certificate' : '']
        .concat(apiKey ? ['API key'] : [])
        .filter(Boolean)
        .join(', ');
      const reason = err instanceof Error ? err.message : String(err);
      // TLS 1.3 refuses a missing client certificate after the client's handshake: the client
      // reads the alert, or a broken pipe or a closed connection if it wrote first (an HTTP/2
      // error, where a refused TCP connection or a bad server certificate fail to connect).
      const hint =
        tls && !tls.clientCertPair && /hyper::Error/.test(reason)
          ? '; the server may require a client certificate: set TEMPORAL_TLS_CERT_PATH and ' +
            'TEMPORAL_TLS_KEY_PATH'
          : '';
      throw new Error(`cannot connect to Temporal at ${address} (${how}): ${reason}${hint}`, {
        cause: err,
      });
    }
    const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
    const options: WorkerOptions = {
      connection: this.connection,
      namespace: this.config.temporal.namespace,
      taskQueue: this.config.temporal.taskQueue,
      activities: this.activities(),
      // Payloads are encrypted with their request's data key before they reach Temporal.
      dataConverter: dataConverterOf(this.codec),
      // On SIGTERM the worker stops polling at once, lets running activities finish within this
      // window, then cancels what is left (retried elsewhere: every activity is idempotent).
      shutdownGraceTime: this.config.worker.shutdownGraceMs,
      maxCachedWorkflows: this.config.worker.maxCachedWorkflows,
      maxConcurrentWorkflowTaskExecutions: this.config.worker.maxConcurrentWorkflowTasks,
      maxConcurrentActivityTaskExecutions: this.config.worker.maxConcurrentActivities,
      maxConcurrentLocalActivityExecutions: this.config.worker.maxConcurrentLocalActivities,
      ...(bundlePath
        ? { workflowBundle: { codePath: bundlePath } }
        : { workflowsPath: WORKFLOWS_PATH }),
    };
    this.worker = await Worker.create(options);
    this.running = this.worker.run();
    this.running.catch((err: unknown) => {
      this.logger.error(`worker stopped with an error: ${String(err)}`);
      process.exitCode = 1;
    });
    this.logger.log(`worker polling task queue "${this.config.temporal.taskQueue}"`);
    // Only a worker that did start sweeps: a failed boot leaves nothing running behind it.
    this.historyExport.start();
    this.auditCheckpoints.start();
    await this.ensureAuditSchedule().catch((err: unknown) =>
      // The worker still serves requests; the next start tries again.
      this.logger.error(`could not create the audit verification schedule: ${String(err)}`),
    );
    await this.ensureRetentionSchedule().catch((err: unknown) =>
      this.logger.error(`could not create the retention sweep schedule: ${String(err)}`),
    );
  }

  /**
   * The schedule that verifies the audit chain every AUDIT_VERIFY_INTERVAL, created when a worker
   * starts. Several workers may race: the first creates it, the others find it and bring its
   * interval and task queue up to date (so a changed interval takes effect on restart).
   */
  async ensureAuditSchedule(): Promise<string> {
    const { taskQueue } = this.config.temporal;
    const every = this.config.audit.verifyIntervalMs;
    await this.ensureSchedule(auditVerifyScheduleId(taskQueue), auditVerifyWorkflow, every);
    return auditVerifyScheduleId(taskQueue);
  }

  /**
   * The schedule that sweeps retention reviews and late erasure orders every
   * RETENTION_SWEEP_INTERVAL (README, "Personal data"), kept like the audit one.
   */
  async ensureRetentionSchedule(): Promise<string> {
    const { taskQueue } = this.config.temporal;
    const every = this.config.retention.sweepIntervalMs;
    await this.ensureSchedule(retentionSweepScheduleId(taskQueue), retentionSweepWorkflow, every);
    return retentionSweepScheduleId(taskQueue);
  }

  private async ensureSchedule(
    scheduleId: string,
    workflowType: typeof auditVerifyWorkflow | typeof retentionSweepWorkflow,
    every: number,
  ): Promise<void> {
    const { taskQueue, namespace } = this.config.temporal;
    const client = new Client({
      connection: this.connection!,
      namespace,
      dataConverter: dataConverterOf(this.codec),
    });
    const spec = { intervals: [{ every }] };
    const action = {
      type: 'startWorkflow' as const,
      workflowType,
      workflowId: scheduleId,
      taskQueue,
      args: [] as [],
    };
    try {
      await client.schedule.create({
        scheduleId,
        spec,
        action,
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
      this.logger.log(`schedule ${scheduleId}: every ${every / 1000} s`);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule
        .getHandle(scheduleId)
        .update((previous) => ({ ...previous, spec, action }));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }
}
