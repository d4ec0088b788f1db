import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, databaseSslFrom, type DatabaseSsl } from '../../config/src/config';
import { dataSourceOptions } from './data-source';

/**
 * Applies every pending migration, each in its own transaction, as the owner role of `url`.
 * With `appRole`, then (re)grants that role the application's rights (SELECT and INSERT only on
 * the append-only audit tables: `silvertrace_grant_app`, migration AuditRoles), on every run, so
 * tables added by later migrations are covered and an existing deployment can switch roles.
 */
export async function runMigrations(
  url: string,
  log: (line: string) => void = () => {},
  ssl?: DatabaseSsl,
  appRole?: string,
) {
  const ds = new DataSource({ ...dataSourceOptions(url, 1, ssl), logging: ['error'] });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    for (const m of applied) log(`applied migration ${m.name}`);
    if (applied.length === 0) log('schema is up to date');
    if (appRole) {
      await ds.query(`SELECT silvertrace_grant_app($1)`, [appRole]);
      log(`granted the application role ${appRole} its rights (audit tables: SELECT, INSERT)`);
    }
  } finally {
    await ds.destroy();
  }
}

/**
 * Which URL migrates and which role the application uses: MIGRATION_DATABASE_URL (the owner)
 * with DATABASE_URL (the application, whose user is granted its rights); DATABASE_URL alone is
 * one role for both, as before roles were split (production mode refuses that: the API and the
 * worker check at boot that they cannot rewrite audit_log).
 */
export function migrationTarget(env: NodeJS.ProcessEnv): { url: string; appRole?: string } {
  const owner = env.MIGRATION_DATABASE_URL;
  const app = env.DATABASE_URL;
  if (!owner && !app)
    throw new ConfigError('migrate: set MIGRATION_DATABASE_URL (or DATABASE_URL)');
  if (!owner) return { url: app as string };
  if (!app) return { url: owner };
  const user = (u: string, name: string) => {
    try {
      return decodeURIComponent(new URL(u).username);
    } catch {
      throw new ConfigError(`invalid configuration:\n  ${name}: not a postgres:// URL`);
    }
  };
  const appRole = user(app, 'DATABASE_URL');
  if (appRole && appRole === user(owner, 'MIGRATION_DATABASE_URL')) {
    throw new ConfigError(
      'invalid configuration:\n  MIGRATION_DATABASE_URL: names the same role as DATABASE_URL; ' +
        'the application needs a role of its own (docs/auditing.md, "Database roles")',
    );
  }
  return { url: owner, appRole: appRole || undefined };
}

// `node dist/libs/persistence/src/migrate.js`: the explicit migration step of the local stack.
if (require.main === module) {
  let target: { url: string; appRole?: string };
  let ssl: DatabaseSsl;
  try {
    target = migrationTarget(process.env);
    ssl = databaseSslFrom(process.env);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
  runMigrations(target.url, (l) => console.log(`migrate: ${l}`), ssl, target.appRole).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`migrate: failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
