// Admin through the API, over real HTTP against the real API, worker, PostgreSQL and Temporal:
// accounts (password policy, role, country and disabling revoke tokens), quotas, participating
// countries and deadlines (they apply to requests started afterwards). Requests are drafted by
// an office of GR and target RO and FR; the settings this suite changes are put back afterwards.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../libs/config/src';
import { SIGNATURE_HEADER, signBody } from '../../libs/gateway/src';
import { makeAccount, type Account } from '../support/accounts';
import { apiClient, ATTESTATION, fakeInterpolStack, fields, ok, type Body } from '../support/api';
import { eventually, http, login, type RunningSystem } from '../support/e2e';
import type { Problem } from '../support/fake-interpol';
import { validRequestBody } from '../support/fixtures';

const DAY = 24 * 3600 * 1000;
const YEAR = new Date().getUTCFullYear();

describe('admin: users, quotas, participating countries, deadlines', () => {
  let sys: RunningSystem;
  let db: DataSource;
  const stack = fakeInterpolStack();
  const secret = loadConfig().gateway.secret;
  let admin: Account;
  let inv: Account;
  let sup: Account;
  let ncb: Account;

  const api = apiClient(() => sys.baseUrl);

  const signIn = (username: string, password: string) =>
    http<{ access_token: string; user: Body }>(sys.baseUrl, 'POST', '/api/v1/auth/token', {
      body: { username, password },
    });

  /** Drafted by GR's investigator, reviewed; APPROVED, ready for INTERPOL. */
  async function approved(targetCountries = ['RO', 'FR']): Promise<string> {
    const body = validRequestBody({ caseReference: `CAS-ADM-${randomUUID()}`, targetCountries });
    const id = ok(await api('POST', '/trace-requests', inv.token, body), 201).id as string;
    ok(await api('POST', `/trace-requests/${id}/submit`, inv.token));
    ok(await api('POST', `/trace-requests/${id}/review`, sup.token, { decision: 'approve' }));
    return id;
  }

  async function publish(id: string): Promise<void> {
    const { reference } = ok(await api('GET', `/trace-requests/${id}`, inv.token));
    const raw = JSON.stringify({ reference, decision: 'published', noticeId: `SILVER-${id}` });
    const res = await http(sys.baseUrl, 'POST', '/api/v1/gateway/interpol/decisions', {
      rawBody: raw,
      headers: { [SIGNATURE_HEADER]: signBody(raw, secret) },
    });
    expect(res.status).toBe(202);
  }

  /** Days from now to each country's answer deadline, rounded, once both tracks are projected. */
  async function deadlineDays(id: string): Promise<Record<string, number>> {
    const tracks = await eventually(
      async () => {
        const t = ok(await api<Body[]>('GET', `/trace-requests/${id}/jurisdictions`, inv.token));
        return t.length === 2 && t.every((x) => typeof x.deadline === 'string') && t;
      },
      { what: `the country tracks of ${id}` },
    );
    return Object.fromEntries(
      tracks.map((t) => [
        t.country as string,
        Math.round((Date.parse(t.deadline as string) - Date.now()) / DAY),
      ]),
    );
  }

  beforeAll(async () => {
    ({ sys, db } = await stack.start());
    [admin, inv, sup, ncb] = await Promise.all([
      // INTERPOL-level: this suite administers GR, RO, MC and the pilot-wide defaults.
      makeAccount(db, sys.baseUrl, ['interpol_admin'], 'ZA', 'adm'),
      makeAccount(db, sys.baseUrl, ['investigator'], 'GR', 'adm-inv'),
      makeAccount(db, sys.baseUrl, ['supervisor'], 'GR', 'adm-sup'),
      makeAccount(db, sys.baseUrl, ['ncb_officer'], 'GR', 'adm-ncb'),
    ]);
  });

  afterAll(async () => {
    // Put back what this suite changed, whatever happened: the database is shared.
    if (db?.isInitialized) {
      await db.query(`DELETE FROM workflow_settings`);
      await db.query(
        `UPDATE participating_countries SET active = true, response_deadline = NULL
          WHERE country IN ('RO', 'FR', 'GR')`,
      );
      await db.query(`DELETE FROM participating_countries WHERE country = 'MC'`);
    }
    await stack.stop();
  });

  describe('only admins', () => {
    it.each([
      ['GET', '/admin/users'],
      ['POST', '/admin/users'],
      ['PATCH', `/admin/users/${randomUUID()}`],
      ['GET', '/admin/quotas'],
      ['PUT', `/admin/quotas/GR/${YEAR}`],
      ['GET', '/admin/countries'],
      ['PUT', '/admin/countries/RO'],
      ['DELETE', '/admin/countries/RO'],
      ['GET', '/admin/deadlines'],
      ['PATCH', '/admin/deadlines'],
      ['PUT', '/admin/deadlines/countries/RO'],
    ])('%s %s is 403 for an investigator, supervisor and NCB officer', async (method, path) => {
      for (const who of [inv, sup, ncb]) {
        const res = await api(method, path, who.token, method === 'GET' ? undefined : {});
        expect({ who: who.username, status: res.status }).toEqual({
          who: who.username,
          status: 403,
        });
      }
      expect((await api(method, path, undefined)).status).toBe(401);
    });

    it('and admins cannot act on cases', async () => {
      expect((await api('GET', '/trace-requests', admin.token)).status).toBe(403);
      expect((await api('POST', '/trace-requests', admin.token, validRequestBody())).status).toBe(
        403,
      );
    });
  });

  describe('country scope: an admin administers its own country, an INTERPOL admin every one', () => {
    let za: Account;
    let frUserId: string;
    const newUser = (country: string, roles = ['investigator']) => ({
      username: `scoped.${randomUUID().slice(0, 8)}`,
      password: 'correct horse battery staple',
      roles,
      country,
    });
    const detail = (res: { body: unknown }) => (res.body as Problem).detail;

    beforeAll(async () => {
      za = await makeAccount(db, sys.baseUrl, ['admin'], 'ZA', 'adm-za');
      frUserId = ok(await api<Body>('POST', '/admin/users', admin.token, newUser('FR')), 201)
        .id as string;
    });

    afterAll(async () => {
      await api('PUT', `/admin/quotas/FR/${YEAR}`, admin.token, { limit: null });
      await api('PUT', `/admin/quotas/ZA/${YEAR}`, admin.token, { limit: null });
      await api('DELETE', '/admin/deadlines/countries/FR', admin.token);
    });

    it('an admin of ZA may not create users in FR, nor grant the INTERPOL role (403 naming why)', async () => {
      const fr = await api('POST', '/admin/users', za.token, newUser('FR'));
      expect(fr.status).toBe(403);
      expect(detail(fr)).toBe(
        'an admin of ZA administers ZA only and may not create users of FR: ask an INTERPOL admin (interpol_admin)',
      );
      const grant = await api('POST', '/admin/users', za.token, newUser('ZA', ['interpol_admin']));
      expect(grant.status).toBe(403);
      expect(detail(grant)).toMatch(/only an INTERPOL admin may grant the interpol_admin role/);
      // Its own country it administers.
      ok(await api('POST', '/admin/users', za.token, newUser('ZA')), 201);
    });

    it("nor see, change or take over FR's accounts", async () => {
      expect((await api('GET', `/admin/users/${frUserId}`, za.token)).status).toBe(403);
      const change = await api('PATCH', `/admin/users/${frUserId}`, za.token, { active: false });
      expect(change.status).toBe(403);
      expect(detail(change)).toMatch(/may not change users of FR/);
      const list = ok(await api<{ items: Body[] }>('GET', '/admin/users', za.token)).items;
      expect(list.length).toBeGreaterThan(0);
      expect(list.every((u) => u.country === 'ZA')).toBe(true);
      const all = ok(await api<{ items: Body[] }>('GET', '/admin/users', admin.token)).items;
      expect(all.some((u) => u.id === frUserId)).toBe(true);
    });

    it("nor change FR's quota or FR's deadline, nor the pilot-wide defaults", async () => {
      const quota = await api('PUT', `/admin/quotas/FR/${YEAR}`, za.token, { limit: 3 });
      expect(quota.status).toBe(403);
      expect(detail(quota)).toMatch(/administers ZA only and may not change the quota of FR/);
      const deadline = await api('PUT', '/admin/deadlines/countries/FR', za.token, {
        countryDeadline: 'P20D',
      });
      expect(deadline.status).toBe(403);
      expect(detail(deadline)).toMatch(/may not change the answer deadline of FR/);
      expect((await api('DELETE', '/admin/countries/FR', za.token)).status).toBe(403);
      const defaults = await api('PATCH', '/admin/deadlines', za.token, { countryDeadline: 'P9D' });
      expect(defaults.status).toBe(403);
      expect(detail(defaults)).toMatch(/applies to every country: only an INTERPOL admin/);
      // Nothing was changed, and each refusal is on the audit chain.
      const quotas = ok(
        await api<{ items: Body[] }>('GET', `/admin/quotas?year=${YEAR}`, za.token),
      );
      expect(quotas.items.find((q) => q.country === 'FR')).toMatchObject({ customLimit: null });
      const refused = (await db.query(
        `SELECT action FROM audit_log WHERE actor = $1 AND outcome = 'refused' ORDER BY seq`,
        [za.username],
      )) as { action: string }[];
      expect(refused.map((r) => r.action)).toEqual(
        expect.arrayContaining(['admin.quotas.set', 'admin.deadlines.set-country']),
      );
      // Its own country's quota it sets.
      ok(await api('PUT', `/admin/quotas/ZA/${YEAR}`, za.token, { limit: 4 }));
    });

    it('the INTERPOL admin (demo user admin.interpol) administers every country', async () => {
      const interpol = await login(sys.baseUrl, 'admin.interpol');
      ok(await api('POST', '/admin/users', interpol, newUser('FR')), 201);
      expect(
        ok(await api('PUT', `/admin/quotas/FR/${YEAR}`, interpol, { limit: 3 })),
      ).toMatchObject({ country: 'FR', customLimit: 3 });
      ok(await api('PUT', '/admin/deadlines/countries/FR', interpol, { countryDeadline: 'P20D' }));
      ok(await api('PATCH', `/admin/users/${frUserId}`, interpol, { active: false }));
    });
  });

  describe('users', () => {
    const username = `clerk.${randomUUID().slice(0, 8)}`;
    const password = 'correct horse battery staple';
    let userId: string;

    it('validates a new account, naming each bad field (password policy included)', async () => {
      const bad = await api('POST', '/admin/users', admin.token, {
        username: 'x',
        password: 'short',
        roles: ['investigator', 'wizard'],
        country: 'Greece',
        extra: 1,
      });
      expect(bad.status).toBe(400);
      expect(fields(bad)).toEqual(
        expect.arrayContaining(['username', 'roles[1]', 'country', 'extra']),
      );
      const weak = await api('POST', '/admin/users', admin.token, {
        username,
        password: 'short',
        roles: ['investigator'],
        country: 'GR',
      });
      expect(weak.status).toBe(400);
      expect(fields(weak)).toEqual(['password']);
      const named = await api('POST', '/admin/users', admin.token, {
        username,
        password: `my-${username}-password`,
        roles: ['investigator'],
        country: 'GR',
      });
      expect(named.status).toBe(400);
      expect((named.body as Problem).errors?.[0]).toMatchObject({ field: 'password' });
      expect(
        (await api('POST', '/admin/users', admin.token, { username, password, country: 'GR' }))
          .status,
      ).toBe(400);
    });

    it('creates an account that can sign in; a second create with the name is 409', async () => {
      const created = ok(
        await api<Body>('POST', '/admin/users', admin.token, {
          username,
          password,
          roles: ['investigator'],
          country: 'GR',
        }),
        201,
      );
      expect(created).toMatchObject({ username, roles: ['investigator'], country: 'GR' });
      expect(created).not.toHaveProperty('passwordHash');
      userId = created.id as string;
      expect(ok(await signIn(username, password)).user).toMatchObject({ roles: ['investigator'] });
      const again = await api('POST', '/admin/users', admin.token, {
        username,
        password,
        roles: ['auditor'],
        country: 'GR',
      });
      expect(again.status).toBe(409);
      const list = ok(await api<{ items: Body[] }>('GET', '/admin/users', admin.token));
      const mine = list.items.filter((u) => u.username === username);
      expect(mine).toEqual([expect.objectContaining({ id: userId, active: true })]);
      expect(JSON.stringify(list)).not.toMatch(/password/i);
      expect(ok(await api('GET', `/admin/users/${userId}`, admin.token))).toMatchObject({
        username,
      });
      expect((await api('GET', `/admin/users/${randomUUID()}`, admin.token)).status).toBe(404);
    });

    it('a role change revokes the old token (401); the new sign-in carries the new role', async () => {
      const old = ok(await signIn(username, password)).access_token;
      expect((await api('GET', '/trace-requests', old)).status).toBe(200);
      // The same values again change nothing and revoke nothing.
      ok(await api('PATCH', `/admin/users/${userId}`, admin.token, { roles: ['investigator'] }));
      expect((await api('GET', '/trace-requests', old)).status).toBe(200);

      const changed = ok(
        await api('PATCH', `/admin/users/${userId}`, admin.token, { roles: ['auditor'] }),
      );
      expect(changed).toMatchObject({ roles: ['auditor'] });
      expect((await api('GET', '/trace-requests', old)).status).toBe(401);
      const fresh = ok(await signIn(username, password));
      expect(fresh.user).toMatchObject({ roles: ['auditor'] });
      // As an auditor it reads but cannot draft.
      expect((await api('POST', '/trace-requests', fresh.access_token, {})).status).toBe(403);
    });

    it('a country change revokes too; disabling refuses sign-in; enabling lets it back', async () => {
      const before = ok(await signIn(username, password)).access_token;
      ok(await api('PATCH', `/admin/users/${userId}`, admin.token, { country: 'RO' }));
      expect((await api('GET', '/notifications', before)).status).toBe(401);
      const roToken = ok(await signIn(username, password));
      expect(roToken.user).toMatchObject({ country: 'RO' });

      ok(await api('PATCH', `/admin/users/${userId}`, admin.token, { active: false }));
      expect((await api('GET', '/notifications', roToken.access_token)).status).toBe(401);
      expect((await signIn(username, password)).status).toBe(401);

      ok(await api('PATCH', `/admin/users/${userId}`, admin.token, { active: true }));
      expect((await signIn(username, password)).status).toBe(200);
    });

    it('names bad changes; an admin cannot lock themselves out', async () => {
      const empty = await api('PATCH', `/admin/users/${userId}`, admin.token, {});
      expect(empty.status).toBe(400);
      const bad = await api('PATCH', `/admin/users/${userId}`, admin.token, {
        roles: [],
        country: 'gr',
        active: 'no',
      });
      expect(bad.status).toBe(400);
      expect(fields(bad).sort()).toEqual(['active', 'country', 'roles']);
      expect(
        (await api('PATCH', `/admin/users/${admin.id}`, admin.token, { active: false })).status,
      ).toBe(409);
      expect(
        (await api('PATCH', `/admin/users/${admin.id}`, admin.token, { roles: ['auditor'] }))
          .status,
      ).toBe(409);
      expect((await api('GET', '/admin/users', admin.token)).status).toBe(200);
    });
  });

  describe('participating countries', () => {
    it('lists the pilot’s 52 countries as seeded', async () => {
      const { items } = ok(await api<{ items: Body[] }>('GET', '/admin/countries', admin.token));
      const active = items.filter((c) => c.active).map((c) => c.country);
      expect(active).toEqual(expect.arrayContaining(['FR', 'BR', 'GR', 'RO', 'ZA']));
      expect(active.length).toBeGreaterThanOrEqual(52);
    });

    it('a removed country cannot be targeted (400 naming targetCountries); adding it back can', async () => {
      const res = await api('DELETE', '/admin/countries/RO', admin.token);
      expect(res.status).toBe(204);
      expect((await api('DELETE', '/admin/countries/RO', admin.token)).status).toBe(204);
      const refused = await api(
        'POST',
        '/trace-requests',
        inv.token,
        validRequestBody({ targetCountries: ['FR', 'RO'] }),
      );
      expect(refused.status).toBe(400);
      expect(fields(refused)).toEqual(['targetCountries']);
      expect(JSON.stringify(refused.body)).toContain('RO');

      const back = await api<Body>('PUT', '/admin/countries/RO', admin.token);
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ country: 'RO', active: true });
      expect(
        (
          await api(
            'POST',
            '/trace-requests',
            inv.token,
            validRequestBody({ targetCountries: ['FR', 'RO'] }),
          )
        ).status,
      ).toBe(201);
    });

    it('adds a new country once (201, then 200); validates the code; 404 for one never listed', async () => {
      expect((await api('PUT', '/admin/countries/MC', admin.token)).status).toBe(201);
      expect((await api('PUT', '/admin/countries/MC', admin.token)).status).toBe(200);
      expect((await api('DELETE', '/admin/countries/MC', admin.token)).status).toBe(204);
      const bad = await api('PUT', '/admin/countries/XX', admin.token);
      expect(bad.status).toBe(400);
      expect(fields(bad)).toEqual(['country']);
      expect((await api('DELETE', '/admin/countries/KP', admin.token)).status).toBe(404);
    });
  });

  describe('quotas', () => {
    it('validates the limit, the year and the country', async () => {
      for (const [path, body, field] of [
        [`/admin/quotas/GR/${YEAR}`, { limit: -1 }, 'limit'],
        [`/admin/quotas/GR/${YEAR}`, {}, 'limit'],
        [`/admin/quotas/GR/${YEAR}`, { limit: 'ten' }, 'limit'],
        [`/admin/quotas/GR/1999`, { limit: 3 }, 'year'],
        [`/admin/quotas/gr/${YEAR}`, { limit: 3 }, 'country'],
      ] as [string, Body, string][]) {
        const res = await api('PUT', path, admin.token, body);
        expect({ path, body, status: res.status, fields: fields(res) }).toEqual({
          path,
          body,
          status: 400,
          fields: [field],
        });
      }
      expect((await api('GET', '/admin/quotas?year=soon', admin.token)).status).toBe(400);
    });

    it('a limit of 0 refuses the submission (409); back to the default it goes out', async () => {
      const id = await approved();
      const set = ok(await api('PUT', `/admin/quotas/GR/${YEAR}`, admin.token, { limit: 0 }));
      expect(set).toMatchObject({ country: 'GR', year: YEAR, limit: 0, customLimit: 0 });
      // Setting the same limit again is the same state.
      expect(ok(await api('PUT', `/admin/quotas/GR/${YEAR}`, admin.token, { limit: 0 }))).toEqual(
        set,
      );
      const spent = await api('POST', `/trace-requests/${id}/interpol-submission`, ncb.token, {
        ...ATTESTATION,
      });
      expect(spent.status).toBe(409);

      ok(await api('PUT', `/admin/quotas/GR/${YEAR}`, admin.token, { limit: null }));
      const sent = ok(
        await api('POST', `/trace-requests/${id}/interpol-submission`, ncb.token, ATTESTATION),
      );
      expect(sent.status).toBe('SUBMITTED');
      const { items, defaultLimit } = ok(
        await api<{ items: Body[]; defaultLimit: number }>(
          'GET',
          `/admin/quotas?year=${YEAR}`,
          admin.token,
        ),
      );
      expect(defaultLimit).toBe(1000);
      expect(items.find((q) => q.country === 'GR')).toEqual({
        country: 'GR',
        year: YEAR,
        limit: 1000,
        customLimit: null,
        used: 1,
      });
      expect(items.find((q) => q.country === 'RO')).toMatchObject({ used: 0, limit: 1000 });
    });
  });

  describe('deadlines', () => {
    it('shows the environment’s defaults', async () => {
      const d = ok(await api('GET', '/admin/deadlines', admin.token));
      expect(d).toMatchObject({
        countryDeadline: 'P60D',
        reviewReminderAfter: 'P2D',
        countryDeadlines: {},
        defaults: { countryDeadline: 'P60D', validity: 'P5Y' },
      });
    });

    it('validates each duration, naming the field', async () => {
      const bad = await api('PATCH', '/admin/deadlines', admin.token, {
        countryDeadline: '60 days',
        validity: 'P0D',
        countryRemindersBefore: ['P14D', 'soon'],
        unknown: 'P1D',
      });
      expect(bad.status).toBe(400);
      expect(fields(bad).sort()).toEqual(
        ['countryDeadline', 'countryRemindersBefore[1]', 'unknown', 'validity'].sort(),
      );
      const order = await api('PATCH', '/admin/deadlines', admin.token, {
        reviewEscalationAfter: 'P1D',
      });
      expect(order.status).toBe(400);
      expect(fields(order)).toEqual(['reviewEscalationAfter']);
      expect((await api('PATCH', '/admin/deadlines', admin.token, {})).status).toBe(400);
      const notIn = await api('PUT', '/admin/deadlines/countries/KP', admin.token, {
        countryDeadline: 'P20D',
      });
      expect(notIn.status).toBe(400);
      expect(fields(notIn)).toEqual(['country']);
      expect(fields(await api('PUT', '/admin/deadlines/countries/RO', admin.token, {}))).toEqual([
        'countryDeadline',
      ]);
      expect(ok(await api('GET', '/admin/deadlines', admin.token))).toMatchObject({
        countryDeadline: 'P60D',
        reviewEscalationAfter: 'P5D',
      });
    });

    it('apply to requests started afterwards, not to those already running', async () => {
      const before = await approved();

      const set = ok(
        await api('PATCH', '/admin/deadlines', admin.token, { countryDeadline: 'P30D' }),
      );
      expect(set).toMatchObject({ countryDeadline: 'P30D', defaults: { countryDeadline: 'P60D' } });
      ok(
        await api('PUT', '/admin/deadlines/countries/RO', admin.token, { countryDeadline: 'P20D' }),
      );
      // Idempotent: the same change again leaves the same settings.
      const again = ok(
        await api('PUT', '/admin/deadlines/countries/RO', admin.token, { countryDeadline: 'P20D' }),
      );
      expect(again).toMatchObject({ countryDeadline: 'P30D', countryDeadlines: { RO: 'P20D' } });

      const after = await approved();
      for (const id of [before, after]) {
        ok(await api('POST', `/trace-requests/${id}/interpol-submission`, ncb.token, ATTESTATION));
        await publish(id);
      }
      expect(await deadlineDays(before)).toEqual({ FR: 60, RO: 60 });
      expect(await deadlineDays(after)).toEqual({ FR: 30, RO: 20 });

      // Back to the defaults.
      ok(await api('DELETE', '/admin/deadlines/countries/RO', admin.token));
      const reset = ok(
        await api('PATCH', '/admin/deadlines', admin.token, { countryDeadline: null }),
      );
      expect(reset).toMatchObject({ countryDeadline: 'P60D', countryDeadlines: {} });
    });
  });

  it('an old token of the admin keeps working across others’ changes (no collateral revocation)', async () => {
    expect((await api('GET', '/admin/users', admin.token)).status).toBe(200);
    expect(await login(sys.baseUrl, inv.username)).toBeTruthy();
  });
});
