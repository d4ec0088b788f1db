import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import path from 'node:path';
import type { AppConfig } from '../../../libs/config/src';
import { APP_CONFIG } from '../../../libs/config/src/config.module';
import { installTemporalRuntime } from '../../../libs/temporal/src/runtime';
import type { RequestActivities } from '../../../workflows/activity-types';
import { InterpolActivities } from './activities/interpol.activities';
import { NotificationActivities } from './activities/notification.activities';
import { ProjectionActivities } from './activities/projection.activities';
import { QuotaActivities } from './activities/quota.activities';

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
  ) {}

  /** Activities bound to their DI services, as the Worker wants them: one plain object. */
  activities(): RequestActivities {
    return {
      projectRequest: (p) => this.projections.projectRequest(p),
      projectJurisdiction: (p) => this.projections.projectJurisdiction(p),
      reserveQuota: (r) => this.quota.reserveQuota(r),
      releaseQuota: (r) => this.quota.releaseQuota(r),
      sendToInterpol: (m) => this.interpol.sendToInterpol(m),
      notify: (n) => this.notifications.notify(n),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    installTemporalRuntime(this.config.logLevel);
    this.connection = await NativeConnection.connect({ address: this.config.temporal.address });
    const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
    const options: WorkerOptions = {
      connection: this.connection,
      namespace: this.config.temporal.namespace,
      taskQueue: this.config.temporal.taskQueue,
      activities: this.activities(),
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
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }
}
