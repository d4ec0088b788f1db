import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JurisdictionState } from '../../../domain/src/jurisdiction';

/**
 * Read model of one target country's track, written only by the jurisdiction projection
 * activity; `stateSeq` makes a retried or out-of-order projection a no-op.
 */
@Entity({ name: 'jurisdictions' })
@Index('jurisdictions_status_deadline_idx', ['status', 'deadline'])
@Index('jurisdictions_country_idx', ['country'])
export class JurisdictionEntity {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @PrimaryColumn({ type: 'char', length: 2 }) country!: string;

  @Column({ type: 'varchar', length: 32 }) reference!: string;
  @Column({ type: 'varchar', length: 16 }) status!: string;
  @Column({ type: 'timestamptz' }) deadline!: Date;

  /** The track's full domain state as last projected. */
  @Column({ type: 'jsonb' }) state!: JurisdictionState;
  @Column({ name: 'state_seq', type: 'int', default: 0 }) stateSeq!: number;

  @Column({ name: 'workflow_id', type: 'varchar', length: 200 }) workflowId!: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
