// Lists and search under load: `npm run bench:search`. Starts its own throwaway PostgreSQL and the
// API in-process (Temporal is never asked: lists and details read PostgreSQL only), seeds 100,000
// realistic requests, then measures latency over real HTTP on loopback at concurrency 32 from a
// worker thread (so the load generator does not share the API's event loop), /health/live
// included as the floor. Prints a table and writes JSON under bench/results/.
import 'reflect-metadata';
import { progressBar } from './lib/progress';
import { mkdir, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/main';
import { dataSourceOptions } from '../libs/persistence/src/data-source';
import { runMigrations } from '../libs/persistence/src/migrate';
import { freePort } from '../scripts/lib/ports';
import { startEmbeddedPostgres } from '../scripts/lib/postgres';
import { identifiersOf, insertRequests, syntheticRequest } from './seed';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** Per scenario: stop after this many requests or this long, whichever comes first. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = 200;
const BATCH = 1000;
const TARGET_P95_MS = 25;

interface Scenario {
  name: string;
  token?: string;
  /** Paths used in turn (several search terms of one kind). */
  paths: string[];
}

interface Measured {
  name: string;
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

// ---- load generator (worker thread) ----

async function runLoad(baseUrl: string, s: Scenario): Promise<Measured> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const headers: Record<string, string> = s.token ? { authorization: `Bearer ${s.token}` } : {};
  const once = (path: string) =>
    new Promise<{ status: number; ms: number }>((done) => {
      const t0 = process.hrtime.bigint();
      const req = request(`${baseUrl}${path}`, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 }),
        );
      });
      req.on('error', () => done({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
      req.end();
    });

  const run = async (total: number, seconds: number, record: boolean) => {
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let issued = 0;
    const until = Date.now() + seconds * 1000;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (issued < total && Date.now() < until) {
          const path = s.paths[issued % s.paths.length];
          issued += 1;
          const r = await once(path);
          if (!record) continue;
          latencies.push(r.ms);
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        }
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    return { latencies, statuses, elapsed };
  };

  await run(WARMUP, 30, false);
  const { latencies, statuses, elapsed } = await run(REQUESTS, SECONDS, true);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)];
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    name: s.name,
    requests: latencies.length,
    errors: latencies.length - (statuses['200'] ?? 0),
    statuses,
    rps: Math.round(latencies.length / elapsed),
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(latencies[latencies.length - 1]),
  };
}

if (!isMainThread) {
  const { baseUrl, scenario } = workerData as { baseUrl: string; scenario: Scenario };
  runLoad(baseUrl, scenario).then(
    (m) => parentPort!.postMessage(m),
    (err: unknown) => {
      throw err;
    },
  );
}

function measure(baseUrl: string, scenario: Scenario): Promise<Measured> {
  return new Promise((done, fail) => {
    const worker = new Worker(__filename, { workerData: { baseUrl, scenario } });
    worker.once('message', (m: Measured) => done(m));
    worker.once('error', fail);
  });
}

// ---- setup, seed, report (main thread) ----

async function main(): Promise<void> {
  const t0 = Date.now();
  const log = (line: string) =>
    process.stdout.write(`[bench ${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
  const tmp = await mkdtemp(join(tmpdir(), 'silvertrace-bench-'));
  await chmod(tmp, 0o711);
  const pg = await startEmbeddedPostgres({
    dataDir: join(tmp, 'postgres'),
    port: await freePort(),
    database: 'silvertrace_bench',
    persistent: false,
  });
  let app: { close(): Promise<void> } | undefined;
  let db: DataSource | undefined;
  try {
    await runMigrations(pg.url);
    log('PostgreSQL started and migrated');
    Object.assign(process.env, {
      DATABASE_URL: pg.url,
      // Nothing listens there: no read route asks Temporal.
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_AUTH_PER_MINUTE: '1000',
    });
    const api = await createApiApp();
    await api.listen(0, '127.0.0.1');
    app = api;
    const baseUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
    log(`API on ${baseUrl}`);

    db = await new DataSource(dataSourceOptions(pg.url, 4)).initialize();
    const users = new Map(
      (
        (await db.query(`SELECT id, username FROM users`)) as { id: string; username: string }[]
      ).map((u) => [u.username, u.id]),
    );
    const drafters = [users.get('investigator.za')!, users.get('investigator2.za')!];

    // 100,000 requests over two years: 80 % ZA (the demo users' country), the rest elsewhere.
    const bar = progressBar(
      'seeding [{bar}] {percentage}% | {value}/{total} requests | {duration}s',
      ROWS,
    );
    const start = Date.parse('2024-12-01T00:00:00Z');
    const span = 2 * 365 * 86_400_000;
    const others = ['FR', 'BR', 'DE', 'GB'];
    const row = (i: number) =>
      syntheticRequest(i, {
        country: i % 5 === 4 ? others[i % others.length] : 'ZA',
        drafterId: drafters[i % 2],
        createdAt: new Date(start + Math.floor((i / ROWS) * span) + (i % 1000)),
      });
    for (let from = 0; from < ROWS; from += BATCH) {
      const rows = [];
      for (let i = from; i < Math.min(ROWS, from + BATCH); i += 1) rows.push(row(i));
      await insertRequests(db, rows);
      bar.update(Math.min(ROWS, from + BATCH));
    }
    bar.stop();
    await db.query(`VACUUM ANALYZE trace_requests`);
    const [{ size }] = (await db.query(
      `SELECT pg_size_pretty(pg_total_relation_size('trace_requests')) AS size`,
    )) as { size: string }[];
    log(`seeded ${ROWS} requests (${size} with indexes)`);

    const token = async (username: string) => {
      const res = await fetch(`${baseUrl}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username,
          password: process.env.SILVERTRACE_DEMO_PASSWORD ?? 'demo-password',
        }),
      });
      if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status}`);
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const [inv, sup, liaison] = await Promise.all([
      token('investigator.za'),
      token('supervisor.za'),
      token('liaison.fr'),
    ]);

    // Search terms of each kind, taken from ZA rows (i % 5 !== 4), rotated through.
    const za = Array.from({ length: 50 }, (_, k) => 1 + k * Math.floor(ROWS / 60)).filter(
      (i) => i % 5 !== 4,
    );
    const q = (terms: string[]) =>
      terms.map((t) => `/api/v1/trace-requests?q=${encodeURIComponent(t)}`);
    const scenarios: Scenario[] = [
      { name: 'GET /health/live', paths: ['/health/live'] },
      { name: 'list (newest 20)', token: inv, paths: ['/api/v1/trace-requests'] },
      {
        name: 'list status+country',
        token: inv,
        paths: ['/api/v1/trace-requests?status=PUBLISHED,COMPLETED&country=FR'],
      },
      {
        name: 'list date range+kind',
        token: inv,
        paths: [
          '/api/v1/trace-requests?createdFrom=2025-03-01&createdTo=2025-03-31&kind=diffusion',
        ],
      },
      { name: 'list as liaison.fr', token: liaison, paths: ['/api/v1/trace-requests'] },
      { name: 'q IBAN (exact)', token: inv, paths: q(za.map((i) => identifiersOf(i).iban)) },
      {
        name: 'q IBAN (partial, spaced)',
        token: inv,
        paths: q(
          za.map((i) =>
            identifiersOf(i)
              .iban.slice(4, 16)
              .replace(/(.{4})/g, '$1 ')
              .trim(),
          ),
        ),
      },
      { name: 'q VIN', token: inv, paths: q(za.map((i) => identifiersOf(i).vin)) },
      { name: 'q wallet', token: inv, paths: q(za.map((i) => identifiersOf(i).walletAddress)) },
      { name: 'q reference', token: inv, paths: q(za.map((i) => row(i).reference)) },
      { name: 'q name (common)', token: inv, paths: q(['Khumalo', 'Naidoo', 'van der Merwe']) },
      {
        name: 'q alias',
        token: inv,
        paths: q(
          za
            .map((i) => i - (i % 3))
            .map((i) => (row(i).content.subject as { aliases: string[] }).aliases[0]),
        ),
      },
      { name: 'GET /work-queue (sup.)', token: sup, paths: ['/api/v1/work-queue'] },
    ];

    // Each scenario answers what it should before it is timed.
    for (const s of scenarios) {
      const res = await fetch(`${baseUrl}${s.paths[0]}`, {
        headers: s.token ? { authorization: `Bearer ${s.token}` } : {},
      });
      const body = (await res.json()) as { items?: unknown[] };
      if (res.status !== 200) throw new Error(`${s.name}: ${res.status} ${JSON.stringify(body)}`);
      if (s.name.startsWith('q ') && Array.isArray(body.items) && body.items.length === 0) {
        throw new Error(`${s.name}: found nothing for ${s.paths[0]}`);
      }
    }

    const results: Measured[] = [];
    for (const s of scenarios) {
      const m = await measure(baseUrl, s);
      results.push(m);
      log(`${s.name}: p95 ${m.p95} ms over ${m.requests} requests`);
    }

    const health = results[0];
    // The machine may be shared: the load while measuring goes next to the figures.
    const load = loadavg().map((l) => l.toFixed(2));
    const pad = (v: string | number, n: number) => String(v).padStart(n);
    const lines = [
      `${'scenario'.padEnd(26)}${pad('n', 6)}${pad('err', 5)}${pad('req/s', 7)}${pad('p50 ms', 9)}` +
        `${pad('p95 ms', 9)}${pad('p99 ms', 9)}${pad('p95/live', 10)}${pad('<=25ms', 8)}`,
      ...results.map(
        (m) =>
          `${m.name.padEnd(26)}${pad(m.requests, 6)}${pad(m.errors, 5)}${pad(m.rps, 7)}` +
          `${pad(m.p50.toFixed(2), 9)}${pad(m.p95.toFixed(2), 9)}${pad(m.p99.toFixed(2), 9)}` +
          `${pad(`${(m.p95 / health.p95).toFixed(1)}x`, 10)}${pad(m.p95 <= TARGET_P95_MS ? 'yes' : 'NO', 8)}`,
      ),
    ];
    lines.push(
      `load average (1/5/15 min) at the end: ${load.join(' / ')} on ${cpus().length} CPUs`,
    );
    process.stdout.write(`\n${lines.join('\n')}\n\n`);

    // npm runs scripts from the package root.
    const out = resolve(process.cwd(), 'bench', 'results');
    await mkdir(out, { recursive: true });
    const file = join(out, `search-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(
      file,
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          rows: ROWS,
          concurrency: CONCURRENCY,
          requestsPerScenario: REQUESTS,
          secondsPerScenario: SECONDS,
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model,
          loadAverage: load,
          node: process.version,
          tableSize: size,
          targetP95Ms: TARGET_P95_MS,
          results: results.map((m) => ({ ...m, p95OverLive: m.p95 / health.p95 })),
          table: lines,
        },
        null,
        2,
      )}\n`,
    );
    log(`wrote ${file}`);
  } finally {
    await db?.destroy();
    await app?.close();
    await pg.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    },
  );
}
