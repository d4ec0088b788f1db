import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsersService } from '../../apps/api/src/auth/users.service';
import { loadConfig } from '../../libs/config/src';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { makeAccount, type Account } from '../support/accounts';
import { http, login, startSystem, type RunningSystem } from '../support/e2e';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** A JWT signed as the API signs them (HS256 over header.payload). */
function sign(payload: object, secret: string, header: object = { alg: 'HS256', typ: 'JWT' }) {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

/** Sets env for one app instance and gives back a function restoring it. */
function withEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

describe('auth hardening: tokens, logout, lockout, password policy, CORS', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let restoreEnv: () => void;
  const secret = loadConfig().jwt.secret;

  const me = (token: string | undefined) =>
    http(sys.baseUrl, 'GET', '/api/v1/notifications', { token });
  const signIn = (username: string, password: string) =>
    http<{ access_token: string }>(sys.baseUrl, 'POST', '/api/v1/auth/token', {
      body: { username, password },
    });
  const lockOf = async (id: string) =>
    (
      (await db.query(`SELECT failed_logins, locked_until FROM users WHERE id = $1`, [id])) as {
        failed_logins: number;
        locked_until: Date | null;
      }[]
    )[0];

  beforeAll(async () => {
    // This suite signs in more than the default 20 a minute from one IP; the limit itself is
    // tested on an app of its own below.
    restoreEnv = withEnv({ RATE_LIMIT_AUTH_PER_MINUTE: '1000', LOG_LEVEL: 'error' });
    sys = await startSystem({ worker: false });
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
  });

  afterAll(async () => {
    await sys?.close();
    await db?.destroy();
    restoreEnv?.();
  });

  describe('tampered tokens', () => {
    let user: Account;
    beforeAll(async () => {
      user = await makeAccount(db, sys.baseUrl, ['investigator'], 'ZA', 'tamper');
    });

    it('accepts the genuine token', async () => {
      expect((await me(user.token)).status).toBe(200);
    });

    it.each([
      [
        'alg none, unsigned',
        () => `${b64({ alg: 'none', typ: 'JWT' })}.${user.token.split('.')[1]}.`,
      ],
      [
        'alg none, signature kept',
        () => {
          const [, payload, sig] = user.token.split('.');
          return `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.${sig}`;
        },
      ],
      ['a wrong secret', () => sign(claimsOf(user.token), 'not-the-secret-not-the-secret')],
      [
        'elevated roles under the original signature',
        () => {
          const [header, , sig] = user.token.split('.');
          return `${header}.${b64({ ...claimsOf(user.token), roles: ['admin', 'ncb_officer'] })}.${sig}`;
        },
      ],
      [
        'HS512 instead of HS256',
        () => {
          const unsigned = `${b64({ alg: 'HS512', typ: 'JWT' })}.${user.token.split('.')[1]}`;
          return `${unsigned}.${createHmac('sha512', secret).update(unsigned).digest('base64url')}`;
        },
      ],
      [
        'expired (the real secret, exp in the past)',
        () => {
          const now = Math.floor(Date.now() / 1000);
          return sign({ ...claimsOf(user.token), iat: now - 3600, exp: now - 60 }, secret);
        },
      ],
      ['another issuer', () => sign({ ...claimsOf(user.token), iss: 'someone-else' }, secret)],
      ['an unknown subject', () => sign({ ...claimsOf(user.token), sub: randomUUID() }, secret)],
      [
        'a subject that is no uuid',
        () => sign({ ...claimsOf(user.token), sub: "x' OR 1=1" }, secret),
      ],
      ['a stale token version', () => sign({ ...claimsOf(user.token), tv: 99 }, secret)],
    ])('answers 401 to %s', async (_what, forge) => {
      const res = await me(forge());
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  describe('logout', () => {
    it('revokes every token issued so far, and a new sign-in works again', async () => {
      const user = await makeAccount(db, sys.baseUrl, ['auditor'], 'ZA', 'logout');
      const second = await login(sys.baseUrl, user.username);
      expect((await me(user.token)).status).toBe(200);

      const out = await http(sys.baseUrl, 'POST', '/api/v1/auth/logout', { token: user.token });
      expect(out.status).toBe(204);
      expect((await me(user.token)).status).toBe(401);
      expect((await me(second)).status).toBe(401);
      // Logging out again with the revoked token is just another 401.
      expect(
        (await http(sys.baseUrl, 'POST', '/api/v1/auth/logout', { token: user.token })).status,
      ).toBe(401);

      const fresh = await login(sys.baseUrl, user.username);
      expect((await me(fresh)).status).toBe(200);
    });

    it('needs a token', async () => {
      expect((await http(sys.baseUrl, 'POST', '/api/v1/auth/logout')).status).toBe(401);
    });
  });

  describe('lockout', () => {
    it('locks after 5 failures for a minute, refuses even the right password, then doubles', async () => {
      const user = await makeAccount(db, sys.baseUrl, ['investigator'], 'ZA', 'brute', {
        signIn: false,
      });
      for (let i = 0; i < 5; i++) {
        expect((await signIn(user.username, `guess-${i}`)).status).toBe(401);
      }
      let lock = await lockOf(user.id);
      expect(lock.failed_logins).toBe(5);
      const lockedFor = (lock.locked_until!.getTime() - Date.now()) / 1000;
      expect(lockedFor).toBeGreaterThan(50);
      expect(lockedFor).toBeLessThanOrEqual(61);

      // Locked: the right password answers the same 401, and guessing does not extend the lock.
      const locked = await signIn(user.username, user.password);
      expect(locked.status).toBe(401);
      expect(locked.body).toMatchObject({ detail: 'invalid username or password' });
      expect((await signIn(user.username, 'guess-5')).status).toBe(401);
      expect((await lockOf(user.id)).failed_logins).toBe(5);

      // The minute passes (moved, not waited for); one more failure locks for two minutes.
      await db.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [
        user.id,
      ]);
      expect((await signIn(user.username, 'guess-6')).status).toBe(401);
      lock = await lockOf(user.id);
      expect(lock.failed_logins).toBe(6);
      const doubled = (lock.locked_until!.getTime() - Date.now()) / 1000;
      expect(doubled).toBeGreaterThan(110);
      expect(doubled).toBeLessThanOrEqual(121);

      // Once the lock ends the right password works and the count starts again.
      await db.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [
        user.id,
      ]);
      expect((await signIn(user.username, user.password)).status).toBe(200);
      lock = await lockOf(user.id);
      expect(lock).toEqual({ failed_logins: 0, locked_until: null });
    });

    it('counts concurrent failures, every one of them', async () => {
      const user = await makeAccount(db, sys.baseUrl, ['investigator'], 'ZA', 'burst', {
        signIn: false,
      });
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => signIn(user.username, `burst-${i}`)),
      );
      expect(results.every((r) => r.status === 401)).toBe(true);
      const lock = await lockOf(user.id);
      expect(lock.failed_logins).toBeGreaterThanOrEqual(5);
      expect(lock.locked_until).not.toBeNull();
    });

    it('never locks an unknown name (nothing to lock, same answer)', async () => {
      for (let i = 0; i < 6; i++) {
        expect((await signIn(`nobody-${randomUUID()}`, 'whatever')).status).toBe(401);
      }
    });
  });

  describe('password policy for new passwords', () => {
    const create = (username: string, password: string) =>
      sys.api
        .get(UsersService)
        .createUser({ username, password, roles: ['auditor'], country: 'ZA' });

    it.each([
      ['shorter than 12 characters', 'short-pw-11'],
      ['the username itself', 'USERNAME-SLOT'],
      ['containing the username', 'xx-USERNAME-SLOT-xx'],
    ])('refuses a password %s with a 400 naming the field', async (_what, template) => {
      const username = `pwpolicy.${randomUUID().slice(0, 8)}`;
      const password = template.replace('USERNAME-SLOT', username);
      await expect(create(username, password)).rejects.toMatchObject({
        status: 400,
        response: {
          errors: expect.arrayContaining([expect.objectContaining({ field: 'password' })]),
        },
      });
      expect(
        Number(
          (await db.query(`SELECT count(*) AS n FROM users WHERE username = $1`, [username]))[0].n,
        ),
      ).toBe(0);
    });

    it('accepts a long enough password and the account can sign in', async () => {
      const username = `pwpolicy.${randomUUID().slice(0, 8)}`;
      const password = 'correct horse battery staple';
      await create(username, password);
      expect((await signIn(username, password)).status).toBe(200);
    });
  });

  describe('CORS', () => {
    it('sends no CORS headers without CORS_ORIGINS (same-origin only)', async () => {
      const res = await fetch(`${sys.baseUrl}/api/v1/auth/token`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
        },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});

describe('rate limits and CORS allow-list (an app with low limits of its own)', () => {
  let sys: RunningSystem;
  let db: DataSource;
  let restoreEnv: () => void;

  beforeAll(async () => {
    restoreEnv = withEnv({
      RATE_LIMIT_PER_MINUTE: '6',
      RATE_LIMIT_AUTH_PER_MINUTE: '3',
      CORS_ORIGINS: 'https://ui.example,https://admin.example',
      LOG_LEVEL: 'error',
    });
    sys = await startSystem({ worker: false });
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
  });

  afterAll(async () => {
    await sys?.close();
    await db?.destroy();
    restoreEnv?.();
  });

  it('limits sign-in per IP, then each user on their own budget, with 429 problem+json', async () => {
    // Two sign-ins and one failure spend the IP's sign-in budget of 3.
    const a = await makeAccount(db, sys.baseUrl, ['investigator'], 'ZA', 'rl-a');
    const b = await makeAccount(db, sys.baseUrl, ['investigator'], 'ZA', 'rl-b');
    const tokenUrl = '/api/v1/auth/token';
    const wrong = { username: a.username, password: 'wrong-password-1' };
    expect((await http(sys.baseUrl, 'POST', tokenUrl, { body: wrong })).status).toBe(401);
    const limited = await http(sys.baseUrl, 'POST', tokenUrl, {
      body: { username: a.username, password: a.password },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(limited.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(Number(limited.headers.get('retry-after-sign-in'))).toBeGreaterThan(0);

    // User a spends its 6 a minute; user b, from the same IP, still has its own.
    for (let i = 0; i < 6; i++) {
      expect(
        (await http(sys.baseUrl, 'GET', '/api/v1/notifications', { token: a.token })).status,
      ).toBe(200);
    }
    const over = await http(sys.baseUrl, 'GET', '/api/v1/notifications', { token: a.token });
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ status: 429 });
    expect(
      (await http(sys.baseUrl, 'GET', '/api/v1/notifications', { token: b.token })).status,
    ).toBe(200);

    // Health probes are never limited.
    for (let i = 0; i < 10; i++) {
      expect((await http(sys.baseUrl, 'GET', '/health/live')).status).toBe(200);
    }
  });

  it('limits callers without a valid token per IP (bad tokens included)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(
        (await http(sys.baseUrl, 'GET', '/api/v1/notifications', { token: `forged-${i}` })).status,
      );
    }
    // The IP already spent 4 of its 6 on sign-ins in the test above.
    expect(statuses).toContain(401);
    expect(statuses.at(-1)).toBe(429);
  });

  it('answers CORS for an allowed origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${sys.baseUrl}/api/v1/trace-requests`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const ok = await preflight('https://ui.example');
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://ui.example');
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});
