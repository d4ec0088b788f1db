import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * The asset register: one row per asset a country reported, created IDENTIFIED by the
 * jurisdiction projection, then moved along the MLA follow-up chain (see asset_moves).
 */
@Entity({ name: 'assets' })
@Unique('assets_natural_key', ['requestId', 'country', 'externalReference', 'itemIndex'])
@Index('assets_status_idx', ['status'])
@Index('assets_request_idx', ['requestId'])
export class AssetEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @Column({ type: 'char', length: 2 }) country!: string;
  /** The response that reported it, and its position in that response's asset list. */
  @Column({ name: 'external_reference', type: 'varchar', length: 200 }) externalReference!: string;
  @Column({ name: 'item_index', type: 'int' }) itemIndex!: number;

  @Column({ type: 'varchar', length: 32 }) type!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'jsonb', nullable: true }) identifiers!: Record<string, string> | null;
  @Column({ type: 'text', nullable: true }) holder!: string | null;
  /** Decimal string (pg numeric): no float rounding. */
  @Column({ type: 'numeric', precision: 24, scale: 4, nullable: true }) amount!: string | null;
  @Column({ type: 'char', length: 3, nullable: true }) currency!: string | null;

  @Column({ type: 'varchar', length: 24, default: 'IDENTIFIED' }) status!: string;
  /** Bumped by every move, for If-Match. */
  @Column({ type: 'int', default: 1 }) version!: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}
