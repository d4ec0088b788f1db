import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig, ConfigError, loadConfig } from '../../../libs/config/src';
import { APP_CONFIG } from '../../../libs/config/src/config.module';
import { AppModule } from './app.module';
import { AuditRecorder } from './audit/audit-recorder.service';
import { codecCors } from './codec/codec-cors';
import { ProblemFilter } from './common/problem.filter';
import { DomainValidationPipe } from './common/validation.pipe';
import { MetricsService } from './metrics/metrics.service';
import { serveWebApp } from './web-app';

export const API_APP_OPTIONS = { bufferLogs: true, rawBody: true };

/**
 * Builds the API with everything main() and the e2e tests share; the caller listens. `create`
 * builds the Nest application itself (the benchmark's comparison stack overrides providers).
 */
export async function createApiApp(
  create: () => Promise<NestExpressApplication> = () =>
    NestFactory.create<NestExpressApplication>(AppModule, API_APP_OPTIONS),
): Promise<INestApplication> {
  const app = await create();
  app.useLogger(app.get(Logger));
  // First, so every answer is counted and timed, refusals and unknown routes included.
  app.use(app.get(MetricsService).middleware);
  app.useBodyParser('json', { limit: '256kb' });
  // helmet's default CSP (script-src 'self') suits the web app: it has no inline script.
  app.use(helmet());
  const { corsOrigins, codecCorsOrigins, trustProxy } = app.get<AppConfig>(APP_CONFIG);
  // The Temporal Web UI (another origin) calls the codec server from the browser.
  app.use('/codec', codecCors(codecCorsOrigins));
  // Behind a load balancer req.ip (the per-IP rate limits' key) is the client's address as the
  // trusted proxies report it; off by default, so a client's own X-Forwarded-For is ignored.
  app.set('trust proxy', trustProxy);
  // Same-origin only unless CORS_ORIGINS names the browsers' origins; others get no CORS headers.
  if (corsOrigins.length > 0) {
    app.enableCors({
      origin: corsOrigins,
      methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'Idempotency-Key',
        'If-Match',
        'X-Request-Id',
      ],
      exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  }
  serveWebApp(app);
  app.useGlobalPipes(new DomainValidationPipe());
  // Every error answer passes the audit recorder (refusals are security events).
  const audit = app.get(AuditRecorder);
  app.useGlobalFilters(new ProblemFilter((req, problem) => audit.onProblem(req, problem)));
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('silvertrace')
    .setDescription('INTERPOL Silver Notice asset-trace requests: drafting to asset register')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'api/docs-json',
  });
  return app;
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
  const app = await createApiApp();
  await app.listen(config.port, process.env.HOST ?? '127.0.0.1');
  app.get(Logger).log(`API listening on http://127.0.0.1:${config.port}/api/v1`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`api: failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
