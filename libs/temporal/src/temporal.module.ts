import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { AppConfig } from '../../config/src';
import { APP_CONFIG } from '../../config/src/config.module';
import { temporalConnectionOptions } from './connection-options';

export const TEMPORAL_CONNECTION = Symbol('TEMPORAL_CONNECTION');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/** Closes the client connection when Nest shuts down (enableShutdownHooks). */
@Injectable()
class TemporalConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CONNECTION) private readonly connection: Connection) {}
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CONNECTION,
      // Lazy: the API boots (and reports not-ready) while Temporal is down instead of crashing.
      useFactory: (config: AppConfig) =>
        Connection.lazy(temporalConnectionOptions(config.temporal)),
      inject: [APP_CONFIG],
    },
    {
      provide: TEMPORAL_CLIENT,
      useFactory: (connection: Connection, config: AppConfig) =>
        new Client({ connection, namespace: config.temporal.namespace }),
      inject: [TEMPORAL_CONNECTION, APP_CONFIG],
    },
    TemporalConnectionCloser,
  ],
  exports: [TEMPORAL_CONNECTION, TEMPORAL_CLIENT],
})
export class TemporalModule {}
