import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { RecordedResponse } from '../../../domain/src/jurisdiction';
import type { Principal } from '../../../domain/src/types';

/** One response a country gave, once per (request, country, externalReference). Append-only. */
@Entity({ name: 'jurisdiction_responses' })
@Unique('jurisdiction_responses_natural_key', ['requestId', 'country', 'externalReference'])
export class JurisdictionResponseEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @Column({ type: 'char', length: 2 }) country!: string;
  @Column({ name: 'external_reference', type: 'varchar', length: 200 }) externalReference!: string;

  /** Position in the track's response list: a stable order even when two share `at`. */
  @Column({ type: 'int' }) seq!: number;

  @Column({ type: 'varchar', length: 16 }) outcome!: string;
  @Column({ type: 'text', nullable: true }) narrative!: string | null;
  @Column({ name: 'handling_code', type: 'varchar', length: 32, nullable: true })
  handlingCode!: string | null;
  @Column({ name: 'source_reliability', type: 'varchar', length: 8, nullable: true })
  sourceReliability!: string | null;
  @Column({ name: 'information_accuracy', type: 'varchar', length: 8, nullable: true })
  informationAccuracy!: string | null;

  @Column({ type: 'boolean', default: false }) late!: boolean;
  @Column({ name: 'recorded_by', type: 'jsonb' }) recordedBy!: Principal;
  @Column({ type: 'timestamptz' }) at!: Date;

  /** The response as recorded, assets included. */
  @Column({ type: 'jsonb' }) body!: RecordedResponse;
}
