import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ProblemException } from '../common/problem';
import type { AuthUser } from './actor';
import { ACTION } from './decorators';
import { allows, isActionKey, POLICY, PUBLIC, type ActionKey } from './policy';
import { TokenVerifier } from './token-verifier';

const unauthorized = (detail: string) => new ProblemException(401, detail);

/**
 * The one gate every route passes, deciding from the policy table (auth/policy.ts) by the route's
 * @Action: public routes pass; the rest need a valid bearer token and, where the policy names
 * roles, one of them. Who a token names is the TokenVerifier's answer (local tokens, or an
 * OpenID Connect provider's).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Authorization');

  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly tokens: TokenVerifier,
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

    const user = await this.tokens.authenticate(token);
    if (user === 'invalid') throw unauthorized('invalid or expired token');
    if (user === 'revoked') throw unauthorized('token has been revoked');
    req.user = user;
    if (!allows(action, req.user.roles)) {
      // Refusals are security events (an auditor trying to write, an admin touching a case).
      this.logger.warn(
        `refused ${action} (${req.method} ${req.path}) to ${user.username} [${user.roles.join(',')}]`,
      );
      throw new ProblemException(403, `${action} is not allowed for the caller's roles`);
    }
    return true;
  }
}
