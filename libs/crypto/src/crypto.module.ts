import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/src/config';
import { APP_CONFIG } from '../../config/src/config.module';
import { EncryptionCodec } from './codec';
import { DataKeyStore } from './data-keys';
import { LocalMasterKeyProvider, loadMasterKeys, type MasterKeyProvider } from './master-keys';

export const MASTER_KEY_PROVIDER = Symbol('MASTER_KEY_PROVIDER');
export const DATA_KEY_STORE = Symbol('DATA_KEY_STORE');
export const PAYLOAD_CODEC = Symbol('PAYLOAD_CODEC');

/**
 * The master keys (local: from the environment or a file; replace MASTER_KEY_PROVIDER with a KMS
 * adapter), the data-key store on the app's PostgreSQL, and the payload codec every Temporal
 * client and worker of the process uses.
 */
@Global()
@Module({
  providers: [
    {
      provide: MASTER_KEY_PROVIDER,
      useFactory: async (config: AppConfig): Promise<MasterKeyProvider> =>
        new LocalMasterKeyProvider(await loadMasterKeys(config.crypto)),
      inject: [APP_CONFIG],
    },
    {
      provide: DATA_KEY_STORE,
      useFactory: (db: DataSource, masters: MasterKeyProvider) => new DataKeyStore(db, masters),
      inject: [getDataSourceToken(), MASTER_KEY_PROVIDER],
    },
    {
      provide: PAYLOAD_CODEC,
      useFactory: (store: DataKeyStore) => new EncryptionCodec(store),
      inject: [DATA_KEY_STORE],
    },
  ],
  exports: [MASTER_KEY_PROVIDER, DATA_KEY_STORE, PAYLOAD_CODEC],
})
export class CryptoModule {}
