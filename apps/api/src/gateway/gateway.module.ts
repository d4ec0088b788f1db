import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { ErasureModule } from '../erasure/erasure.module';
import { JurisdictionsModule } from '../jurisdictions/jurisdictions.module';
import { TraceRequestsModule } from '../trace-requests/trace-requests.module';
import { GatewaySignatureGuard } from './gateway-signature.guard';
import { GatewayController } from './gateway.controller';
import { GatewayService } from './gateway.service';

@Module({
  imports: [TraceRequestsModule, JurisdictionsModule, AdminModule, ErasureModule],
  controllers: [GatewayController],
  providers: [GatewayService, GatewaySignatureGuard],
})
export class GatewayModule {}
