import { Module } from '@nestjs/common';
import { TraceRequestsController } from './trace-requests.controller';
import { TraceRequestsService } from './trace-requests.service';

@Module({
  controllers: [TraceRequestsController],
  providers: [TraceRequestsService],
})
export class TraceRequestsModule {}
