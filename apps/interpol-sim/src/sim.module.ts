import { Module, type DynamicModule } from '@nestjs/common';
import { DeliveryService } from './delivery.service';
import { GsService } from './gs.service';
import { NcbService } from './ncb.service';
import { SimState } from './sim-state';
import { SimTimers } from './sim-timers';
import { ControlController, GatewayController, HealthController } from './sim.controllers';
import { LoopbackGuard, SignatureGuard } from './sim.guards';
import { SIM_OPTIONS, type ResolvedSimOptions } from './sim.types';

@Module({})
export class InterpolSimModule {
  static register(options: ResolvedSimOptions): DynamicModule {
    return {
      module: InterpolSimModule,
      controllers: [GatewayController, ControlController, HealthController],
      providers: [
        { provide: SIM_OPTIONS, useValue: options },
        SimState,
        SimTimers,
        DeliveryService,
        GsService,
        NcbService,
        SignatureGuard,
        LoopbackGuard,
      ],
    };
  }
}
