// Supervision of the child processes the scripts, benchmarks and test suites run: spawning
// them so they die with us, following their output, and stopping them in escalating steps.
import {
  ChildProcess,
  ChildProcessByStdio,
  execFileSync,
  spawn,
  SpawnOptions,
} from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

export type Log = (line: string) => void;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Settles when the child exits, or with nulls if it could not be started. */
export function exitOf(child: ChildProcess): Promise<ExitInfo> {
  return new Promise<ExitInfo>((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
    child.once('error', () => done({ code: null, signal: null }));
  });
}

/** The last `keep` lines the child printed on stdout and stderr, kept up to date (diagnostics). */
export function lastLines(child: ChildProcess, keep: number): string[] {
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream!, crlfDelay: Infinity }).on('line', (line) => {
      output.push(line);
      if (output.length > keep) output.shift();
    });
  }
  return output;
}

/** Feeds each output line of the child to onLine and keeps the last ones for error messages. */
export function captureOutput(child: ChildProcess, onLine: Log, keep = 30): string[] {
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    // readline joins lines split across chunks.
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (!line.trim()) return;
      tail.push(line);
      if (tail.length > keep) tail.shift();
      onLine(line);
    });
  }
  return tail;
}

export function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(child.pid, sig);
  } catch {
    // already gone
  }
}

/** Sends each signal in turn, waiting up to its grace period for the process to exit. */
export async function terminate(
  child: ChildProcess,
  exited: Promise<unknown>,
  steps: Array<[NodeJS.Signals, number]>,
): Promise<void> {
  for (const [sig, graceMs] of steps) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    signal(child, sig);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (!timedOut) return;
  }
}

let setpriv: string | undefined | null = null;

/**
 * On Linux, runs the command under `setpriv --pdeathsig` so the kernel sends it `sig` when
 * our process dies, even by SIGKILL, which no exit handler sees. Elsewhere (or without a
 * setpriv that knows the flag) the command is returned unchanged.
 */
export function withParentDeathSignal(
  file: string,
  args: string[],
  sig: NodeJS.Signals,
): [string, string[]] {
  if (setpriv === null) {
    setpriv = undefined;
    const candidate = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
    if (process.platform === 'linux' && candidate) {
      try {
        execFileSync(candidate, ['--pdeathsig', 'SIGTERM', '--', 'true'], { stdio: 'ignore' });
        setpriv = candidate;
      } catch {
        // too old for --pdeathsig: exit handlers only
      }
    }
  }
  return setpriv ? [setpriv, ['--pdeathsig', sig, '--', file, ...args]] : [file, args];
}

/**
 * Spawns `file args` with piped output under withParentDeathSignal, so the kernel sends it
 * `sig` should our process die first (no orphan even after a SIGKILL).
 */
export function spawnSupervised(
  file: string,
  args: string[],
  sig: NodeJS.Signals,
  options: Omit<SpawnOptions, 'stdio'> = {},
): ChildProcessByStdio<null, Readable, Readable> {
  const [command, argv] = withParentDeathSignal(file, args, sig);
  return spawn(command, argv, {
    ...options,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Whether a process still exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
