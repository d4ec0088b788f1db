// Health checks of the silvertrace images (Docker HEALTHCHECK, Kubernetes exec probes):
//
//   node docker/healthcheck.js api      GET http://127.0.0.1:$PORT/health/ready answers 200
//   node docker/healthcheck.js sim      GET http://127.0.0.1:$SIM_PORT/health answers 200
//   node docker/healthcheck.js worker   this container's worker polls its task queue
//
// The worker has no HTTP server. Its check asks Temporal (DescribeTaskQueue on
// TEMPORAL_TASK_QUEUE, workflow and activity task queues) whether a poller whose identity is
// this host's, `<pid>@<hostname>` (the SDK's default worker identity; the hostname is the
// container or pod name), polled within WORKER_HEALTH_MAX_POLL_AGE_SECONDS (default 180). A
// worker process that is alive but no longer polls (its Worker stopped) fails; a Temporal that
// does not answer passes with a note, because restarting workers would not bring it back (the
// API's /health/ready reports Temporal). Exit code 0 healthy, 1 unhealthy, 2 misused.
'use strict';
const { hostname } = require('node:os');

const TIMEOUT_MS = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 4000);
// temporal.api.enums.v1.TaskQueueType
const TASK_QUEUE_TYPES = { workflow: 1, activity: 2 };

async function httpOk(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok)
    throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return `${url} answered ${res.status}`;
}

function seconds(timestamp) {
  if (!timestamp) return 0;
  return Number(timestamp.seconds ?? 0) + Number(timestamp.nanos ?? 0) / 1e9;
}

/**
 * The pollers of one task queue type: those the root partition reports, plus those the
 * (deprecated, still served) ENHANCED mode gathers from every partition, where available.
 */
async function describePollers(connection, namespace, taskQueue, taskQueueType) {
  const ask = (request) =>
    connection.withDeadline(Date.now() + TIMEOUT_MS, () =>
      connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        ...request,
      }),
    );
  const root = await ask({ taskQueueType });
  const pollers = [...(root.pollers ?? [])];
  try {
    const all = await ask({ apiMode: 1, reportPollers: true, taskQueueTypes: [taskQueueType] });
    for (const version of Object.values(all.versionsInfo ?? {})) {
      for (const info of Object.values(version.typesInfo ?? {})) {
        pollers.push(...(info.pollers ?? []));
      }
    }
  } catch {
    // A server without ENHANCED mode: the root partition's view alone.
  }
  return pollers;
}

async function workerPolls() {
  const { Connection } = require('@temporalio/client');
  const address = process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE || 'silver-notice';
  const maxAge = Number(process.env.WORKER_HEALTH_MAX_POLL_AGE_SECONDS || 180);
  const suffix = `@${hostname()}`;
  let connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: TIMEOUT_MS });
  } catch (err) {
    return `Temporal at ${address} does not answer (${err.message}); not this worker's fault`;
  }
  try {
    const now = Date.now() / 1000;
    const found = [];
    for (const [kind, taskQueueType] of Object.entries(TASK_QUEUE_TYPES)) {
      const pollers = await describePollers(connection, namespace, taskQueue, taskQueueType);
      const mine = pollers.filter(
        (p) => (p.identity ?? '').endsWith(suffix) && now - seconds(p.lastAccessTime) <= maxAge,
      );
      if (mine.length === 0) {
        throw new Error(
          `no poller of this host (*${suffix}) on the ${kind} task queue "${taskQueue}" in ` +
            `namespace "${namespace}" within ${maxAge}s (${pollers.length} pollers seen)`,
        );
      }
      found.push(`${kind}: ${[...new Set(mine.map((p) => p.identity))].join(', ')}`);
    }
    return `polling "${taskQueue}" (${found.join('; ')})`;
  } finally {
    await connection.close();
  }
}

const CHECKS = {
  api: () => httpOk(`http://127.0.0.1:${process.env.PORT || 3000}/health/ready`),
  sim: () => httpOk(`http://127.0.0.1:${process.env.SIM_PORT || 3100}/health`),
  worker: workerPolls,
};

const check = CHECKS[process.argv[2]];
if (!check) {
  process.stderr.write(`usage: node healthcheck.js ${Object.keys(CHECKS).join('|')}\n`);
  process.exit(2);
}
check().then(
  (message) => {
    process.stdout.write(`healthy: ${message}\n`);
    process.exit(0);
  },
  (err) => {
    process.stdout.write(`unhealthy: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
