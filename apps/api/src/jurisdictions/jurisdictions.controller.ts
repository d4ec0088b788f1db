import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExtendDeadlineDto, JurisdictionResponseDto } from '../../../../libs/domain/src/dto';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import { notFound } from '../common/problem';
import { checkIdempotencyKey, requestId } from '../trace-requests/params';
import { JurisdictionsService, JurisdictionView } from './jurisdictions.service';

/** A path segment naming a country: two letters, either case; anything else names nothing. */
function countryCode(cc: string): string {
  if (!/^[A-Za-z]{2}$/.test(cc)) throw notFound('jurisdiction');
  return cc.toUpperCase();
}

@ApiTags('foreign jurisdictions')
@ApiBearerAuth()
@Controller('api/v1/trace-requests/:id/jurisdictions')
export class JurisdictionsController {
  constructor(private readonly service: JurisdictionsService) {}

  @Get()
  @Action('jurisdictions.list')
  @ApiOperation({
    summary: "The target countries' tracks: status, deadline and responses",
    description: 'A foreign liaison sees its own country only.',
  })
  list(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
  ): Promise<JurisdictionView[]> {
    return this.service.list(user, id);
  }

  @Post(':cc/responses')
  @HttpCode(201)
  @Action('jurisdictions.respond')
  @ApiOperation({
    summary: "Record a country's response (its liaison, or an NCB officer recording it)",
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async respond(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Param('cc') cc: string,
    @Body() body: JurisdictionResponseDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JurisdictionView> {
    const country = countryCode(cc);
    const view = await this.service.respond(
      user,
      id,
      country,
      body,
      checkIdempotencyKey(idempotencyKey),
    );
    res.location(`/api/v1/trace-requests/${id}/jurisdictions`);
    return view;
  }

  @Post(':cc/extension')
  @HttpCode(200)
  @Action('jurisdictions.extend')
  @ApiOperation({ summary: "Extend a country's deadline (supervisor of the requesting country)" })
  extend(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Param('cc') cc: string,
    @Body() body: ExtendDeadlineDto,
  ): Promise<JurisdictionView> {
    return this.service.extend(user, id, countryCode(cc), body);
  }
}
