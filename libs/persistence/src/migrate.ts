import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, databaseSslFrom, type DatabaseSsl } from '../../config/src/config';
import { dataSourceOptions } from './data-source';

/** Applies every pending migration, each in its own transaction. */
export async function runMigrations(
  url: string,
  log: (line: string) => void = () => {},
  ssl?: DatabaseSsl,
) {
  const ds = new DataSource({ ...dataSourceOptions(url, 1, ssl), logging: ['error'] });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    for (const m of applied) log(`applied migration ${m.name}`);
    if (applied.length === 0) log('schema is up to date');
  } finally {
    await ds.destroy();
  }
}

// `node dist/libs/persistence/src/migrate.js`: the explicit migration step of the local stack.
if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('migrate: DATABASE_URL is not set');
    process.exit(2);
  }
  let ssl: DatabaseSsl;
  try {
    ssl = databaseSslFrom(process.env);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
  runMigrations(url, (l) => console.log(`migrate: ${l}`), ssl).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`migrate: failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
