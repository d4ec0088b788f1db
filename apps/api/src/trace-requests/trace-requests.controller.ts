import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CreateTraceRequestDto } from '../../../../libs/domain/src/dto';
import type { AuthUser } from '../auth/actor';
import { CurrentUser, Roles } from '../auth/decorators';
import { badRequest, notFound } from '../common/problem';
import { TraceRequestsService } from './trace-requests.service';
import type { TraceRequestView } from './view';

/** A malformed id cannot name a request: answer as for any unknown one. */
const requestId = () => new ParseUUIDPipe({ exceptionFactory: () => notFound('trace request') });

@ApiTags('trace requests')
@ApiBearerAuth()
@Controller('api/v1/trace-requests')
export class TraceRequestsController {
  constructor(private readonly service: TraceRequestsService) {}

  @Post()
  @Roles('investigator')
  @ApiOperation({ summary: 'Draft a new trace request (starts its workflow)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateTraceRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TraceRequestView> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw badRequest('invalid Idempotency-Key', [
        { field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' },
      ]);
    }
    const { view } = await this.service.create(user, body, idempotencyKey);
    res.status(201).location(`/api/v1/trace-requests/${view.id}`);
    return view;
  }

  @Get(':id')
  @Roles('investigator', 'supervisor', 'ncb_officer', 'foreign_liaison', 'auditor')
  @ApiOperation({ summary: 'One trace request as it now stands' })
  get(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
  ): Promise<TraceRequestView> {
    return this.service.get(user, id);
  }
}
