// `npm run fault`: journeys keep running while the worker is killed twice, the API once, the
// Temporal dev server and PostgreSQL restart once (bench/lib/fault-run.ts). Prints a table of
// named count checks and exits 1 on any mismatch; writes bench/results/fault.json.
import 'reflect-metadata';
import type { MultiBar } from 'cli-progress';
import { progressBars } from './lib/progress';
import { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../scripts/lib/tools';
import { FAULTS, runFaults } from './lib/fault-run';
import { positiveInt } from './lib/options';
import { table } from './lib/table';

const program = new Command()
  .name('npm run fault --')
  .description('Journeys under process kills and restarts; exact counts in PostgreSQL')
  .option(
    '--journeys <n>',
    'journeys at least (more start while faults are applied)',
    positiveInt,
    40,
  )
  .option('--concurrency <n>', 'journeys in flight', positiveInt, 8)
  .option('--out <dir>', 'where to write fault.json', join(repoRoot(__dirname), 'bench/results'));

async function main(): Promise<number> {
  const opts = program.parse().opts<{ journeys: number; concurrency: number; out: string }>();
  const t0 = Date.now();
  const bars = progressBars(
    '  [{bar}] {closed} journeys closed ({started} started), faults {faultsDone}/{faults}',
  );
  let barOn = false;
  let bar: ReturnType<MultiBar['create']> | undefined;
  const say = (line: string) => {
    const text = `[fault ${((Date.now() - t0) / 1000).toFixed(0)}s] ${line}`;
    if (barOn && process.stderr.isTTY) bars.log(`${text}\n`);
    else console.log(text);
  };
  say(
    `starting the stack; then ${opts.journeys}+ journeys, ${opts.concurrency} in flight, under ${FAULTS.length} faults`,
  );
  const result = await runFaults({
    journeys: opts.journeys,
    inFlight: opts.concurrency,
    log: say,
    onProgress: (p) => {
      if (!barOn) {
        bar = bars.create(opts.journeys, 0, { ...p, faults: FAULTS.length });
        barOn = true;
      }
      bar?.setTotal(Math.max(opts.journeys, p.started));
      bar?.update(p.closed, { ...p, faults: FAULTS.length });
    },
  });
  if (barOn) bars.stop();
  console.log(
    `\n${table(
      ['fault', 'back in s'],
      result.faults.map((f) => [f.name, f.seconds]),
    )}\n`,
  );
  console.log(
    `${table(
      ['check', 'expected', 'actual', ''],
      result.checks.map((c) => [c.name, c.expected, c.actual, c.ok ? 'ok' : 'MISMATCH']),
    )}\n`,
  );
  say(
    `${result.journeys} journeys, all closed; retried during faults: ${JSON.stringify(result.unavailable)}; ` +
      `${result.seconds} s in all`,
  );
  await mkdir(opts.out, { recursive: true });
  await writeFile(join(opts.out, 'fault.json'), `${JSON.stringify(result, null, 2)}\n`);
  say(result.ok ? 'every check passed' : 'MISMATCH: see the table above');
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
