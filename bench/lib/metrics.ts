// Latency samples per label, percentiles, and CPU/RSS of processes from /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs';

export class Latencies {
  readonly samples = new Map<string, number[]>();

  add(label: string, ms: number): void {
    let list = this.samples.get(label);
    if (!list) this.samples.set(label, (list = []));
    list.push(ms);
  }

  all(): number[] {
    return [...this.samples.values()].flat();
  }

  summary(): Record<string, Percentiles> {
    const out: Record<string, Percentiles> = {};
    for (const [label, list] of [...this.samples].sort(([a], [b]) => a.localeCompare(b))) {
      out[label] = percentiles(list);
    }
    return out;
  }
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: r(at(0.5)),
    p95: r(at(0.95)),
    p99: r(at(0.99)),
    max: r(sorted[sorted.length - 1] ?? 0),
  };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    // utime + stime, plus cutime + cstime: the reaped children's time (PostgreSQL's backends
    // come and go with the pools' idle timeouts; the postmaster reaps them).
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return { pid, ppid: Number(fields[1]), ticks };
  } catch {
    return undefined;
  }
}

/** CPU ticks of pid and all its descendants (PostgreSQL's backends, setpriv wrappers...). */
function treeTicks(root: number, all: ProcStat[]): number {
  const children = new Map<number, ProcStat[]>();
  for (const s of all) {
    const list = children.get(s.ppid) ?? [];
    list.push(s);
    children.set(s.ppid, list);
  }
  let total = 0;
  const stack = all.filter((s) => s.pid === root);
  while (stack.length) {
    const s = stack.pop()!;
    total += s.ticks;
    stack.push(...(children.get(s.pid) ?? []));
  }
  return total;
}

function snapshot(): ProcStat[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter((s): s is ProcStat => s !== undefined);
}

/**
 * Average CPU of each named process tree between start() and stop(), in percent of one core
 * (200% = both cores of this machine). Exited children count through their parent's
 * cutime/cstime once reaped.
 */
export class CpuSampler {
  private first = new Map<string, number>();
  private t0 = 0;

  constructor(private readonly pids: () => Record<string, number>) {}

  start(): void {
    const all = snapshot();
    this.t0 = Date.now();
    this.first = new Map(Object.entries(this.pids()).map(([n, pid]) => [n, treeTicks(pid, all)]));
  }

  stop(): Record<string, number> {
    const all = snapshot();
    const seconds = (Date.now() - this.t0) / 1000;
    const out: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids())) {
      const used = treeTicks(pid, all) - (this.first.get(name) ?? 0);
      out[name] = Math.round((Math.max(0, used) / TICKS_PER_SECOND / seconds) * 100);
    }
    return out;
  }
}

/** Resident set size in MB (VmRSS of /proc/<pid>/status). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}
