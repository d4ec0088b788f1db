// The local stack as separate processes, as `npm start` runs it (scripts/stack.ts), for the
// benchmark and the fault-tolerance run: a fresh embedded PostgreSQL, a Temporal dev server with
// a SQLite file (workflows survive its restart), then the worker, the API and the simulator from
// dist/. Each part can be killed, stopped and started again on the same ports and data.
import { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { startSim, type DeliveryOptions, type SimHandle } from '../../apps/interpol-sim/src';
import { buildWorkflowBundle } from '../../scripts/build-workflow-bundle';
import { ensureDevMasterKeyFile } from '../../libs/crypto/src/master-keys';
import { runMigrations } from '../../libs/persistence/src/migrate';
import { freePort } from '../../scripts/lib/ports';
import { RunningPostgres, startEmbeddedPostgres } from '../../scripts/lib/postgres';
import {
  ExitInfo,
  exitOf,
  lastLines,
  spawnSupervised,
  terminate,
} from '../../scripts/lib/processes';
import { RunningTemporal, startTemporalDevServer } from '../../scripts/lib/temporal-dev';
import { repoRoot, resolveTemporalCli } from '../../scripts/lib/tools';

export type AppName = 'worker' | 'api' | 'sim';

const ROOT = repoRoot(__dirname);
const SCRIPTS: Record<AppName, string> = {
  worker: join(ROOT, 'dist/apps/worker/src/main.js'),
  api: join(ROOT, 'dist/apps/api/src/main.js'),
  sim: join(ROOT, 'dist/apps/interpol-sim/src/main.js'),
};
/** The benchmark's comparison apps without the payload codec (bench/lib/no-codec.ts). */
const NO_CODEC = join(ROOT, 'dist/bench/lib/no-codec.js');

export interface AppProcess {
  name: AppName;
  pid: number;
  child: ChildProcess;
  exited: Promise<ExitInfo>;
  /** Its last output lines, for error messages. */
  output: string[];
}

export interface StackOptions {
  /** Extra environment of the three apps (worker tuning, simulator delays...). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Temporal keeps its state in a SQLite file (survives a restart) instead of in memory. */
  temporalFile?: boolean;
  /**
   * Runs the simulator in this process with these delivery retries instead of as a process: the
   * fault run needs its deliveries to outlast an outage (its env has no retry settings).
   */
  simDelivery?: Partial<DeliveryOptions>;
  /**
   * false: the API and the worker run without the payload codec (the benchmark's comparison of
   * what encryption costs; nothing else can switch it off). Default: encrypted, as deployed.
   */
  codec?: boolean;
}

export class Stack {
  readonly apps = new Map<AppName, AppProcess>();
  pg!: RunningPostgres;
  temporal!: RunningTemporal;
  apiUrl = '';
  simUrl = '';
  private dir = '';
  private pgPort = 0;
  private temporalPort = 0;
  private apiPort = 0;
  private simPort = 0;
  private cli = '';
  private env: NodeJS.ProcessEnv = {};
  private sim?: SimHandle;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: StackOptions = {}) {
    this.log = opts.log ?? (() => {});
  }

  get databaseUrl(): string {
    return this.pg.url;
  }

  get temporalAddress(): string {
    return this.temporal.address;
  }

  async start(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'silvertrace-bench-'));
    await chmod(this.dir, 0o711); // PostgreSQL runs as its own user when we are root
    [this.pgPort, this.temporalPort, this.apiPort, this.simPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    this.cli = await resolveTemporalCli(this.log);
    // The workflow bundle is built once, as production images ship it: a restarted worker polls
    // again in a second or two instead of bundling anew.
    const bundle = join(this.dir, 'workflow-bundle.js');
    // A master key of this run's own (payloads are encrypted, as in any deployment).
    const masterKeys = join(this.dir, 'master-keys');
    await Promise.all([
      this.startPostgres(),
      this.startTemporal(),
      buildWorkflowBundle(bundle),
      ensureDevMasterKeyFile(masterKeys),
    ]);
    await runMigrations(this.pg.url);
    this.apiUrl = `http://127.0.0.1:${this.apiPort}`;
    this.simUrl = `http://127.0.0.1:${this.simPort}`;
    this.env = {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: this.pg.url,
      TEMPORAL_ADDRESS: this.temporal.address,
      TEMPORAL_TASK_QUEUE: 'silver-notice',
      INTERPOL_GATEWAY_URL: this.simUrl,
      SILVERTRACE_API_URL: this.apiUrl,
      SIM_PORT: String(this.simPort),
      WORKFLOW_BUNDLE_PATH: bundle,
      SILVERTRACE_MASTER_KEY_FILE: masterKeys,
      // The benchmark is one user hammering the API: the per-user limit would measure itself.
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_AUTH_PER_MINUTE: '100000',
      QUOTA_PER_YEAR: '10000',
      SIM_DECISION_DELAY_MS: '50',
      SIM_RESPONSE_DELAY_MS: '50',
      ...this.opts.env,
    };
    delete this.env.PORT;
    if (this.opts.simDelivery) {
      this.sim = await startSim({
        port: this.simPort,
        apiUrl: this.apiUrl,
        secret: this.env.GATEWAY_SECRET || 'dev-gateway-secret',
        decisionDelayMs: Number(this.env.SIM_DECISION_DELAY_MS),
        responseDelayMs: Number(this.env.SIM_RESPONSE_DELAY_MS),
        delivery: this.opts.simDelivery,
        logger: false,
      });
      await Promise.all([this.startApp('worker'), this.startApp('api')]);
    } else {
      await Promise.all([this.startApp('worker'), this.startApp('api'), this.startApp('sim')]);
    }
  }

  async startPostgres(): Promise<void> {
    this.pg = await startEmbeddedPostgres({
      dataDir: join(this.dir, 'postgres'),
      port: this.pgPort,
      database: 'silvertrace',
      persistent: true,
      detached: true,
      // FATAL "the database system is starting up / shutting down" is routine on a restart.
      log: (l) => /PANIC/.test(l) && this.log(`[postgres] ${l}`),
    });
  }

  async startTemporal(): Promise<void> {
    this.temporal = await startTemporalDevServer({
      cli: this.cli,
      port: this.temporalPort,
      dbFile: this.opts.temporalFile ? join(this.dir, 'temporal.sqlite') : undefined,
      detached: true,
      // Its warnings (slow calls, tasks retried while a worker is down) are the load's echo.
      log: (l) => /level=(ERROR|FATAL|PANIC)/.test(l) && this.log(`[temporal] ${l}`),
    });
  }

  /** Spawns `node dist/.../main.js` and waits until it serves (worker: until it polls). */
  async startApp(name: AppName): Promise<AppProcess> {
    const env = { ...this.env };
    if (name === 'api') env.PORT = String(this.apiPort);
    const script = this.opts.codec === false && name !== 'sim' ? [NO_CODEC, name] : [SCRIPTS[name]];
    const child = spawnSupervised(process.execPath, script, 'SIGKILL', {
      cwd: ROOT,
      env,
      detached: true,
    });
    if (!child.pid) throw new Error(`${name} did not start`);
    const output = lastLines(child, 100);
    const exited = exitOf(child);
    const app: AppProcess = { name, pid: child.pid, child, exited, output };
    this.apps.set(name, app);
    await this.untilServing(app);
    return app;
  }

  private async untilServing(app: AppProcess): Promise<void> {
    const deadline = Date.now() + 120_000;
    let gone = false;
    void app.exited.then(() => (gone = true));
    for (;;) {
      if (gone) throw new Error(`${app.name} exited:\n${app.output.join('\n')}`);
      if (await this.serving(app)) return;
      if (Date.now() > deadline) {
        throw new Error(`${app.name} not ready in 120 s:\n${app.output.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async serving(app: AppProcess): Promise<boolean> {
    try {
      if (app.name === 'api') {
        const res = await fetch(`${this.apiUrl}/health/ready`, {
          signal: AbortSignal.timeout(2_000),
        });
        return res.status === 200;
      }
      if (app.name === 'sim') {
        const res = await fetch(`${this.simUrl}/control/requests/none`, {
          signal: AbortSignal.timeout(2_000),
        });
        return res.status < 500;
      }
      // Polling both task queues under its identity (pid@host).
      const connection = await Connection.connect({ address: this.temporal.address });
      try {
        for (const taskQueueType of [1, 2]) {
          const res = await connection.workflowService.describeTaskQueue({
            namespace: 'default',
            taskQueue: { name: 'silver-notice' },
            taskQueueType,
          });
          if (!(res.pollers ?? []).some((p) => p.identity?.startsWith(`${app.pid}@`))) {
            return false;
          }
        }
        return true;
      } finally {
        await connection.close();
      }
    } catch {
      return false;
    }
  }

  /** SIGKILL, as a crash or an OOM kill would. */
  async kill(name: AppName): Promise<void> {
    const app = this.apps.get(name);
    if (!app) return;
    process.kill(app.pid, 'SIGKILL');
    await app.exited;
  }

  async stopApp(name: AppName): Promise<void> {
    const app = this.apps.get(name);
    if (!app) return;
    await terminate(app.child, app.exited, [
      ['SIGTERM', 15_000],
      ['SIGKILL', 5_000],
    ]);
  }

  /** PIDs whose CPU the benchmark samples; PostgreSQL counts with its backends. */
  pids(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, app] of this.apps) out[name] = app.pid;
    out.temporal = this.temporal.pid;
    out.postgres = this.pg.pid;
    return out;
  }

  async stop(): Promise<void> {
    for (const name of ['api', 'sim', 'worker'] as const) {
      await this.stopApp(name).catch(() => undefined);
    }
    await this.sim?.close().catch(() => undefined);
    await this.temporal?.stop().catch(() => undefined);
    await this.pg?.stop().catch(() => undefined);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
