// Scale-out, as production runs it: three worker processes and two API processes (each `node
// dist/...`, as the images run them; the workers on the prebuilt workflow bundle) on one task
// queue of one Temporal server, the INTERPOL simulator in process behind a round-robin balancer
// in front of both APIs. Journeys are driven through both APIs at once; once every request is
// with INTERPOL, one worker is killed (SIGKILL). Every journey must still end CLOSED exactly
// once (exact row counts in PostgreSQL, one run and one of each effect in each Temporal history),
// with the work spread over all three workers (the workers' identities, <pid>@<host>, in the
// histories' events). The images' health checks are run against the live processes too. Users
// of a country no other suite uses (DK).
import { Client, Connection } from '@temporalio/client';
import { execFile, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { startSim, type SimHandle } from '../../apps/interpol-sim/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { jurisdictionWorkflowId, requestWorkflowId } from '../../libs/temporal/src/ids';
import { freePort } from '../../scripts/lib/ports';
import { exitOf, isAlive, lastLines, spawnSupervised } from '../../scripts/lib/processes';
import { repoRoot } from '../../scripts/lib/tools';
import { eventually, http, type HttpResult } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';
import {
  createOffice,
  simReportedAssets,
  simView,
  type Body,
  type Office,
  type SimView,
} from '../support/journey-http';
import { within } from '../support/processes';
import { testDataConverter } from '../support/codec';

const COUNTRY = 'DK';
const JOURNEYS = 8;
const WORKERS = 3;
const APIS = 2;
const TARGETS = ['BR', 'FR'];
const PLAN = { gsDecision: 'publish', countries: { FR: 'found', BR: 'none' } };
/** Every notification one journey causes (drafter and role recipients together). */
const NOTIFICATION_KINDS = [
  'approved',
  'completed',
  'completed',
  'published',
  'ready_for_interpol',
  'review_requested',
].sort();
const ROOT = repoRoot(__dirname);
const TASK_QUEUE = `scale-out-${randomUUID()}`;
const GATEWAY_SECRET = `scale-out-gateway-${randomUUID()}`;
// temporal.api.enums.v1.TaskQueueType
const TASK_QUEUE_TYPES = { workflow: 1, activity: 2 } as const;

interface Proc {
  name: string;
  pid: number;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: string[];
}

interface Journey {
  id: string;
  reference: string;
  apiUrl: string;
}

/** A round-robin HTTP balancer in front of the APIs, as a load balancer would be. */
function startBalancer(
  targets: string[],
): Promise<{ url: string; hits: number[]; server: Server }> {
  const hits = targets.map(() => 0);
  let next = 0;
  const server = createServer((req, res) => {
    const i = next++ % targets.length;
    hits[i]++;
    const upstream = request(
      new URL(req.url ?? '/', targets[i]),
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`balancer: ${err.message}`);
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, hits, server });
    }),
  );
}

describe('scale-out: 3 workers and 2 APIs on one task queue, one worker killed', () => {
  const procs: Proc[] = [];
  const apis: { proc: Proc; url: string; port: number }[] = [];
  const workers: Proc[] = [];
  let sim: SimHandle;
  let balancer: Awaited<ReturnType<typeof startBalancer>>;
  let db: DataSource;
  let connection: Connection;
  let client: Client;
  let office: Office;
  let bundleDir: string;
  const events: string[] = [];
  const t0 = Date.now();
  const note = (line: string) => events.push(`+${((Date.now() - t0) / 1000).toFixed(1)}s ${line}`);

  function spawnNode(name: string, script: string, env: Record<string, string>): Proc {
    const child = spawnSupervised(process.execPath, [join(ROOT, script)], 'SIGKILL', {
      cwd: ROOT,
      // Only what the process needs: the same settings a container would get.
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: process.env.DATABASE_URL,
        TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
        TEMPORAL_TASK_QUEUE: TASK_QUEUE,
        LOG_LEVEL: 'warn',
        GATEWAY_SECRET,
        // The run's master key: every process unwraps the same data keys.
        SILVERTRACE_MASTER_KEY_FILE: process.env.SILVERTRACE_MASTER_KEY_FILE,
        SILVERTRACE_MASTER_KEYS: process.env.SILVERTRACE_MASTER_KEYS,
        ...env,
      },
    });
    if (!child.pid) throw new Error(`${name} did not start`);
    const output = lastLines(child, 200);
    const exited = exitOf(child);
    const proc: Proc = { name, pid: child.pid, child, exited, output };
    procs.push(proc);
    note(`${name} spawned (pid ${proc.pid})`);
    return proc;
  }

  const alive = (proc: Proc) => {
    if (!isAlive(proc.pid)) {
      throw new Error(`${proc.name} (pid ${proc.pid}) exited:\n${proc.output.join('\n')}`);
    }
  };

  /** Identities polling: the root partition's view and ENHANCED mode's view of all partitions. */
  async function pollers(taskQueueType: number): Promise<string[]> {
    const taskQueue = { name: TASK_QUEUE };
    const root = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue,
      taskQueueType,
    });
    const all = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue,
      apiMode: 1,
      reportPollers: true,
      taskQueueTypes: [taskQueueType],
    });
    const everywhere = Object.values(all.versionsInfo ?? {}).flatMap((v) =>
      Object.values(v.typesInfo ?? {}).flatMap((t) => t.pollers ?? []),
    );
    return [...(root.pollers ?? []), ...everywhere].map((p) => p.identity ?? '');
  }

  async function untilPolling(worker: Proc): Promise<void> {
    await eventually(
      async () => {
        alive(worker);
        for (const type of Object.values(TASK_QUEUE_TYPES)) {
          if (!(await pollers(type)).some((id) => id.startsWith(`${worker.pid}@`))) return false;
        }
        return true;
      },
      { what: `${worker.name} to poll ${TASK_QUEUE}`, timeoutMs: 90_000, intervalMs: 100 },
    );
    note(`${worker.name} polling`);
  }

  async function untilReady(api: { proc: Proc; url: string }): Promise<void> {
    await eventually(
      async () => {
        alive(api.proc);
        const res = await fetch(`${api.url}/health/ready`);
        return res.status === 200;
      },
      { what: `${api.proc.name} to be ready`, timeoutMs: 90_000, intervalMs: 100 },
    );
    note(`${api.proc.name} ready`);
  }

  beforeAll(async () => {
    // Built once from the current sources; the workers run on a bundle made ahead of time, as
    // the worker image does (scripts/build-workflow-bundle.ts).
    const built = Date.now();
    await promisify(execFile)('npm', ['run', '-s', 'build'], { cwd: ROOT, timeout: 180_000 });
    bundleDir = await mkdtemp(join(tmpdir(), 'silvertrace-bundle-'));
    const bundle = join(bundleDir, 'workflow-bundle.js');
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'dist/scripts/build-workflow-bundle.js'), bundle],
      { cwd: ROOT, timeout: 180_000 },
    );
    note(`build and workflow bundle in ${Date.now() - built} ms`);

    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    client = new Client({
      connection,
      namespace: 'default',
      dataConverter: await testDataConverter(),
    });

    for (let i = 0; i < APIS; i++) {
      const port = await freePort();
      const proc = spawnNode(`api-${i + 1}`, 'dist/apps/api/src/main.js', {
        PORT: String(port),
        HOST: '127.0.0.1',
        QUOTA_PER_YEAR: '10000',
      });
      apis.push({ proc, port, url: `http://127.0.0.1:${port}` });
    }
    balancer = await startBalancer(apis.map((a) => a.url));
    sim = await startSim({
      port: 0,
      apiUrl: balancer.url,
      secret: GATEWAY_SECRET,
      // Past the answer to the INTERPOL submission (asserted SUBMITTED), even on a loaded machine.
      decisionDelayMs: 1000,
      responseDelayMs: 300,
      // Deliveries outlast a request's pause while Temporal moves it off the killed worker.
      delivery: { baseDelayMs: 200, maxDelayMs: 2000, maxAttempts: 200, timeoutMs: 25_000 },
      logger: false,
    });
    for (let i = 0; i < WORKERS; i++) {
      workers.push(
        spawnNode(`worker-${i + 1}`, 'dist/apps/worker/src/main.js', {
          INTERPOL_GATEWAY_URL: sim.url,
          WORKFLOW_BUNDLE_PATH: bundle,
        }),
      );
    }
    await Promise.all([...apis.map(untilReady), ...workers.map(untilPolling)]);
    office = await createOffice(db, apis[0].url, COUNTRY);
  }, 300_000);

  afterAll(async () => {
    // Every process this suite started is gone, whatever happened above.
    await Promise.all(
      procs.map(async (proc) => {
        if (!isAlive(proc.pid)) return;
        process.kill(proc.pid, 'SIGTERM');
        const stopped = await within(proc.exited, 15_000, `${proc.name} to stop`).catch(() => null);
        if (!stopped && isAlive(proc.pid)) {
          process.kill(proc.pid, 'SIGKILL');
          await within(proc.exited, 10_000, `${proc.name} to die`).catch(() => undefined);
        }
      }),
    );
    const orphans = procs.filter((p) => isAlive(p.pid)).map((p) => `${p.name} (${p.pid})`);
    await sim?.close();
    await new Promise<void>((r) => (balancer ? balancer.server.close(() => r()) : r()));
    await connection?.close();
    await db?.destroy();
    if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
    process.stdout.write(`[scale-out]\n  ${events.join('\n  ')}\n`);
    if (orphans.length > 0) throw new Error(`processes still alive: ${orphans.join(', ')}`);
  }, 60_000);

  async function ok(res: HttpResult<Body>, status: number, what: string): Promise<Body> {
    if (res.status !== status) {
      throw new Error(
        `${what}: expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  }

  /** Draft -> review -> approved -> submitted to INTERPOL, all through one API. */
  async function toInterpol(apiUrl: string, n: number): Promise<Journey> {
    const api = (method: string, path: string, token: string, body?: unknown) =>
      http<Body>(apiUrl, method, `/api/v1${path}`, { token, body });
    const tag = `${n}-${randomUUID().slice(0, 6).toUpperCase()}`;
    const created = await ok(
      await http<Body>(apiUrl, 'POST', '/api/v1/trace-requests', {
        token: office.inv,
        body: validRequestBody({ caseReference: `CAS-DK-${tag}`, targetCountries: TARGETS }),
        headers: { 'idempotency-key': `scale-out-${tag}` },
      }),
      201,
      'create',
    );
    const id = created.id as string;
    const reference = created.reference as string;
    const control = await fetch(`${sim.url}/control/requests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(PLAN),
    });
    expect(control.ok).toBe(true);
    await ok(await api('POST', `/trace-requests/${id}/submit`, office.inv), 200, 'submit');
    await ok(
      await api('POST', `/trace-requests/${id}/review`, office.sup, { decision: 'approve' }),
      200,
      'review',
    );
    const submitted = await ok(
      await api('POST', `/trace-requests/${id}/interpol-submission`, office.ncb, {
        attestation: { article3Neutrality: true, dataQualityChecked: true },
      }),
      200,
      'interpol-submission',
    );
    expect(submitted.status).toBe('SUBMITTED');
    return { id, reference, apiUrl };
  }

  /** Published, both countries answer, COMPLETED; then the NCB closes it. */
  async function toClosed(j: Journey): Promise<void> {
    await eventually(
      async () => {
        const res = await http<Body>(j.apiUrl, 'GET', `/api/v1/trace-requests/${j.id}`, {
          token: office.ncb,
        });
        return res.status === 200 && res.body.status === 'COMPLETED';
      },
      { what: `${j.reference} to complete`, timeoutMs: 180_000, intervalMs: 250 },
    );
    const closed = await ok(
      await http<Body>(j.apiUrl, 'POST', `/api/v1/trace-requests/${j.id}/close`, {
        token: office.ncb,
        body: { summary: 'Assets located in France; MLA requests follow. Nothing in Brazil.' },
      }),
      200,
      'close',
    );
    expect(closed.status).toBe('CLOSED');
  }

  it(`completes ${JOURNEYS} journeys exactly once, spread over all workers`, async () => {
    // Through both APIs at once: even journeys on the first, odd on the second.
    const started = Date.now();
    const journeys = await Promise.all(
      Array.from({ length: JOURNEYS }, (_, n) => toInterpol(apis[n % APIS].url, n)),
    );
    note(`${JOURNEYS} requests submitted to INTERPOL in ${Date.now() - started} ms`);

    // With every request at INTERPOL (submissions, decisions and country tracks under way),
    // one worker dies without a chance to clean up.
    const victim = workers[0];
    process.kill(victim.pid, 'SIGKILL');
    const exit = await within(victim.exited, 10_000, `${victim.name} to die`);
    expect(exit.signal).toBe('SIGKILL');
    const killedAt = Date.now();
    note(`${victim.name} killed (SIGKILL)`);

    await Promise.all(journeys.map(toClosed));
    note(`${JOURNEYS} requests CLOSED ${Date.now() - killedAt} ms after the kill`);
    const survivors = workers.slice(1);
    for (const w of survivors) alive(w);
    for (const a of apis) alive(a.proc);

    // --- PostgreSQL: exactly what the journeys should have written, nothing twice. ---
    const ids = journeys.map((j) => j.id);
    const refs = journeys.map((j) => j.reference);
    const rows = async <T>(sql: string, params: unknown[]) => (await db.query(sql, params)) as T[];
    const count = async (sql: string, params: unknown[]) =>
      Number((await rows<{ n: string }>(sql, params))[0].n);

    const requests = await rows<{ id: string; status: string }>(
      `SELECT id, status FROM trace_requests WHERE requesting_country = $1`,
      [COUNTRY],
    );
    expect(requests.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(requests.every((r) => r.status === 'CLOSED')).toBe(true);

    const tracks = await rows<{ request_id: string; country: string; status: string }>(
      `SELECT request_id, country, status FROM jurisdictions WHERE request_id = ANY($1)`,
      [ids],
    );
    expect(tracks).toHaveLength(JOURNEYS * TARGETS.length);
    expect(tracks.every((t) => t.status === 'ANSWERED')).toBe(true);

    const views = new Map<string, SimView>();
    for (const j of journeys) views.set(j.id, await simView(sim.url, j.reference));
    let responsesSent = 0;
    for (const j of journeys) {
      const view = views.get(j.id)!;
      // The simulator: one submission under one key, one decision, every message delivered.
      expect(view.submissions).toHaveLength(1);
      expect(view.submissions[0]).toMatchObject({ idempotencyKey: `submission-${j.id}` });
      expect(view.decisions.map((d) => [d.message.decision, d.status])).toEqual([
        ['published', 'delivered'],
      ]);
      expect(view.responses.every((r) => r.status === 'delivered')).toBe(true);
      const sent = [...new Set(view.responses.map((r) => r.message.externalReference))].sort();
      expect(sent).toHaveLength(view.responses.length);
      responsesSent += sent.length;
      const stored = await rows<{ external_reference: string }>(
        `SELECT external_reference FROM jurisdiction_responses WHERE request_id = $1
          ORDER BY external_reference`,
        [j.id],
      );
      expect(stored.map((r) => r.external_reference)).toEqual(sent);
      const assets = await rows<{
        country: string;
        external_reference: string;
        item_index: number;
      }>(`SELECT country, external_reference, item_index FROM assets WHERE request_id = $1`, [
        j.id,
      ]);
      expect(
        assets.map((a) => `${a.country.trim()}|${a.external_reference}|${a.item_index}`).sort(),
      ).toEqual(simReportedAssets(view));
      expect(assets.length).toBeGreaterThan(0);
      const notifications = await rows<{ key: string; kind: string }>(
        `SELECT key, kind FROM notifications WHERE request_id = $1`,
        [j.id],
      );
      expect(new Set(notifications.map((n) => n.key)).size).toBe(notifications.length);
      expect(notifications.map((n) => n.kind).sort()).toEqual(NOTIFICATION_KINDS);
    }
    // Acknowledged, then the answer, from each of the two countries.
    expect(responsesSent).toBe(JOURNEYS * TARGETS.length * 2);
    expect(
      await count(`SELECT count(*) AS n FROM jurisdiction_responses WHERE request_id = ANY($1)`, [
        ids,
      ]),
    ).toBe(responsesSent);
    const outbound = await rows<{ idempotency_key: string; type: string; delivered: boolean }>(
      `SELECT idempotency_key, type, delivered_at IS NOT NULL AS delivered FROM outbound_messages
        WHERE reference = ANY($1)`,
      [refs],
    );
    expect(outbound.map((o) => o.idempotency_key).sort()).toEqual(
      ids.map((id) => `submission-${id}`).sort(),
    );
    expect(outbound.every((o) => o.type === 'submission' && o.delivered)).toBe(true);
    expect(
      await count(`SELECT count(*) AS n FROM quota_reservations WHERE request_id = ANY($1)`, [ids]),
    ).toBe(JOURNEYS);
    expect(
      await count(`SELECT coalesce(sum(used), 0) AS n FROM quota_counters WHERE country = $1`, [
        COUNTRY,
      ]),
    ).toBe(JOURNEYS);

    // --- Temporal: one run per workflow, each effect scheduled once, and who did the work. ---
    const workerOf = new Map(workers.map((w) => [w.pid, w]));
    const tasks = new Map<Proc, { workflowTasks: number; activities: number; afterKill: number }>(
      workers.map((w) => [w, { workflowTasks: 0, activities: 0, afterKill: 0 }]),
    );
    const credit = (
      identity: string | null | undefined,
      kind: 'workflowTasks' | 'activities',
      at: number,
    ) => {
      const worker = workerOf.get(Number(String(identity).split('@')[0]));
      if (!worker) throw new Error(`work by ${String(identity)}, none of this suite's workers`);
      const t = tasks.get(worker)!;
      t[kind]++;
      if (at > killedAt) t.afterKill++;
    };
    const millis = (ts: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
      Number(ts?.seconds ?? 0) * 1000 + Math.floor((ts?.nanos ?? 0) / 1e6);

    for (const j of journeys) {
      const workflowIds = [
        requestWorkflowId(j.id),
        ...TARGETS.map((cc) => jurisdictionWorkflowId(j.id, cc)),
      ];
      for (const workflowId of workflowIds) {
        const handle = client.workflow.getHandle(workflowId);
        // CLOSED is answered before the workflow itself returns (it stops its tracks first).
        await within(handle.result(), 60_000, `${workflowId} to complete`);
        const description = await handle.describe();
        expect(`${workflowId} ${description.status.name}`).toBe(`${workflowId} COMPLETED`);
        const history = (await handle.fetchHistory()).events ?? [];
        // One run: started once, no continue-as-new.
        expect(history.filter((e) => e.workflowExecutionStartedEventAttributes)).toHaveLength(1);
        expect(history.some((e) => e.workflowExecutionContinuedAsNewEventAttributes)).toBe(false);
        for (const e of history) {
          const at = millis(e.eventTime);
          if (e.workflowTaskCompletedEventAttributes) {
            credit(e.workflowTaskCompletedEventAttributes.identity, 'workflowTasks', at);
          }
          if (e.activityTaskStartedEventAttributes) {
            credit(e.activityTaskStartedEventAttributes.identity, 'activities', at);
          }
        }
        if (workflowId !== requestWorkflowId(j.id)) continue;
        const scheduled = history
          .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
          .filter((name): name is string => Boolean(name));
        expect(scheduled.filter((n) => n === 'sendToInterpol')).toHaveLength(1);
        expect(scheduled.filter((n) => n === 'reserveQuota')).toHaveLength(1);
        const children = history
          .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId)
          .filter(Boolean);
        expect(children.sort()).toEqual(TARGETS.map((cc) => jurisdictionWorkflowId(j.id, cc)));
      }
    }

    const spread = workers.map((w) => `${w.name} ${JSON.stringify(tasks.get(w))}`).join('; ');
    note(`work per worker: ${spread}`);
    note(`gateway deliveries per API (balancer): ${JSON.stringify(balancer.hits)}`);
    // Every worker did workflow tasks and ran activities; the killed one nothing after its death,
    // the two survivors took over the rest.
    for (const w of workers) {
      expect(`${w.name} ${tasks.get(w)!.workflowTasks > 0 && tasks.get(w)!.activities > 0}`).toBe(
        `${w.name} true`,
      );
    }
    expect(tasks.get(victim)!.afterKill).toBe(0);
    for (const w of survivors)
      expect(`${w.name} ${tasks.get(w)!.afterKill > 0}`).toBe(`${w.name} true`);
    // Both APIs took the simulator's signed deliveries through the balancer.
    expect(balancer.hits.every((h) => h > 0)).toBe(true);
  }, 480_000);

  it("the images' health checks pass against the live API and workers, and fail what they should", () => {
    const check = (args: string[], env: Record<string, string>) => {
      const res = spawnSync(process.execPath, [join(ROOT, 'docker/healthcheck.js'), ...args], {
        env: { PATH: process.env.PATH, ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: res.status, out: res.stdout.trim() };
    };
    const temporal = { TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS! };
    for (const api of apis) {
      expect(check(['api'], { PORT: String(api.port) })).toMatchObject({ code: 0 });
    }
    // The surviving workers of this host poll the suite's task queue...
    const polling = check(['worker'], { ...temporal, TEMPORAL_TASK_QUEUE: TASK_QUEUE });
    expect(polling.code).toBe(0);
    expect(polling.out).toContain(`@`);
    // ... nobody polls a task queue of its own ...
    const idle = check(['worker'], { ...temporal, TEMPORAL_TASK_QUEUE: `idle-${randomUUID()}` });
    expect(idle).toMatchObject({ code: 1 });
    expect(idle.out).toContain('no poller of this host');
    // ... and a Temporal that does not answer is not the worker's fault (no restart loop).
    const down = check(['worker'], {
      TEMPORAL_ADDRESS: '127.0.0.1:9',
      HEALTHCHECK_TIMEOUT_MS: '1500',
    });
    expect(down).toMatchObject({ code: 0 });
    expect(down.out).toContain('does not answer');
  }, 120_000);
});
