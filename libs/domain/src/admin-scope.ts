// Who administers what: a country's admin its own country only, an INTERPOL admin every country
// and the pilot-wide settings. Declared once here; the API's admin services apply it (403 with
// the detail returned) and the policy takes ADMIN_ROLES for its admin.* actions. No imports but
// the enums: the web application may load it too.
import { Role } from './enums';

/** Every role that holds the admin.* actions (auth/policy.ts). */
export const ADMIN_ROLES: readonly Role[] = Object.freeze([Role.ADMIN, Role.INTERPOL_ADMIN]);
/** Roles not bound to their own country: they may administer any country. */
export const GLOBAL_ADMIN_ROLES: readonly Role[] = Object.freeze([Role.INTERPOL_ADMIN]);

export interface AdminActor {
  roles: readonly string[];
  country: string;
}

export const isGlobalAdmin = (admin: AdminActor): boolean =>
  admin.roles.some((r) => GLOBAL_ADMIN_ROLES.includes(r as Role));

export const holdsAdminRole = (roles: readonly string[]): boolean =>
  roles.some((r) => ADMIN_ROLES.includes(r as Role));

/**
 * Why `admin` may not administer `country` (`what`: "create users", "change the quota"...), or
 * undefined when it may: its own country, or any as a global admin.
 */
export function countryScopeRefusal(
  admin: AdminActor,
  country: string,
  what: string,
): string | undefined {
  if (isGlobalAdmin(admin) || admin.country === country) return undefined;
  return (
    `an admin of ${admin.country} administers ${admin.country} only and may not ${what} of ` +
    `${country}: ask an INTERPOL admin (${Role.INTERPOL_ADMIN})`
  );
}

/** Why `admin` may not change a pilot-wide setting (every country's), or undefined. */
export function pilotWideRefusal(admin: AdminActor, what: string): string | undefined {
  if (isGlobalAdmin(admin)) return undefined;
  return (
    `${what} applies to every country: only an INTERPOL admin (${Role.INTERPOL_ADMIN}) may ` +
    `change it, not an admin of ${admin.country}`
  );
}

/** Why `admin` may not grant `roles` (a global role is granted by a global admin only). */
export function roleGrantRefusal(admin: AdminActor, roles: readonly string[]): string | undefined {
  if (isGlobalAdmin(admin)) return undefined;
  const global = roles.find((r) => GLOBAL_ADMIN_ROLES.includes(r as Role));
  return global
    ? `only an INTERPOL admin may grant the ${global} role, not an admin of ${admin.country}`
    : undefined;
}
