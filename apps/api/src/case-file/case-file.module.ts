import { Module } from '@nestjs/common';
import { AssetsModule } from '../assets/assets.module';
import { JurisdictionsModule } from '../jurisdictions/jurisdictions.module';
import { ReplayModule } from '../replay/replay.module';
import { TraceRequestsModule } from '../trace-requests/trace-requests.module';
import { CaseFileController } from './case-file.controller';
import { CaseFileService } from './case-file.service';

/** Case files exported under the handling codes (libs/domain/src/handling.ts). */
@Module({
  imports: [TraceRequestsModule, JurisdictionsModule, AssetsModule, ReplayModule],
  controllers: [CaseFileController],
  providers: [CaseFileService],
})
export class CaseFileModule {}
