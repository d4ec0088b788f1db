import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { AppConfig } from '../../../../libs/config/src';
import { ACTION } from './decorators';
import type { ActionKey } from './policy';
import { TokenVerifier } from './token-verifier';

const MINUTE_MS = 60_000;

const actionOf = (ctx: ExecutionContext): ActionKey | undefined =>
  Reflect.getMetadata(ACTION, ctx.getHandler()) as ActionKey | undefined;

/**
 * Two limits: every route (health excepted, probes poll it) per signed-in user, or per IP without
 * a valid token; and a stricter one on sign-in per IP, against password guessing across
 * accounts (the per-account lockout covers guessing one).
 */
export function throttlerOptions(config: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      {
        name: 'default',
        ttl: MINUTE_MS,
        limit: config.rateLimit.perMinute,
        skipIf: (ctx) => actionOf(ctx)?.startsWith('health.') ?? false,
      },
      {
        name: 'sign-in',
        ttl: MINUTE_MS,
        limit: config.rateLimit.authPerMinute,
        skipIf: (ctx) => actionOf(ctx) !== 'auth.token',
      },
    ],
    errorMessage: 'too many requests; slow down and retry later',
  };
}

/**
 * Runs before the AuthGuard, so floods of bad tokens are limited too. It reads the token's
 * subject only after checking the signature: a forged `sub` cannot spend someone else's budget.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(TokenVerifier) private readonly tokens: TokenVerifier,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const header = (req.headers as Record<string, unknown> | undefined)?.authorization;
    if (typeof header === 'string' && /^bearer /i.test(header)) {
      const sub = await this.tokens.subjectOf(header.slice(7).trim());
      if (sub !== null) return `user:${sub}`;
    }
    return `ip:${await super.getTracker(req)}`;
  }
}
