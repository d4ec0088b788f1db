import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { InterpolActivities } from '../../apps/worker/src/activities/interpol.activities';
import { NotificationActivities } from '../../apps/worker/src/activities/notification.activities';
import { ProjectionActivities } from '../../apps/worker/src/activities/projection.activities';
import { QuotaActivities } from '../../apps/worker/src/activities/quota.activities';
import { loadConfig, type AppConfig } from '../../libs/config/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import type { RequestActivities } from '../../workflows/activity-types';
import type { DataConverter } from '@temporalio/common';
import type { Role } from '../../libs/domain/src/enums';
import type { Actor } from '../../libs/domain/src/types';
import { installTemporalRuntime } from '../../libs/temporal/src/runtime';
import { testDataConverter } from './codec';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, built once per test process (bundling costs seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: path.join(__dirname, '../../workflows'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  return bundle;
}

/**
 * The time-skipping test server, from the binary globalSetup resolved (no SDK download); its
 * client encrypts payloads as the API's does.
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installTemporalRuntime(process.env.LOG_LEVEL ?? 'warn');
  const serverPath = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!serverPath)
    throw new Error('TEMPORAL_TEST_SERVER_PATH is not set (jest globalSetup sets it)');
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: serverPath } },
    client: { dataConverter: await testDataConverter() },
  });
}

/**
 * All the real activities against the test PostgreSQL, with the configuration from the
 * environment (pass `config` to point sendToInterpol at an in-process simulator, say).
 */
export async function realActivities(
  config: AppConfig = loadConfig(),
): Promise<{ activities: RequestActivities; db: DataSource }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (jest globalSetup sets it)');
  const db = await new DataSource(dataSourceOptions(url, 4)).initialize();
  const projections = new ProjectionActivities(db);
  const quota = new QuotaActivities(db);
  const interpol = new InterpolActivities(db, config);
  const notifications = new NotificationActivities(db);
  return {
    db,
    activities: {
      projectRequest: (p) => projections.projectRequest(p),
      projectJurisdiction: (p) => projections.projectJurisdiction(p),
      reserveQuota: (r) => quota.reserveQuota(r),
      releaseQuota: (r) => quota.releaseQuota(r),
      sendToInterpol: (m) => interpol.sendToInterpol(m),
      notify: (n) => notifications.notify(n),
    },
  };
}

/** A worker on a fresh task queue; its payloads go through `dataConverter` (the tests' codec). */
export async function testWorker(
  env: TestWorkflowEnvironment,
  activities: RequestActivities,
  dataConverter?: DataConverter,
) {
  const taskQueue = `wf-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
    dataConverter: dataConverter ?? (await testDataConverter()),
  });
  return { worker, taskQueue };
}

/** A person acting on a workflow, with a fresh user id. */
export function testActor(username: string, role: Role, country = 'ZA'): Actor {
  return { userId: randomUUID(), username, role, country };
}
