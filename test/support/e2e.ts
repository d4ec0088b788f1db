import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApiApp } from '../../apps/api/src/main';
import { WorkerModule } from '../../apps/worker/src/worker.module';

export interface RunningSystem {
  baseUrl: string;
  taskQueue: string;
  api: INestApplication;
  worker?: INestApplicationContext;
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real API (listening on a loopback port) and a real Worker, against the PostgreSQL and
 * Temporal servers that globalSetup started. Each suite gets its own task queue.
 */
export async function startSystem(opts: { worker?: boolean } = {}): Promise<RunningSystem> {
  const taskQueue = `e2e-${randomUUID()}`;
  process.env.TEMPORAL_TASK_QUEUE = taskQueue;
  process.env.LOG_LEVEL ??= 'warn';
  const api = await createApiApp();
  await api.listen(0, '127.0.0.1');
  const port = (api.getHttpServer().address() as AddressInfo).port;
  const system: RunningSystem = {
    baseUrl: `http://127.0.0.1:${port}`,
    taskQueue,
    api,
    async startWorker() {
      if (system.worker) return;
      const ctx = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
      try {
        await ctx.init();
      } catch (err) {
        // A worker that fails at boot (a refused TLS handshake...) stops what did start.
        await ctx.close().catch(() => undefined);
        throw err;
      }
      system.worker = ctx;
    },
    async stopWorker() {
      await system.worker?.close();
      system.worker = undefined;
    },
    async close() {
      await system.stopWorker();
      await api.close();
    },
  };
  if (opts.worker !== false) await system.startWorker();
  return system;
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small JSON client over real HTTP. */
export async function http<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // leave as text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export const DEMO_PASSWORD = process.env.SILVERTRACE_DEMO_PASSWORD ?? 'demo-password';

export async function login(baseUrl: string, username: string): Promise<string> {
  const res = await http<{ access_token: string }>(baseUrl, 'POST', '/api/v1/auth/token', {
    body: { username, password: DEMO_PASSWORD },
  });
  if (res.status !== 200)
    throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token;
}

/**
 * Some environment variables as they were at `save()` (a suite's beforeAll), put back (or unset
 * again) by `restore()` (its afterAll).
 */
export function savedEnv(keys: readonly string[]) {
  const saved: Record<string, string | undefined> = {};
  return {
    saved,
    save() {
      for (const k of keys) saved[k] = process.env[k];
    },
    restore() {
      for (const k of keys) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    },
  };
}

/** Polls until `check` returns a value (bounded; no fixed sleeps). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  { timeoutMs = 20000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
