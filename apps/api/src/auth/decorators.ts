import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { AuthUser } from './actor';
import type { ActionKey } from './policy';

export const ACTION = 'silvertrace:action';

/**
 * Names the policy entry (auth/policy.ts) that decides who may call a route. Every route needs
 * one; the OpenAPI document publishes it as `x-silvertrace-action`.
 */
export const Action = (key: ActionKey) =>
  applyDecorators(SetMetadata(ACTION, key), ApiExtension('x-silvertrace-action', key));

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const req = ctx.switchToHttp().getRequest<{ user: AuthUser }>();
  return req.user;
});
