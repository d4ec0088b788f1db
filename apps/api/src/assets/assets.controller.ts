import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AssetStatusDto } from '../../../../libs/domain/src/dto';
import { ASSET_STATUSES } from '../../../../libs/domain/src/enums';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import { notFound } from '../common/problem';
import { checkIdempotencyKey, ifMatchVersion, requestId } from '../trace-requests/params';
import { AssetRegister, AssetsService, AssetView } from './assets.service';
import { ListAssetsQuery } from './list-assets.query';

const assetId = () => new ParseUUIDPipe({ exceptionFactory: () => notFound('asset') });

@ApiTags('asset register')
@ApiBearerAuth()
@Controller('api/v1')
export class AssetsController {
  constructor(private readonly service: AssetsService) {}

  @Get('trace-requests/:id/assets')
  @Action('assets.for-request')
  @ApiOperation({ summary: "One request's asset register, with totals per currency" })
  forRequest(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
  ): Promise<AssetRegister> {
    return this.service.forRequest(user, id);
  }

  @Get('assets')
  @Action('assets.list')
  @ApiOperation({
    summary: 'The asset register across the requests the caller may see, with totals',
  })
  @ApiQuery({ name: 'status', required: false, description: ASSET_STATUSES.join(', ') })
  @ApiQuery({ name: 'currency', required: false, description: 'ISO 4217' })
  @ApiQuery({ name: 'country', required: false, description: 'the reporting country' })
  @ApiQuery({ name: 'requestId', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  list(@CurrentUser() user: AuthUser, @Query() query: ListAssetsQuery): Promise<AssetRegister> {
    return this.service.list(user, query);
  }

  @Get('assets/:assetId')
  @Action('assets.get')
  @ApiOperation({ summary: 'One asset with its moves' })
  get(@CurrentUser() user: AuthUser, @Param('assetId', assetId()) id: string): Promise<AssetView> {
    return this.service.get(user, id);
  }

  @Post('assets/:assetId/status')
  @HttpCode(200)
  @Action('assets.move')
  @ApiOperation({
    summary:
      'Move an asset along identified -> ... -> returned (or released), with its MLA reference',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the asset version moved' })
  move(
    @CurrentUser() user: AuthUser,
    @Param('assetId', assetId()) id: string,
    @Body() body: AssetStatusDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<AssetView> {
    return this.service.move(
      user,
      id,
      body,
      checkIdempotencyKey(idempotencyKey),
      ifMatchVersion(ifMatch, false),
    );
  }
}
