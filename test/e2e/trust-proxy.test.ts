// TRUST_PROXY: per-IP rate limits key on the client's address as the trusted proxies report it,
// and on the socket's address (whatever X-Forwarded-For says) when no proxy is trusted. Each
// describe starts its own API (the limits' counters live in the process) with a sign-in budget
// of 3 a minute per IP; the sign-ins are empty bodies (400, counted all the same).
import { loadConfig } from '../../libs/config/src';
import { http, startSystem, type RunningSystem } from '../support/e2e';

function withEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** Statuses of sign-in attempts, each with the X-Forwarded-For given (or none). */
async function signIns(sys: RunningSystem, forwardedFor: (string | undefined)[]) {
  const out: number[] = [];
  for (const xff of forwardedFor) {
    const res = await http(sys.baseUrl, 'POST', '/api/v1/auth/token', {
      body: {},
      headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
    });
    out.push(res.status);
  }
  return out;
}

describe('TRUST_PROXY', () => {
  it('parses off, hop counts and proxy addresses; refuses true and garbage, naming it', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    for (const bad of ['true', '11', '10.0.0.0/33', 'proxy.example', '1.2.3']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });

  describe('off (the default): X-Forwarded-For is ignored', () => {
    let sys: RunningSystem;
    let restore: () => void;
    beforeAll(async () => {
      restore = withEnv({ TRUST_PROXY: undefined, RATE_LIMIT_AUTH_PER_MINUTE: '3' });
      sys = await startSystem({ worker: false });
    });
    afterAll(async () => {
      await sys?.close();
      restore?.();
    });

    it('a client naming a new address each time still spends one budget (429)', async () => {
      expect(await signIns(sys, ['198.51.100.1', '198.51.100.2', '198.51.100.3'])).toEqual([
        400, 400, 400,
      ]);
      expect(await signIns(sys, ['198.51.100.4', undefined])).toEqual([429, 429]);
    });
  });

  describe('loopback trusted (the API behind a proxy on this host)', () => {
    let sys: RunningSystem;
    let restore: () => void;
    beforeAll(async () => {
      restore = withEnv({ TRUST_PROXY: 'loopback', RATE_LIMIT_AUTH_PER_MINUTE: '3' });
      sys = await startSystem({ worker: false });
    });
    afterAll(async () => {
      await sys?.close();
      restore?.();
    });

    it('limits each client address the proxy reports on its own', async () => {
      const a = '203.0.113.10';
      const b = '203.0.113.20';
      expect(await signIns(sys, [a, a, a, a])).toEqual([400, 400, 400, 429]);
      // Another client behind the same proxy has its own budget.
      expect(await signIns(sys, [b])).toEqual([400]);
      // A client that prepends made-up addresses is still known by the one the proxy appended.
      expect(await signIns(sys, [`192.0.2.1, ${a}`, `192.0.2.2, ${a}`])).toEqual([429, 429]);
    });
  });
});
