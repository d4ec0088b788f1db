import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** One step of an asset along the follow-up chain, backed by a bilateral (MLA) reference. */
@Entity({ name: 'asset_moves' })
@Unique('asset_moves_idempotency_key', ['assetId', 'idempotencyKey'])
@Index('asset_moves_asset_at_idx', ['assetId', 'at'])
export class AssetMoveEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'asset_id', type: 'uuid' }) assetId!: string;
  @Column({ name: 'from_status', type: 'varchar', length: 24 }) fromStatus!: string;
  @Column({ name: 'to_status', type: 'varchar', length: 24 }) toStatus!: string;
  @Column({ name: 'mla_reference', type: 'varchar', length: 200 }) mlaReference!: string;
  @Column({ type: 'text', nullable: true }) note!: string | null;

  @Column({ name: 'actor_id', type: 'uuid' }) actorId!: string;
  @Column({ name: 'actor_username', type: 'varchar', length: 100 }) actorUsername!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;

  /** The caller's Idempotency-Key: a retried move is recorded once. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, nullable: true })
  idempotencyKey!: string | null;
}
