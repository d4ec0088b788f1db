import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { Check, compose } from '../../../../libs/domain/src/dto/constraints';
import { CursorParam, Limit, single } from '../trace-requests/list-query.dto';

/** GET /api/v1/notifications */
export class ListNotificationsQuery {
  /** true: unread only. */
  @compose(
    single('unread'),
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    IsOptional(),
    Check('isBoolean', (v) => typeof v === 'boolean', 'unread must be true or false'),
  )
  unread?: boolean;

  @Limit()
  limit?: number;

  @CursorParam()
  cursor?: string;
}
