import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import { notFound } from '../common/problem';
import { ListNotificationsQuery } from './list-notifications.query';
import { NotificationsService, NotificationView } from './notifications.service';

const notificationId = () =>
  new ParseUUIDPipe({ exceptionFactory: () => notFound('notification') });

/** Every signed-in user has notifications, admins and auditors included. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly service: NotificationsService) {}

  @Get()
  @Action('notifications.list')
  @ApiOperation({
    summary:
      "The caller's notifications (to them, or to their role in their country), newest first",
  })
  @ApiQuery({ name: 'unread', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListNotificationsQuery,
  ): Promise<{ items: NotificationView[]; nextCursor: string | null }> {
    return this.service.list(user, query);
  }

  @Post(':id/read')
  @Action('notifications.read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one notification read' })
  read(
    @CurrentUser() user: AuthUser,
    @Param('id', notificationId()) id: string,
  ): Promise<NotificationView> {
    return this.service.markRead(user, id);
  }
}
