import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A notice to a role within a country and/or to one user; `key` makes a retried insert a no-op. */
@Entity({ name: 'notifications' })
// Declared in the migration (created_at DESC, and a partial index on recipient_user_id).
@Index('notifications_recipient_idx', { synchronize: false })
@Index('notifications_user_idx', { synchronize: false })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ type: 'varchar', length: 300, unique: true }) key!: string;

  /** Null for notices about no request (the audit chain's alarm). */
  @Column({ name: 'request_id', type: 'uuid', nullable: true }) requestId!: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) reference!: string | null;

  @Column({ name: 'recipient_role', type: 'varchar', length: 32, nullable: true })
  recipientRole!: string | null;
  @Column({ name: 'recipient_country', type: 'char', length: 2, nullable: true })
  recipientCountry!: string | null;
  @Column({ name: 'recipient_user_id', type: 'uuid', nullable: true })
  recipientUserId!: string | null;

  @Column({ type: 'varchar', length: 64 }) kind!: string;
  @Column({ type: 'text' }) message!: string;

  /** Workflow time of the event that caused it (not the insert time, which a retry changes). */
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true }) readAt!: Date | null;
}
