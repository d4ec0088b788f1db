// The baseline's worker, a process of its own as the real worker is: `node
// dist/bench/baseline/worker.js` with TEMPORAL_ADDRESS set, tuned by the same variables.
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../../libs/config/src';
import * as activities from './activities';

export const BASELINE_TASK_QUEUE = 'bench-baseline';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection,
    taskQueue: BASELINE_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
  });
  process.once('SIGTERM', () => worker.shutdown());
  process.once('SIGINT', () => worker.shutdown());
  console.log('baseline worker polling');
  await worker.run();
  await connection.close();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
