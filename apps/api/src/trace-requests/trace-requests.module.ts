import { Module } from '@nestjs/common';
import { RequestWorkflows } from './request-workflows.service';
import { TraceRequestsController } from './trace-requests.controller';
import { TraceRequestsService } from './trace-requests.service';

@Module({
  controllers: [TraceRequestsController],
  providers: [TraceRequestsService, RequestWorkflows],
  exports: [TraceRequestsService, RequestWorkflows],
})
export class TraceRequestsModule {}
