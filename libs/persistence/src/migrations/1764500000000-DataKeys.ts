import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data keys of the payload encryption (libs/crypto): one per trace request (`request-<id>`) and
 * the `system` key, each stored only wrapped by a master key (named, so rotated master keys still
 * unwrap old data keys). Destroying a key clears `wrapped_key` and sets `destroyed_at`; the row
 * stays so a destroyed key is never silently re-created. No foreign key to trace_requests: the
 * key is committed before the request's row and workflow exist.
 */
export class DataKeys1764500000000 implements MigrationInterface {
  name = 'DataKeys1764500000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE data_keys (
        key_id varchar(100) NOT NULL,
        request_id uuid,
        wrapped_key bytea,
        master_key_id varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        destroyed_at timestamptz,
        CONSTRAINT data_keys_pk PRIMARY KEY (key_id),
        CONSTRAINT data_keys_request_uq UNIQUE (request_id),
        CONSTRAINT data_keys_destroyed_ck CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE data_keys`);
  }
}
