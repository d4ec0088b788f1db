import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, AppConfigModule } from '../../../libs/config/src';
import { APP_CONFIG } from '../../../libs/config/src/config.module';
import { dataSourceOptions } from '../../../libs/persistence/src/data-source';
import { TemporalModule } from '../../../libs/temporal/src';
import { AdminModule } from './admin/admin.module';
import { AssetsModule } from './assets/assets.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CaseFileModule } from './case-file/case-file.module';
import { CodecModule } from './codec/codec.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { ErasureModule } from './erasure/erasure.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { JurisdictionsModule } from './jurisdictions/jurisdictions.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ReplayModule } from './replay/replay.module';
import { TraceRequestsModule } from './trace-requests/trace-requests.module';
import { WorkQueueModule } from './work-queue/work-queue.module';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          // Reuse a caller's request id so one id follows a request across services.
          genReqId: (req, res) => {
            const given = req.headers['x-request-id'];
            const id =
              typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
            res.setHeader('x-request-id', id);
            return id;
          },
          // Never log credentials or bodies (they hold personal data).
          redact: [
            'req.headers.authorization',
            'req.headers.cookie',
            'req.headers["x-silvertrace-signature"]',
          ],
          serializers: {
            req: (req: { id: unknown; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url,
            }),
          },
          autoLogging: {
            ignore: (req) => /^\/(health|metrics)(\/|\?|$)/.test(req.url ?? ''),
          },
        },
      }),
    }),
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.databaseUrl, config.dbPoolSize, config.databaseSsl),
        // Keep retrying in the background rather than failing boot: /health/ready reports it.
        retryAttempts: 0,
      }),
    }),
    TemporalModule,
    ErasureModule,
    AuditModule,
    AuthModule,
    HealthModule,
    MetricsModule,
    TraceRequestsModule,
    JurisdictionsModule,
    AssetsModule,
    GatewayModule,
    NotificationsModule,
    WorkQueueModule,
    AdminModule,
    ReplayModule,
    DashboardModule,
    CaseFileModule,
    CodecModule,
  ],
})
export class AppModule {}
