import { Module } from '@nestjs/common';
import { TraceRequestsModule } from '../trace-requests/trace-requests.module';
import { AssetsController } from './assets.controller';
import { AssetsService } from './assets.service';

@Module({
  imports: [TraceRequestsModule],
  controllers: [AssetsController],
  providers: [AssetsService],
  exports: [AssetsService],
})
export class AssetsModule {}
