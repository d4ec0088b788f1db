// GET /metrics over real HTTP: Prometheus text with HTTP request counts and latency histograms by
// method, route template (never a raw path with ids) and status, and the process's metrics; open
// without METRICS_TOKEN, bearer-protected with it (a user's token does not read it).
import { randomUUID } from 'node:crypto';
import { http, startSystem, type RunningSystem } from '../support/e2e';

/** The value of one sample line, or undefined when the series does not exist. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.indexOf('}'));
    const have = inner.split(',');
    if (want.every((w) => have.includes(w))) return Number(line.split(' ').pop());
  }
  return undefined;
}

describe('GET /metrics', () => {
  const saved = process.env.METRICS_TOKEN;
  let sys: RunningSystem | undefined;

  afterEach(async () => {
    await sys?.close();
    sys = undefined;
    if (saved === undefined) delete process.env.METRICS_TOKEN;
    else process.env.METRICS_TOKEN = saved;
  });

  it('counts and times requests by route template and status, with process metrics (open without METRICS_TOKEN)', async () => {
    delete process.env.METRICS_TOKEN;
    sys = await startSystem({ worker: false });
    const id = randomUUID();
    expect((await http(sys.baseUrl, 'GET', '/health/live')).status).toBe(200);
    expect((await http(sys.baseUrl, 'GET', '/health/live')).status).toBe(200);
    expect((await http(sys.baseUrl, 'GET', `/api/v1/trace-requests/${id}`)).status).toBe(401);
    expect((await http(sys.baseUrl, 'GET', `/api/v1/no/such/${id}`)).status).toBe(404);

    const res = await fetch(`${sys.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = await res.text();
    const count = (route: string, status: string, method = 'GET') =>
      sample(text, 'http_requests_total', { method, route, status });
    expect(count('/health/live', '200')).toBe(2);
    expect(count('/api/v1/trace-requests/:id', '401')).toBe(1);
    expect(count('unmatched', '404')).toBe(1);
    // No series carries a raw id.
    expect(text).not.toContain(id);
    expect(
      sample(text, 'http_request_duration_seconds_bucket', {
        route: '/health/live',
        status: '200',
        le: '+Inf',
      }),
    ).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_count', { route: '/health/live' })).toBe(2);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toMatch(new RegExp(`^${name} \\d`, 'm'));
    }
  }, 60_000);

  it('asks for METRICS_TOKEN as a bearer token when it is set', async () => {
    const token = `metrics-${randomUUID()}`;
    process.env.METRICS_TOKEN = token;
    sys = await startSystem({ worker: false });
    const none = await http<{ status: number; detail: string }>(sys.baseUrl, 'GET', '/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(none.body.detail).toMatch(/metrics bearer token/);
    const wrong = await http(sys.baseUrl, 'GET', '/metrics', {
      headers: { authorization: `Bearer ${token}x` },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${sys.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(right.status).toBe(200);
    const text = await right.text();
    // The refused scrapes are counted too.
    expect(sample(text, 'http_requests_total', { route: '/metrics', status: '401' })).toBe(2);
  }, 60_000);
});
