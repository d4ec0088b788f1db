import { Injectable, NestMiddleware } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { AuthUser } from '../auth/actor';
import type { ActionKey } from '../auth/policy';

/** What the API knows about a request while it runs: pino-http's id, the guard's findings. */
export interface AuditedRequest extends Request {
  user?: AuthUser;
  /** Set by the AuthGuard before it decides, so refusals can be recorded under the action. */
  policyAction?: ActionKey;
}

const storage = new AsyncLocalStorage<AuditedRequest>();

/** The HTTP request being served, for services that record inside their own transactions. */
export const currentRequest = (): AuditedRequest | undefined => storage.getStore();

export const requestIdOf = (req: AuditedRequest | undefined): string | null =>
  req?.id === undefined || req.id === null ? null : String(req.id);

/** Runs the rest of the request inside the store, so `currentRequest()` finds it. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    storage.run(req as AuditedRequest, next);
  }
}
