import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764378000000 implements MigrationInterface {
  name = 'Foundation1764378000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(100) NOT NULL UNIQUE,
        password_hash text NOT NULL,
        roles text[] NOT NULL,
        country char(2) NOT NULL,
        active boolean NOT NULL DEFAULT true,
        failed_logins int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        token_version int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE SEQUENCE trace_request_reference_seq`);
    await q.query(`
      CREATE TABLE trace_requests (
        id uuid PRIMARY KEY,
        reference varchar(32) NOT NULL,
        requesting_country char(2) NOT NULL,
        kind varchar(16) NOT NULL,
        urgency varchar(8) NOT NULL,
        language varchar(2) NOT NULL,
        status varchar(24) NOT NULL,
        version int NOT NULL,
        state_seq int NOT NULL DEFAULT 0,
        case_reference varchar(100) NOT NULL,
        subject_name text NOT NULL,
        content jsonb NOT NULL,
        content_hash char(64) NOT NULL,
        state jsonb,
        drafter_id uuid NOT NULL REFERENCES users(id),
        workflow_id varchar(200) NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX trace_requests_reference_idx ON trace_requests (reference)`);
    await q.query(`CREATE INDEX trace_requests_status_idx ON trace_requests (status)`);
    await q.query(
      `CREATE INDEX trace_requests_created_idx ON trace_requests (created_at DESC, id DESC)`,
    );
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL,
        scope varchar(64) NOT NULL,
        key varchar(200) NOT NULL,
        request_hash char(64) NOT NULL,
        resource_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, scope, key)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE trace_requests`);
    await q.query(`DROP SEQUENCE trace_request_reference_seq`);
    await q.query(`DROP TABLE users`);
  }
}
