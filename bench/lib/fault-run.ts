// The fault-tolerance run, shared by `npm run fault` and test/e2e/fault-tolerance.test.ts: a
// journey load keeps running while, one after the other, the worker is killed (SIGKILL) and
// restarted, the API is killed and restarted, the Temporal dev server restarts (its SQLite file
// keeps the workflows), PostgreSQL stops and starts on the same data directory, and the worker
// is killed once more. Between two faults the system must serve again. Then every journey must
// end CLOSED and PostgreSQL must hold exactly what was driven (named count checks below).
import { verify } from '../../libs/audit/src';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import {
  demoUsers,
  journey,
  JOURNEY_COUNTRIES,
  RESPONSES_PER_JOURNEY,
  type Driver,
} from './journey';
import { Stack } from './stack';

export interface Fault {
  name: string;
  run(stack: Stack): Promise<void>;
}

export const FAULTS: Fault[] = [
  {
    name: 'kill -9 the worker, start a new one',
    run: async (s) => {
      await s.kill('worker');
      await s.startApp('worker');
    },
  },
  {
    name: 'kill -9 the API, start a new one',
    run: async (s) => {
      await s.kill('api');
      await s.startApp('api');
    },
  },
  {
    name: 'restart the Temporal dev server (same SQLite file)',
    run: async (s) => {
      await s.temporal.stop();
      await s.startTemporal();
    },
  },
  {
    name: 'stop and start PostgreSQL (same data directory and port)',
    run: async (s) => {
      await s.pg.stop();
      await s.startPostgres();
    },
  },
  {
    name: 'kill -9 the worker again, start a new one',
    run: async (s) => {
      await s.kill('worker');
      await s.startApp('worker');
    },
  },
];

export interface Check {
  name: string;
  sql: string;
  expected: number;
}

export interface CheckResult extends Check {
  actual: number;
  ok: boolean;
}

/** What one fault-free journey leaves behind, measured on the warm-up journey. */
export interface PerJourney {
  notifications: number;
  outbound: number;
}

/**
 * Exact counts after `journeys` closed journeys (and the assets the simulator reported). Add a
 * line here for each new table that must not lose or duplicate rows. runChecks adds the audit
 * chain's verification.
 */
export function countChecks(journeys: number, per: PerJourney, reportedAssets: number): Check[] {
  const countries = Object.keys(JOURNEY_COUNTRIES).length;
  return [
    { name: 'requests', sql: 'SELECT count(*) FROM trace_requests', expected: journeys },
    {
      name: 'requests CLOSED',
      sql: `SELECT count(*) FROM trace_requests WHERE status = 'CLOSED'`,
      expected: journeys,
    },
    {
      name: 'jurisdiction tracks',
      sql: 'SELECT count(*) FROM jurisdictions',
      expected: journeys * countries,
    },
    {
      name: 'tracks ANSWERED',
      sql: `SELECT count(*) FROM jurisdictions WHERE status = 'ANSWERED'`,
      expected: journeys * countries,
    },
    {
      name: 'country responses',
      sql: 'SELECT count(*) FROM jurisdiction_responses',
      expected: journeys * RESPONSES_PER_JOURNEY,
    },
    {
      name: 'distinct responses (external reference)',
      sql: 'SELECT count(DISTINCT external_reference) FROM jurisdiction_responses',
      expected: journeys * RESPONSES_PER_JOURNEY,
    },
    { name: 'assets', sql: 'SELECT count(*) FROM assets', expected: reportedAssets },
    {
      name: 'notifications',
      sql: 'SELECT count(*) FROM notifications',
      expected: journeys * per.notifications,
    },
    {
      name: 'distinct notification keys',
      sql: 'SELECT count(DISTINCT key) FROM notifications',
      expected: journeys * per.notifications,
    },
    {
      name: 'outbound submissions',
      sql: 'SELECT count(*) FROM outbound_messages',
      expected: journeys * per.outbound,
    },
    {
      name: 'outbound delivered',
      sql: 'SELECT count(*) FROM outbound_messages WHERE delivered_at IS NOT NULL',
      expected: journeys * per.outbound,
    },
    { name: 'quota slots', sql: 'SELECT count(*) FROM quota_reservations', expected: journeys },
    // The audit chain: one entry per recorded fact, whatever was retried or killed.
    {
      name: 'audit: drafts created',
      sql: `SELECT count(*) FROM audit_log WHERE action = 'trace-requests.create' AND outcome = 'success'`,
      expected: journeys,
    },
    {
      name: 'audit: requests closed',
      sql: `SELECT count(*) FROM audit_log WHERE action = 'trace-request.Closed'`,
      expected: journeys,
    },
    {
      name: 'audit: country responses',
      sql: `SELECT count(*) FROM audit_log WHERE action = 'jurisdiction.ResponseRecorded'`,
      expected: journeys * RESPONSES_PER_JOURNEY,
    },
  ];
}

export async function runChecks(databaseUrl: string, checks: Check[]): Promise<CheckResult[]> {
  const db = await new DataSource(dataSourceOptions(databaseUrl, 1)).initialize();
  try {
    const out: CheckResult[] = [];
    for (const c of checks) {
      const [row] = (await db.query(c.sql)) as Record<string, string>[];
      const actual = Number(Object.values(row)[0]);
      out.push({ ...c, actual, ok: actual === c.expected });
    }
    // The whole chain walked as GET /audit/verify does: 0 broken entries expected.
    const chain = await verify(db);
    out.push({
      name: `audit chain verifies (${chain.entries} entries)`,
      sql: 'verify()',
      expected: 0,
      actual: chain.ok ? 0 : 1,
      ok: chain.ok,
    });
    return out;
  } finally {
    await db.destroy();
  }
}

export interface FaultRunOptions {
  /** Journeys at least; more start while the faults are still being applied. */
  journeys: number;
  inFlight: number;
  log?: (line: string) => void;
  /** Called after each journey closes and each fault, for progress. */
  onProgress?: (p: { closed: number; started: number; faultsDone: number }) => void;
}

export interface FaultRunResult {
  journeys: number;
  faults: { name: string; seconds: number }[];
  checks: CheckResult[];
  /** 5xx and transport failures the load generator saw (and retried) during the faults. */
  unavailable: Record<string, number>;
  seconds: number;
  ok: boolean;
}

async function reportedAssets(simUrl: string, references: string[]): Promise<number> {
  let total = 0;
  for (const ref of references) {
    const res = await fetch(`${simUrl}/control/requests/${ref}`);
    const view = (await res.json()) as {
      responses: { message: { outcome: string; assets?: unknown[] } }[];
    };
    total += view.responses
      .filter((r) => ['assets_found', 'partial'].includes(r.message.outcome))
      .reduce((n, r) => n + (r.message.assets?.length ?? 0), 0);
  }
  return total;
}

export async function runFaults(opts: FaultRunOptions): Promise<FaultRunResult> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  const stack = new Stack({
    log,
    temporalFile: true,
    env: { JWT_TTL_SECONDS: '86400' },
    // Deliveries keep trying through every outage (the longest is a restart of Temporal or the
    // API under load); an attempt outlasts the API's own update deadlines.
    simDelivery: { baseDelayMs: 200, maxDelayMs: 2000, maxAttempts: 1000, timeoutMs: 25_000 },
  });
  try {
    await stack.start();
    let answers = 0;
    const unavailable: Record<string, number> = {};
    const driver: Driver = {
      apiUrl: stack.apiUrl,
      simUrl: stack.simUrl,
      users: await demoUsers(stack.apiUrl),
      retryUnavailable: true,
      waitMs: 300_000,
      onAnswer: () => answers++,
      unavailable,
    };

    // The first journey runs before any fault: what it leaves behind is what each should.
    const first = await journey(driver);
    const references = [first.reference];
    let startedJourneys = 1;
    let closed = 1;
    let faultsDone = 0;
    const progress = () => opts.onProgress?.({ closed, started: startedJourneys, faultsDone });
    let chaosDone = false;
    const load = Promise.all(
      Array.from({ length: opts.inFlight }, async () => {
        while (!chaosDone || startedJourneys < opts.journeys) {
          startedJourneys++;
          const r = await journey(driver);
          references.push(r.reference);
          closed++;
          progress();
        }
      }),
    );
    // If the load fails, stop waiting on the faults.
    let loadError: unknown;
    load.catch((err: unknown) => (loadError = err));

    const faults: { name: string; seconds: number }[] = [];
    for (const fault of FAULTS) {
      // Let the load flow again between two faults: 20 answers below 500 since the last one.
      const mark = answers;
      const deadline = Date.now() + 180_000;
      while (answers < mark + 20) {
        if (loadError) throw loadError;
        if (Date.now() > deadline) throw new Error(`no load before "${fault.name}"`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const t = performance.now();
      log(`fault: ${fault.name}`);
      await fault.run(stack);
      const seconds = Math.round((performance.now() - t) / 100) / 10;
      faults.push({ name: fault.name, seconds });
      log(`  back in ${seconds} s`);
      faultsDone++;
      progress();
    }
    chaosDone = true;
    await load;

    const db = await new DataSource(dataSourceOptions(stack.databaseUrl, 1)).initialize();
    const per: PerJourney = {
      notifications: Number(
        (
          (await db.query(`SELECT count(*) AS n FROM notifications WHERE request_id = $1`, [
            first.id,
          ])) as { n: string }[]
        )[0].n,
      ),
      outbound: Number(
        (
          (await db.query(`SELECT count(*) AS n FROM outbound_messages WHERE reference = $1`, [
            first.reference,
          ])) as { n: string }[]
        )[0].n,
      ),
    };
    await db.destroy();
    log(
      `one journey leaves ${per.notifications} notifications and ${per.outbound} outbound messages`,
    );

    const assets = await reportedAssets(stack.simUrl, references);
    // Work that follows a close (its last notifications) may still be landing: poll until the
    // counts are exact or a minute passes. Lost or duplicated rows never turn exact.
    const expected = countChecks(references.length, per, assets);
    let checks = await runChecks(stack.databaseUrl, expected);
    const settleBy = Date.now() + 60_000;
    while (!checks.every((c) => c.ok) && Date.now() < settleBy) {
      await new Promise((r) => setTimeout(r, 500));
      checks = await runChecks(stack.databaseUrl, expected);
    }
    return {
      journeys: references.length,
      faults,
      checks,
      unavailable,
      seconds: Math.round((performance.now() - started) / 1000),
      ok: checks.every((c) => c.ok),
    };
  } finally {
    await stack.stop();
  }
}
