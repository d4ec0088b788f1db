import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Read model of one trace request. The workflow owns the truth; this row is written by the API
 * at creation (so the creator can read it back at once) and then only by the workflow's
 * projection activity, which is idempotent thanks to `stateSeq`.
 */
@Entity({ name: 'trace_requests' })
export class TraceRequestEntity {
  @PrimaryColumn('uuid') id!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  reference!: string;

  @Column({ name: 'requesting_country', type: 'char', length: 2 }) requestingCountry!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: string;
  @Column({ type: 'varchar', length: 8 }) urgency!: string;
  @Column({ type: 'varchar', length: 2 }) language!: string;

  @Index()
  @Column({ type: 'varchar', length: 24 })
  status!: string;

  /** Content version for If-Match; bumped by every accepted edit. */
  @Column({ type: 'int' }) version!: number;

  /** Number of workflow events folded into this row; a projection with a lower one is stale. */
  @Column({ name: 'state_seq', type: 'int', default: 0 }) stateSeq!: number;

  @Column({ name: 'case_reference', type: 'varchar', length: 100 }) caseReference!: string;
  @Column({ name: 'subject_name', type: 'text' }) subjectName!: string;

  @Column({ type: 'jsonb' }) content!: Record<string, unknown>;
  @Column({ name: 'content_hash', type: 'char', length: 64 }) contentHash!: string;

  /** The workflow's full domain state as last projected (null until the first projection). */
  @Column({ type: 'jsonb', nullable: true }) state!: Record<string, unknown> | null;

  @Column({ name: 'drafter_id', type: 'uuid' }) drafterId!: string;
  @Column({ name: 'workflow_id', type: 'varchar', length: 200 }) workflowId!: string;

  /** Set when the request's personal data was erased (its status then reads ERASED). */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true }) erasedAt!: Date | null;
  /** An explicit retention review date; null: created_at + RETENTION_REVIEW_AFTER. */
  @Column({ name: 'retention_review_on', type: 'timestamptz', nullable: true })
  retentionReviewOn!: Date | null;
  @Column({ name: 'retention_notified_for', type: 'timestamptz', nullable: true })
  retentionNotifiedFor!: Date | null;
  @Column({ name: 'retention_escalated_for', type: 'timestamptz', nullable: true })
  retentionEscalatedFor!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
