import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import {
  countryScopeRefusal,
  holdsAdminRole,
  isGlobalAdmin,
  roleGrantRefusal,
} from '../../../../libs/domain/src/admin-scope';
import type { Role } from '../../../../libs/domain/src/enums';
import { UserEntity } from '../../../../libs/persistence/src/entities';
import type { AuthUser } from '../auth/actor';
import { passwordProblems, UsersService } from '../auth/users.service';
import { badRequest, conflict, forbidden, notFound } from '../common/problem';
import type { CreateUserDto, UpdateUserDto } from './admin.dto';
import { recordAdminChange } from './admin-change';

/** An account as admins see it: never its password hash. */
export interface UserView {
  id: string;
  username: string;
  roles: Role[];
  country: string;
  active: boolean;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

const toView = (u: UserEntity): UserView => ({
  id: u.id,
  username: u.username,
  roles: u.roles as Role[],
  country: u.country,
  active: u.active,
  lockedUntil: u.lockedUntil ? u.lockedUntil.toISOString() : null,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** Accounts: list, create (password policy), change roles, country, enable or disable. */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
  ) {}

  /** A country's admin sees its own country's accounts; an INTERPOL admin every account. */
  async list(admin: AuthUser): Promise<{ items: UserView[] }> {
    const rows = await this.db.getRepository(UserEntity).find({
      where: isGlobalAdmin(admin) ? {} : { country: admin.country },
      order: { username: 'ASC' },
      take: 10000,
    });
    return { items: rows.map(toView) };
  }

  async get(admin: AuthUser, id: string): Promise<UserView> {
    const user = await this.find(id);
    refuse(countryScopeRefusal(admin, user.country, 'read the accounts'));
    return toView(user);
  }

  /** 409 when the username is taken (so a retried create never makes a second account). */
  async create(admin: AuthUser, dto: CreateUserDto): Promise<UserView> {
    refuse(countryScopeRefusal(admin, dto.country, 'create users'));
    refuse(roleGrantRefusal(admin, dto.roles));
    const problems = passwordProblems(dto.username, dto.password);
    if (problems.length > 0) throw badRequest('the password does not meet the policy', problems);
    const passwordHash = await this.users.hashPassword(dto.password);
    try {
      return await this.db.transaction(async (tx) => {
        const user = await tx.save(
          tx.create(UserEntity, {
            username: dto.username,
            passwordHash,
            roles: dto.roles,
            country: dto.country,
          }),
        );
        await recordAdminChange(tx, admin, {
          action: 'admin.users.create',
          target: `user:${user.id}`,
          changes: { username: user.username, roles: user.roles, country: user.country },
        });
        return toView(user);
      });
    } catch (err) {
      if (
        err instanceof QueryFailedError &&
        (err.driverError as { code?: string }).code === '23505'
      )
        throw conflict(`username ${dto.username} is taken`);
      throw err;
    }
  }

  /**
   * Roles, country and active in one transaction under a row lock. Any real change revokes
   * every token the user holds (token_version + 1), so the next call with an old token is 401
   * and the user signs in again with the new rights; a change to the same values changes nothing.
   */
  async update(admin: AuthUser, id: string, dto: UpdateUserDto): Promise<UserView> {
    if (dto.roles === undefined && dto.country === undefined && dto.active === undefined) {
      throw badRequest('nothing to change', [
        { field: 'roles', message: 'give at least one of roles, country, active' },
      ]);
    }
    if (id === admin.userId && (dto.active === false || (dto.roles && !holdsAdminRole(dto.roles))))
      throw conflict('admins cannot disable themselves nor remove their own admin role');
    return this.db.transaction(async (tx) => {
      const user = await tx
        .getRepository(UserEntity)
        .findOne({ where: { id: this.uuid(id) }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw notFound('user');
      refuse(countryScopeRefusal(admin, user.country, 'change users'));
      if (dto.country !== undefined)
        refuse(countryScopeRefusal(admin, dto.country, 'move users into the accounts'));
      if (dto.roles !== undefined) refuse(roleGrantRefusal(admin, dto.roles));
      const changes: Record<string, unknown> = {};
      if (dto.roles !== undefined && !sameSet(dto.roles, user.roles)) changes.roles = dto.roles;
      if (dto.country !== undefined && dto.country !== user.country) changes.country = dto.country;
      if (dto.active !== undefined && dto.active !== user.active) changes.active = dto.active;
      if (Object.keys(changes).length === 0) return toView(user);
      await tx.update(
        UserEntity,
        { id: user.id },
        { ...changes, tokenVersion: user.tokenVersion + 1 },
      );
      await recordAdminChange(tx, admin, {
        action: 'admin.users.update',
        target: `user:${user.id}`,
        changes: { ...changes, tokensRevoked: true },
      });
      return toView(await tx.getRepository(UserEntity).findOneByOrFail({ id: user.id }));
    });
  }

  private async find(id: string): Promise<UserEntity> {
    const user = await this.db.getRepository(UserEntity).findOne({ where: { id: this.uuid(id) } });
    if (!user) throw notFound('user');
    return user;
  }

  private uuid(id: string): string {
    if (!UUID.test(id)) throw notFound('user');
    return id;
  }
}

/** 403 naming why, when the admin scope rules (libs/domain admin-scope) refuse. */
export function refuse(refusal: string | undefined): void {
  if (refusal) throw forbidden(refusal);
}
