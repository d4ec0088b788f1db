import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { hash, verify } from '@node-rs/argon2';
import { Repository } from 'typeorm';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import type { Role } from '../../../../libs/domain/src/enums';
import { UserEntity } from '../../../../libs/persistence/src/entities';

/** The demo accounts of api.md, seeded outside production mode only. */
export const DEMO_USERS: { username: string; roles: Role[]; country: string }[] = [
  { username: 'investigator.za', roles: ['investigator'], country: 'ZA' },
  { username: 'investigator2.za', roles: ['investigator'], country: 'ZA' },
  { username: 'supervisor.za', roles: ['supervisor'], country: 'ZA' },
  { username: 'supervisor2.za', roles: ['supervisor'], country: 'ZA' },
  { username: 'ncb.za', roles: ['ncb_officer'], country: 'ZA' },
  { username: 'auditor.za', roles: ['auditor'], country: 'ZA' },
  { username: 'admin.za', roles: ['admin'], country: 'ZA' },
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
    return this.repo.findOne({ where: { id, active: true } });
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
