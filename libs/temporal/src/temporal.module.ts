import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { AppConfig } from '../../config/src';
import { APP_CONFIG } from '../../config/src/config.module';
import { CryptoModule, PAYLOAD_CODEC } from '../../crypto/src/crypto.module';
import type { EncryptionCodec } from '../../crypto/src/codec';
import { dataConverterOf } from '../../crypto/src/standalone';
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
  // Every payload this client sends is encrypted (and decrypted on the way back).
  imports: [CryptoModule],
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
      useFactory: (connection: Connection, config: AppConfig, codec: EncryptionCodec) =>
        new Client({
          connection,
          namespace: config.temporal.namespace,
          dataConverter: dataConverterOf(codec),
        }),
      inject: [TEMPORAL_CONNECTION, APP_CONFIG, PAYLOAD_CODEC],
    },
    TemporalConnectionCloser,
  ],
  exports: [TEMPORAL_CONNECTION, TEMPORAL_CLIENT],
})
export class TemporalModule {}
