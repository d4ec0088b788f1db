// GET /api/v1/dashboard over real HTTP: figures computed by SQL aggregates over the read models,
// scoped as the lists are. The read models are written directly (as the projections would),
// with publication and answer times chosen so that response times are exact. Countries: NL
// requests, BE is targeted (no other suite requests from NL).
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Dashboard } from '../../libs/domain/src/api-types';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { makeAccount, type Account } from '../support/accounts';
import { http, startSystem, type RunningSystem } from '../support/e2e';

const HOME = 'NL';
const DAY = 86_400_000;

describe('dashboard: figures over what the caller may see', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let supervisor: Account;
  let liaisonBe: Account;
  let plStaff: Account;
  const published = new Date(Date.now() - 30 * DAY);

  /** One request's read-model rows: its row, country tracks, answers and assets. */
  async function seed(opts: {
    status: string;
    targets?: Record<string, { status: string; answeredAfterDays?: number }>;
    assets?: { country: string; status: string; amount?: string; currency?: string }[];
  }): Promise<void> {
    const id = randomUUID();
    const targets = opts.targets ?? {};
    const state = {
      status: opts.status,
      interpol: { queries: [], publishedAt: published.toISOString() },
    };
    await db.query(
      `INSERT INTO trace_requests (id, reference, requesting_country, kind, urgency, language, status,
         version, case_reference, subject_name, content, content_hash, state, drafter_id, workflow_id,
         created_at, updated_at)
       VALUES ($1, $2, $3, 'notice', 'normal', 'en', $4, 1, $5, 'Test Subject', $6, $7, $8, $9, $10,
         now(), now())`,
      [
        id,
        `${HOME}-DASH-${id.slice(0, 8)}`,
        HOME,
        opts.status,
        `CASE-${id.slice(0, 8)}`,
        JSON.stringify({ targetCountries: Object.keys(targets) }),
        'x'.repeat(64),
        JSON.stringify(state),
        supervisor.id,
        `dash-${id}`,
      ],
    );
    for (const [country, track] of Object.entries(targets)) {
      await db.query(
        `INSERT INTO jurisdictions (request_id, country, reference, status, deadline, state, workflow_id,
           updated_at) VALUES ($1, $2, $3, $4, $5, '{}', $6, now())`,
        [
          id,
          country,
          `${country}-${id.slice(0, 8)}`,
          track.status,
          new Date(Date.now() + DAY),
          `j-${id}-${country}`,
        ],
      );
      const answers: [string, number][] = [['acknowledged', 0.5]];
      if (track.answeredAfterDays !== undefined)
        answers.push(['assets_found', track.answeredAfterDays]);
      for (const [i, [outcome, days]] of answers.entries()) {
        await db.query(
          `INSERT INTO jurisdiction_responses (request_id, country, external_reference, seq, outcome,
             recorded_by, at, body) VALUES ($1, $2, $3, $4, $5, '{}', $6, '{}')`,
          [id, country, `ext-${i}`, i + 1, outcome, new Date(published.getTime() + days * DAY)],
        );
      }
    }
    for (const [i, a] of (opts.assets ?? []).entries()) {
      await db.query(
        `INSERT INTO assets (request_id, country, external_reference, item_index, type, description,
           amount, currency, status) VALUES ($1, $2, 'ext-1', $3, 'vehicle', 'a car', $4, $5, $6)`,
        [id, a.country, i, a.amount ?? null, a.currency ?? null, a.status],
      );
    }
  }

  beforeAll(async () => {
    sys = await startSystem({ worker: false });
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    supervisor = await makeAccount(db, sys.baseUrl, ['supervisor'], HOME, 'dashsup');
    liaisonBe = await makeAccount(db, sys.baseUrl, ['foreign_liaison'], 'BE', 'dashbe');
    plStaff = await makeAccount(db, sys.baseUrl, ['auditor'], 'PL', 'dashpl');
    await seed({ status: 'DRAFT' });
    await seed({ status: 'DRAFT' });
    await seed({
      status: 'PUBLISHED',
      targets: { BE: { status: 'ANSWERED', answeredAfterDays: 2 }, PL: { status: 'AWAITING' } },
      assets: [
        { country: 'BE', status: 'IDENTIFIED', amount: '100.50', currency: 'EUR' },
        { country: 'BE', status: 'FROZEN', amount: '1000', currency: 'EUR' },
        { country: 'PL', status: 'IDENTIFIED', amount: '400', currency: 'PLN' },
      ],
    });
    await seed({
      status: 'COMPLETED',
      targets: { BE: { status: 'ANSWERED', answeredAfterDays: 6 }, PL: { status: 'OVERDUE' } },
      assets: [
        { country: 'BE', status: 'IDENTIFIED', amount: '200.25', currency: 'EUR' },
        { country: 'BE', status: 'IDENTIFIED' },
      ],
    });
  });

  afterAll(async () => {
    await sys?.close();
    await db?.destroy();
  });

  const get = (who: Account) =>
    http<Dashboard>(sys.baseUrl, 'GET', '/api/v1/dashboard', { token: who.token });

  it("gives home staff their country's figures: statuses, response times, asset values", async () => {
    const res = await get(supervisor);
    expect(res.status).toBe(200);
    expect(res.body.requestsByStatus).toEqual([
      { status: 'COMPLETED', count: 1 },
      { status: 'DRAFT', count: 2 },
      { status: 'PUBLISHED', count: 1 },
    ]);
    // BE answered after 2 and 6 days (the acknowledgements do not count); PL never answered.
    expect(res.body.responseTimes).toEqual([
      {
        country: 'BE',
        tracks: 2,
        answered: 2,
        open: 0,
        overdue: 0,
        averageDays: 4,
        medianDays: 4,
        maxDays: 6,
      },
      {
        country: 'PL',
        tracks: 2,
        answered: 0,
        open: 1,
        overdue: 1,
        averageDays: null,
        medianDays: null,
        maxDays: null,
      },
    ]);
    // Summed per status and currency, as exact decimals; never across currencies.
    expect(res.body.assets).toEqual([
      { status: 'FROZEN', currency: 'EUR', count: 1, amount: '1000.0000' },
      { status: 'IDENTIFIED', currency: 'EUR', count: 2, amount: '300.7500' },
      { status: 'IDENTIFIED', currency: 'PLN', count: 1, amount: '400.0000' },
      { status: 'IDENTIFIED', currency: null, count: 1, amount: null },
    ]);
  });

  it("shows a foreign liaison only what was sent to its country, and its own country's part", async () => {
    const res = await get(liaisonBe);
    expect(res.status).toBe(200);
    // Drafts were never sent; other suites' requests to BE may add to these counts.
    const statuses = res.body.requestsByStatus.map((s) => s.status);
    expect(statuses.every((s) => ['PUBLISHED', 'COMPLETED', 'CLOSED'].includes(s))).toBe(true);
    expect(res.body.responseTimes.map((r) => r.country)).toEqual(['BE']);
    expect(res.body.assets.some((a) => a.currency === 'PLN')).toBe(false);
  });

  it("shows another country's staff none of it", async () => {
    const res = await get(plStaff);
    expect(res.status).toBe(200);
    const own = await db.query(
      `SELECT count(*)::int AS n FROM trace_requests WHERE requesting_country = 'PL'`,
    );
    const total = res.body.requestsByStatus.reduce((n, s) => n + s.count, 0);
    expect(total).toBe((own as { n: number }[])[0].n);
  });
});
