import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import {
  CountryDeadlineDto,
  CreateUserDto,
  QuotaQuery,
  SetQuotaDto,
  UpdateDeadlinesDto,
  UpdateUserDto,
} from './admin.dto';
import {
  AdminSettingsService,
  countryParam,
  type CountryView,
  type QuotaView,
  yearParam,
} from './admin-settings.service';
import { AdminUsersService, type UserView } from './admin-users.service';
import type { DeadlinesView } from './workflow-settings.service';

// Path parameters are named `country` (not `cc` as on case routes): these routes change the
// pilot itself, and only admins reach them (auth/policy.ts, admin.*).

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/users')
export class AdminUsersController {
  constructor(private readonly users: AdminUsersService) {}

  @Get()
  @Action('admin.users.list')
  @ApiOperation({ summary: 'Every account (without password hashes)' })
  list(@CurrentUser() admin: AuthUser): Promise<{ items: UserView[] }> {
    return this.users.list(admin);
  }

  @Post()
  @Action('admin.users.create')
  @ApiOperation({
    summary: 'Create an account (password policy; 409 when the username is taken)',
  })
  create(@CurrentUser() admin: AuthUser, @Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(admin, body);
  }

  @Get(':id')
  @Action('admin.users.get')
  @ApiOperation({ summary: 'One account' })
  get(@CurrentUser() admin: AuthUser, @Param('id') id: string): Promise<UserView> {
    return this.users.get(admin, id);
  }

  @Patch(':id')
  @Action('admin.users.update')
  @ApiOperation({
    summary: 'Change roles, country or active; any change revokes the user’s tokens',
  })
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(admin, id, body);
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin')
export class AdminSettingsController {
  constructor(private readonly admin: AdminSettingsService) {}

  @Get('quotas')
  @Action('admin.quotas.list')
  @ApiOperation({ summary: 'INTERPOL quotas of a year per requesting country: limit and used' })
  @ApiQuery({ name: 'year', required: false, description: 'default: this year (UTC)' })
  quotas(
    @Query() query: QuotaQuery,
  ): Promise<{ year: number; defaultLimit: number; items: QuotaView[] }> {
    return this.admin.quotas(query.year ?? new Date().getUTCFullYear());
  }

  @Put('quotas/:country/:year')
  @Action('admin.quotas.set')
  @ApiOperation({
    summary: 'Set a country’s limit for a year (null: back to QUOTA_PER_YEAR); applies at once',
  })
  setQuota(
    @CurrentUser() admin: AuthUser,
    @Param('country') country: string,
    @Param('year') year: string,
    @Body() body: SetQuotaDto,
  ): Promise<QuotaView> {
    return this.admin.setQuota(admin, countryParam(country), yearParam(year), body.limit);
  }

  @Get('countries')
  @Action('admin.countries.list')
  @ApiOperation({ summary: 'The participating countries (and removed ones, inactive)' })
  countries(): Promise<{ items: CountryView[] }> {
    return this.admin.countries();
  }

  @Put('countries/:country')
  @Action('admin.countries.add')
  @ApiOperation({
    summary: 'Add a participating country or take a removed one back (201 new, 200 known)',
  })
  async addCountry(
    @CurrentUser() admin: AuthUser,
    @Param('country') country: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CountryView> {
    const { created, view } = await this.admin.addCountry(admin, countryParam(country));
    res.status(created ? 201 : 200);
    return view;
  }

  @Delete('countries/:country')
  @HttpCode(204)
  @Action('admin.countries.remove')
  @ApiOperation({
    summary: 'Remove a country: new requests may no longer target it (running ones go on)',
  })
  async removeCountry(
    @CurrentUser() admin: AuthUser,
    @Param('country') country: string,
  ): Promise<void> {
    await this.admin.removeCountry(admin, countryParam(country));
  }

  @Get('deadlines')
  @Action('admin.deadlines.get')
  @ApiOperation({ summary: 'Lifecycle durations new requests start with, and their defaults' })
  deadlines(): Promise<DeadlinesView> {
    return this.admin.deadlines();
  }

  @Patch('deadlines')
  @Action('admin.deadlines.set')
  @ApiOperation({
    summary: 'Change lifecycle durations (ISO 8601; null: the default) for requests started later',
  })
  setDeadlines(
    @CurrentUser() admin: AuthUser,
    @Body() body: UpdateDeadlinesDto,
  ): Promise<DeadlinesView> {
    return this.admin.setDeadlines(admin, body);
  }

  @Put('deadlines/countries/:country')
  @Action('admin.deadlines.set-country')
  @ApiOperation({ summary: 'A participating country’s own answer deadline' })
  setCountryDeadline(
    @CurrentUser() admin: AuthUser,
    @Param('country') country: string,
    @Body() body: CountryDeadlineDto,
  ): Promise<DeadlinesView> {
    return this.admin.setCountryDeadline(admin, countryParam(country), body);
  }

  @Delete('deadlines/countries/:country')
  @Action('admin.deadlines.clear-country')
  @ApiOperation({ summary: 'Back to the default answer deadline for this country' })
  clearCountryDeadline(
    @CurrentUser() admin: AuthUser,
    @Param('country') country: string,
  ): Promise<DeadlinesView> {
    return this.admin.setCountryDeadline(admin, countryParam(country), null);
  }
}
