import { Module } from '@nestjs/common';
import { TraceRequestsModule } from '../trace-requests/trace-requests.module';
import { CodecController } from './codec.controller';
import { CodecService } from './codec.service';

/** The codec server of the Temporal Web UI and CLI (POST /codec/decode, /codec/encode). */
@Module({
  imports: [TraceRequestsModule],
  controllers: [CodecController],
  providers: [CodecService],
})
export class CodecModule {}
