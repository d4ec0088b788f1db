import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;

  @Column({ type: 'varchar', length: 100, unique: true }) username!: string;

  @Column({ name: 'password_hash', type: 'text' }) passwordHash!: string;

  @Column({ type: 'text', array: true }) roles!: string[];

  /** ISO 3166-1 alpha-2 country the account acts for (a liaison is scoped to it). */
  @Column({ type: 'char', length: 2 }) country!: string;

  @Column({ type: 'boolean', default: true }) active!: boolean;

  @Column({ name: 'failed_logins', type: 'int', default: 0 }) failedLogins!: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil!: Date | null;

  /** Bumped on logout or role change so every earlier token stops working. */
  @Column({ name: 'token_version', type: 'int', default: 0 }) tokenVersion!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
