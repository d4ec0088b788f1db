import { Module } from '@nestjs/common';
import { TraceRequestsModule } from '../trace-requests/trace-requests.module';
import { ErasureController } from './erasure.controller';
import { ErasureService } from './erasure.service';
import { RetentionService } from './retention.service';

/** Erasure by crypto-shredding and retention reviews (README, "Personal data"). */
@Module({
  imports: [TraceRequestsModule],
  controllers: [ErasureController],
  providers: [ErasureService, RetentionService],
  exports: [ErasureService],
})
export class ErasureModule {}
