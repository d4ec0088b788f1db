import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Remembers what an Idempotency-Key produced, per caller and route, so a retry gets the same. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId!: string;
  @PrimaryColumn({ type: 'varchar', length: 64 }) scope!: string;
  @PrimaryColumn({ type: 'varchar', length: 200 }) key!: string;

  /** SHA-256 of the canonical request body: the same key with another body is refused. */
  @Column({ name: 'request_hash', type: 'char', length: 64 }) requestHash!: string;

  @Column({ name: 'resource_id', type: 'uuid' }) resourceId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
