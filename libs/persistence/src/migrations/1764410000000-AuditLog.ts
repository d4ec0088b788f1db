import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hash-chained audit log (libs/audit). Each entry carries the hash of the one before it
 * (`prev_hash`) and its own SHA-256 (`hash`, recipe in docs/auditing.md, "Audit log"), and `seq` has no
 * gaps: writers take one advisory lock and number entries head + 1, so a sequence's gaps after a
 * rollback never look like a deleted row. Append-only: statement triggers refuse UPDATE, DELETE and
 * TRUNCATE for every role. A superuser can still bypass them (session_replication_role = replica,
 * or disabling the trigger); the chain is what then shows the change.
 *
 * Notifications no longer need a request: an audit-chain alarm concerns none.
 */
export class AuditLog1764410000000 implements MigrationInterface {
  name = 'AuditLog1764410000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        at timestamptz NOT NULL,
        actor varchar(200) NOT NULL,
        role varchar(100) NOT NULL,
        country varchar(2),
        action varchar(100) NOT NULL,
        object_type varchar(50),
        object_id varchar(200),
        trace_request_id uuid,
        outcome varchar(10) NOT NULL CHECK (outcome IN ('success', 'refused', 'failure')),
        request_id varchar(100),
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        idempotency_key varchar(300) UNIQUE,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX audit_log_trace_request_idx ON audit_log (trace_request_id, seq)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor, seq)`);
    await q.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, seq)`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
            USING ERRCODE = 'insufficient_privilege';
        END
      $$`);
    // Statement level, so even a DELETE that matches nothing is refused.
    await q.query(`
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);

    await q.query(`ALTER TABLE notifications ALTER COLUMN request_id DROP NOT NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN reference DROP NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE request_id IS NULL OR reference IS NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN reference SET NOT NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN request_id SET NOT NULL`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
