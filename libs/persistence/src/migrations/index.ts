import { Foundation1764378000000 } from './1764378000000-Foundation';
import { Lifecycle1764380000000 } from './1764380000000-Lifecycle';
import { Search1764390000000 } from './1764390000000-Search';
import { AuditLog1764410000000 } from './1764410000000-AuditLog';
import { AuditLogText1764410000001 } from './1764410000001-AuditLogText';

/** Every migration in order. Listed explicitly so the same list works from .ts and from dist. */
export const MIGRATIONS = [
  Foundation1764378000000,
  Lifecycle1764380000000,
  Search1764390000000,
  AuditLog1764410000000,
  AuditLogText1764410000001,
];
