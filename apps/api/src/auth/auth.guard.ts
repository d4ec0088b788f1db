import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import type { Role } from '../../../../libs/domain/src/enums';
import { ProblemException } from '../common/problem';
import type { AuthUser, TokenClaims } from './actor';
import { IS_PUBLIC, ROLES } from './decorators';
import { UsersService } from './users.service';

const unauthorized = (detail: string) => new ProblemException(401, detail);

/**
 * The one gate every route passes: a valid bearer token unless the route is @Public, then the
 * route's @Roles. Tokens are HS256 only (no `alg: none`), unexpired, and of the user's current
 * token version.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
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
    const user = await this.users.findActive(claims.sub);
    if (!user || user.tokenVersion !== claims.tv) throw unauthorized('token has been revoked');

    req.user = {
      userId: user.id,
      username: user.username,
      roles: user.roles as Role[],
      country: user.country,
    };
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (allowed && !allowed.some((r) => req.user!.roles.includes(r))) {
      throw new ProblemException(403, `this action needs one of the roles: ${allowed.join(', ')}`);
    }
    return true;
  }
}
