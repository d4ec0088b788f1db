import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import type { Role } from '../../../../libs/domain/src/enums';
import { AuditRecorder } from '../audit/audit-recorder.service';
import { ProblemException } from '../common/problem';
import type { TokenClaims } from './actor';
import { UsersService } from './users.service';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: { id: string; username: string; roles: Role[]; country: string };
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Authentication');
  /** Verified against when the username is unknown, so both failures take the same time. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditRecorder,
  ) {}

  async issueToken(username: string, password: string): Promise<TokenResponse> {
    const user = await this.users.findByUsername(username);
    if (!user || !user.active) {
      this.dummyHash ??= this.users.hashPassword('not-a-real-password');
      await this.users.verifyPassword(await this.dummyHash, password);
      await this.signInRefused(username, null, { reason: user ? 'inactive' : 'unknown user' });
      throw new ProblemException(401, 'invalid username or password');
    }
    // A locked account answers like a wrong password (no hint that the name exists) and the
    // password is not even tried, so guessing during the lock learns nothing.
    if (this.users.isLocked(user)) {
      this.logger.warn(`sign-in refused: ${user.username} is locked`);
      await this.signInRefused(user.username, user, {
        reason: 'locked',
        lockedUntil: user.lockedUntil?.toISOString(),
      });
      throw new ProblemException(401, 'invalid username or password');
    }
    if (!(await this.users.verifyPassword(user.passwordHash, password))) {
      const { failedLogins, lockedUntil } = await this.users.recordFailedLogin(user.id);
      this.logger.warn(`sign-in failed for ${user.username}`);
      await this.signInRefused(user.username, user, {
        reason: 'wrong password',
        failedLogins,
        // The failure that locks the account: the lockout itself is on record.
        ...(lockedUntil && lockedUntil.getTime() > Date.now()
          ? { lockedUntil: new Date(lockedUntil).toISOString() }
          : {}),
      });
      throw new ProblemException(401, 'invalid username or password');
    }
    await this.users.recordSuccessfulLogin(user.id);
    await this.audit.record({
      actor: user.username,
      role: user.roles.join(','),
      country: user.country,
      action: 'auth.token',
      objectType: 'user',
      objectId: user.id,
      outcome: 'success',
    });
    const claims: TokenClaims = {
      sub: user.id,
      username: user.username,
      roles: user.roles as Role[],
      country: user.country,
      tv: user.tokenVersion,
    };
    const accessToken = await this.jwt.signAsync(claims, {
      algorithm: 'HS256',
      expiresIn: this.config.jwt.ttlSeconds,
    });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.config.jwt.ttlSeconds,
      user: { id: user.id, username: user.username, roles: claims.roles, country: user.country },
    };
  }

  /** A refused sign-in on the audit chain, under the name that was tried. */
  private async signInRefused(
    username: string,
    user: { id: string; roles: string[]; country: string } | null,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record({
      actor: username.split('\u0000').join('').slice(0, 200),
      role: user ? user.roles.join(',') : 'none',
      country: user?.country ?? null,
      action: 'auth.token',
      objectType: 'user',
      objectId: user?.id ?? null,
      outcome: 'refused',
      details,
    });
  }

  /** Signs the caller out everywhere: every token issued to them so far stops working. */
  logout(userId: string): Promise<void> {
    return this.users.revokeTokens(userId);
  }
}
