// Graceful shutdown of a worker process as Kubernetes does it (SIGTERM, then a grace period):
// the worker runs as the image runs it (`node dist/apps/worker/src/main.js`, NODE_ENV=production
// without JWT_SECRET, which only the API needs), with WORKER_SHUTDOWN_GRACE and its Prometheus
// endpoint on WORKER_METRICS_ADDRESS. A request's submission to INTERPOL is in flight (the
// gateway holds the answer) when SIGTERM arrives: the worker stops polling, the activity finishes
// and is reported, then the process exits; INTERPOL got the message once and the history holds
// its one completed attempt. With a grace shorter than the call, the attempt is cancelled and
// retried by another worker under the same Idempotency-Key: nothing is lost. Users of SK.
import { Client, Connection } from '@temporalio/client';
import { execFile, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { requestWorkflowId } from '../../libs/temporal/src/ids';
import { freePort } from '../../scripts/lib/ports';
import { isAlive, spawnSupervised } from '../../scripts/lib/processes';
import { repoRoot } from '../../scripts/lib/tools';
import { eventually, http, startSystem, type RunningSystem } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';
import { createOffice, type Office } from '../support/journey-http';
import { within } from '../support/processes';

const ROOT = repoRoot(__dirname);

/** INTERPOL's inbound side, answering 202 only when the test lets it. */
async function holdingGateway() {
  const received: { key: string; at: number }[] = [];
  let release: () => void = () => undefined;
  let released = new Promise<void>((r) => (release = r));
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push({ key: String(req.headers['idempotency-key']), at: Date.now() });
      void released.then(() => {
        if (res.destroyed) return;
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    release: () => release(),
    hold: (): void => {
      released = new Promise<void>((r) => (release = r));
    },
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

interface WorkerProc {
  child: ChildProcess;
  pid: number;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe('worker graceful shutdown drains in-flight activities (SIGTERM)', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let connection: Connection;
  let client: Client;
  let office: Office;
  let gateway: Awaited<ReturnType<typeof holdingGateway>>;
  const procs: WorkerProc[] = [];

  function spawnWorker(env: Record<string, string>): WorkerProc {
    const child = spawnSupervised(
      process.execPath,
      [join(ROOT, 'dist/apps/worker/src/main.js')],
      'SIGKILL',
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          DATABASE_URL: process.env.DATABASE_URL,
          TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
          TEMPORAL_TASK_QUEUE: sys.taskQueue,
          GATEWAY_SECRET: `shutdown-gateway-${randomUUID()}`,
          // Production mode asks for a master key: the run's.
          SILVERTRACE_MASTER_KEY_FILE: process.env.SILVERTRACE_MASTER_KEY_FILE,
          SILVERTRACE_MASTER_KEYS: process.env.SILVERTRACE_MASTER_KEYS,
          INTERPOL_GATEWAY_URL: gateway.url,
          // Production asks the worker for the audit checkpoints' key (the tests' own pair).
          AUDIT_SIGNING_KEY_FILE: process.env.AUDIT_SIGNING_KEY_FILE,
          LOG_LEVEL: 'info',
          ...env,
        },
      },
    );
    const output: string[] = [];
    for (const s of [child.stdout, child.stderr]) {
      createInterface({ input: s, crlfDelay: Infinity }).on('line', (l) => output.push(l));
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    const proc = { child, pid: child.pid!, output, exited };
    procs.push(proc);
    return proc;
  }

  const untilPolling = (w: WorkerProc) =>
    eventually(
      async () => {
        if (!isAlive(w.pid)) throw new Error(`worker exited:\n${w.output.join('\n')}`);
        return w.output.some((l) => l.includes('worker polling task queue'));
      },
      { what: 'the worker to poll', timeoutMs: 60_000 },
    );

  /** Drafted, reviewed and handed to INTERPOL: the submission activity is then scheduled. */
  async function toInterpol(tag: string): Promise<string> {
    const created = await http<{ id: string }>(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
      token: office.inv,
      body: validRequestBody({ caseReference: `CAS-SK-${tag}`, targetCountries: ['SI'] }),
      headers: { 'idempotency-key': `shutdown-${tag}-${randomUUID()}` },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const api = (path: string, token: string, body?: unknown) =>
      http<{ status: string }>(sys.baseUrl, 'POST', `/api/v1/trace-requests/${id}${path}`, {
        token,
        body,
      });
    expect((await api('/submit', office.inv)).status).toBe(200);
    expect((await api('/review', office.sup, { decision: 'approve' })).status).toBe(200);
    const submitted = await api('/interpol-submission', office.ncb, {
      attestation: { article3Neutrality: true, dataQualityChecked: true },
    });
    expect(submitted.body.status).toBe('SUBMITTED');
    return id;
  }

  /** The sendToInterpol attempts in the request's history: who ran them and how they ended. */
  async function submissionAttempts(id: string) {
    const history = await client.workflow.getHandle(requestWorkflowId(id)).fetchHistory();
    const events = history.events ?? [];
    const scheduled = events.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendToInterpol',
    );
    const sid = String(scheduled?.eventId);
    const of = (e: (typeof events)[number]) =>
      String(
        (
          e.activityTaskStartedEventAttributes ??
          e.activityTaskCompletedEventAttributes ??
          e.activityTaskFailedEventAttributes
        )?.scheduledEventId,
      ) === sid;
    return {
      started: events.filter((e) => e.activityTaskStartedEventAttributes && of(e)),
      completed: events.filter((e) => e.activityTaskCompletedEventAttributes && of(e)),
    };
  }

  beforeAll(async () => {
    await promisify(execFile)('npm', ['run', '-s', 'build'], { cwd: ROOT, timeout: 180_000 });
    gateway = await holdingGateway();
    sys = await startSystem({ worker: false });
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    client = new Client({ connection, namespace: 'default' });
    office = await createOffice(db, sys.baseUrl, 'SK');
  }, 240_000);

  afterAll(async () => {
    for (const p of procs) if (isAlive(p.pid)) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => within(p.exited, 10_000, 'worker exit').catch(() => 0)));
    await gateway?.close();
    await sys?.close();
    await connection?.close();
    await db?.destroy();
  }, 60_000);

  it('lets an activity in flight at SIGTERM finish and report, then exits; serves metrics meanwhile', async () => {
    const metricsPort = await freePort();
    const worker = spawnWorker({
      WORKER_SHUTDOWN_GRACE: '30s',
      WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    });
    await untilPolling(worker);
    gateway.hold();
    const id = await toInterpol('DRAIN');
    await eventually(async () => gateway.received.length === 1, {
      what: 'the submission to reach INTERPOL',
    });

    // The SDK's own metrics, in Prometheus text, labelled with our task queue.
    const metrics = await eventually(async () => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return text.includes('temporal_activity_execution') || text.includes('temporal_request')
        ? text
        : undefined;
    });
    expect(metrics).toMatch(new RegExp(`^temporal_\\w+\\{[^}]*task_queue="${sys.taskQueue}"`, 'm'));

    const sigterm = Date.now();
    worker.child.kill('SIGTERM');
    // Draining: polling stopped (the SDK's STOPPING state), the process stays up while the call
    // is held...
    await eventually(async () => worker.output.some((l) => l.includes('STOPPING')), {
      what: 'the worker to begin its shutdown',
      timeoutMs: 10_000,
    });
    expect(isAlive(worker.pid)).toBe(true);
    gateway.release();
    // ...and exits once the activity has finished and been reported.
    const exit = await within(worker.exited, 30_000, 'the worker to exit after draining');
    const drainedMs = Date.now() - sigterm;
    expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);

    const { started, completed } = await submissionAttempts(id);
    expect(started).toHaveLength(1);
    expect(started[0].activityTaskStartedEventAttributes?.identity).toMatch(
      new RegExp(`^${worker.pid}@`),
    );
    expect(completed).toHaveLength(1);
    expect(gateway.received).toHaveLength(1);
    const [row] = (await db.query(
      `SELECT delivered_at IS NOT NULL AS delivered FROM outbound_messages WHERE idempotency_key = $1`,
      [gateway.received[0].key],
    )) as { delivered: boolean }[];
    expect(row.delivered).toBe(true);
    process.stdout.write(`[worker-shutdown] drained and exited ${drainedMs} ms after SIGTERM\n`);
  }, 120_000);

  it('cancels an attempt the grace period cannot wait for; another worker delivers it, once', async () => {
    const worker = spawnWorker({ WORKER_SHUTDOWN_GRACE: '300ms' });
    await untilPolling(worker);
    gateway.hold();
    const before = gateway.received.length;
    const id = await toInterpol('CANCEL');
    await eventually(async () => gateway.received.length === before + 1, {
      what: 'the submission to reach INTERPOL',
    });
    const key = gateway.received[before].key;
    worker.child.kill('SIGTERM');
    await within(worker.exited, 30_000, 'the worker to exit after its grace period');

    // A new worker takes the retry; INTERPOL now answers.
    gateway.release();
    const next = spawnWorker({ WORKER_SHUTDOWN_GRACE: '30s' });
    await untilPolling(next);
    const { completed, started } = await eventually(
      async () => {
        const a = await submissionAttempts(id);
        return a.completed.length === 1 ? a : undefined;
      },
      { what: 'the retried submission to complete', timeoutMs: 60_000 },
    );
    expect(completed).toHaveLength(1);
    expect(started[0].activityTaskStartedEventAttributes?.identity).toMatch(
      new RegExp(`^${next.pid}@`),
    );
    expect(Number(started[0].activityTaskStartedEventAttributes?.attempt)).toBeGreaterThan(1);
    // Every attempt carried the same key, so INTERPOL files it once.
    const keys = gateway.received.slice(before).map((r) => r.key);
    expect(new Set(keys)).toEqual(new Set([key]));
    next.child.kill('SIGTERM');
    await within(next.exited, 30_000, 'the second worker to exit');
  }, 150_000);
});
