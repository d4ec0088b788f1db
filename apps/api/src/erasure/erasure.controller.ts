import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ErasureDto,
  RetentionReviewDto,
  SetRetentionReviewDto,
} from '../../../../libs/domain/src/dto';
import { auditActor } from '../audit/audit-recorder.service';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import { requestId } from '../trace-requests/params';
import { TraceRequestsService } from '../trace-requests/trace-requests.service';
import { ErasureService } from './erasure.service';
import { RetentionService } from './retention.service';

@ApiTags('personal data')
@ApiBearerAuth()
@Controller('api/v1')
export class ErasureController {
  constructor(
    private readonly erasure: ErasureService,
    private readonly retention: RetentionService,
    private readonly requests: TraceRequestsService,
  ) {}

  @Post('admin/trace-requests/:id/erasure')
  @HttpCode(200)
  @Action('admin.trace-requests.erase')
  @ApiOperation({
    summary:
      'Erase a request’s personal data (its data key destroyed, its workflows terminated, its ' +
      'read models scrubbed): ground ccf_decision (reference, deadline), retention_expired or ' +
      'requester_withdrew_data; closeRunning to terminate a request still running',
  })
  async erase(
    @CurrentUser() admin: AuthUser,
    @Param('id', requestId()) id: string,
    @Body() body: ErasureDto,
  ) {
    const row = await this.erasure.forAdmin(admin, id);
    const erasure = await this.erasure.erase(row, {
      ground: body.ground,
      reference: body.reference,
      deadline: body.deadline,
      closeRunning: body.closeRunning === true,
      channel: 'api',
      by: auditActor(admin, 'admin.trace-requests.erase'),
    });
    return {
      id,
      reference: row.reference,
      status: (await this.erasure.status(id)) ?? row.status,
      erasure,
    };
  }

  @Put('admin/trace-requests/:id/retention-review')
  @Action('admin.trace-requests.retention-review')
  @ApiOperation({ summary: 'Bring an ended request’s retention review forward' })
  async bringForward(
    @CurrentUser() admin: AuthUser,
    @Param('id', requestId()) id: string,
    @Body() body: SetRetentionReviewDto,
  ) {
    const row = await this.erasure.forAdmin(admin, id);
    return this.retention.bringForward(admin, row, body.reviewOn);
  }

  @Post('trace-requests/:id/retention-review')
  @HttpCode(200)
  @Action('trace-requests.retention-review')
  @ApiOperation({
    summary:
      'The requesting NCB decides a retention review: keep (reason, nextReviewOn at most 5 ' +
      'years ahead) or erase (ground retention_expired)',
  })
  async review(
    @CurrentUser() user: AuthUser,
    @Param('id', requestId()) id: string,
    @Body() body: RetentionReviewDto,
  ) {
    const row = await this.requests.findVisible(user, id);
    return this.retention.review(user, row, body);
  }
}
