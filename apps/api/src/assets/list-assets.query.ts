import { Transform } from 'class-transformer';
import { IsOptional, IsUUID } from 'class-validator';
import { Country, Currency, OneOfList, compose } from '../../../../libs/domain/src/dto/constraints';
import { ASSET_STATUSES } from '../../../../libs/domain/src/enums';
import type { AssetStatus } from '../../../../libs/domain/src/enums';
import { CursorParam, Limit, single, toList } from '../trace-requests/list-query.dto';

/** GET /api/v1/assets */
export class ListAssetsQuery {
  /** One status or several, comma separated. */
  @compose(
    Transform(toList),
    OneOfList(ASSET_STATUSES, { optional: true, min: 1, max: ASSET_STATUSES.length }),
  )
  status?: AssetStatus[];

  @compose(single('currency'), Currency({ optional: true }))
  currency?: string;

  /** One request's assets only. */
  @compose(
    single('requestId'),
    IsOptional(),
    IsUUID('all', { message: 'requestId must be a UUID' }),
  )
  requestId?: string;

  /** The country that reported the asset. */
  @compose(single('country'), Country({ optional: true }))
  country?: string;

  @Limit()
  limit?: number;

  @CursorParam()
  cursor?: string;
}
