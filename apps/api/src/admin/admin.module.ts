import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AdminSettingsController, AdminUsersController } from './admin.controller';
import { AdminSettingsService } from './admin-settings.service';
import { AdminUsersService } from './admin-users.service';
import { WorkflowSettingsService } from './workflow-settings.service';

/** Users, quotas, participating countries and deadlines, for admins (auth/policy.ts, admin.*). */
@Module({
  imports: [AuthModule],
  controllers: [AdminUsersController, AdminSettingsController],
  providers: [AdminUsersService, AdminSettingsService, WorkflowSettingsService],
  exports: [WorkflowSettingsService],
})
export class AdminModule {}
