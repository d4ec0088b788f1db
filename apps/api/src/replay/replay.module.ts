import { Module } from '@nestjs/common';
import { TraceRequestsModule } from '../trace-requests/trace-requests.module';
import { HistorySource } from './history-source.service';
import { ReplayController } from './replay.controller';
import { ReplayService } from './replay.service';

/** Timeline and replay of a request from its recorded (or archived) workflow histories. */
@Module({
  imports: [TraceRequestsModule],
  controllers: [ReplayController],
  providers: [HistorySource, ReplayService],
  exports: [ReplayService],
})
export class ReplayModule {}
