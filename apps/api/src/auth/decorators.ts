import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../../../../libs/domain/src/enums';
import type { AuthUser } from './actor';

export const IS_PUBLIC = 'silvertrace:public';
export const ROLES = 'silvertrace:roles';

/** Opens a route to callers without a token (everything else is closed by default). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The roles that may call a route; a caller with none of them gets 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const req = ctx.switchToHttp().getRequest<{ user: AuthUser }>();
  return req.user;
});
