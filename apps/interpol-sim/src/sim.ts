import { ValidationPipe, type INestApplication, type NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { DEFAULT_GATEWAY_TIMEOUT_MS } from '../../../libs/gateway/src';
import { InterpolSimModule } from './sim.module';
import { DEFAULT_MEMBER_COUNTRIES, type ResolvedSimOptions, type SimOptions } from './sim.types';

export const DEFAULT_SIM_PORT = 3100;
export const DEFAULT_SIM_HOST = '127.0.0.1';
export const DEFAULT_DECISION_DELAY_MS = 1500;
export const DEFAULT_RESPONSE_DELAY_MS = 2000;

export interface SimHandle {
  /** Base URL, e.g. http://127.0.0.1:3100 (INTERPOL_GATEWAY_URL for the worker). */
  url: string;
  app: INestApplication;
  /** Stops the server, every pending timer and in-flight delivery. Safe to call twice. */
  close(): Promise<void>;
}

export function resolveSimOptions(options: SimOptions): ResolvedSimOptions {
  let api: URL;
  try {
    api = new URL(options.apiUrl);
  } catch {
    throw new Error(`interpol-sim: apiUrl is not a URL: ${options.apiUrl}`);
  }
  if (api.protocol !== 'http:' && api.protocol !== 'https:') {
    throw new Error(`interpol-sim: apiUrl must be http(s): ${options.apiUrl}`);
  }
  if (!options.secret) throw new Error('interpol-sim: a gateway secret is required');
  const delay = (value: number | undefined, fallback: number, name: string): number => {
    const ms = value ?? fallback;
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`interpol-sim: ${name} must be >= 0`);
    return ms;
  };
  return {
    apiUrl: options.apiUrl.replace(/\/+$/, ''),
    secret: options.secret,
    decisionDelayMs: delay(options.decisionDelayMs, DEFAULT_DECISION_DELAY_MS, 'decisionDelayMs'),
    responseDelayMs: delay(options.responseDelayMs, DEFAULT_RESPONSE_DELAY_MS, 'responseDelayMs'),
    memberCountries: (options.memberCountries ?? DEFAULT_MEMBER_COUNTRIES).map((c) =>
      c.toUpperCase(),
    ),
    delivery: {
      maxAttempts: Math.max(1, options.delivery?.maxAttempts ?? 8),
      baseDelayMs: options.delivery?.baseDelayMs ?? 250,
      maxDelayMs: options.delivery?.maxDelayMs ?? 10_000,
      timeoutMs: options.delivery?.timeoutMs ?? DEFAULT_GATEWAY_TIMEOUT_MS,
    },
  };
}

/** Builds the simulator app without listening (for callers that need to add to it first). */
export async function createSimApp(options: SimOptions): Promise<NestExpressApplication> {
  const resolved = resolveSimOptions(options);
  const appOptions: NestApplicationOptions = {
    // Signatures are checked over the exact bytes received, so keep them.
    rawBody: true,
    bodyParser: false,
    // Keep-alive sockets from clients must not hold close() open.
    forceCloseConnections: true,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  };
  const app = await NestFactory.create<NestExpressApplication>(
    InterpolSimModule.register(resolved),
    appOptions,
  );
  app.useBodyParser('json', { limit: '2mb' });
  app.disable('x-powered-by');
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  return app;
}

/** Creates and starts the simulator; `port: 0` picks a free port (see `url`). */
export async function startSim(options: SimOptions): Promise<SimHandle> {
  const app = await createSimApp(options);
  const host = options.host ?? DEFAULT_SIM_HOST;
  await app.listen(options.port ?? DEFAULT_SIM_PORT, host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return { url, app, close: () => (closing ??= app.close()) };
}
