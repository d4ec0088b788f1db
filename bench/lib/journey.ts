// The journey the benchmark and the fault run drive over HTTP, lean and timed per API call:
// create, submit, approve, submission to INTERPOL, published by the simulated GS, three country
// answers (acknowledgement and final answer each), close. No jest here: each step checks its
// status and throws with the answer if it is not the expected one.
import { randomUUID } from 'node:crypto';
import { validRequestBody } from '../../libs/domain/src/testing/fixtures';
import type { TraceRequestContent } from '../../libs/domain/src/types';
import type { Latencies } from './metrics';

export const JOURNEY_COUNTRIES = { FR: 'found', DE: 'none', ES: 'none' } as const;
/** Simulator messages per journey: a decision, then an acknowledgement and an answer each. */
export const RESPONSES_PER_JOURNEY = 6;

export interface Users {
  inv: string;
  sup: string;
  ncb: string;
}

export type Body = Record<string, unknown>;

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface Driver {
  apiUrl: string;
  simUrl: string;
  users: Users;
  latencies?: Latencies;
  /** Bound of waiting for the system to move on (ms). */
  waitMs?: number;
  /**
   * Fault mode: a call that fails at the transport or with a 5xx (the API or a dependency is
   * down) is retried, and a command whose answer was lost counts as done once the request shows
   * its effect (only creation takes an Idempotency-Key).
   */
  retryUnavailable?: boolean;
  /** Counts answers below 500, so the fault run can see the system serve again. */
  onAnswer?: (status: number) => void;
  /** 5xx answers seen (fault mode retries them), by status. */
  unavailable?: Record<string, number>;
}

/** The lifecycle order of the statuses this journey walks through. */
const ORDER = ['DRAFT', 'IN_REVIEW', 'APPROVED', 'SUBMITTED', 'PUBLISHED', 'COMPLETED', 'CLOSED'];
const reached = (status: unknown, target: string) =>
  ORDER.indexOf(status as string) >= ORDER.indexOf(target);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function call(
  d: Driver,
  label: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Body }> {
  const deadline = Date.now() + (d.waitMs ?? 120_000);
  // Safe to repeat on a 503: reads, and creations under an Idempotency-Key.
  const retry503 = method === 'GET' || 'idempotency-key' in headers;
  for (;;) {
    const h: Record<string, string> = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    const t0 = performance.now();
    let status = 0;
    let parsed: Body = {};
    try {
      const res = await fetch(`${d.apiUrl}${path}`, {
        method,
        headers: h,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      status = res.status;
      parsed = text ? (JSON.parse(text) as Body) : {};
    } catch (err) {
      if (!d.retryUnavailable || Date.now() > deadline) throw err;
      if (d.unavailable) d.unavailable.transport = (d.unavailable.transport ?? 0) + 1;
      await sleep(250);
      continue;
    }
    const retry =
      Date.now() < deadline && (d.retryUnavailable ? status >= 500 : status === 503 && retry503);
    if (retry) {
      // A 500 is a bug even during an outage (503 is the contract): keep where it happened.
      const key = status === 503 ? '503' : `${status} ${label}`;
      if (d.unavailable) d.unavailable[key] = (d.unavailable[key] ?? 0) + 1;
      await sleep(250);
      continue;
    }
    if (status < 500) d.onAnswer?.(status);
    d.latencies?.add(label, performance.now() - t0);
    return { status, body: parsed };
  }
}

async function expectStatus(
  d: Driver,
  label: string,
  method: string,
  path: string,
  token: string,
  expected: number,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Body> {
  const res = await call(d, label, method, path, token, body, headers);
  if (res.status !== expected) {
    throw new HttpError(`${label}: ${res.status} ${JSON.stringify(res.body)}`, res.status);
  }
  return res.body;
}

/**
 * A command on a request. In fault mode an unexpected answer (e.g. 409 because an attempt
 * whose answer was lost already moved the request) is fine once the request shows `target`.
 */
async function command(
  d: Driver,
  label: string,
  id: string,
  action: string,
  token: string,
  target: string,
  body?: unknown,
): Promise<void> {
  const path = `/api/v1/trace-requests/${id}/${action}`;
  const deadline = Date.now() + (d.waitMs ?? 120_000);
  let lost = false;
  for (;;) {
    const res = await call(d, label, 'POST', path, token, body);
    if (res.status === 200) return;
    // 503: "the workflow engine did not answer in time; the action may still be recorded, read
    // the request before retrying" - which is what a client does, in every mode. Once an answer
    // was lost, a later 409 may only mean the lost attempt went through: read again.
    if (res.status === 503) {
      lost = true;
      if (d.unavailable) d.unavailable[503] = (d.unavailable[503] ?? 0) + 1;
    }
    if (!d.retryUnavailable && !lost) {
      throw new HttpError(`${label}: ${res.status} ${JSON.stringify(res.body)}`, res.status);
    }
    const view = await call(
      d,
      'GET /trace-requests/:id',
      'GET',
      `/api/v1/trace-requests/${id}`,
      token,
    );
    if (view.status === 200 && reached(view.body.status, target)) return;
    if (Date.now() > deadline) {
      throw new HttpError(`${label}: ${res.status} ${JSON.stringify(res.body)}`, res.status);
    }
    await sleep(250);
  }
}

export async function signIn(apiUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${apiUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) {
    throw new Error(`sign-in of ${username}: ${res.status} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

/** The demo office (ZA), seeded by the API outside production mode. */
export async function demoUsers(apiUrl: string): Promise<Users> {
  const password = process.env.SILVERTRACE_DEMO_PASSWORD || 'demo-password';
  const [inv, sup, ncb] = await Promise.all(
    ['investigator.za', 'supervisor.za', 'ncb.za'].map((u) => signIn(apiUrl, u, password)),
  );
  return { inv, sup, ncb };
}

/**
 * The tests' request body (validRequestBody), leaner: no aliases or identity documents, one asset
 * and a shorter summary.
 */
export function requestBody(tag: string, countries: string[]): TraceRequestContent {
  const full = validRequestBody();
  const { aliases: _aliases, identityDocuments: _documents, ...subject } = full.subject;
  return validRequestBody({
    caseReference: `CAS-BENCH-${tag}`,
    subject,
    assets: full.assets.slice(0, 1),
    targetCountries: countries,
    factsSummary: 'The subject is suspected of laundering tender-fraud proceeds abroad.',
  });
}

async function simControl(d: Driver, reference: string, control: Body): Promise<void> {
  const deadline = Date.now() + (d.waitMs ?? 120_000);
  for (;;) {
    try {
      const res = await fetch(`${d.simUrl}/control/requests/${reference}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(control),
      });
      if (res.ok) return;
      throw new Error(`simulator control ${reference}: ${res.status} ${await res.text()}`);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}

/** Polls the request until its status is one of `statuses`. */
async function until(d: Driver, id: string, statuses: string[], token: string): Promise<Body> {
  const deadline = Date.now() + (d.waitMs ?? 120_000);
  for (;;) {
    const view = await expectStatus(
      d,
      'GET /trace-requests/:id',
      'GET',
      `/api/v1/trace-requests/${id}`,
      token,
      200,
    );
    if (statuses.includes(view.status as string)) return view;
    if (Date.now() > deadline) {
      throw new Error(`request ${id} still ${String(view.status)}, not ${statuses.join('|')}`);
    }
    await sleep(200);
  }
}

export interface Created {
  id: string;
  reference: string;
}

/** Create, submit, approve, submit to INTERPOL; the simulator is told how to answer first. */
export async function openRequest(
  d: Driver,
  countries: Record<string, string>,
  tag = randomUUID().slice(0, 8).toUpperCase(),
): Promise<Created> {
  const { inv, sup, ncb } = d.users;
  const created = await expectStatus(
    d,
    'POST /trace-requests',
    'POST',
    '/api/v1/trace-requests',
    inv,
    201,
    requestBody(tag, Object.keys(countries)),
    { 'idempotency-key': `bench-${tag}` },
  );
  const id = created.id as string;
  const reference = created.reference as string;
  await simControl(d, reference, { gsDecision: 'publish', countries });
  await command(d, 'POST /:id/submit', id, 'submit', inv, 'IN_REVIEW');
  await command(d, 'POST /:id/review', id, 'review', sup, 'APPROVED', { decision: 'approve' });
  await command(d, 'POST /:id/interpol-submission', id, 'interpol-submission', ncb, 'SUBMITTED', {
    attestation: { article3Neutrality: true, dataQualityChecked: true },
  });
  return { id, reference };
}

/** The whole journey; resolves with the request once CLOSED. */
export async function journey(d: Driver): Promise<Created> {
  const req = await openRequest(d, { ...JOURNEY_COUNTRIES });
  await until(d, req.id, ['COMPLETED'], d.users.ncb);
  await command(d, 'POST /:id/close', req.id, 'close', d.users.ncb, 'CLOSED', {
    summary: 'Assets located in France; none in Germany or Spain.',
  });
  return req;
}

/** Until the request is published (its country tracks started). */
export async function untilPublished(d: Driver, id: string): Promise<void> {
  await until(d, id, ['PUBLISHED'], d.users.inv);
}

/** Runs `task` `total` times with at most `inFlight` at once; onDone after each. */
export async function pool<T>(
  total: number,
  inFlight: number,
  task: (i: number) => Promise<T>,
  onDone: (result: T) => void = () => {},
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, total) }, async () => {
      while (next < total) {
        const i = next++;
        const r = await task(i);
        results[i] = r;
        onDone(r);
      }
    }),
  );
  return results;
}
