import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import type { Role } from '../../../../libs/domain/src/enums';
import { ProblemException } from '../common/problem';
import type { AuthUser, TokenClaims } from './actor';
import { ACTION } from './decorators';
import { allows, isActionKey, POLICY, PUBLIC, type ActionKey } from './policy';
import { UsersService } from './users.service';

const unauthorized = (detail: string) => new ProblemException(401, detail);

/**
 * The one gate every route passes, deciding from the policy table (auth/policy.ts) by the route's
 * @Action: public routes pass; the rest need a valid bearer token and, where the policy names
 * roles, one of them. Tokens are HS256 only (no `alg: none`), unexpired, and of the user's current
 * token version (logout bumps it).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Authorization');

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const action: unknown = this.reflector.get(ACTION, ctx.getHandler());
    // Closed by default: a route the policy does not know is refused (the boot check and the
    // authorization-matrix test catch it before it gets here).
    if (!isActionKey(action)) throw new ProblemException(403, 'this route has no policy entry');
    const req = ctx
      .switchToHttp()
      .getRequest<Request & { user?: AuthUser; policyAction?: ActionKey }>();
    // Named on the request first, so a refusal is recorded in the audit chain under its action.
    req.policyAction = action;
    if (POLICY[action] === PUBLIC) return true;

    const header = req.headers.authorization;
    if (!header) throw unauthorized('missing bearer token');
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token)
      throw unauthorized('malformed Authorization header');

    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw unauthorized('invalid or expired token');
    }
    const user = typeof claims.sub === 'string' ? await this.users.findActive(claims.sub) : null;
    if (!user || user.tokenVersion !== claims.tv) throw unauthorized('token has been revoked');

    req.user = {
      userId: user.id,
      username: user.username,
      roles: user.roles as Role[],
      country: user.country,
    };
    if (!allows(action, req.user.roles)) {
      // Refusals are security events (an auditor trying to write, an admin touching a case).
      this.logger.warn(
        `refused ${action} (${req.method} ${req.path}) to ${user.username} [${req.user.roles.join(',')}]`,
      );
      throw new ProblemException(403, `${action} is not allowed for the caller's roles`);
    }
    return true;
  }
}
