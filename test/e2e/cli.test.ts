// The `silvertrace` command line, run as a child process from dist/ (as `npx silvertrace` runs
// it) against the real API, worker, PostgreSQL and Temporal: replay, replay --all, case-file,
// and its exit codes (0 ok, 1 finding, 2 usage or connection error). Requests are drafted in FI
// and sent to AT (countries no other suite uses).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { bundleFrom } from '../../apps/api/src/replay/replayer';
import { loadConfig } from '../../libs/config/src';
import { SIGNATURE_HEADER, signBody } from '../../libs/gateway/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { makeAccount, type Account } from '../support/accounts';
import { ATTESTATION } from '../support/api';
import { buildCli, cliAuth, runCli } from '../support/cli';
import { eventually, http, savedEnv, startSystem, type RunningSystem } from '../support/e2e';
import { fakeInterpol, type FakeInterpol } from '../support/fake-interpol';
import { validRequestBody } from '../support/fixtures';

const ENV_KEYS = ['REPLAY_BUNDLE_PATH', 'LOG_LEVEL', 'INTERPOL_GATEWAY_URL'] as const;

describe('silvertrace CLI against the running API', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let dir: string;
  const env = savedEnv(ENV_KEYS);
  let inv: Account, sup: Account, auditor: Account, ncb: Account;
  let interpol: FakeInterpol;
  const ids: string[] = [];
  let auth: Record<string, string>;

  beforeAll(async () => {
    env.save();
    process.env.LOG_LEVEL = 'error';
    // The CLI runs from dist/, as `npx silvertrace` does: build it from the current sources.
    await buildCli();
    dir = mkdtempSync(join(tmpdir(), 'silvertrace-cli-'));
    // INTERPOL's inbound side accepts the case-file test's submission.
    interpol = await fakeInterpol();
    process.env.INTERPOL_GATEWAY_URL = interpol.url;
    sys = await startSystem();
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    [inv, sup, auditor, ncb] = await Promise.all([
      makeAccount(db, sys.baseUrl, ['investigator'], 'FI', 'cli-inv'),
      makeAccount(db, sys.baseUrl, ['supervisor'], 'FI', 'cli-sup'),
      makeAccount(db, sys.baseUrl, ['auditor'], 'FI', 'cli-aud'),
      makeAccount(db, sys.baseUrl, ['ncb_officer'], 'FI', 'cli-ncb'),
    ]);
    // Two requests: one approved then withdrawn (finished), one still a draft.
    for (const finished of [true, false]) {
      const created = await http<{ id: string }>(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
        token: inv.token,
        body: validRequestBody({
          caseReference: `CAS-CLI-${randomUUID().slice(0, 8)}`,
          targetCountries: ['AT'],
        }),
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      ids.push(id);
      if (!finished) continue;
      const call = (path: string, token: string, body?: unknown) =>
        http(sys.baseUrl, 'POST', `/api/v1/trace-requests/${id}${path}`, { token, body });
      expect((await call('/submit', inv.token)).status).toBe(200);
      expect((await call('/review', sup.token, { decision: 'approve' })).status).toBe(200);
      expect((await call('/withdraw', inv.token, { reason: 'Suspect deceased' })).status).toBe(200);
    }
    auth = cliAuth(sys.baseUrl, auditor);
  });

  afterAll(async () => {
    await sys?.close();
    await db?.destroy();
    await interpol?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    env.restore();
  });

  it('audit replay <id>: the steps and a deterministic verdict, exit 0', async () => {
    const res = await runCli(['audit', 'replay', ids[0]], auth);
    expect(res).toMatchObject({ code: 0 });
    expect(res.stdout).toMatch(/deterministic\s+yes/);
    expect(res.stdout).toMatch(/final status\s+WITHDRAWN/);
    for (const action of ['Created', 'SubmittedForReview', 'Approved', 'Withdrawn']) {
      expect(res.stdout).toContain(action);
    }
    expect(res.stdout).toContain(`trace-request-${ids[0]}`);

    const json = await runCli(
      ['--api-url', sys.baseUrl, '--token', auditor.token, 'audit', 'replay', ids[0], '--json'],
      {},
    );
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { deterministic: boolean; steps: unknown[] };
    expect(report).toMatchObject({ deterministic: true, finalStatus: 'WITHDRAWN' });
    expect(report.steps).toHaveLength(4);

    const asOf = await runCli(['audit', 'replay', ids[0], '--as-of', '2000-01-01T00:00:00Z'], auth);
    expect(asOf.code).toBe(0);
    expect(asOf.stdout).toContain('as of 2000-01-01T00:00:00.000Z: not yet created');
  });

  it('audit replay --all: every request, a summary table, exit 0 when all replay', async () => {
    const res = await runCli(['audit', 'replay', '--all'], auth);
    expect(res.code).toBe(0);
    for (const id of ids) expect(res.stdout).toContain(id);
    const m = /(\d+) replayed, (\d+) deterministic, 0 failed/.exec(res.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(2);
    expect(m![1]).toBe(m![2]);
  });

  it('exit 1 with the divergence named when the code no longer replays the record', async () => {
    // The API judges replays against another build (as an operator checks a release candidate).
    const changed = await bundleFrom(require.resolve('../replay/changed-workflow'));
    const file = join(dir, 'changed-bundle.js');
    writeFileSync(file, changed.code);
    process.env.REPLAY_BUNDLE_PATH = file;
    try {
      const one = await runCli(['audit', 'replay', ids[0]], auth);
      expect(one.code).toBe(1);
      expect(one.stdout).toMatch(/deterministic\s+NO/);
      expect(one.stdout).toMatch(/divergence\s+trace-request-.*[Nn]ondeterminism/);
      const all = await runCli(['audit', 'replay', '--all'], auth);
      expect(all.code).toBe(1);
      expect(all.stdout).toContain('NON-DETERMINISTIC');
      expect(all.stdout).toMatch(/[1-9]\d* failed/);
    } finally {
      delete process.env.REPLAY_BUNDLE_PATH;
    }
  });

  it('case-file <id> --output: one JSON bundle with request, timeline, tracks, assets, hashes', async () => {
    const file = join(dir, 'case.json');
    const res = await runCli(['case-file', ids[0], '--output', file], auth);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(`written to ${file}`);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(bundle.request).toMatchObject({ id: ids[0], status: 'WITHDRAWN' });
    expect((bundle.timeline as { action: string }[]).map((e) => e.action)).toEqual([
      'Created',
      'SubmittedForReview',
      'Approved',
      'Withdrawn',
    ]);
    expect(bundle.jurisdictions).toEqual([]);
    expect(bundle.assets).toMatchObject({ items: expect.any(Array) });
    // The audit-log entries (null only where the API has no audit log).
    expect(bundle.auditEntries === null || Array.isArray(bundle.auditEntries)).toBe(true);
    expect(bundle.histories).toEqual([
      {
        workflowId: `trace-request-${ids[0]}`,
        runId: expect.any(String),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        events: expect.any(Number),
      },
    ]);
    // To stdout without --output.
    const out = await runCli(['case-file', ids[1]], auth);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ request: { id: ids[1], status: 'DRAFT' } });
  });

  it('request suspend / resume / status: an NCB officer suspends a diffusion and lifts it', async () => {
    const ncb = await makeAccount(db, sys.baseUrl, ['ncb_officer'], 'FI', 'cli-ncb');
    const created = await http<{ id: string }>(sys.baseUrl, 'POST', '/api/v1/trace-requests', {
      token: inv.token,
      body: validRequestBody({ kind: 'diffusion', targetCountries: ['AT'] }),
    });
    const id = created.body.id;
    const call = (path: string, token: string, body?: unknown) =>
      http(sys.baseUrl, 'POST', `/api/v1/trace-requests/${id}${path}`, { token, body });
    expect((await call('/submit', inv.token)).status).toBe(200);
    expect((await call('/review', sup.token, { decision: 'approve' })).status).toBe(200);
    const attestation = { article3Neutrality: true, dataQualityChecked: true };
    expect((await call('/interpol-submission', ncb.token, { attestation })).status).toBe(200);
    // Tokens, not passwords: each run would sign in again, and sign-ins are rate limited.
    const asNcb = { SILVERTRACE_API_URL: sys.baseUrl, SILVERTRACE_TOKEN: ncb.token };

    const both = await runCli(
      [
        'request',
        'suspend',
        id,
        '--reason',
        'x',
        '--until',
        '2099-01-01T00:00:00Z',
        '--duration',
        'P1M',
      ],
      asNcb,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --until or --duration');
    const tooLong = await runCli(
      ['request', 'suspend', id, '--reason', 'x', '--duration', 'P7M'],
      asNcb,
    );
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain('(400)');
    expect(tooLong.stderr).toContain('duration:');
    const byInvestigator = await runCli(
      ['request', 'suspend', id, '--reason', 'x', '--duration', 'P1M'],
      { SILVERTRACE_API_URL: sys.baseUrl, SILVERTRACE_TOKEN: inv.token },
    );
    expect(byInvestigator.code).toBe(2);
    expect(byInvestigator.stderr).toContain('not allowed (403)');

    const suspended = await runCli(
      ['request', 'suspend', id, '--reason', 'Data quality review', '--duration', 'P2M'],
      asNcb,
    );
    expect(suspended).toMatchObject({ code: 0 });
    expect(suspended.stdout).toMatch(/status\s+PUBLISHED/);
    expect(suspended.stdout).toMatch(/suspended\s+since \S+ until \S+: Data quality review/);
    expect(suspended.stdout).toMatch(/actions\s+withdraw, suspend, resume/);

    const status = await runCli(['request', 'status', id, '--json'], asNcb);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as {
      request: { suspension: { reason: string } };
      jurisdictions: { country: string }[];
    };
    expect(parsed.request.suspension.reason).toBe('Data quality review');
    expect(parsed.jurisdictions.map((t) => t.country)).toEqual(['AT']);
    const table = await runCli(['request', 'status', id], asNcb);
    expect(table.stdout).toMatch(/COUNTRY\s+STATUS\s+DEADLINE\s+PAUSED SINCE/);

    const resumed = await runCli(['request', 'resume', id], asNcb);
    expect(resumed).toMatchObject({ code: 0 });
    expect(resumed.stdout).toMatch(/suspended\s+no/);
    const twice = await runCli(['request', 'resume', id], asNcb);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('(409)');
  });

  it('clear errors with exit 2: usage, unreachable API, refused sign-in, 404, 403', async () => {
    const usage = await runCli(['audit', 'replay'], auth);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('give a request id or --all');
    const unknownCommand = await runCli(['audit', 'frobnicate'], auth);
    expect(unknownCommand.code).toBe(2);
    const badAsOf = await runCli(['audit', 'replay', ids[0], '--as-of', 'yesterday'], auth);
    expect(badAsOf.code).toBe(2);
    expect(badAsOf.stderr).toContain('--as-of must be an ISO 8601');

    const down = await runCli(['audit', 'replay', ids[0]], {
      ...auth,
      SILVERTRACE_API_URL: 'http://127.0.0.1:9',
    });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('cannot reach the API at http://127.0.0.1:9');

    const badPassword = await runCli(['audit', 'replay', ids[0]], {
      ...auth,
      SILVERTRACE_PASSWORD: 'wrong-password',
    });
    expect(badPassword.code).toBe(2);
    expect(badPassword.stderr).toContain(`sign-in refused for ${auditor.username} (401)`);

    const noCredentials = await runCli(['audit', 'replay', ids[0]], {
      SILVERTRACE_API_URL: sys.baseUrl,
    });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toContain('no credentials');

    const missing = randomUUID();
    const notFound = await runCli(['audit', 'replay', missing], auth);
    expect(notFound.code).toBe(2);
    expect(notFound.stderr).toContain(`not found: trace request ${missing} (404)`);

    const notAuditor = await runCli(['audit', 'replay', ids[0]], {
      ...auth,
      SILVERTRACE_USERNAME: inv.username,
    });
    expect(notAuditor.code).toBe(2);
    expect(notAuditor.stderr).toContain('not allowed (403)');
  });

  it('case-file leaves an H2 answer out until --permission records the source permission; H1 is marked', async () => {
    // Published to AT, which answers twice through the gateway: H1, then H2.
    const created = await http<{ id: string; reference: string }>(
      sys.baseUrl,
      'POST',
      '/api/v1/trace-requests',
      {
        token: inv.token,
        body: validRequestBody({
          caseReference: `CAS-CLI-${randomUUID().slice(0, 8)}`,
          targetCountries: ['AT'],
        }),
      },
    );
    const { id, reference } = created.body;
    const call = (path: string, token: string, body?: unknown) =>
      http(sys.baseUrl, 'POST', `/api/v1/trace-requests/${id}${path}`, { token, body });
    expect((await call('/submit', inv.token)).status).toBe(200);
    expect((await call('/review', sup.token, { decision: 'approve' })).status).toBe(200);
    expect((await call('/interpol-submission', ncb.token, ATTESTATION)).status).toBe(200);
    const secret = loadConfig().gateway.secret;
    const gateway = (route: string, message: unknown) => {
      const raw = JSON.stringify(message);
      return http(sys.baseUrl, 'POST', `/api/v1/gateway/interpol/${route}`, {
        rawBody: raw,
        headers: { [SIGNATURE_HEADER]: signBody(raw, secret) },
      });
    };
    expect((await gateway('decisions', { reference, decision: 'published' })).status).toBe(202);
    const tag = randomUUID().slice(0, 6);
    await eventually(
      async () =>
        (
          await gateway('responses', {
            reference,
            country: 'AT',
            outcome: 'partial',
            externalReference: `AT-H1-${tag}`,
            narrative: `H1 narrative ${tag}`,
            handlingCode: 'H1',
            sourceReliability: 'B',
            informationAccuracy: '2',
          })
        ).status === 202,
      { what: "AT's track" },
    );
    expect(
      (
        await gateway('responses', {
          reference,
          country: 'AT',
          outcome: 'assets_found',
          externalReference: `AT-H2-${tag}`,
          narrative: `H2 narrative ${tag}`,
          handlingCode: 'H2',
          assets: [{ type: 'vessel', description: `H2 yacht ${tag}` }],
        })
      ).status,
    ).toBe(202);

    type Bundle = {
      jurisdictions: { responses: { id: string; handlingCode: string; evidenceMark?: string }[] }[];
      handling: { withheld: { answerId: string; handlingCode: string }[] };
      auditEntries: { action: string; details: Record<string, unknown> }[];
    };
    const file = join(dir, 'case-h2.json');
    const withheld = await runCli(['case-file', id, '--output', file], auth);
    expect(withheld.code).toBe(0);
    expect(withheld.stderr).toContain('1 answer(s) under H2/H3 left out');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(`H2 narrative ${tag}`);
    expect(text).not.toContain(`H2 yacht ${tag}`);
    const bundle = JSON.parse(text) as Bundle;
    expect(bundle.jurisdictions[0].responses).toEqual([
      expect.objectContaining({ handlingCode: 'H1', evidenceMark: 'not for use as evidence' }),
    ]);
    const answerId = bundle.handling.withheld[0].answerId;
    expect(bundle.handling.withheld).toEqual([expect.objectContaining({ handlingCode: 'H2' })]);

    const bad = await runCli(['case-file', id, '--permission', answerId], auth);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--permission must be <answerId>=<reference>');

    const permission = `AT-NCB-OK-${tag}`;
    const released = await runCli(
      ['case-file', id, '--permission', `${answerId}=${permission}`],
      auth,
    );
    expect(released.code).toBe(0);
    expect(released.stdout).toContain(`H2 narrative ${tag}`);
    expect(released.stdout).toContain(`H2 yacht ${tag}`);
    const full = JSON.parse(released.stdout) as Bundle;
    // The export and its permission are in the audit log (read back in the same bundle).
    const exports = full.auditEntries.filter((e) => e.action === 'trace-requests.case-file');
    expect(exports.at(-1)!.details).toMatchObject({
      permissions: [{ answerId, handlingCode: 'H2', reference: permission }],
    });
  });
});
