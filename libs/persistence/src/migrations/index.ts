import { Foundation1764378000000 } from './1764378000000-Foundation';
import { Lifecycle1764380000000 } from './1764380000000-Lifecycle';
import { Search1764390000000 } from './1764390000000-Search';
import { Admin1764400000000 } from './1764400000000-Admin';
import { AuditLog1764410000000 } from './1764410000000-AuditLog';
import { AuditLogText1764410000001 } from './1764410000001-AuditLogText';
import { WorkflowHistories1764420000000 } from './1764420000000-WorkflowHistories';
import { DataKeys1764500000000 } from './1764500000000-DataKeys';
import { AuditRoles1764510000000 } from './1764510000000-AuditRoles';
import { CaseAccess1764520000000 } from './1764520000000-CaseAccess';
import { Erasure1764550000000 } from './1764550000000-Erasure';

/** Every migration in order. Listed explicitly so the same list works from .ts and from dist. */
export const MIGRATIONS = [
  Foundation1764378000000,
  Lifecycle1764380000000,
  Search1764390000000,
  Admin1764400000000,
  AuditLog1764410000000,
  AuditLogText1764410000001,
  WorkflowHistories1764420000000,
  DataKeys1764500000000,
  AuditRoles1764510000000,
  CaseAccess1764520000000,
  Erasure1764550000000,
];
