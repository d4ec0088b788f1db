import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A member of the pilot: requests may target it while active. */
@Entity({ name: 'participating_countries' })
export class ParticipatingCountryEntity {
  @PrimaryColumn({ type: 'char', length: 2 }) country!: string;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  /** Its own answer deadline (ISO 8601), instead of the default, for requests started later. */
  @Column({ name: 'response_deadline', type: 'text', nullable: true })
  responseDeadline!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
