import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { RequestWorkflows } from './request-workflows.service';
import { TraceRequestsController } from './trace-requests.controller';
import { TraceRequestsService } from './trace-requests.service';

@Module({
  imports: [AdminModule],
  controllers: [TraceRequestsController],
  providers: [TraceRequestsService, RequestWorkflows],
  exports: [TraceRequestsService, RequestWorkflows],
})
export class TraceRequestsModule {}
