import { AssetMoveEntity } from './asset-move.entity';
import { AssetEntity } from './asset.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { JurisdictionResponseEntity } from './jurisdiction-response.entity';
import { JurisdictionEntity } from './jurisdiction.entity';
import { NotificationEntity } from './notification.entity';
import { OutboundMessageEntity } from './outbound-message.entity';
import { ParticipatingCountryEntity } from './participating-country.entity';
import { QuotaCounterEntity } from './quota-counter.entity';
import { QuotaReservationEntity } from './quota-reservation.entity';
import { TraceRequestEntity } from './trace-request.entity';
import { UserEntity } from './user.entity';
import { WorkflowSettingEntity } from './workflow-setting.entity';

export {
  AssetEntity,
  AssetMoveEntity,
  IdempotencyKeyEntity,
  JurisdictionEntity,
  JurisdictionResponseEntity,
  NotificationEntity,
  OutboundMessageEntity,
  ParticipatingCountryEntity,
  QuotaCounterEntity,
  QuotaReservationEntity,
  TraceRequestEntity,
  UserEntity,
  WorkflowSettingEntity,
};

export const ENTITIES = [
  UserEntity,
  TraceRequestEntity,
  IdempotencyKeyEntity,
  JurisdictionEntity,
  JurisdictionResponseEntity,
  AssetEntity,
  AssetMoveEntity,
  NotificationEntity,
  QuotaCounterEntity,
  QuotaReservationEntity,
  OutboundMessageEntity,
  ParticipatingCountryEntity,
  WorkflowSettingEntity,
];
