import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A lifecycle setting an admin changed; absent keys take the environment's default. */
@Entity({ name: 'workflow_settings' })
export class WorkflowSettingEntity {
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ type: 'jsonb' }) value!: unknown;
  @Column({ name: 'updated_by', type: 'uuid', nullable: true }) updatedBy!: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
