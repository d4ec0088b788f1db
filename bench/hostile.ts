// `npm run bench:hostile`: at least 10,000 malformed, oversized and hostile requests (bodies,
// headers, query strings, path parameters) spread over every route of the OpenAPI document, with
// the generators of test/e2e/hostile-input.test.ts (bench/lib/hostile.ts). Counts answers by
// status; passes with zero answers >= 500 and no state change: every table's row count and
// checksum are the same before and after, except the audit log, which must record the refusals
// and reads: it may only have grown, by entries that are not changes, and still verify. As in
// the test, the request the fuzzer aims at is withdrawn first and the worker stopped, so nothing
// else writes meanwhile.
import 'reflect-metadata';
import { progressBar } from './lib/progress';
import { Command } from 'commander';
import fc from 'fast-check';
import { hash } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { auditRuleOf } from '../apps/api/src/audit/audit-classification';
import { verify } from '../libs/audit/src';
import { loadConfig } from '../libs/config/src';
import { dataSourceOptions } from '../libs/persistence/src/data-source';
import { repoRoot } from '../scripts/lib/tools';
import { HOSTILE_ROLES, hostileRequest, operationsOf, type HostileRequest } from './lib/hostile';
import { requestBody, signIn } from './lib/journey';
import { pool } from './lib/journey';
import { Stack } from './lib/stack';
import { positiveInt } from './lib/options';
import { table } from './lib/table';

const program = new Command()
  .name('npm run bench:hostile --')
  .description('Hostile input at volume on every route: no 5xx, no state change')
  .option(
    '--requests <n>',
    'hostile requests in all (spread evenly over the routes)',
    positiveInt,
    10_000,
  )
  .option('--concurrency <n>', 'requests in flight', positiveInt, 8)
  .option('--seed <n>', 'fast-check seed (printed; replays a run)', positiveInt)
  .option('--out <dir>', 'where to write hostile.json', join(repoRoot(__dirname), 'bench/results'));

const PASSWORD = 'hostile-password';

/**
 * Row count and an md5 of every row of every table (the migrations table aside); of the audit
 * log, the rows up to `auditUpTo` (what was there before the run).
 */
async function fingerprint(db: DataSource, auditUpTo?: number): Promise<Record<string, string>> {
  const tables = (
    (await db.query(
      `SELECT table_name AS t FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations'
        ORDER BY 1`,
    )) as { t: string }[]
  ).map((r) => r.t);
  const out: Record<string, string> = {};
  for (const t of tables) {
    const audit = t === 'audit_log' && auditUpTo !== undefined;
    const [row] = (await db.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h
         FROM "${t}" x ${audit ? 'WHERE seq <= $1' : ''}`,
      audit ? [auditUpTo] : [],
    )) as { n: number; h: string }[];
    out[t] = `${row.n} rows ${row.h}`;
  }
  return out;
}

const lastSeq = async (db: DataSource) =>
  ((await db.query(`SELECT coalesce(max(seq), 0)::int AS s FROM audit_log`)) as { s: number }[])[0]
    .s;

/** What the run added to the audit log; a successful change among it is a state change. */
async function auditAdded(db: DataSource, after: number) {
  const rows = (await db.query(
    `SELECT action, outcome, count(*)::int AS n FROM audit_log WHERE seq > $1
      GROUP BY action, outcome`,
    [after],
  )) as { action: string; outcome: string; n: number }[];
  const count = (keep: (r: (typeof rows)[number]) => boolean) =>
    rows.filter(keep).reduce((n, r) => n + r.n, 0);
  const isChange = (r: (typeof rows)[number]) =>
    r.outcome === 'success' && (auditRuleOf(r.action)?.mode ?? 'transaction') === 'transaction';
  return {
    entries: count(() => true),
    refusals: count((r) => r.outcome !== 'success'),
    reads: count((r) => !isChange(r) && r.outcome === 'success'),
    changes: rows.filter(isChange).map((r) => `${r.action} x${r.n}`),
  };
}

async function main(): Promise<number> {
  const opts = program
    .parse()
    .opts<{ requests: number; concurrency: number; seed?: number; out: string }>();
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const t0 = Date.now();
  const say = (l: string) =>
    console.log(`[hostile ${((Date.now() - t0) / 1000).toFixed(0)}s] ${l}`);
  const stack = new Stack({ log: say });
  try {
    say('starting the stack (PostgreSQL, Temporal, worker, API, simulator)');
    await stack.start();
    const db = await new DataSource(dataSourceOptions(stack.databaseUrl, 2)).initialize();
    // One account per role (a foreign liaison officer of FR among them).
    const passwordHash = await hash(PASSWORD);
    const tokens: string[] = [];
    for (const [role, country] of HOSTILE_ROLES) {
      const username = `hostile.${role}.${randomUUID().slice(0, 6)}`;
      await db.query(
        `INSERT INTO users (username, password_hash, roles, country) VALUES ($1, $2, $3, $4)`,
        [username, passwordHash, [role], country],
      );
      tokens.push(await signIn(stack.apiUrl, username, PASSWORD));
    }
    // The request aimed at: created, then withdrawn (its workflow closed), so every action on
    // it is refused by state and never waits for a worker.
    const post = (path: string, body: unknown) =>
      fetch(`${stack.apiUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await post('/api/v1/trace-requests', requestBody('HOSTILE', ['FR', 'BR']));
    if (created.status !== 201)
      throw new Error(`create: ${created.status} ${await created.text()}`);
    const requestId = ((await created.json()) as { id: string }).id;
    const withdrawn = await post(`/api/v1/trace-requests/${requestId}/withdraw`, {
      reason: 'target of the hostile-input run',
    });
    if (withdrawn.status !== 200) throw new Error(`withdraw: ${withdrawn.status}`);
    // Until the read model shows it and the background work has settled; then no worker.
    const deadline = Date.now() + 60_000;
    for (let last = ''; ;) {
      const now = JSON.stringify(await fingerprint(db));
      const [row] = (await db.query(`SELECT status FROM trace_requests WHERE id = $1`, [
        requestId,
      ])) as { status: string }[];
      if (row?.status === 'WITHDRAWN' && now === last) break;
      if (Date.now() > deadline) throw new Error('the withdrawal did not settle in 60 s');
      last = now;
      await new Promise((r) => setTimeout(r, 500));
    }
    await stack.stopApp('worker');

    const doc = (await (await fetch(`${stack.apiUrl}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = operationsOf(doc);
    const perRoute = Math.ceil(opts.requests / operations.length);
    const ctx = { tokens, requestId, gatewaySecret: loadConfig().gateway.secret };
    const requests: { route: string; r: HostileRequest }[] = operations.flatMap((op, i) =>
      fc
        .sample(hostileRequest(op, ctx), { numRuns: perRoute, seed: seed + i })
        .map((r) => ({ route: `${op.method} ${op.path}`, r })),
    );
    say(`${requests.length} hostile requests over ${operations.length} routes (seed ${seed})`);

    const auditBefore = await lastSeq(db);
    const before = await fingerprint(db, auditBefore);
    const byStatus: Record<string, number> = {};
    const byRoute: Record<string, Record<string, number>> = {};
    const serverErrors: { route: string; status: number; url: string; body: string }[] = [];
    const bar = progressBar('  hostile [{bar}] {value}/{total} {rate}/s', requests.length, {
      rate: '0',
    });
    const started = performance.now();
    let done = 0;
    await pool(requests.length, opts.concurrency, async (i) => {
      const { route, r } = requests[i];
      let status: number;
      let text = '';
      try {
        const res = await fetch(`${stack.apiUrl}${r.url}`, {
          method: r.method,
          headers: r.headers,
          body: r.body,
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        text = await res.text();
      } catch (err) {
        status = 0; // no answer at all counts as a failure too
        text = String(err);
      }
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      (byRoute[route] ??= {})[status] = (byRoute[route][status] ?? 0) + 1;
      if (status >= 500 || status === 0) {
        serverErrors.push({ route, status, url: r.url.slice(0, 200), body: text.slice(0, 300) });
      }
      done++;
      bar.update(done, { rate: (done / ((performance.now() - started) / 1000)).toFixed(0) });
    });
    bar.stop();
    const after = await fingerprint(db, auditBefore);
    const audit = await auditAdded(db, auditBefore);
    const chain = await verify(db);
    await db.destroy();
    const changed = Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);

    console.log(
      `\n${table(
        ['status', 'count'],
        Object.entries(byStatus).sort(([a], [b]) => Number(a) - Number(b)),
      )}\n`,
    );
    console.log(
      `${table(
        ['check', 'value', ''],
        [
          ['requests sent', requests.length, ''],
          ['answers >= 500 (or none)', serverErrors.length, serverErrors.length ? 'FAIL' : 'ok'],
          ['tables changed', changed.length, changed.length ? `FAIL ${changed.join(', ')}` : 'ok'],
          ['tables checked', Object.keys(before).length, ''],
          [
            'audit entries added',
            audit.entries,
            `${audit.refusals} refusals, ${audit.reads} reads`,
          ],
          [
            'audit entries of a change',
            audit.changes.length,
            audit.changes.length ? `FAIL ${audit.changes.join(', ')}` : 'ok',
          ],
          ['audit chain verifies', chain.entries, chain.ok ? 'ok' : 'FAIL'],
        ],
      )}\n`,
    );
    for (const e of serverErrors.slice(0, 10)) say(`5xx: ${JSON.stringify(e)}`);
    const ok =
      serverErrors.length === 0 && changed.length === 0 && audit.changes.length === 0 && chain.ok;
    await mkdir(opts.out, { recursive: true });
    await writeFile(
      join(opts.out, 'hostile.json'),
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          seed,
          requests: requests.length,
          routes: operations.length,
          seconds: Math.round((performance.now() - started) / 1000),
          byStatus,
          byRoute,
          serverErrors,
          tablesChanged: changed,
          audit: { ...audit, chainOk: chain.ok },
          ok,
        },
        null,
        2,
      )}\n`,
    );
    say(ok ? 'no 5xx, no state change' : 'FAILED: see above');
    return ok ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
