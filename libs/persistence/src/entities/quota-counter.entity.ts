import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Submissions used by a requesting country in one calendar year (the pilot's quota). */
@Entity({ name: 'quota_counters' })
export class QuotaCounterEntity {
  @PrimaryColumn({ type: 'char', length: 2 }) country!: string;
  @PrimaryColumn({ type: 'int' }) year!: number;
  @Column({ type: 'int', default: 0 }) used!: number;
  /** This country's limit for the year, set by an admin; NULL takes QUOTA_PER_YEAR. */
  @Column({ name: 'quota_limit', type: 'int', nullable: true }) quotaLimit!: number | null;
}
