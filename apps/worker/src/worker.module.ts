import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, AppConfigModule } from '../../../libs/config/src';
import { APP_CONFIG } from '../../../libs/config/src/config.module';
import { dataSourceOptions } from '../../../libs/persistence/src/data-source';
import { AuditActivities } from './activities/audit.activities';
import { AuditCheckpointWatcher } from './audit-checkpoint.watcher';
import { TemporalModule } from '../../../libs/temporal/src';
import { InterpolActivities } from './activities/interpol.activities';
import { NotificationActivities } from './activities/notification.activities';
import { ProjectionActivities } from './activities/projection.activities';
import { QuotaActivities } from './activities/quota.activities';
import { RetentionActivities } from './activities/retention.activities';
import { HistoryExportService } from './history-export.service';
import { WorkerService } from './worker.service';

@Module({
  imports: [
    AppConfigModule.for('worker'),
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        dataSourceOptions(config.databaseUrl, config.dbPoolSize, config.databaseSsl),
    }),
    // A client for the history exporter (the Worker itself uses its own native connection).
    TemporalModule,
  ],
  providers: [
    ProjectionActivities,
    QuotaActivities,
    InterpolActivities,
    NotificationActivities,
    AuditActivities,
    RetentionActivities,
    AuditCheckpointWatcher,
    WorkerService,
    HistoryExportService,
  ],
  exports: [WorkerService],
})
export class WorkerModule {}
