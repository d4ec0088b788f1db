// The codec outside Nest (scripts, benchmarks, test support): its own small connection pool.
import type { DataConverter } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../persistence/src/data-source';
import { EncryptionCodec } from './codec';
import { DataKeyStore } from './data-keys';
import { LocalMasterKeyProvider, loadMasterKeys, type MasterKeySettings } from './master-keys';

/** SILVERTRACE_MASTER_KEYS, SILVERTRACE_MASTER_KEY_FILE and SILVERTRACE_DATA_DIR as settings. */
export function masterKeySettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MasterKeySettings {
  return {
    keys: env.SILVERTRACE_MASTER_KEYS || undefined,
    file: env.SILVERTRACE_MASTER_KEY_FILE || undefined,
    devDir: env.SILVERTRACE_DATA_DIR || '.data',
    production: env.NODE_ENV === 'production',
  };
}

/** What every Temporal client and worker of silvertrace is given: the encryption codec. */
export const dataConverterOf = (codec: EncryptionCodec): DataConverter => ({
  payloadCodecs: [codec],
});

export interface StandaloneCodec {
  codec: EncryptionCodec;
  store: DataKeyStore;
  dataConverter: DataConverter;
  close(): Promise<void>;
}

/** A codec on its own connection pool (closed by close()). */
export async function openCodec(
  databaseUrl: string,
  settings: MasterKeySettings = masterKeySettingsFromEnv(),
): Promise<StandaloneCodec> {
  const masters = new LocalMasterKeyProvider(await loadMasterKeys(settings));
  const db = await new DataSource(dataSourceOptions(databaseUrl, 2)).initialize();
  const store = new DataKeyStore(db, masters);
  const codec = new EncryptionCodec(store);
  return { codec, store, dataConverter: dataConverterOf(codec), close: () => db.destroy() };
}
