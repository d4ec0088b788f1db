import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { hash, verify } from '@node-rs/argon2';
import { Repository } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import type { Role } from '../../../../libs/domain/src/enums';
import { UserEntity } from '../../../../libs/persistence/src/entities';
import { badRequest, type FieldError } from '../common/problem';

/** Failures in a row before an account locks; each later failure doubles the lock. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_BASE_SECONDS = 60;
/** 2^10 minutes (about 17 hours) at most, so a lock always ends. */
const LOCKOUT_MAX_DOUBLINGS = 10;
export const PASSWORD_MIN_LENGTH = 12;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What is wrong with a new password for this username (empty when it is acceptable): at least
 * 12 characters, and neither the username nor containing it. Checked when a password is set,
 * never at sign-in (the demo password predates the policy and is refused in production anyway).
 */
export function passwordProblems(username: string, password: string): FieldError[] {
  const problems: FieldError[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) {
    problems.push({
      field: 'password',
      message: `password must be at least ${PASSWORD_MIN_LENGTH} characters`,
    });
  }
  const name = username.trim().toLowerCase();
  if (name && password.toLowerCase().includes(name)) {
    problems.push({ field: 'password', message: 'password must not contain the username' });
  }
  return problems;
}

/** The demo accounts of api.md, seeded outside production mode only. */
export const DEMO_USERS: { username: string; roles: Role[]; country: string }[] = [
  { username: 'investigator.za', roles: ['investigator'], country: 'ZA' },
  { username: 'investigator2.za', roles: ['investigator'], country: 'ZA' },
  { username: 'supervisor.za', roles: ['supervisor'], country: 'ZA' },
  { username: 'supervisor2.za', roles: ['supervisor'], country: 'ZA' },
  { username: 'ncb.za', roles: ['ncb_officer'], country: 'ZA' },
  { username: 'auditor.za', roles: ['auditor'], country: 'ZA' },
  { username: 'admin.za', roles: ['admin'], country: 'ZA' },
  // INTERPOL-level administration (every country); its own country is the GS's seat.
  { username: 'admin.interpol', roles: ['interpol_admin'], country: 'FR' },
  { username: 'liaison.fr', roles: ['foreign_liaison'], country: 'FR' },
  { username: 'liaison.br', roles: ['foreign_liaison'], country: 'BR' },
];

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.seedDemoUsers) await this.seedDemoUsers();
  }

  findActive(id: string): Promise<UserEntity | null> {
    if (!UUID.test(id)) return Promise.resolve(null);
    return this.repo.findOne({ where: { id, active: true } });
  }

  /** Creates an account whose password meets the policy (400 naming the problems otherwise). */
  async createUser(input: {
    username: string;
    password: string;
    roles: Role[];
    country: string;
  }): Promise<UserEntity> {
    const problems = passwordProblems(input.username, input.password);
    if (problems.length > 0) throw badRequest('the password does not meet the policy', problems);
    const passwordHash = await this.hashPassword(input.password);
    return this.repo.save(
      this.repo.create({
        username: input.username,
        passwordHash,
        roles: input.roles,
        country: input.country,
      }),
    );
  }

  /** Whether the account is locked now (a lock is never lifted early by a right password). */
  isLocked(user: UserEntity, now = new Date()): boolean {
    return user.lockedUntil !== null && user.lockedUntil.getTime() > now.getTime();
  }

  /**
   * Counts a failed sign-in in one statement (concurrent failures all count) and, from the
   * threshold on, locks the account for 1 minute, doubling with every further failure.
   */
  async recordFailedLogin(id: string): Promise<{ failedLogins: number; lockedUntil: Date | null }> {
    const [rows] = (await this.repo.query(
      `UPDATE users
          SET failed_logins = failed_logins + 1,
              locked_until = CASE WHEN failed_logins + 1 >= $2
                THEN now() + make_interval(secs => $3 * power(2, least(failed_logins + 1 - $2, $4)))
                ELSE locked_until END
        WHERE id = $1
        RETURNING failed_logins, locked_until`,
      [id, LOCKOUT_THRESHOLD, LOCKOUT_BASE_SECONDS, LOCKOUT_MAX_DOUBLINGS],
    )) as [{ failed_logins: number; locked_until: Date | null }[], number];
    return {
      failedLogins: rows[0]?.failed_logins ?? 0,
      lockedUntil: rows[0]?.locked_until ?? null,
    };
  }

  async recordSuccessfulLogin(id: string): Promise<void> {
    await this.repo.query(
      `UPDATE users SET failed_logins = 0, locked_until = NULL
        WHERE id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)`,
      [id],
    );
  }

  /** Revokes every token issued to the user so far (the guard compares `tv`). */
  async revokeTokens(id: string): Promise<void> {
    await this.repo.increment({ id }, 'tokenVersion', 1);
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.repo.findOne({ where: { username } });
  }

  hashPassword(password: string): Promise<string> {
    return hash(password);
  }

  verifyPassword(passwordHash: string, password: string): Promise<boolean> {
    return verify(passwordHash, password).catch(() => false);
  }

  /** Inserts missing demo users; existing rows (and their passwords) are left alone. */
  private async seedDemoUsers(): Promise<void> {
    const existing = new Set(
      (await this.repo.find({ select: { username: true } })).map((u) => u.username),
    );
    const missing = DEMO_USERS.filter((u) => !existing.has(u.username));
    if (missing.length === 0) return;
    const passwordHash = await this.hashPassword(this.config.demoPassword);
    await this.repo
      .createQueryBuilder()
      .insert()
      .values(missing.map((u) => ({ ...u, passwordHash })))
      .orIgnore()
      .execute();
    this.logger.log(`seeded demo users: ${missing.map((u) => u.username).join(', ')}`);
  }
}
