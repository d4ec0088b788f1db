// `npm run bench`: the whole engine under load, against a bare-Temporal baseline measured in the
// same run. Starts its own stack as separate processes (bench/lib/stack.ts): embedded PostgreSQL
// on a fresh data directory, the Temporal dev server, the worker, the API and the simulator.
// Phases (--only picks some):
//   throughput  N journeys over HTTP, C in flight: journeys/s and p50/p95/p99 of each API call
//   codec       N journeys on this stack and N on a second one whose API and worker run without
//               the payload codec (bench/lib/no-codec.ts), in alternating rounds: what
//               encryption costs, as a ratio
//   baseline    the same number of bare journeys (same starts, updates, children, activities,
//               read from a real journey's histories) on the same Temporal server; our ratio
//   growth      journeys/s, p99 and CPU of each process at 1, 4, 16 and 64 in flight
//   memory      worker RSS with M open requests each awaiting five countries
// Prints tables; writes bench/results/journeys.json and bench/results/journeys.svg.
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import type { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import type { ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../libs/persistence/src/data-source';
import { spawnSupervised } from '../scripts/lib/processes';
import { repoRoot } from '../scripts/lib/tools';
import { bareJourney, profileJourney, type JourneyProfile } from './baseline/drive';
import { renderChart } from './lib/chart';
import {
  demoUsers,
  journey,
  JOURNEY_COUNTRIES,
  openRequest,
  pool,
  type Driver,
} from './lib/journey';
import { CpuSampler, Latencies, percentiles, rssMb, type Percentiles } from './lib/metrics';
import { progressBar, progressBars } from './lib/progress';
import { Stack } from './lib/stack';
import { positiveInt } from './lib/options';
import { table } from './lib/table';

const ROOT = repoRoot(__dirname);
const PHASES = ['throughput', 'codec', 'baseline', 'growth', 'memory'] as const;
type Phase = (typeof PHASES)[number];

const ints = (v: string) => v.split(',').map(positiveInt);

const program = new Command()
  .name('npm run bench --')
  .description('Journey throughput, bare-Temporal baseline, growth and worker memory')
  .option('--only <phases>', `comma-separated: ${PHASES.join(',')}`, (v) => {
    const list = v.split(',');
    for (const p of list) {
      if (!PHASES.includes(p as Phase)) throw new InvalidArgumentError(`unknown phase ${p}`);
    }
    return list as Phase[];
  })
  .option('--requests <n>', 'journeys in the throughput phase (and the baseline)', positiveInt, 200)
  .option('--concurrency <n>', 'journeys in flight in the throughput phase', positiveInt, 16)
  .option('--levels <list>', 'in-flight levels of the growth phase', ints, [1, 4, 16, 64])
  .option(
    '--level-journeys <list>',
    'journeys per growth level (one number for all, or one per level)',
    ints,
    [8, 24, 64, 128],
  )
  .option('--open <n>', 'open requests in the memory phase', positiveInt, 1000)
  .option('--open-countries <n>', 'target countries of each open request (max 7)', positiveInt, 5)
  .option('--out <dir>', 'where to write the JSON and the chart', join(ROOT, 'bench/results'));

interface Options {
  only?: Phase[];
  requests: number;
  concurrency: number;
  levels: number[];
  levelJourneys: number[];
  open: number;
  openCountries: number;
  out: string;
}

interface LoadResult {
  journeys: number;
  inFlight: number;
  seconds: number;
  journeysPerSecond: number;
  journeyMs: Percentiles;
  calls: Record<string, Percentiles>;
  allCalls: Percentiles;
  cpuPercent: Record<string, number>;
}

const t0 = Date.now();
const say = (line: string) =>
  process.stdout.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0)}s] ${line}\n`);
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** A load phase's figures from what it measured. */
function loadResult(m: {
  total: number;
  inFlight: number;
  seconds: number;
  journeyMs: number[];
  latencies: Latencies;
  cpuPercent: Record<string, number>;
}): LoadResult {
  return {
    journeys: m.total,
    inFlight: m.inFlight,
    seconds: round(m.seconds, 1),
    journeysPerSecond: round(m.total / m.seconds),
    journeyMs: percentiles(m.journeyMs),
    calls: m.latencies.summary(),
    allCalls: percentiles(m.latencies.all()),
    cpuPercent: m.cpuPercent,
  };
}

function bar(what: string, total: number): SingleBar {
  return progressBar(`  ${what.padEnd(24)} [{bar}] {value}/{total} {rate}/s {duration}s`, total, {
    rate: '0.0',
  });
}

async function runJourneys(
  stack: Stack,
  driver: Omit<Driver, 'latencies'>,
  total: number,
  inFlight: number,
  what: string,
): Promise<LoadResult & { ids: string[] }> {
  const latencies = new Latencies();
  const journeyMs: number[] = [];
  const cpu = new CpuSampler(() => stack.pids());
  const progress = bar(what, total);
  const started = performance.now();
  let done = 0;
  cpu.start();
  const results = await pool(
    total,
    inFlight,
    async () => {
      const j0 = performance.now();
      const r = await journey({ ...driver, latencies });
      journeyMs.push(performance.now() - j0);
      return r.id;
    },
    () => {
      done++;
      progress.update(done, { rate: (done / ((performance.now() - started) / 1000)).toFixed(1) });
    },
  );
  const cpuPercent = cpu.stop();
  const seconds = (performance.now() - started) / 1000;
  progress.stop();
  return {
    ...loadResult({ total, inFlight, seconds, journeyMs, latencies, cpuPercent }),
    ids: results,
  };
}

function startBaselineWorker(stack: Stack): Promise<ChildProcess> {
  const script = join(ROOT, 'dist/bench/baseline/worker.js');
  const child = spawnSupervised(process.execPath, [script], 'SIGKILL', {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: stack.temporalAddress, LOG_LEVEL: 'warn' },
  });
  const output: string[] = [];
  return new Promise((done, fail) => {
    for (const s of [child.stdout, child.stderr]) {
      createInterface({ input: s }).on('line', (l) => {
        output.push(l);
        if (l.includes('baseline worker polling')) done(child);
      });
    }
    child.once('exit', (code) =>
      fail(new Error(`baseline worker exited ${code}:\n${output.join('\n')}`)),
    );
  });
}

async function runBaseline(
  stack: Stack,
  profile: JourneyProfile,
  total: number,
  inFlight: number,
): Promise<LoadResult> {
  const worker = await startBaselineWorker(stack);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const latencies = new Latencies();
  const journeyMs: number[] = [];
  const cpu = new CpuSampler(() => ({ ...stack.pids(), 'baseline worker': worker.pid! }));
  try {
    // Warm-up: the bundle's first load and V8 compilation are not what we measure.
    await pool(Math.min(inFlight, 8), inFlight, () => bareJourney(client, profile));
    const progress = bar('baseline (bare Temporal)', total);
    const started = performance.now();
    let done = 0;
    cpu.start();
    await pool(
      total,
      inFlight,
      async () => {
        const j0 = performance.now();
        await bareJourney(client, profile, (l, ms) => latencies.add(l, ms));
        journeyMs.push(performance.now() - j0);
      },
      () => {
        done++;
        progress.update(done, {
          rate: (done / ((performance.now() - started) / 1000)).toFixed(1),
        });
      },
    );
    const cpuPercent = cpu.stop();
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    return loadResult({ total, inFlight, seconds, journeyMs, latencies, cpuPercent });
  } finally {
    await connection.close();
    worker.kill('SIGTERM');
  }
}

async function runMemory(
  stack: Stack,
  driver: Omit<Driver, 'latencies'>,
  open: number,
  countries: string[],
): Promise<Record<string, unknown>> {
  const db = await new DataSource(dataSourceOptions(stack.databaseUrl, 2)).initialize();
  const worker = stack.apps.get('worker')!;
  const before = rssMb(worker.pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(worker.pid))), 500);
  const behaviour = Object.fromEntries(countries.map((c) => [c, 'silent']));
  const started = performance.now();
  try {
    const progress = progressBars('  {what} [{bar}] {value}/{total} {duration}s');
    const opened = progress.create(open, 0, { what: 'opened (to INTERPOL)'.padEnd(24) });
    const tracks = progress.create(open * countries.length, 0, {
      what: 'country tracks awaiting'.padEnd(24),
    });
    const ids: string[] = [];
    const countTracks = async () =>
      (
        (await db.query(
          `SELECT count(*)::int AS n FROM jurisdictions j JOIN trace_requests r ON r.id = j.request_id
            WHERE r.case_reference LIKE 'CAS-BENCH-OPEN-%' AND r.status = 'PUBLISHED'`,
        )) as { n: number }[]
      )[0].n;
    let opening = true;
    const watcher = (async () => {
      while (opening) {
        tracks.update(await countTracks());
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    try {
      await pool(
        open,
        16,
        (i) => openRequest(driver, behaviour, `OPEN-${i}-${Date.now().toString(36)}`.toUpperCase()),
        (r) => {
          ids.push(r.id);
          opened.increment();
        },
      );
    } finally {
      opening = false;
      await watcher;
    }
    const deadline = Date.now() + 600_000;
    for (;;) {
      const n = await countTracks();
      tracks.update(n);
      if (n >= open * countries.length) break;
      if (Date.now() > deadline) throw new Error(`only ${n} country tracks awaiting after 10 min`);
      await new Promise((r) => setTimeout(r, 500));
    }
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    const rss = rssMb(worker.pid);
    const [{ n: openParents }] = (await db.query(
      `SELECT count(*)::int AS n FROM trace_requests WHERE status = 'PUBLISHED'`,
    )) as { n: number }[];
    return {
      openRequests: openParents,
      awaitingTracks: open * countries.length,
      secondsToReach: round(seconds, 1),
      workerRssMbBefore: before,
      workerRssMb: rss,
      workerRssMbPeak: Math.max(peak, rss),
      targetMb: 600,
      maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 500),
    };
  } finally {
    clearInterval(sampler);
    await db.destroy();
  }
}

function callsTable(r: LoadResult): string {
  return table(
    ['call', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    Object.entries(r.calls).map(([k, p]) => [k, p.count, p.p50, p.p95, p.p99, p.max]),
  );
}

function saturating(cpu: Record<string, number>): string {
  const [name, pct] = Object.entries(cpu).sort(([, a], [, b]) => b - a)[0] ?? ['-', 0];
  return `${name} ${pct}%`;
}

async function main(): Promise<void> {
  const opts = program.parse().opts<Options>();
  const phases = new Set<Phase>(opts.only ?? PHASES);
  const levelJourneys = (i: number) =>
    opts.levelJourneys.length === 1 ? opts.levelJourneys[0] : (opts.levelJourneys[i] ?? 64);
  const openCountries = ['BR', 'DE', 'ES', 'GB', 'IT', 'NL', 'FR'].slice(0, opts.openCountries);
  const machine = {
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    cpu: cpus()[0]?.model,
    node: process.version,
    date: new Date().toISOString(),
  };
  say(`machine: ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.cpu}`);
  const stack = new Stack({ log: (l) => say(l), env: { JWT_TTL_SECONDS: '86400' } });
  const results: Record<string, unknown> = { machine, options: opts };
  let plainStack: Stack | undefined;
  const cleanup = async () => {
    await plainStack?.stop();
    await stack.stop();
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    say('starting PostgreSQL, Temporal, worker, API and simulator (separate processes)...');
    await stack.start();
    say(
      `stack up: API ${stack.apiUrl}, simulator ${stack.simUrl}, Temporal ${stack.temporalAddress}`,
    );
    const unavailable: Record<string, number> = {};
    results.unavailable = unavailable;
    const driver = {
      apiUrl: stack.apiUrl,
      simUrl: stack.simUrl,
      users: await demoUsers(stack.apiUrl),
      unavailable,
      // At 64 in flight on a small, busy machine a journey can take minutes: a slow system is
      // measured, not failed.
      waitMs: 900_000,
    };

    // Warm-up: the worker bundles and compiles its workflows on the first tasks.
    say('warm-up: 4 journeys');
    const warm = await pool(4, 4, () => journey(driver));
    let profile: JourneyProfile | undefined;
    const profileOf = async () =>
      (profile ??= await profileJourney(
        stack.temporalAddress,
        warm[0].id,
        Object.keys(JOURNEY_COUNTRIES),
      ));

    let throughput: LoadResult | undefined;
    if (phases.has('throughput')) {
      say(`throughput: ${opts.requests} journeys, ${opts.concurrency} in flight`);
      const { ids: _ids, ...r } = await runJourneys(
        stack,
        driver,
        opts.requests,
        opts.concurrency,
        'journeys',
      );
      throughput = r;
      results.throughput = r;
      console.log(`\n${callsTable(r)}\n`);
      say(
        `throughput: ${r.journeysPerSecond} journeys/s; journey p50 ${r.journeyMs.p50} ms, ` +
          `p99 ${r.journeyMs.p99} ms; CPU ${JSON.stringify(r.cpuPercent)}`,
      );
    }

    if (phases.has('codec')) {
      // Both stacks up, the journeys in alternating rounds (ABBA...), so a machine whose load
      // drifts during the run (other processes) weighs on both sides alike.
      say('codec: a second stack whose API and worker run without the payload codec');
      plainStack = new Stack({
        log: (l) => say(l),
        env: { JWT_TTL_SECONDS: '86400' },
        codec: false,
      });
      await plainStack.start();
      const plainDriver = {
        ...driver,
        apiUrl: plainStack.apiUrl,
        simUrl: plainStack.simUrl,
        users: await demoUsers(plainStack.apiUrl),
      };
      await pool(4, 4, () => journey(plainDriver));
      const rounds = 2 * Math.max(1, Math.min(3, Math.floor(opts.requests / 20)));
      const perRound = Math.ceil(opts.requests / rounds);
      const sides = {
        encrypted: { stack, driver, journeys: 0, seconds: 0 },
        withoutCodec: { stack: plainStack, driver: plainDriver, journeys: 0, seconds: 0 },
      };
      for (let i = 0; i < rounds; i++) {
        const order: ('encrypted' | 'withoutCodec')[] =
          i % 2 === 0 ? ['encrypted', 'withoutCodec'] : ['withoutCodec', 'encrypted'];
        for (const side of order) {
          const s = sides[side];
          const r = await runJourneys(
            s.stack,
            s.driver,
            perRound,
            opts.concurrency,
            `${side === 'encrypted' ? 'encrypted' : 'no codec'} ${i + 1}/${rounds}`,
          );
          s.journeys += r.journeys;
          s.seconds += r.seconds;
        }
      }
      await plainStack.stop();
      plainStack = undefined;
      const rate = (s: { journeys: number; seconds: number }) => round(s.journeys / s.seconds);
      const encrypted = rate(sides.encrypted);
      const plain = rate(sides.withoutCodec);
      const ratio = round(encrypted / plain);
      const slower = round((1 - ratio) * 100, 1);
      results.codec = {
        rounds,
        journeysPerSide: sides.encrypted.journeys,
        encrypted,
        withoutCodec: plain,
        ratio,
        slowerPercent: slower,
        target: 'at most 10% slower',
      };
      say(
        `codec: ${encrypted} journeys/s encrypted, ${plain} without the codec ` +
          `(${sides.encrypted.journeys} journeys each, ${rounds} alternating rounds): ` +
          `ratio ${ratio}, ${slower}% slower (target <= 10%: ${slower <= 10 ? 'met' : 'NOT met'})`,
      );
    }

    if (phases.has('baseline')) {
      const p = await profileOf();
      say(`one journey as Temporal sees it: ${JSON.stringify(p)}`);
      const b = await runBaseline(stack, p, opts.requests, opts.concurrency);
      results.profile = p;
      results.baseline = b;
      console.log(`\n${callsTable(b)}\n`);
      say(`baseline: ${b.journeysPerSecond} bare journeys/s; CPU ${JSON.stringify(b.cpuPercent)}`);
      if (throughput) {
        const ratio = round(throughput.journeysPerSecond / b.journeysPerSecond);
        results.ratio = {
          ours: throughput.journeysPerSecond,
          baseline: b.journeysPerSecond,
          ratio,
          target: 0.5,
        };
        say(
          `ratio: ${throughput.journeysPerSecond} / ${b.journeysPerSecond} = ${ratio} ` +
            `(target >= 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'})`,
        );
      }
    }

    if (phases.has('growth')) {
      const levels: LoadResult[] = [];
      for (const [i, level] of opts.levels.entries()) {
        const n = levelJourneys(i);
        say(`growth: ${n} journeys at ${level} in flight`);
        const { ids: _ids, ...r } = await runJourneys(
          stack,
          driver,
          n,
          level,
          `${level} in flight`,
        );
        levels.push(r);
      }
      results.growth = levels;
      console.log(
        `\n${table(
          [
            'in flight',
            'journeys',
            'journeys/s',
            'journey p50 ms',
            'call p99 ms',
            'api %',
            'worker %',
            'temporal %',
            'postgres %',
            'sim %',
            'busiest',
          ],
          levels.map((r) => [
            r.inFlight,
            r.journeys,
            r.journeysPerSecond,
            r.journeyMs.p50,
            r.allCalls.p99,
            r.cpuPercent.api,
            r.cpuPercent.worker,
            r.cpuPercent.temporal,
            r.cpuPercent.postgres,
            r.cpuPercent.sim,
            saturating(r.cpuPercent),
          ]),
        )}\n  (CPU in % of one core; this machine has ${machine.cores})\n`,
      );
    }

    if (phases.has('memory')) {
      say(`memory: ${opts.open} open requests awaiting ${openCountries.join(', ')}`);
      const m = await runMemory(stack, driver, opts.open, openCountries);
      results.memory = m;
      say(
        `memory: worker RSS ${String(m.workerRssMb)} MB (peak ${String(m.workerRssMbPeak)} MB, ` +
          `target <= 600) with ${String(m.openRequests)} open requests and ` +
          `${String(m.awaitingTracks)} country tracks, reached in ${String(m.secondsToReach)} s`,
      );
    }

    if (Object.keys(unavailable).length > 0) {
      say(
        `answers 503 (workflow engine slow; read and retried as the problem says): ` +
          JSON.stringify(unavailable),
      );
    }
    await mkdir(opts.out, { recursive: true });
    const json = join(opts.out, 'journeys.json');
    await writeFile(json, `${JSON.stringify(results, null, 2)}\n`);
    say(`wrote ${json}`);
    if (results.growth) {
      const svg = join(opts.out, 'journeys.svg');
      await writeFile(svg, await renderChart(results.growth as LoadResult[], machine));
      say(`wrote ${svg}`);
    }
  } finally {
    say('stopping the stack');
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
