import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log's text columns become unbounded: hostile input (a 10 kB path parameter, a long
 * username) is recorded as it came instead of failing the entry. (A second migration because the
 * first one may already be applied.)
 */
export class AuditLogText1764410000001 implements MigrationInterface {
  name = 'AuditLogText1764410000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_log
        ALTER COLUMN actor TYPE text, ALTER COLUMN role TYPE text,
        ALTER COLUMN country TYPE text, ALTER COLUMN action TYPE text,
        ALTER COLUMN object_type TYPE text, ALTER COLUMN object_id TYPE text,
        ALTER COLUMN outcome TYPE text, ALTER COLUMN request_id TYPE text,
        ALTER COLUMN idempotency_key TYPE text`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_log
        ALTER COLUMN actor TYPE varchar(200), ALTER COLUMN role TYPE varchar(100),
        ALTER COLUMN country TYPE varchar(2), ALTER COLUMN action TYPE varchar(100),
        ALTER COLUMN object_type TYPE varchar(50), ALTER COLUMN object_id TYPE varchar(200),
        ALTER COLUMN outcome TYPE varchar(10), ALTER COLUMN request_id TYPE varchar(100),
        ALTER COLUMN idempotency_key TYPE varchar(300)`);
  }
}
