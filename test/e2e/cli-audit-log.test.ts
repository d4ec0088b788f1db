// `silvertrace audit verify` and `audit export` against the hash-chained audit log routes
// (GET /api/v1/audit/verify, GET /api/v1/audit/export; api.md).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { makeAccount, type Account } from '../support/accounts';
import { buildCli, cliAuth, runCli } from '../support/cli';
import { http, startSystem, type RunningSystem } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';

describe('silvertrace audit verify / export against the audit-log routes', () => {
  let sys: RunningSystem;
  let db: DataSource;
  /** The owner (a superuser here): the application's role may not touch audit_log's triggers. */
  let owner: DataSource;
  let dir: string;
  let auditor: Account;
  let inv: Account;
  let auth: Record<string, string>;
  const savedLogLevel = process.env.LOG_LEVEL;

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'error';
    await buildCli();
    dir = mkdtempSync(join(tmpdir(), 'silvertrace-cli-audit-'));
    sys = await startSystem();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    owner = await new DataSource(
      dataSourceOptions(process.env.MIGRATION_DATABASE_URL!, 1),
    ).initialize();
    [auditor, inv] = await Promise.all([
      makeAccount(db, sys.baseUrl, ['auditor'], 'FI', 'cla-aud'),
      makeAccount(db, sys.baseUrl, ['investigator'], 'FI', 'cla-inv'),
    ]);
    // Something to record: a sign-in (above) and a create.
    const created = await http(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
      token: inv.token,
      body: validRequestBody({
        caseReference: `CAS-CLA-${randomUUID().slice(0, 8)}`,
        targetCountries: ['AT'],
      }),
    });
    expect(created.status).toBe(201);
    auth = cliAuth(sys.baseUrl, auditor);
  });

  afterAll(async () => {
    await sys?.close();
    await db?.destroy();
    await owner?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (savedLogLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = savedLogLevel;
  });

  it('audit verify: exit 0 on an intact chain', async () => {
    const res = await runCli(['audit', 'verify'], auth);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/audit chain intact: \d+ entries verified/);
  });

  it('audit verify: exit 1 naming the first broken entry after a row is deleted', async () => {
    // Tampering as a database superuser would: triggers off for this session only.
    const pg = owner.createQueryRunner(); // one connection: the SET below holds for it alone
    await pg.connect();
    try {
      await pg.query(`SET session_replication_role = replica`);
      const victim = (await pg.query(
        `SELECT to_jsonb(a) AS row, ctid::text AS ctid FROM audit_log a OFFSET 1 LIMIT 1`,
      )) as { row: Record<string, unknown>; ctid: string }[];
      expect(victim).toHaveLength(1);
      await pg.query(`DELETE FROM audit_log WHERE ctid = $1::tid`, [victim[0].ctid]);
      try {
        const res = await runCli(['audit', 'verify'], auth);
        expect(res.code).toBe(1);
        expect(res.stdout).toMatch(/audit chain BROKEN .*first broken entry: \S+/);
        const json = await runCli(['audit', 'verify', '--json'], auth);
        expect(json.code).toBe(1);
        expect(JSON.parse(json.stdout)).toMatchObject({ ok: false });
      } finally {
        // Put the very row back, so the chain is whole again for everyone else.
        await pg.query(
          `INSERT INTO audit_log SELECT * FROM jsonb_populate_record(NULL::audit_log, $1::jsonb)`,
          [JSON.stringify(victim[0].row)],
        );
      }
    } finally {
      await pg.query(`SET session_replication_role = DEFAULT`);
      await pg.release();
    }
    expect((await runCli(['audit', 'verify'], auth)).code).toBe(0);
  });

  it('audit export: csv and json to a file, exit 0; a bad format is a usage error', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const csvFile = join(dir, 'audit.csv');
    const csv = await runCli(
      ['audit', 'export', '--from', from, '--to', to, '--format', 'csv', '--output', csvFile],
      auth,
    );
    expect(csv.code).toBe(0);
    const lines = readFileSync(csvFile, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(1); // a header and at least one entry
    expect(lines[0]).toMatch(/actor/i);

    // To stdout, over the last minutes only: this suite's own sign-ins and verifications (the
    // whole day's export of a full test run is megabytes).
    const recent = new Date(Date.now() - 300_000).toISOString();
    const json = await runCli(
      ['audit', 'export', '--from', recent, '--to', to, '--format', 'json'],
      auth,
    );
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as unknown;
    const items = Array.isArray(parsed) ? parsed : (parsed as { items: unknown[] }).items;
    expect(items.length).toBeGreaterThan(0);

    const bad = await runCli(
      ['audit', 'export', '--from', from, '--to', to, '--format', 'xml'],
      auth,
    );
    expect(bad.code).toBe(2);
    const missing = await runCli(['audit', 'export', '--from', from], auth);
    expect(missing.code).toBe(2);
  });
});
