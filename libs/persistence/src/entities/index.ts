import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { TraceRequestEntity } from './trace-request.entity';
import { UserEntity } from './user.entity';

export { IdempotencyKeyEntity, TraceRequestEntity, UserEntity };

export const ENTITIES = [UserEntity, TraceRequestEntity, IdempotencyKeyEntity];
