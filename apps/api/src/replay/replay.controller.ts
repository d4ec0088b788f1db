import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { HistoryEntry, ReplayReport } from '../../../../libs/domain/src/api-types';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import { badRequest } from '../common/problem';
import { requestId } from '../trace-requests/params';
import { ReplayService } from './replay.service';

/** An ISO 8601 date-time with its zone (2026-11-29T10:00:00Z, ...+01:00), or a bare UTC date. */
const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

export function parseAsOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw badRequest('invalid asOf', [
      {
        field: 'asOf',
        message: 'asOf must be an ISO 8601 date-time with a zone, e.g. 2026-11-29T10:00:00Z',
      },
    ]);
  }
  return value;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1')
export class ReplayController {
  constructor(private readonly service: ReplayService) {}

  @Get('trace-requests/:id/history')
  @Action('trace-requests.history')
  @ApiOperation({
    summary:
      'Who did what and when: the request and its country tracks from their workflow histories, ' +
      'oldest first (a foreign liaison sees its own country track only)',
  })
  history(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
  ): Promise<HistoryEntry[]> {
    return this.service.history(user, id);
  }

  @Post('audit/trace-requests/:id/replay')
  @HttpCode(200)
  @Action('audit.replay')
  @ApiOperation({
    summary:
      'Replay the recorded histories against the current workflow code and rebuild the state ' +
      'step by step; asOf answers with the state at that moment',
  })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO 8601 date-time' })
  replay(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Query('asOf') asOf: unknown,
  ): Promise<ReplayReport> {
    return this.service.replay(user, id, parseAsOf(asOf));
  }
}
