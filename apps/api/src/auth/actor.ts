import type { Role } from '../../../../libs/domain/src/enums';

/** Who is calling, as established by the token: what services and workflows are told. */
export interface AuthUser {
  userId: string;
  username: string;
  roles: Role[];
  country: string;
}

export interface TokenClaims {
  sub: string;
  username: string;
  roles: Role[];
  country: string;
  /** The user's token version when issued; a bump (logout, role change) revokes the token. */
  tv: number;
}
