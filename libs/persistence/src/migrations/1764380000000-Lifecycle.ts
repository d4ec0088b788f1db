import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lifecycle beyond drafting: per-country tracks and their responses, the asset register,
 * notifications, the yearly INTERPOL quota and a record of what went out to INTERPOL. Every
 * table an activity writes has the unique key its idempotent insert relies on.
 */
export class Lifecycle1764380000000 implements MigrationInterface {
  name = 'Lifecycle1764380000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE jurisdictions (
        request_id uuid NOT NULL REFERENCES trace_requests(id),
        country char(2) NOT NULL,
        reference varchar(32) NOT NULL,
        status varchar(16) NOT NULL,
        deadline timestamptz NOT NULL,
        state jsonb NOT NULL,
        state_seq int NOT NULL DEFAULT 0,
        workflow_id varchar(200) NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (request_id, country)
      )`);
    // Deadline scans ("overdue soon") filter by status first.
    await q.query(
      `CREATE INDEX jurisdictions_status_deadline_idx ON jurisdictions (status, deadline)`,
    );
    // A foreign liaison lists what was sent to its own country.
    await q.query(`CREATE INDEX jurisdictions_country_idx ON jurisdictions (country)`);

    await q.query(`
      CREATE TABLE jurisdiction_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES trace_requests(id),
        country char(2) NOT NULL,
        external_reference varchar(200) NOT NULL,
        seq int NOT NULL,
        outcome varchar(16) NOT NULL,
        narrative text,
        handling_code varchar(32),
        source_reliability varchar(8),
        information_accuracy varchar(8),
        late boolean NOT NULL DEFAULT false,
        recorded_by jsonb NOT NULL,
        at timestamptz NOT NULL,
        body jsonb NOT NULL,
        CONSTRAINT jurisdiction_responses_natural_key UNIQUE (request_id, country, external_reference)
      )`);

    await q.query(`
      CREATE TABLE assets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES trace_requests(id),
        country char(2) NOT NULL,
        external_reference varchar(200) NOT NULL,
        item_index int NOT NULL,
        type varchar(32) NOT NULL,
        description text NOT NULL,
        identifiers jsonb,
        holder text,
        amount numeric(24,4),
        currency char(3),
        status varchar(24) NOT NULL DEFAULT 'IDENTIFIED',
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT assets_natural_key UNIQUE (request_id, country, external_reference, item_index)
      )`);
    await q.query(`CREATE INDEX assets_status_idx ON assets (status)`);
    await q.query(`CREATE INDEX assets_request_idx ON assets (request_id)`);

    await q.query(`
      CREATE TABLE asset_moves (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id uuid NOT NULL REFERENCES assets(id),
        from_status varchar(24) NOT NULL,
        to_status varchar(24) NOT NULL,
        mla_reference varchar(200) NOT NULL,
        note text,
        actor_id uuid NOT NULL,
        actor_username varchar(100) NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        idempotency_key varchar(200),
        CONSTRAINT asset_moves_idempotency_key UNIQUE (asset_id, idempotency_key)
      )`);
    // The unique constraint leads with asset_id, but NULL keys make it useless for "moves of
    // this asset in order".
    await q.query(`CREATE INDEX asset_moves_asset_at_idx ON asset_moves (asset_id, at)`);

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key varchar(300) NOT NULL UNIQUE,
        request_id uuid NOT NULL,
        reference varchar(32) NOT NULL,
        recipient_role varchar(32),
        recipient_country char(2),
        recipient_user_id uuid,
        kind varchar(64) NOT NULL,
        message text NOT NULL,
        created_at timestamptz NOT NULL,
        read_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX notifications_recipient_idx
         ON notifications (recipient_country, recipient_role, created_at DESC)`,
    );
    await q.query(
      `CREATE INDEX notifications_user_idx ON notifications (recipient_user_id, created_at DESC)
         WHERE recipient_user_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE quota_counters (
        country char(2) NOT NULL,
        year int NOT NULL,
        used int NOT NULL DEFAULT 0 CHECK (used >= 0),
        PRIMARY KEY (country, year)
      )`);
    await q.query(`
      CREATE TABLE quota_reservations (
        request_id uuid PRIMARY KEY,
        country char(2) NOT NULL,
        year int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE outbound_messages (
        idempotency_key varchar(200) PRIMARY KEY,
        type varchar(32) NOT NULL,
        reference varchar(32) NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        last_status int,
        last_error text,
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outbound_messages_reference_idx ON outbound_messages (reference)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbound_messages`);
    await q.query(`DROP TABLE quota_reservations`);
    await q.query(`DROP TABLE quota_counters`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE asset_moves`);
    await q.query(`DROP TABLE assets`);
    await q.query(`DROP TABLE jurisdiction_responses`);
    await q.query(`DROP TABLE jurisdictions`);
  }
}
