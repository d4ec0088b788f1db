import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { databaseSslFrom, type DatabaseSsl } from '../../config/src/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** `ssl` undefined leaves TLS to the URL's `sslmode` (node-postgres reads it). */
export function dataSourceOptions(
  url: string,
  poolSize = 10,
  ssl?: DatabaseSsl,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // Schema changes go through migrations only.
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    poolSize,
    ...(ssl ? { ssl } : {}),
    applicationName: 'silvertrace',
  };
}

/** The data source used by the TypeORM CLI (`npx typeorm -d dist/libs/persistence/src/data-source.js`). */
export default new DataSource(
  dataSourceOptions(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/silvertrace',
    1,
    databaseSslFrom(process.env),
  ),
);
