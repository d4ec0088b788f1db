import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { SIGNATURE_HEADER, verifySignature } from '../../../../libs/gateway/src';
import { ProblemException } from '../common/problem';

/**
 * INTERPOL gateway messages carry no token: they are authenticated by an HMAC-SHA256 signature
 * over `<t>.<raw body>` with the shared GATEWAY_SECRET (X-Silvertrace-Signature). A guard, so the
 * signature is checked before the body is even validated; a bad, missing or stale one is a 401.
 * The raw bytes come from Nest's `rawBody: true` (the parsed JSON would not hash the same).
 */
@Injectable()
export class GatewaySignatureGuard implements CanActivate {
  private readonly logger = new Logger('GatewaySignature');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request & { rawBody?: Buffer }>();
    const header = req.headers[SIGNATURE_HEADER];
    const result = verifySignature(
      typeof header === 'string' ? header : undefined,
      req.rawBody ?? Buffer.alloc(0),
      this.config.gateway.secret,
    );
    if (!result.ok) {
      this.logger.warn(`refused a gateway message on ${req.path}: ${result.reason}`);
      throw new ProblemException(401, `gateway signature refused: ${result.reason}`);
    }
    return true;
  }
}
