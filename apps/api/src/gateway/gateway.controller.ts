import { Body, Controller, Headers, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  GatewayCancellationDto,
  GatewayDecisionDto,
  GatewayErasureDto,
  GatewayResponseDto,
  GatewayResumptionDto,
  GatewaySuspensionDto,
} from '../../../../libs/domain/src/dto';
import { Action } from '../auth/decorators';
import { checkIdempotencyKey } from '../trace-requests/params';
import { GatewaySignatureGuard } from './gateway-signature.guard';
import { GatewayAck, GatewayService } from './gateway.service';

/** Machine to machine: no bearer token (public in the policy), an HMAC signature instead. */
@ApiTags('INTERPOL gateway')
@UseGuards(GatewaySignatureGuard)
@ApiHeader({
  name: 'X-Silvertrace-Signature',
  required: true,
  description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with GATEWAY_SECRET>',
})
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Controller('api/v1/gateway/interpol')
export class GatewayController {
  constructor(private readonly service: GatewayService) {}

  @Post('decisions')
  @Action('gateway.decision')
  @HttpCode(202)
  @ApiOperation({ summary: 'A General Secretariat decision: published, refused or query' })
  decision(
    @Body() body: GatewayDecisionDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<GatewayAck> {
    return this.service.decision(body, checkIdempotencyKey(idempotencyKey));
  }

  @Post('suspensions')
  @Action('gateway.suspension')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'The GS suspends a published request (until or duration, at most 6 months) or extends its suspension once',
  })
  suspension(
    @Body() body: GatewaySuspensionDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<GatewayAck> {
    return this.service.suspension(body, checkIdempotencyKey(idempotencyKey));
  }

  @Post('resumptions')
  @Action('gateway.resumption')
  @HttpCode(202)
  @ApiOperation({ summary: 'The GS lifts a suspension before its end' })
  resumption(
    @Body() body: GatewayResumptionDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<GatewayAck> {
    return this.service.resumption(body, checkIdempotencyKey(idempotencyKey));
  }

  @Post('cancellations')
  @Action('gateway.cancellation')
  @HttpCode(202)
  @ApiOperation({ summary: 'The GS cancels the request (final: CANCELLED)' })
  cancellation(
    @Body() body: GatewayCancellationDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<GatewayAck> {
    return this.service.cancellation(body, checkIdempotencyKey(idempotencyKey));
  }

  @Post('responses')
  @Action('gateway.response')
  @HttpCode(202)
  @ApiOperation({ summary: 'A foreign response relayed through INTERPOL channels' })
  response(
    @Body() body: GatewayResponseDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<GatewayAck> {
    return this.service.response(body, checkIdempotencyKey(idempotencyKey));
  }

  @Post('erasures')
  @Action('gateway.erasure')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'An erasure ordered through INTERPOL (a CCF decision with its reference and deadline): ' +
      'the request’s workflows are terminated, its key destroyed, its read models scrubbed',
  })
  erasure(@Body() body: GatewayErasureDto): Promise<GatewayAck> {
    return this.service.erasure(body);
  }
}
