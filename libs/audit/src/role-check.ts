import type { DataSource } from 'typeorm';

/**
 * What the connected role could do to rewrite the audit tables: own them (and so disable their
 * triggers or drop them), be a superuser, or hold UPDATE, DELETE, TRUNCATE or TRIGGER on them.
 * Empty for the application role the migration step grants (docs/auditing.md, "Database roles").
 */
export async function auditRewriteRights(db: DataSource): Promise<string[]> {
  const rows = (await db.query(
    `SELECT c.relname AS "table", r.rolsuper AS superuser,
            pg_has_role(current_user, c.relowner, 'MEMBER') AS owner,
            has_table_privilege(c.oid, 'UPDATE') AS "update",
            has_table_privilege(c.oid, 'DELETE') AS "delete",
            has_table_privilege(c.oid, 'TRUNCATE') AS "truncate",
            has_table_privilege(c.oid, 'TRIGGER') AS "trigger"
       FROM pg_class c JOIN pg_roles r ON r.rolname = current_user
      WHERE c.oid IN ('audit_log'::regclass, 'audit_checkpoints'::regclass)
      ORDER BY c.relname`,
  )) as Record<string, string | boolean>[];
  const out: string[] = [];
  for (const row of rows) {
    if (row.superuser) return ['superuser'];
    for (const right of ['owner', 'update', 'delete', 'truncate', 'trigger']) {
      if (row[right]) out.push(`${right} of ${String(row.table)}`);
    }
  }
  return out;
}

/**
 * Production refuses to run as a role that could rewrite the audit log; elsewhere (a laptop on
 * one role, the TLS tests) it is a warning.
 */
export async function assertCannotRewriteAudit(
  db: DataSource,
  production: boolean,
  warn: (message: string) => void,
): Promise<void> {
  const rights = await auditRewriteRights(db);
  if (rights.length === 0) return;
  const message =
    `the database role of DATABASE_URL can rewrite the audit log (${rights.join(', ')}): ` +
    'connect as the application role, migrate as the owner (MIGRATION_DATABASE_URL)';
  if (production) throw new Error(`refusing to start in production mode: ${message}`);
  warn(message);
}
