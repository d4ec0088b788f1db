import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type RawBodyRequest,
} from '@nestjs/common';
import type { Request } from 'express';
import { SIGNATURE_HEADER, verifySignature } from '../../../libs/gateway/src';
import { SimState } from './sim-state';
import { SIM_OPTIONS, type ResolvedSimOptions } from './sim.types';

/** Gateway routes accept only messages signed with the shared secret, checked over the raw bytes. */
@Injectable()
export class SignatureGuard implements CanActivate {
  constructor(
    @Inject(SIM_OPTIONS) private readonly options: ResolvedSimOptions,
    private readonly state: SimState,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<RawBodyRequest<Request>>();
    const header = req.headers[SIGNATURE_HEADER];
    const result = verifySignature(
      typeof header === 'string' ? header : undefined,
      req.rawBody ?? Buffer.alloc(0),
      this.options.secret,
    );
    if (result.ok) return true;
    this.state.log('in', 'signature_rejected', undefined, {
      path: req.path,
      reason: result.reason,
    });
    throw new UnauthorizedException(result.reason);
  }
}

/** The control API changes what the simulator does, so only local callers may use it. */
@Injectable()
export class LoopbackGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const address = context.switchToHttp().getRequest<Request>().socket.remoteAddress ?? '';
    const loopback =
      address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
    if (!loopback) throw new ForbiddenException('the simulator control API is loopback-only');
    return true;
  }
}
