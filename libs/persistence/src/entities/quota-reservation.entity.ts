import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The slot a request holds, at most one per request: what makes reserving idempotent. */
@Entity({ name: 'quota_reservations' })
export class QuotaReservationEntity {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @Column({ type: 'char', length: 2 }) country!: string;
  @Column({ type: 'int' }) year!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
