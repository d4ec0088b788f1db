import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** What was sent to INTERPOL, per Idempotency-Key: attempts, last answer, delivery time. */
@Entity({ name: 'outbound_messages' })
@Index('outbound_messages_reference_idx', ['reference'])
export class OutboundMessageEntity {
  @PrimaryColumn({ name: 'idempotency_key', type: 'varchar', length: 200 }) idempotencyKey!: string;

  /** submission | diffusion | queryAnswer | withdrawal */
  @Column({ type: 'varchar', length: 32 }) type!: string;
  @Column({ type: 'varchar', length: 32 }) reference!: string;

  @Column({ type: 'int', default: 0 }) attempts!: number;
  /** HTTP status of the last attempt that got an answer (null: none did yet). */
  @Column({ name: 'last_status', type: 'int', nullable: true }) lastStatus!: number | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
