import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An audit log the application cannot rewrite (docs/auditing.md, "Database roles").
 *
 * - `audit_checkpoints`: signed heads of the chain (libs/audit/src/checkpoints.ts), append-only
 *   like `audit_log`. Several rows may name one seq (a forged one next to the real one is
 *   reported, never allowed to hide it); (seq, key_id) is unique so a retried signing writes once.
 * - `silvertrace_grant_app(role)`: the application role's rights, granted by the migration step
 *   after every run (libs/persistence/src/migrate.ts), so tables added by later migrations get
 *   them too: SELECT and INSERT only on append-only tables (those whose trigger runs
 *   `audit_log_append_only` or `silvertrace_append_only`), SELECT on TypeORM's `migrations`,
 *   plain DML elsewhere, sequences' usage. Never ownership, TRUNCATE, TRIGGER or REFERENCES:
 *   only an owner may disable a trigger. The role itself is created by the operator (or by the
 *   local stack and the tests), not here: migrations also run where roles are managed outside.
 */
export class AuditRoles1764510000000 implements MigrationInterface {
  name = 'AuditRoles1764510000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_checkpoints (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        seq bigint NOT NULL CHECK (seq > 0),
        hash char(64) NOT NULL,
        at timestamptz NOT NULL,
        signed_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL,
        UNIQUE (seq, key_id)
      )`);
    await q.query(`
      CREATE FUNCTION silvertrace_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege';
        END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints
        FOR EACH STATEMENT EXECUTE FUNCTION silvertrace_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
        FOR EACH STATEMENT EXECUTE FUNCTION silvertrace_append_only()`);

    await q.query(`
      CREATE FUNCTION silvertrace_grant_app(app name) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
          t record;
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) THEN
            RAISE EXCEPTION 'the application role % does not exist: create it first', app;
          END IF;
          IF pg_has_role(app, current_user, 'MEMBER') THEN
            RAISE EXCEPTION 'the application role % is (a member of) the migration role %', app, current_user;
          END IF;
          IF (SELECT rolsuper FROM pg_roles WHERE rolname = app) THEN
            RAISE EXCEPTION 'the application role % is a superuser', app;
          END IF;
          EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), app);
          EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
          FOR t IN
            SELECT c.oid, c.relname,
                   EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_proc p ON p.oid = g.tgfoid
                            WHERE g.tgrelid = c.oid AND NOT g.tgisinternal
                              AND p.proname IN ('audit_log_append_only', 'silvertrace_append_only'))
                     AS append_only
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          LOOP
            EXECUTE format('REVOKE ALL ON TABLE %I FROM %I', t.relname, app);
            IF t.append_only THEN
              EXECUTE format('GRANT SELECT, INSERT ON TABLE %I TO %I', t.relname, app);
            ELSIF t.relname = 'migrations' THEN
              EXECUTE format('GRANT SELECT ON TABLE %I TO %I', t.relname, app);
            ELSE
              EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE %I TO %I',
                             t.relname, app);
            END IF;
          END LOOP;
          EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app);
        END
      $$`);
    // Nobody but the owner runs it (it grants on the owner's behalf).
    await q.query(`REVOKE ALL ON FUNCTION silvertrace_grant_app(name) FROM PUBLIC`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION silvertrace_grant_app(name)`);
    await q.query(`DROP TABLE audit_checkpoints`);
    await q.query(`DROP FUNCTION silvertrace_append_only()`);
  }
}
