import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Dashboard } from '../../../../libs/domain/src/api-types';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import { DashboardService } from './dashboard.service';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('api/v1/dashboard')
export class DashboardController {
  constructor(private readonly service: DashboardService) {}

  @Get()
  @Action('dashboard.get')
  @ApiOperation({
    summary:
      'Figures over what the caller may see: requests by status, response times per country, ' +
      'assets found and their estimated value by status and currency',
  })
  get(@CurrentUser() user: AuthUser): Promise<Dashboard> {
    return this.service.forUser(user);
  }
}
