import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  record,
  verify,
  type AuditEntry,
  type AuditEntryView,
  type VerifyResult,
} from '../../libs/audit/src';
import type { Page } from '../../libs/domain/src/api-types';
import { loadConfig } from '../../libs/config/src';
import { SIGNATURE_HEADER, signBody } from '../../libs/gateway/src';
import { dataSourceOptions, runMigrations } from '../../libs/persistence/src';
import { auditVerifyScheduleId, TEMPORAL_CLIENT } from '../../libs/temporal/src';
import { makeAccount, type Account } from '../support/accounts';
import { apiClient, ATTESTATION, fakeInterpolStack, ok, type Body } from '../support/api';
import { eventually, http, type HttpResult, type RunningSystem } from '../support/e2e';
import { validRequestBody } from '../support/fixtures';

/**
 * The hash-chained audit log over real HTTP, a real worker and PostgreSQL. Requests of this
 * suite are drafted in NO and sent to SE (nobody else uses them). Tampering with the shared
 * chain is always undone before a test ends (later suites verify it too); inserting forged rows
 * and the concurrency tests run in a database of their own.
 */

describe('audit log: a hash chain of every security-relevant event', () => {
  let sys: RunningSystem;
  let db: DataSource;
  /** The owner (a superuser in the tests), for tampering as only such a role can. */
  let owner: DataSource;
  const stack = fakeInterpolStack({ poolSize: 4 });
  const secret = loadConfig().gateway.secret;
  let inv: Account;
  let sup: Account;
  let ncb: Account;
  let liaison: Account;
  let auditor: Account;

  const api = apiClient(() => sys.baseUrl);

  /** Every entry matching the filter, following the cursor. */
  async function entries(query: Record<string, string>): Promise<AuditEntryView[]> {
    const out: AuditEntryView[] = [];
    let cursor: string | null = null;
    do {
      const qs: URLSearchParams = new URLSearchParams({
        ...query,
        limit: '200',
        ...(cursor ? { cursor } : {}),
      });
      const page: Page<AuditEntryView> = ok(
        await api<Page<AuditEntryView>>('GET', `/audit/entries?${qs}`, auditor.token),
      );
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  const verifyHttp = async () => ok(await api<VerifyResult>('GET', '/audit/verify', auditor.token));

  /** A session that may bypass the append-only triggers, as a superuser can. */
  async function asSuperuser<T>(
    fn: (q: (sql: string, p?: unknown[]) => Promise<unknown>) => Promise<T>,
  ) {
    const runner = owner.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SET session_replication_role = replica`);
      return await fn((sql, p) => runner.query(sql, p) as Promise<unknown>);
    } finally {
      await runner.query(`SET session_replication_role = origin`);
      await runner.release();
    }
  }

  beforeAll(async () => {
    ({ sys, db } = await stack.start());
    owner = await new DataSource(
      dataSourceOptions(process.env.MIGRATION_DATABASE_URL!, 1),
    ).initialize();
    [inv, sup, ncb, liaison, auditor] = await Promise.all([
      makeAccount(db, sys.baseUrl, ['investigator'], 'NO', 'au-inv'),
      makeAccount(db, sys.baseUrl, ['supervisor'], 'NO', 'au-sup'),
      makeAccount(db, sys.baseUrl, ['ncb_officer'], 'NO', 'au-ncb'),
      makeAccount(db, sys.baseUrl, ['foreign_liaison'], 'SE', 'au-lse'),
      makeAccount(db, sys.baseUrl, ['auditor'], 'NO', 'au-aud'),
    ]);
  });

  afterAll(async () => {
    await owner?.destroy();
    await stack.stop();
  });

  describe('a journey, step by step, with who did each', () => {
    let id: string;
    let reference: string;
    let assetId: string;

    beforeAll(async () => {
      const created = ok(
        await api(
          'POST',
          '/trace-requests',
          inv.token,
          validRequestBody({ targetCountries: ['SE'] }),
        ),
        201,
      );
      id = created.id as string;
      reference = created.reference as string;
      const view = ok(await api('GET', `/trace-requests/${id}`, inv.token));
      const edited = validRequestBody({ targetCountries: ['SE'], factsSummary: 'Edited once.' });
      ok(
        await api('PATCH', `/trace-requests/${id}`, inv.token, edited, {
          'if-match': String(view.version),
        }),
      );
      ok(await api('POST', `/trace-requests/${id}/submit`, inv.token));
      ok(await api('POST', `/trace-requests/${id}/review`, sup.token, { decision: 'approve' }));
      ok(await api('POST', `/trace-requests/${id}/interpol-submission`, ncb.token, ATTESTATION));
      const raw = JSON.stringify({
        reference,
        decision: 'published',
        noticeId: `SILVER-${id.slice(0, 6)}`,
      });
      const published = await http(sys.baseUrl, 'POST', '/api/v1/gateway/interpol/decisions', {
        rawBody: raw,
        headers: { [SIGNATURE_HEADER]: signBody(raw, secret) },
      });
      expect(published.status).toBe(202);
      await eventually(
        async () =>
          (ok(await api<Body[]>('GET', `/trace-requests/${id}/jurisdictions`, inv.token)) ?? [])
            .length === 1,
        { what: 'the SE track' },
      );
      ok(
        await api('POST', `/trace-requests/${id}/jurisdictions/SE/responses`, liaison.token, {
          outcome: 'assets_found',
          externalReference: `SE-EBM-${id.slice(0, 6)}`,
          assets: [
            {
              type: 'vessel',
              description: 'A yacht in Stockholm',
              identifiers: { imo: '9321483' },
            },
          ],
        }),
        201,
      );
      // The parent records the answer and completes before the asset moves: a stable order.
      await eventually(
        async () => ok(await api('GET', `/trace-requests/${id}`, inv.token)).status === 'COMPLETED',
        { what: 'COMPLETED' },
      );
      const register = ok(
        await api<{ items: Body[] }>('GET', `/trace-requests/${id}/assets`, inv.token),
      );
      assetId = register.items[0].id as string;
      ok(
        await api('POST', `/assets/${assetId}/status`, inv.token, {
          status: 'FREEZE_REQUESTED',
          mlaReference: 'MLA-NO-SE-1',
        }),
      );
    });

    it('lists every step of the request with its actor, role and outcome, in order', async () => {
      const steps = await eventually(
        async () => {
          const list = await entries({ requestId: id });
          return list.some((e) => e.action === 'assets.move') ? list : undefined;
        },
        { what: 'the asset move on the chain' },
      );
      const who = steps
        .filter((e) => e.outcome === 'success')
        .map((e) => `${e.action} ${e.actor} ${e.role}`);
      // Reads happen around the steps; the changes come in this order, each by its actor.
      const changes = who.filter(
        (w) =>
          !/^(trace-requests\.get|jurisdictions\.list|assets\.)/.test(w) ||
          w.startsWith('assets.move'),
      );
      expect(changes).toEqual([
        `trace-requests.create ${inv.username} investigator`,
        `trace-request.Edited ${inv.username} investigator`,
        `trace-request.SubmittedForReview ${inv.username} investigator`,
        `trace-request.Approved ${sup.username} supervisor`,
        `trace-request.SubmittedToInterpol ${ncb.username} ncb_officer`,
        'trace-request.Published interpol-gateway system',
        `jurisdiction.ResponseRecorded ${liaison.username} foreign_liaison`,
        'trace-request.JurisdictionChanged jurisdiction-workflow system',
        'trace-request.Completed jurisdiction-workflow system',
        `assets.move ${inv.username} investigator`,
      ]);
      expect(who).toContain(`trace-requests.get ${inv.username} investigator`);
      expect(who).toContain(`jurisdictions.list ${inv.username} investigator`);
      expect(who).toContain(`assets.for-request ${inv.username} investigator`);
      const approved = steps.find((e) => e.action === 'trace-request.Approved')!;
      expect(approved).toMatchObject({
        objectType: 'trace_request',
        objectId: id,
        country: 'NO',
        details: { fromStatus: 'IN_REVIEW', toStatus: 'APPROVED', reference },
      });
      const move = steps.find((e) => e.action === 'assets.move')!;
      expect(move).toMatchObject({
        objectType: 'asset',
        objectId: assetId,
        details: { from: 'IDENTIFIED', to: 'FREEZE_REQUESTED', mlaReference: 'MLA-NO-SE-1' },
      });
      // The API's entries carry the HTTP request id that caused them.
      expect(steps.find((e) => e.action === 'trace-requests.create')!.requestId).toBeTruthy();
    });

    it('records sign-ins by actor', async () => {
      const signIns = await entries({ actor: sup.username, action: 'auth.token' });
      expect(signIns.map((e) => `${e.outcome} ${e.role} ${e.country}`)).toEqual([
        'success supervisor NO',
      ]);
    });

    it('records a request id for every read of a detail, refusals included', async () => {
      const res = await api('GET', `/trace-requests/${id}`, sup.token, undefined, {
        'x-request-id': `audit-read-${id}`,
      });
      expect(res.status).toBe(200);
      const read = await entries({
        requestId: id,
        actor: sup.username,
        action: 'trace-requests.get',
      });
      expect(read.map((e) => e.requestId)).toContain(`audit-read-${id}`);
    });
  });

  describe('refusals and sign-ins', () => {
    it('an auditor attempting a write is 403, and the attempt is on the chain', async () => {
      const res = await api('POST', '/trace-requests', auditor.token, validRequestBody());
      expect(res.status).toBe(403);
      const requestId = res.headers.get('x-request-id')!;
      const [entry] = (
        await entries({ actor: auditor.username, action: 'trace-requests.create' })
      ).filter((e) => e.requestId === requestId);
      expect(entry).toMatchObject({
        outcome: 'refused',
        role: 'auditor',
        country: 'NO',
        details: { status: 403, method: 'POST', path: '/api/v1/trace-requests' },
      });
    });

    it('a refused token (401) is recorded as anonymous, with its reason', async () => {
      const res = await api('GET', '/trace-requests', 'not.a.token', undefined, {
        'x-request-id': `bad-token-${randomUUID()}`,
      });
      expect(res.status).toBe(401);
      const list = await entries({ actor: 'anonymous', action: 'trace-requests.list' });
      expect(list.find((e) => e.requestId === res.headers.get('x-request-id'))).toMatchObject({
        outcome: 'refused',
        role: 'none',
        details: { status: 401, detail: 'invalid or expired token' },
      });
    });

    it('records hostile input too: a NUL byte is kept as U+FFFD', async () => {
      const rid = `nul-${randomUUID()}`;
      const res = await api('GET', '/trace-requests/%00', inv.token, undefined, {
        'x-request-id': rid,
      });
      expect(res.status).toBe(400);
      const long = `/assets/${'x'.repeat(5000)}`;
      expect(
        (await api('GET', long, inv.token, undefined, { 'x-request-id': `${rid}-long` })).status,
      ).toBe(404);
      const list = await entries({ actor: inv.username, action: 'trace-requests.get' });
      expect(list.find((e) => e.requestId === rid)).toMatchObject({
        outcome: 'refused',
        objectId: '\ufffd',
        traceRequestId: null,
        details: { status: 400 },
      });
      const [assetRead] = (await entries({ actor: inv.username, action: 'assets.get' })).filter(
        (e) => e.requestId === `${rid}-long`,
      );
      expect(assetRead).toMatchObject({ outcome: 'refused', objectId: 'x'.repeat(5000) });
    });

    it('sign-in failures, the lockout and a sign-in refused while locked are recorded', async () => {
      const victim = await makeAccount(db, sys.baseUrl, ['investigator'], 'NO', 'au-lock', {
        signIn: false,
      });
      for (let i = 0; i < 5; i += 1) {
        const res = await api('POST', '/auth/token', undefined, {
          username: victim.username,
          password: 'wrong-password-1',
        });
        expect(res.status).toBe(401);
      }
      const locked = await api('POST', '/auth/token', undefined, {
        username: victim.username,
        password: victim.password,
      });
      expect(locked.status).toBe(401);
      const list = await entries({ actor: victim.username, action: 'auth.token' });
      expect(list.map((e) => [e.outcome, e.details.reason, e.details.failedLogins])).toEqual([
        ['refused', 'wrong password', 1],
        ['refused', 'wrong password', 2],
        ['refused', 'wrong password', 3],
        ['refused', 'wrong password', 4],
        ['refused', 'wrong password', 5],
        ['refused', 'locked', undefined],
      ]);
      expect(list[4].details.lockedUntil).toEqual(expect.any(String)); // the lockout
      const unknown = `nobody-${randomUUID().slice(0, 8)}`;
      await api('POST', '/auth/token', undefined, { username: unknown, password: 'whatever-1234' });
      expect((await entries({ actor: unknown })).map((e) => e.details.reason)).toEqual([
        'unknown user',
      ]);
    });
  });

  describe('the auditor routes', () => {
    it('are for auditors only, and refused callers are recorded', async () => {
      for (const route of ['/audit/verify', '/audit/entries', '/audit/export?format=csv']) {
        expect((await api('GET', route, inv.token)).status).toBe(403);
        expect((await api('GET', route, sup.token)).status).toBe(403);
        expect((await api('GET', route, undefined)).status).toBe(401);
      }
      const refused = await entries({ actor: inv.username, action: 'audit.verify' });
      expect(refused.map((e) => e.outcome)).toContain('refused');
    });

    it('name the bad query parameter (400)', async () => {
      const fields = (res: HttpResult<Body>) =>
        ((res.body.errors as { field: string }[]) ?? []).map((e) => e.field);
      const cases: [string, string[]][] = [
        ['/audit/entries?from=yesterday', ['from']],
        ['/audit/entries?to=2026-02-30', ['to']],
        ['/audit/entries?requestId=nope&limit=0', ['requestId', 'limit']],
        ['/audit/entries?from=2026-02-02&to=2026-02-01', ['to']],
        ['/audit/entries?cursor=abc', ['cursor']],
        ['/audit/entries?colour=red', ['colour']],
        ['/audit/export?format=xml', ['format']],
        ['/audit/export?from=2026-13-01', ['from']],
      ];
      for (const [route, expected] of cases) {
        const res = await api<Body>('GET', route, auditor.token);
        expect({ route, status: res.status, fields: fields(res) }).toEqual({
          route,
          status: 400,
          fields: expected,
        });
      }
    });

    it('verify answers ok over the whole chain, and is itself recorded', async () => {
      const result = await verifyHttp();
      expect(result).toMatchObject({ ok: true });
      expect(result.entries).toBeGreaterThan(10);
      const mine = await entries({ actor: auditor.username, action: 'audit.verify' });
      expect(mine[mine.length - 1].details).toMatchObject({ ok: true, entries: result.entries });
    });

    it('pages entries with a cursor, oldest first', async () => {
      const first = ok(
        await api<{ items: AuditEntryView[]; nextCursor: string }>(
          'GET',
          '/audit/entries?limit=3',
          auditor.token,
        ),
      );
      expect(first.items.map((e) => e.seq)).toEqual([1, 2, 3]);
      const second = ok(
        await api<{ items: AuditEntryView[] }>(
          'GET',
          `/audit/entries?limit=3&cursor=${first.nextCursor}`,
          auditor.token,
        ),
      );
      expect(second.items.map((e) => e.seq)).toEqual([4, 5, 6]);
    });

    it('exports a range as JSON and as properly escaped CSV, streamed, and records the export', async () => {
      const from = new Date(Date.now() - 3600_000).toISOString();
      const json = await fetch(`${sys.baseUrl}/api/v1/audit/export?from=${from}&format=json`, {
        headers: { authorization: `Bearer ${auditor.token}` },
      });
      expect(json.status).toBe(200);
      expect(json.headers.get('content-type')).toContain('application/json');
      const items = (await json.json()) as AuditEntryView[];
      expect(items.length).toBeGreaterThan(10);
      items.forEach((e, i) => i > 0 && expect(e.prevHash).toBe(items[i - 1].hash));

      const csv = await fetch(`${sys.baseUrl}/api/v1/audit/export?from=${from}&format=csv`, {
        headers: { authorization: `Bearer ${auditor.token}` },
      });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const text = await csv.text();
      const lines = text.trimEnd().split('\n');
      expect(lines[0]).toBe(
        'seq,at,actor,role,country,action,objectType,objectId,traceRequestId,outcome,requestId,details,idempotencyKey,prevHash,hash',
      );
      // details are JSON: quoted, with their quotes doubled (RFC 4180).
      const sample = items.find((e) => JSON.stringify(e.details).includes(','))!;
      const row = lines.find((l) => l.startsWith(`${sample.seq},`))!;
      expect(row).toContain(`,"${JSON.stringify(sample.details).replace(/"/g, '""')}",`);
      expect(row.endsWith(sample.hash)).toBe(true);
      expect(lines).toHaveLength(items.length + 2); // header, and the export's own entry

      const exports = await entries({ actor: auditor.username, action: 'audit.export' });
      expect(exports.map((e) => e.details.format)).toEqual(expect.arrayContaining(['json', 'csv']));
    });
  });

  describe('tampering with the shared chain is detected (and undone)', () => {
    /** An entry in the middle of the chain: not the head, which the next append chains onto. */
    async function middleEntry(): Promise<AuditEntry & { details_text: string }> {
      const rows = (await db.query(
        `SELECT *, details::text AS details_text FROM audit_log
          WHERE seq = (SELECT max(seq) - 5 FROM audit_log)`,
      )) as (AuditEntry & { details_text: string })[];
      return rows[0];
    }

    it('the application cannot UPDATE, DELETE or TRUNCATE it: not granted to its role', async () => {
      for (const sql of [
        `UPDATE audit_log SET actor = 'x' WHERE seq = 1`,
        `DELETE FROM audit_log WHERE seq = 1`,
        `TRUNCATE audit_log`,
      ]) {
        await expect(db.query(sql)).rejects.toThrow(/permission denied for table audit_log/);
      }
      expect(await verifyHttp()).toMatchObject({ ok: true });
    });

    it('even its owner cannot UPDATE, DELETE or TRUNCATE it while the triggers are on', async () => {
      await expect(owner.query(`UPDATE audit_log SET actor = 'x' WHERE seq = 1`)).rejects.toThrow(
        /audit_log is append-only: UPDATE is not allowed/,
      );
      await expect(owner.query(`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow(
        /audit_log is append-only: DELETE is not allowed/,
      );
      await expect(owner.query(`TRUNCATE audit_log`)).rejects.toThrow(
        /audit_log is append-only: TRUNCATE is not allowed/,
      );
      expect(await verifyHttp()).toMatchObject({ ok: true });
    });

    it('a changed row is named by verify', async () => {
      const victim = await middleEntry();
      await asSuperuser(async (q) => {
        try {
          await q(`UPDATE audit_log SET details = details || '{"forged":true}' WHERE seq = $1`, [
            victim.seq,
          ]);
          const broken = await verifyHttp();
          expect(broken).toMatchObject({
            ok: false,
            firstBrokenEntry: {
              seq: Number(victim.seq),
              reason: expect.stringMatching(/hash does not match/),
            },
          });
        } finally {
          await q(`UPDATE audit_log SET details = $2::jsonb WHERE seq = $1`, [
            victim.seq,
            victim.details_text,
          ]);
        }
      });
      expect(await verifyHttp()).toMatchObject({ ok: true });
    });

    it('a deleted row is named (its successor shows the gap)', async () => {
      const victim = await middleEntry();
      await asSuperuser(async (q) => {
        try {
          await q(`DELETE FROM audit_log WHERE seq = $1`, [victim.seq]);
          const broken = await verifyHttp();
          expect(broken).toMatchObject({
            ok: false,
            firstBrokenEntry: {
              seq: Number(victim.seq) + 1,
              reason: `sequence gap: entry ${victim.seq} is missing`,
            },
          });
        } finally {
          await q(
            `INSERT INTO audit_log SELECT * FROM jsonb_populate_record(NULL::audit_log, $1::jsonb)`,
            [
              JSON.stringify({
                ...victim,
                details: JSON.parse(victim.details_text),
                details_text: undefined,
              }),
            ],
          );
        }
      });
      expect(await verifyHttp()).toMatchObject({ ok: true });
    });

    it('the Temporal schedule verifies it and notifies auditors and admins when it is broken', async () => {
      const victim = await middleEntry();
      const admin = await makeAccount(db, sys.baseUrl, ['admin'], 'NO', 'au-adm');
      const client = sys.api.get<Client>(TEMPORAL_CLIENT);
      const schedule = client.schedule.getHandle(auditVerifyScheduleId(sys.taskQueue));
      expect((await schedule.describe()).spec.intervals?.[0]?.every).toBe(15 * 60 * 1000);
      const alarm = (token: string) =>
        eventually(
          async () => {
            const list = ok(await api<{ items: Body[] }>('GET', '/notifications', token)).items;
            return list.find(
              (n) =>
                n.kind === 'audit_chain_broken' &&
                String(n.message).includes(`entry ${victim.seq}:`),
            );
          },
          { what: 'the audit alarm', timeoutMs: 30000 },
        );
      await asSuperuser(async (q) => {
        try {
          await q(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = $1`, [victim.seq]);
          await schedule.trigger();
          expect(await alarm(auditor.token)).toMatchObject({
            message: expect.stringMatching(
              /audit chain is broken at entry \d+: hash does not match/,
            ),
            requestId: null,
          });
          await alarm(admin.token);
        } finally {
          await q(`UPDATE audit_log SET actor = $2 WHERE seq = $1`, [victim.seq, victim.actor]);
        }
      });
      expect(await verifyHttp()).toMatchObject({ ok: true });
      // Nobody else is told.
      const others = ok(await api<{ items: Body[] }>('GET', '/notifications', inv.token)).items;
      expect(others.some((n) => n.kind === 'audit_chain_broken')).toBe(false);
    });
  });

  describe('in a database of its own: forged rows, concurrent writers, retries', () => {
    let own: DataSource;
    let ownUrl: string;
    const name = `audit_${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      await owner.query(`CREATE DATABASE ${name}`);
      // Its own database, owner and application alike: forging rows needs the owner anyway.
      const url = new URL(process.env.MIGRATION_DATABASE_URL!);
      url.pathname = `/${name}`;
      ownUrl = url.toString();
      await runMigrations(ownUrl);
      own = await new DataSource(dataSourceOptions(ownUrl, 10)).initialize();
    });

    afterAll(async () => {
      await own?.destroy();
      await owner.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });

    it('50 appends from several connections at once make one unbroken chain', async () => {
      const second = await new DataSource(dataSourceOptions(ownUrl, 10)).initialize();
      try {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            record(i % 2 ? own : second, {
              actor: `writer-${i}`,
              role: 'system',
              action: 'test.concurrent',
              outcome: 'success',
              details: { i },
            }),
          ),
        );
      } finally {
        await second.destroy();
      }
      expect(await verify(own, { batchSize: 7 })).toMatchObject({ ok: true, entries: 50 });
      const [{ n, distinct }] = (await own.query(
        `SELECT count(*)::int AS n, count(DISTINCT prev_hash)::int AS distinct FROM audit_log`,
      )) as { n: number; distinct: number }[];
      expect({ n, distinct }).toEqual({ n: 50, distinct: 50 });
    });

    it('a retried append with the same idempotency key writes once and returns the first entry', async () => {
      const entry = {
        actor: 'worker',
        role: 'system',
        action: 'test.retry',
        outcome: 'success' as const,
      };
      const key = `retry-${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 5 }, () => record(own, { ...entry, idempotencyKey: key })),
      );
      expect(new Set(results.map((r) => r.seq)).size).toBe(1);
      expect(new Set(results.map((r) => r.hash)).size).toBe(1);
      const again = await record(own, { ...entry, idempotencyKey: key, details: { other: true } });
      expect(again).toEqual(results[0]);
      expect(
        (
          await own.query(`SELECT count(*)::int AS n FROM audit_log WHERE idempotency_key = $1`, [
            key,
          ])
        )[0].n,
      ).toBe(1);
      expect(await verify(own)).toMatchObject({ ok: true, entries: 51 });
    });

    it('names a forged row inserted at the end, and one inserted after a gap', async () => {
      const runner = own.createQueryRunner();
      await runner.connect();
      try {
        await runner.query(`SET session_replication_role = replica`);
        const [head] = (await runner.query(
          `SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1`,
        )) as AuditEntry[];
        const forged = {
          seq: Number(head.seq) + 1,
          at: new Date().toISOString(),
          actor: 'mallory',
          role: 'admin',
          action: 'trace-requests.get',
          outcome: 'success',
          details: {},
          prev_hash: head.hash,
          hash: 'f'.repeat(64),
        };
        const insert = (row: typeof forged) =>
          runner.query(
            `INSERT INTO audit_log SELECT * FROM jsonb_populate_record(NULL::audit_log, $1::jsonb)`,
            [JSON.stringify(row)],
          );
        await insert(forged);
        expect(await verify(own)).toMatchObject({
          ok: false,
          entries: forged.seq - 1,
          firstBrokenEntry: {
            seq: forged.seq,
            reason: expect.stringMatching(/hash does not match/),
          },
        });
        await runner.query(`DELETE FROM audit_log WHERE seq = $1`, [forged.seq]);

        await insert({ ...forged, seq: forged.seq + 3, hash: 'e'.repeat(64) });
        expect(await verify(own)).toMatchObject({
          ok: false,
          firstBrokenEntry: {
            seq: forged.seq + 3,
            reason: `sequence gap: entry ${forged.seq} to ${forged.seq + 2} is missing`,
          },
        });
        await runner.query(`DELETE FROM audit_log WHERE seq = $1`, [forged.seq + 3]);

        // A changed prev_hash, then a changed first entry.
        await runner.query(`UPDATE audit_log SET prev_hash = $2 WHERE seq = $1`, [10, head.hash]);
        expect((await verify(own)).firstBrokenEntry).toEqual({
          seq: 10,
          reason: 'prev_hash does not match the hash of entry 9',
        });
        await runner.query(`UPDATE audit_log SET outcome = 'failure' WHERE seq = 1`);
        expect((await verify(own)).firstBrokenEntry).toEqual({
          seq: 1,
          reason: 'hash does not match the entry (content changed)',
        });
      } finally {
        await runner.query(`SET session_replication_role = origin`);
        await runner.release();
      }
    });
  });
});
