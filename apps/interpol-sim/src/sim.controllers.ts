import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { IDEMPOTENCY_HEADER } from '../../../libs/gateway/src';
import { DeliveryService } from './delivery.service';
import { GsService } from './gs.service';
import { NcbService } from './ncb.service';
import { SimState } from './sim-state';
import { SimTimers } from './sim-timers';
import {
  CountryBehaviourDto,
  DecideDto,
  DiffusionDto,
  EraseDto,
  GsCancelDto,
  GsSuspendDto,
  QueryAnswerDto,
  RequestControlDto,
  RespondDto,
  SubmissionDto,
  WithdrawalDto,
} from './sim.dto';
import { LoopbackGuard, SignatureGuard } from './sim.guards';
import type { SimRequest } from './sim.types';

function idempotencyKeyOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length === 0 || value.length > 255) {
    throw new BadRequestException('Idempotency-Key must be 1 to 255 characters');
  }
  return value;
}

function countryParam(cc: string): string {
  const upper = cc.toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper))
    throw new BadRequestException('country must be ISO 3166-1 alpha-2');
  return upper;
}

/** What silvertrace's worker calls: the GS and the requesting-NCB channel. Signed; 202 on success. */
@Controller()
@UseGuards(SignatureGuard)
export class GatewayController {
  constructor(
    private readonly gs: GsService,
    private readonly ncb: NcbService,
  ) {}

  @Post('gs/submissions')
  @HttpCode(202)
  submit(@Body() dto: SubmissionDto, @Headers(IDEMPOTENCY_HEADER) key?: string): unknown {
    return this.gs.receiveSubmission(dto, idempotencyKeyOf(key)).body;
  }

  @Post('gs/query-answers')
  @HttpCode(202)
  answerQuery(@Body() dto: QueryAnswerDto, @Headers(IDEMPOTENCY_HEADER) key?: string): unknown {
    return this.gs.receiveQueryAnswer(dto, idempotencyKeyOf(key)).body;
  }

  @Post('gs/withdrawals')
  @HttpCode(202)
  withdraw(@Body() dto: WithdrawalDto, @Headers(IDEMPOTENCY_HEADER) key?: string): unknown {
    return this.gs.receiveWithdrawal(dto, idempotencyKeyOf(key)).body;
  }

  @Post('ncb/diffusions')
  @HttpCode(202)
  diffuse(@Body() dto: DiffusionDto, @Headers(IDEMPOTENCY_HEADER) key?: string): unknown {
    return this.ncb.receiveDiffusion(dto, idempotencyKeyOf(key)).body;
  }
}

/** Demo and test steering. Unsigned, loopback only. */
@Controller('control')
@UseGuards(LoopbackGuard)
export class ControlController {
  constructor(
    private readonly state: SimState,
    private readonly timers: SimTimers,
    private readonly delivery: DeliveryService,
    private readonly gs: GsService,
    private readonly ncb: NcbService,
  ) {}

  @Put('requests/:reference')
  configureRequest(@Param('reference') reference: string, @Body() dto: RequestControlDto): unknown {
    const request = this.state.updateControl(reference, dto);
    this.state.log('control', 'request_configured', reference, { ...dto });
    return { reference, control: request.control };
  }

  @Put('countries/:cc')
  configureCountry(@Param('cc') cc: string, @Body() dto: CountryBehaviourDto): unknown {
    const country = countryParam(cc);
    this.state.setCountryDefault(country, dto.behaviour);
    this.state.log('control', 'country_configured', undefined, {
      country,
      behaviour: dto.behaviour,
    });
    return { country, behaviour: dto.behaviour };
  }

  @Get('countries')
  countries(): unknown {
    return { defaultBehaviour: 'found', countries: this.state.countryDefaultsView() };
  }

  @Post('requests/:reference/decide')
  @HttpCode(202)
  decide(@Param('reference') reference: string, @Body() dto: DecideDto): unknown {
    return this.gs.decideNow(reference, dto.decision, {
      reasons: dto.reasons,
      question: dto.question,
    });
  }

  @Post('requests/:reference/suspension')
  @HttpCode(202)
  suspend(@Param('reference') reference: string, @Body() dto: GsSuspendDto): unknown {
    return this.gs.orderNow(reference, 'suspension', dto);
  }

  @Post('requests/:reference/resumption')
  @HttpCode(202)
  resume(@Param('reference') reference: string): unknown {
    return this.gs.orderNow(reference, 'resumption', {});
  }

  @Post('requests/:reference/cancellation')
  @HttpCode(202)
  cancel(@Param('reference') reference: string, @Body() dto: GsCancelDto): unknown {
    return this.gs.orderNow(reference, 'cancellation', dto);
  }

  @Post('requests/:reference/erasure')
  @HttpCode(202)
  erase(@Param('reference') reference: string, @Body() dto: EraseDto): unknown {
    return this.gs.eraseNow(reference, dto);
  }

  @Post('requests/:reference/countries/:cc/respond')
  @HttpCode(202)
  respond(
    @Param('reference') reference: string,
    @Param('cc') cc: string,
    @Body() dto: RespondDto,
  ): unknown {
    return this.ncb.respondNow(reference, countryParam(cc), dto);
  }

  @Get('requests')
  list(): unknown {
    return this.state.all().map((r) => ({
      reference: r.reference,
      kind: r.kind,
      stage: r.stage,
      submissions: r.submissions.length,
      decisions: r.decisions.length,
      responses: r.responses.length,
    }));
  }

  @Get('requests/:reference')
  request(@Param('reference') reference: string): unknown {
    const request = this.state.find(reference);
    if (!request) throw new NotFoundException(`the simulator knows nothing about ${reference}`);
    return this.view(request);
  }

  @Get('log')
  log(@Query('reference') reference?: string): unknown {
    return { entries: this.state.logView(reference) };
  }

  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.timers.cancelAll();
    this.delivery.abortAll();
    this.state.reset();
    this.state.log('control', 'reset');
  }

  private view(request: SimRequest): unknown {
    const countries = new Set([
      ...request.answeringCountries,
      ...Object.keys(request.control.countries ?? {}),
    ]);
    return {
      ...request,
      countryBehaviours: Object.fromEntries(
        [...countries].sort().map((cc) => [cc, this.state.behaviourOf(request, cc)]),
      ),
    };
  }
}

@Controller()
export class HealthController {
  @Get('health')
  health(): unknown {
    return { status: 'ok', service: 'interpol-sim', simulator: true };
  }
}
