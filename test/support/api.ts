// The calls an API suite makes over real HTTP: /api/v1 routes with a bearer token, the expected
// status checked, the fields a 400 names; and the stack such a suite starts with INTERPOL faked.
// Accounts come from ./accounts (makeAccount).
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { http, savedEnv, startSystem, type HttpResult, type RunningSystem } from './e2e';
import { fakeInterpol, type FakeInterpol, type Problem } from './fake-interpol';

export type Body = Record<string, unknown>;

/** What the NCB attests when it submits a request to INTERPOL. */
export const ATTESTATION = { attestation: { article3Neutrality: true, dataQualityChecked: true } };

export type Api = <T = Body>(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<HttpResult<T>>;

/**
 * A call to `/api/v1${path}` of the API at `baseUrl()` (read at each call: suites start the API in
 * beforeAll, after they make the client).
 */
export function apiClient(baseUrl: () => string): Api {
  return <T = Body>(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
    headers?: Record<string, string>,
  ) => http<T>(baseUrl(), method, `/api/v1${path}`, { token, body, headers });
}

/** The body of a response with the expected status; anything else throws with what came back. */
export function ok<T = Body>(res: HttpResult<T>, status = 200): T {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The fields a problem response (400) names. */
export const fields = (res: HttpResult<unknown>) =>
  ((res.body as Problem).errors ?? []).map((e) => e.field);

export interface FakeInterpolStack {
  sys: RunningSystem;
  db: DataSource;
  interpol: FakeInterpol;
}

/**
 * An API suite's stack with INTERPOL played by fakeInterpol: `start()` (its beforeAll) saves the
 * environment, starts the fake, then the API and a worker pointed at it with a yearly quota of
 * 1000, then a database pool; `stop()` (its afterAll) closes what started and puts the
 * environment back (INTERPOL_GATEWAY_URL, QUOTA_PER_YEAR and any `envKeys` the suite changes).
 */
export function fakeInterpolStack(opts: { envKeys?: readonly string[]; poolSize?: number } = {}) {
  const env = savedEnv(['INTERPOL_GATEWAY_URL', 'QUOTA_PER_YEAR', ...(opts.envKeys ?? [])]);
  const started: Partial<FakeInterpolStack> = {};
  return {
    env,
    async start(): Promise<FakeInterpolStack> {
      env.save();
      const interpol = (started.interpol = await fakeInterpol());
      process.env.INTERPOL_GATEWAY_URL = interpol.url;
      process.env.QUOTA_PER_YEAR = '1000';
      const sys = (started.sys = await startSystem());
      const db = (started.db = await new DataSource(
        dataSourceOptions(process.env.DATABASE_URL!, opts.poolSize ?? 2),
      ).initialize());
      return { sys, db, interpol };
    },
    async stop(): Promise<void> {
      await started.sys?.close();
      await started.db?.destroy();
      await started.interpol?.close();
      env.restore();
    },
  };
}
