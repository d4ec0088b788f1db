import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, AppConfigModule } from '../../../libs/config/src';
import { APP_CONFIG } from '../../../libs/config/src/config.module';
import { dataSourceOptions } from '../../../libs/persistence/src/data-source';
import { ProjectionActivities } from './activities/projection.activities';
import { WorkerService } from './worker.service';

@Module({
  imports: [
    AppConfigModule,
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config.databaseUrl, config.dbPoolSize),
    }),
  ],
  providers: [ProjectionActivities, WorkerService],
  exports: [WorkerService],
})
export class WorkerModule {}
