import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WorkQueue } from '../../../../libs/domain/src/api-types';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import { WorkQueueService } from './work-queue.service';

@ApiTags('work queue')
@ApiBearerAuth()
@Controller('api/v1/work-queue')
export class WorkQueueController {
  constructor(private readonly service: WorkQueueService) {}

  // The same readers as the request list; each role gets its own sections (auditors none).
  @Get()
  @Action('work-queue.list')
  @ApiOperation({
    summary:
      'What waits for the caller: investigator drafts, changes and queries; supervisor reviews ' +
      '(four-eyes); NCB approvals, completions, overdue countries; liaison answers due',
  })
  list(@CurrentUser() user: AuthUser): Promise<WorkQueue> {
    return this.service.forUser(user);
  }
}
