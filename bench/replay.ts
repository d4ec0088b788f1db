// `npm run bench:replay`: replay speed of the auditors' replayer (apps/api/src/replay) over a
// request history of at least 10,000 events. It starts its own throwaway Temporal dev server
// (continue-as-new suggestions raised so one run grows that long), records the real request
// workflow receiving BENCH_EDITS edits (each one update, its projection, and their workflow
// tasks: about 10 events each; the activities are no-ops here, the history's shape is what
// counts), records a trivial workflow of no-op activities of about the same length as the
// baseline, then replays both BENCH_ROUNDS times with the same code path and prints events/s and
// the ratio. It then replays prefixes of both histories (cut after a workflow task) to show how
// the replayer's cost per workflow task grows with the length of the history.
// BENCH_REPLAY_HISTORIES=<file> keeps the recorded histories there and reuses them next time.
// Figures go to bench/results/replay-<date>.json.
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { requestEventsOf } from '../apps/api/src/replay/history-events';
import {
  bundleFrom,
  currentWorkflowBundle,
  replayHistories,
  type ReplayInput,
} from '../apps/api/src/replay/replayer';
import { hashOf } from '../libs/common/src/hash';
import { loadConfig } from '../libs/config/src';
import { timeline } from '../libs/domain/src/lifecycle';
import type { TraceRequestContent } from '../libs/domain/src/types';
import { fetchRun, type HistoryDocument } from '../libs/temporal/src/histories';
import { installTemporalRuntime } from '../libs/temporal/src/runtime';
import { freePort } from '../scripts/lib/ports';
import { startTemporalDevServer } from '../scripts/lib/temporal-dev';
import { repoRoot, resolveTemporalCli } from '../scripts/lib/tools';
import { commandUpdate } from '../workflows/messages';
import type { RequestActivities } from '../workflows/activity-types';
import { progressBar } from './lib/progress';
import { table } from './lib/table';

const EDITS = Number(process.env.BENCH_EDITS ?? 1100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_EVENTS_PER_S = 20_000;
const PREFIX_ROUNDS = 2;

const noop: RequestActivities = {
  projectRequest: async () => {},
  projectJurisdiction: async () => {},
  reserveQuota: async () => ({ ok: true, used: 1, limit: 9 }),
  releaseQuota: async () => {},
  sendToInterpol: async () => {},
  notify: async () => {},
};

const bar = (label: string, total: number) =>
  progressBar(`${label} [{bar}] {value}/{total} {unit}`, total, { unit: '' });

type Bundle = Awaited<ReturnType<typeof bundleFrom>>;
interface Recorded {
  runId: string;
  history: HistoryDocument;
}

/** Workflow tasks in a history: what the replayer activates the workflow code for. */
const workflowTasks = (history: HistoryDocument) =>
  history.events.filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_STARTED').length;

/** The history up to the first workflow task started at or after `length` events. */
function prefix(history: HistoryDocument, length: number): HistoryDocument {
  let cut = Math.min(length, history.events.length);
  while (
    cut < history.events.length &&
    history.events[cut - 1].eventType !== 'EVENT_TYPE_WORKFLOW_TASK_STARTED'
  )
    cut++;
  return { events: history.events.slice(0, cut) };
}

async function timed(runs: ReplayInput[], bundle: Bundle, tick: () => void, rounds = ROUNDS) {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const outcomes = await replayHistories(bundle, runs);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    // CPU seconds of this process (JS and the SDK's Rust core threads): what a busy machine
    // does not inflate the way it inflates wall time.
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
    const failed = outcomes.find((o) => !o.deterministic);
    if (failed) throw new Error(`replay failed: ${failed.error}`);
    tick();
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    best: times[0],
    median: times[Math.floor(times.length / 2)],
    all: times,
    cpuBest: cpu[0],
  };
}

/** Records the request workflow and the baseline on a throwaway dev server. */
async function record(
  root: string,
  bundle: Bundle,
  trivialBundle: Bundle,
): Promise<{ request: Recorded; baseline: Recorded }> {
  const cli = await resolveTemporalCli((line) => console.error(line));
  const port = await freePort();
  const server = await startTemporalDevServer({
    cli,
    port,
    // One run must grow past 10,000 events: no continue-as-new suggestion before that.
    dynamicConfig: {
      'limit.historyCount.suggestContinueAsNew': 200_000,
      'limit.historySize.suggestContinueAsNew': 200_000_000,
      'limit.historyCount.warn': 200_000,
      'limit.historySize.warn': 200_000_000,
    },
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  try {
    const taskQueue = `bench-replay-${randomUUID()}`;
    const worker = await Worker.create({
      connection: await NativeConnection.connect({ address: server.address }),
      taskQueue,
      workflowBundle: bundle,
      activities: noop,
    });
    const trivialQueue = `${taskQueue}-trivial`;
    const trivialWorker = await Worker.create({
      connection: await NativeConnection.connect({ address: server.address }),
      taskQueue: trivialQueue,
      workflowBundle: trivialBundle,
      activities: { noop: async () => {} },
    });

    const recorded = await worker.runUntil(async () => {
      // A real request workflow, recorded: a draft edited EDITS times by its investigator.
      const content = JSON.parse(
        readFileSync(join(root, 'scripts/demo/request.json'), 'utf8'),
      ) as TraceRequestContent;
      const id = randomUUID();
      const actor = {
        userId: randomUUID(),
        username: 'bench.investigator',
        role: 'investigator' as const,
        country: 'ZA',
      };
      const workflowId = `trace-request-${id}`;
      const handle = await client.workflow.start('traceRequestWorkflow', {
        taskQueue,
        workflowId,
        args: [
          {
            id,
            reference: 'ZA-2026-BENCH01',
            requestingCountry: 'ZA',
            content,
            contentHash: hashOf(content),
            actor,
            createdAt: new Date().toISOString(),
            settings: { ...loadConfig().workflow, continueAsNewAfterEvents: 1_000_000 },
          },
        ],
      });
      const progress = bar('recording request', EDITS);
      for (let v = 1; v <= EDITS; v++) {
        const edited = { ...content, factsSummary: `${content.factsSummary} (revision ${v})` };
        await handle.executeUpdate(commandUpdate, {
          args: [
            {
              command: {
                type: 'edit',
                content: edited,
                contentHash: hashOf(edited),
                expectedVersion: v,
              },
              actor,
            },
          ],
        });
        progress.increment(1, { unit: 'edits' });
      }
      progress.stop();
      await handle.executeUpdate(commandUpdate, {
        args: [{ command: { type: 'withdraw', reason: 'benchmark over' }, actor }],
      });
      await handle.result();
      return fetchRun(client, workflowId);
    });
    const events = recorded.history.events.length;
    if (events < 10_000) throw new Error(`the recorded history has ${events} events (< 10,000)`);

    // Baseline: no-op activities only, about as many events (6 per activity).
    const iterations = Math.ceil(events / 6);
    const baseline = await trivialWorker.runUntil(async () => {
      const workflowId = `bench-trivial-${randomUUID()}`;
      const handle = await client.workflow.start('trivialWorkflow', {
        taskQueue: trivialQueue,
        workflowId,
        args: [iterations],
      });
      const progress = bar('recording baseline', iterations);
      for (;;) {
        const done = await Promise.race([
          handle.result().then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), 500)),
        ]);
        const length = (await handle.describe()).historyLength;
        progress.update(Math.min(iterations, Math.floor(length / 6)), { unit: 'activities' });
        if (done) break;
      }
      progress.stop();
      return fetchRun(client, workflowId);
    });

    return { request: recorded, baseline };
  } finally {
    await connection.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  installTemporalRuntime('error');
  const root = repoRoot(__dirname);
  console.error('bench: bundling the workflow code (once per process, as the API does)');
  const [bundle, trivialBundle] = await Promise.all([
    currentWorkflowBundle(),
    bundleFrom(require.resolve('./trivial-workflow')),
  ]);
  const keep = process.env.BENCH_REPLAY_HISTORIES;
  let recorded: { request: Recorded; baseline: Recorded };
  if (keep && existsSync(keep)) {
    console.error(`bench: replaying the histories kept in ${keep}`);
    recorded = JSON.parse(await readFile(keep, 'utf8')) as typeof recorded;
  } else {
    recorded = await record(root, bundle, trivialBundle);
    if (keep) await writeFile(keep, JSON.stringify(recorded));
  }
  const { request: requestRecord, baseline } = recorded;
  const events = requestRecord.history.events.length;
  if (events < 10_000) throw new Error(`the recorded history has ${events} events (< 10,000)`);

  const requestRun = {
    workflowId: 'request',
    runId: requestRecord.runId,
    history: requestRecord.history,
  };
  const trivialRun = { workflowId: 'trivial', runId: baseline.runId, history: baseline.history };
  const lengths = [1_000, 2_500, 5_000, 10_000].filter((n) => n < events);
  const progress = bar('replaying', 2 * ROUNDS + 2 * lengths.length * PREFIX_ROUNDS);
  const tick = () => progress.increment(1, { unit: 'replays' });
  const request = await timed([requestRun], bundle, tick);
  const trivial = await timed([trivialRun], trivialBundle, tick);
  // The same replayer over prefixes: per workflow task, what does a longer history cost?
  const series: {
    workflow: string;
    events: number;
    tasks: number;
    eventsPerSecond: number;
    msPerTask: number;
  }[] = [];
  for (const [workflow, run, code] of [
    ['request', requestRun, bundle],
    ['baseline', trivialRun, trivialBundle],
  ] as const) {
    for (const length of [...lengths, run.history.events.length]) {
      const history =
        length === run.history.events.length ? run.history : prefix(run.history, length);
      const best =
        history === run.history
          ? (workflow === 'request' ? request : trivial).best
          : (await timed([{ ...run, history }], code, tick, PREFIX_ROUNDS)).best;
      const tasks = workflowTasks(history);
      series.push({
        workflow,
        events: history.events.length,
        tasks,
        eventsPerSecond: Math.round(history.events.length / best),
        msPerTask: Number(((best * 1000) / tasks).toFixed(2)),
      });
    }
  }
  progress.stop();
  // The other half of the replay route: the domain's rebuild of the steps (each recorded input
  // decided again, folded with evolve, checked against what the workflow projected). It needs
  // no SDK and shows what the replayer costs on top.
  const rebuildTimes: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = process.hrtime.bigint();
    const rebuilt = requestEventsOf([requestRecord.history]);
    timeline(rebuilt.events.map((r) => r.event));
    rebuildTimes.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (rebuilt.problems.length) throw new Error(`rebuild: ${rebuilt.problems.join('; ')}`);
  }
  const rebuildBest = Math.min(...rebuildTimes);
  const baselineEvents = baseline.history.events.length;
  const rate = events / request.best;
  const baseRate = baselineEvents / trivial.best;
  const result = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    request: {
      events,
      edits: EDITS,
      seconds: request,
      workflowTasks: workflowTasks(requestRecord.history),
      eventsPerSecond: Math.round(rate),
      medianEventsPerSecond: Math.round(events / request.median),
      eventsPerCpuSecond: Math.round(events / request.cpuBest),
    },
    baseline: {
      events: baselineEvents,
      workflowTasks: workflowTasks(baseline.history),
      seconds: trivial,
      eventsPerSecond: Math.round(baseRate),
      eventsPerCpuSecond: Math.round(baselineEvents / trivial.cpuBest),
    },
    loadAverage: loadavg(),
    ratioToBaseline: Number((rate / baseRate).toFixed(3)),
    byLength: series,
    domainRebuild: { seconds: rebuildBest, eventsPerSecond: Math.round(events / rebuildBest) },
    target: { eventsPerSecond: TARGET_EVENTS_PER_S, met: rate >= TARGET_EVENTS_PER_S },
  };
  console.log(
    [
      `request workflow history: ${events} events, replayed in ${request.best.toFixed(3)} s ` +
        `(best of ${ROUNDS}; median ${request.median.toFixed(3)} s)`,
      `  -> ${Math.round(rate).toLocaleString('en')} events/s ` +
        `(target ${TARGET_EVENTS_PER_S.toLocaleString('en')}: ${result.target.met ? 'met' : 'NOT met'})`,
      `baseline (no-op activities only): ${baselineEvents} events in ${trivial.best.toFixed(3)} s ` +
        `-> ${Math.round(baseRate).toLocaleString('en')} events/s`,
      `ratio request/baseline: ${result.ratioToBaseline}`,
      `per CPU second: request ${result.request.eventsPerCpuSecond.toLocaleString('en')} ` +
        `events, baseline ${result.baseline.eventsPerCpuSecond.toLocaleString('en')} ` +
        `(load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} on ${cpus().length} CPUs)`,
      `domain rebuild of the same history (steps and states, no SDK): ${(rebuildBest * 1000).toFixed(0)} ms ` +
        `-> ${Math.round(events / rebuildBest).toLocaleString('en')} events/s`,
      `by length (prefixes cut after a workflow task; best of ${PREFIX_ROUNDS}, full length best of ${ROUNDS}):`,
      table(
        ['history', 'events', 'workflow tasks', 'events/s', 'ms per task'],
        series.map((r) => [
          r.workflow,
          r.events.toLocaleString('en'),
          r.tasks.toLocaleString('en'),
          r.eventsPerSecond.toLocaleString('en'),
          r.msPerTask.toFixed(2),
        ]),
      ),
    ].join('\n'),
  );
  const dir = join(root, 'bench/results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `replay-${result.at.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written to ${file}`);
}

main().catch((err: unknown) => {
  console.error(`bench:replay failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
