import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '../../../../libs/domain/src/enums';
import type { AuthUser, TokenClaims } from './actor';
import { UsersService } from './users.service';

/** Why a bearer token was refused (the 401's detail). */
export type TokenRefusal = 'invalid' | 'revoked';

/**
 * THE seam between bearer tokens and callers: the guards know only this. Local sign-in
 * (LocalTokenVerifier: our own HS256 tokens from POST /auth/token) is one implementation; an
 * OpenID Connect provider is another (verify the provider's RS256/ES256 token against its JWKS,
 * map its claims to roles and country). See "OpenID Connect" in docs/api.md.
 */
export abstract class TokenVerifier {
  /**
   * The caller the token names, after every check (signature, algorithm, issuer, audience,
   * expiry, revocation, account still active), or why not.
   */
  abstract authenticate(token: string): Promise<AuthUser | TokenRefusal>;

  /**
   * The token's subject once its signature is checked, without touching the database: the key
   * of per-user rate limits (a forged `sub` cannot spend someone else's budget). Null if invalid.
   */
  abstract subjectOf(token: string): Promise<string | null>;
}

/**
 * Our own tokens: HS256 only (no `alg: none`), issuer silvertrace, unexpired, and of the user's
 * current token version (logout and an admin's change of roles, country or active bump it).
 */
@Injectable()
export class LocalTokenVerifier extends TokenVerifier {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
  ) {
    super();
  }

  async authenticate(token: string): Promise<AuthUser | TokenRefusal> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return 'invalid';
    }
    const user = typeof claims.sub === 'string' ? await this.users.findActive(claims.sub) : null;
    if (!user || user.tokenVersion !== claims.tv) return 'revoked';
    return {
      userId: user.id,
      username: user.username,
      roles: user.roles as Role[],
      country: user.country,
    };
  }

  subjectOf(token: string): Promise<string | null> {
    try {
      const claims = this.jwt.verify<{ sub?: unknown }>(token, { algorithms: ['HS256'] });
      return Promise.resolve(typeof claims.sub === 'string' ? claims.sub : null);
    } catch {
      return Promise.resolve(null);
    }
  }
}
