// The same journey as journey.test.ts, with the worker as a separate process (`node
// dist/apps/worker/src/main.js`, as `npm start` runs it) that is killed with SIGKILL twice: right
// after the submission to INTERPOL (whose first attempt the simulated GS answers 503, so a retry
// is pending) and again while the countries answer. Each time a new worker process takes over.
// The request must still end CLOSED with nothing lost and nothing stored twice: exact counts in
// PostgreSQL against what the simulator says it sent and received. Users of a country no other
// suite uses (MT).
import { Connection } from '@temporalio/client';
import { execFile, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import type { SimHandle } from '../../apps/interpol-sim/src';
import { loadConfig } from '../../libs/config/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { exitOf, isAlive, lastLines, spawnSupervised } from '../../scripts/lib/processes';
import { repoRoot } from '../../scripts/lib/tools';
import { eventually, savedEnv, startSystem, type RunningSystem } from '../support/e2e';
import {
  createOffice,
  expectNothingLostOrDuplicated,
  simView,
  startSimulator,
  walkJourney,
  type Office,
  type SimView,
} from '../support/journey-http';
import { within } from '../support/processes';

const COUNTRY = 'MT';
const ENV_KEYS = ['INTERPOL_GATEWAY_URL', 'QUOTA_PER_YEAR'] as const;
const ROOT = repoRoot(__dirname);
const WORKER_SCRIPT = join(ROOT, 'dist/apps/worker/src/main.js');
// temporal.api.enums.v1.TaskQueueType
const TASK_QUEUE_TYPES = { workflow: 1, activity: 2 } as const;

interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines it printed, for diagnostics. */
  output: string[];
}

describe('fault: the worker process is killed (SIGKILL) twice during the journey', () => {
  let sys: RunningSystem;
  let sim: SimHandle;
  let db: DataSource;
  let temporal: Connection;
  let office: Office;
  const suiteEnv = savedEnv(ENV_KEYS);
  const workers: WorkerProcess[] = [];
  let current: WorkerProcess | undefined;
  const events: string[] = [];
  const t0 = Date.now();
  const note = (line: string) => events.push(`+${((Date.now() - t0) / 1000).toFixed(1)}s ${line}`);

  function spawnWorker(): WorkerProcess {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      INTERPOL_GATEWAY_URL: sim.url,
      LOG_LEVEL: 'warn',
    };
    // The kernel kills it should this (jest) process die first: no orphan either way.
    const child = spawnSupervised(process.execPath, [WORKER_SCRIPT], 'SIGKILL', { cwd: ROOT, env });
    if (!child.pid) throw new Error('the worker process did not start');
    const output = lastLines(child, 200);
    const exited = exitOf(child);
    const worker: WorkerProcess = { pid: child.pid, child, exited, output };
    workers.push(worker);
    note(`worker ${worker.pid} spawned`);
    return worker;
  }

  /** Polling both the workflow and the activity task queue, by its identity (pid@host). */
  async function untilPolling(worker: WorkerProcess): Promise<void> {
    const started = Date.now();
    const namespace = loadConfig().temporal.namespace;
    await eventually(
      async () => {
        if (!isAlive(worker.pid)) {
          throw new Error(`worker ${worker.pid} exited:\n${worker.output.join('\n')}`);
        }
        for (const taskQueueType of Object.values(TASK_QUEUE_TYPES)) {
          const res = await temporal.workflowService.describeTaskQueue({
            namespace,
            taskQueue: { name: sys.taskQueue },
            taskQueueType,
          });
          const pollers = res.pollers ?? [];
          if (!pollers.some((p) => p.identity?.startsWith(`${worker.pid}@`))) return false;
        }
        return true;
      },
      {
        what: `worker ${worker.pid} to poll ${sys.taskQueue}`,
        timeoutMs: 60_000,
        intervalMs: 100,
      },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- worker output ---\n${worker.output.join('\n')}`);
    });
    note(`worker ${worker.pid} polling after ${Date.now() - started} ms`);
  }

  async function kill(worker: WorkerProcess, when: string): Promise<void> {
    process.kill(worker.pid, 'SIGKILL');
    const exit = await within(worker.exited, 10_000, `worker ${worker.pid} to die`);
    expect(exit.signal).toBe('SIGKILL');
    expect(isAlive(worker.pid)).toBe(false);
    note(`worker ${worker.pid} killed (SIGKILL) ${when}`);
  }

  async function replaceWorker(when: string): Promise<void> {
    await kill(current!, when);
    current = spawnWorker();
    await untilPolling(current);
  }

  beforeAll(async () => {
    suiteEnv.save();
    process.env.QUOTA_PER_YEAR = '9';
    // The worker runs from dist/, as in `npm start`: build it from the current sources (swc).
    const built = Date.now();
    await promisify(execFile)('npm', ['run', '-s', 'build'], { cwd: ROOT, timeout: 120_000 });
    note(`npm run build in ${Date.now() - built} ms`);

    // The API first (the simulator needs its URL), then the simulator, then the worker process
    // (which needs the simulator's URL).
    sys = await startSystem({ worker: false });
    sim = await startSimulator(sys.baseUrl, {
      decisionDelayMs: 100,
      // Slow enough that the second kill lands while the countries are still answering.
      responseDelayMs: 1000,
      // Deliveries keep trying while no worker runs (the API answers 503 meanwhile); an attempt
      // outlasts the API's own update deadlines (5 s accepted + 15 s completed).
      delivery: { baseDelayMs: 200, maxDelayMs: 2000, maxAttempts: 200, timeoutMs: 25_000 },
    });
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    temporal = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    office = await createOffice(db, sys.baseUrl, COUNTRY);
    current = spawnWorker();
    await untilPolling(current);
  }, 240_000);

  afterAll(async () => {
    // Every worker process this suite started is gone, whatever happened above.
    for (const worker of workers) {
      if (isAlive(worker.pid)) {
        process.kill(worker.pid, 'SIGKILL');
        await within(worker.exited, 10_000, `worker ${worker.pid} to die`).catch(() => undefined);
      }
    }
    const orphans = workers.filter((w) => isAlive(w.pid)).map((w) => w.pid);
    await sim?.close();
    await sys?.close();
    await temporal?.close();
    await db?.destroy();
    suiteEnv.restore();
    process.stdout.write(`[fault-worker-kill]\n  ${events.join('\n  ')}\n`);
    if (orphans.length > 0) throw new Error(`worker processes still alive: ${orphans.join(', ')}`);
  }, 60_000);

  it('ends CLOSED with every message stored exactly once', async () => {
    let atSecondKill: SimView | undefined;
    const outcome = await walkJourney({
      apiUrl: sys.baseUrl,
      simUrl: sim.url,
      office,
      // The GS is "down" for the first submission attempt: a retry is pending across the kill.
      control: { failSubmissions: 1 },
      waitMs: 120_000,
      hooks: {
        afterInterpolSubmission: () => replaceWorker('right after the submission to INTERPOL'),
        whileCountriesAnswer: async ({ reference }) => {
          atSecondKill = await simView(sim.url, reference);
          await replaceWorker(
            `while countries answer (${atSecondKill.responses.length} of 7 messages sent)`,
          );
        },
      },
    });
    note(`journey done ${JSON.stringify(outcome.timings)}`);

    // The second kill really happened mid-way: the simulator had not sent every answer yet.
    expect(atSecondKill!.responses.length).toBeLessThan(7);
    expect(workers).toHaveLength(3);
    expect(workers.slice(0, 2).every((w) => !isAlive(w.pid))).toBe(true);

    await expectNothingLostOrDuplicated(db, office, outcome);
    // The GS's 503 made the worker retry: the simulator saw the key more than once, stored one
    // submission, and PostgreSQL counted every attempt under the one key.
    expect(outcome.sim.failedSubmissionAttempts).toBe(1);
    expect(outcome.sim.submissionAttempts).toBeGreaterThanOrEqual(2);
    const [submission] = (await db.query(
      `SELECT attempts FROM outbound_messages WHERE idempotency_key = $1`,
      [`submission-${outcome.id}`],
    )) as { attempts: number }[];
    expect(submission.attempts).toBeGreaterThanOrEqual(outcome.sim.submissionAttempts);
    note(
      `sim: ${outcome.sim.submissionAttempts} submission attempts; delivery attempts ` +
        JSON.stringify([...outcome.sim.decisions, ...outcome.sim.responses].map((d) => d.attempts)),
    );
  }, 480_000);
});
