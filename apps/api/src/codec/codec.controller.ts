import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/actor';
import { Action, CurrentUser } from '../auth/decorators';
import { CodecService, type CodecBody } from './codec.service';

/**
 * Temporal's codec server protocol (the Web UI's "Codec Server" setting, the CLI's
 * `--codec-endpoint`): POST <endpoint>/decode and /encode with `{ payloads: [...] }` in proto3
 * JSON, the namespace in `X-Namespace`, the operator's bearer token in `Authorization`.
 */
@ApiTags('operations')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Namespace', required: false, description: 'Temporal namespace' })
@Controller('codec')
export class CodecController {
  constructor(private readonly codec: CodecService) {}

  @Post('decode')
  @HttpCode(200)
  @Action('codec.decode')
  @ApiOperation({ summary: 'Decrypt Temporal payloads for an operator (audited)' })
  decode(
    @CurrentUser() user: AuthUser,
    @Headers('x-namespace') namespace: string | undefined,
    @Body() body: unknown,
  ): Promise<CodecBody> {
    return this.codec.decode(user, this.codec.checkNamespace(namespace), body);
  }

  @Post('encode')
  @HttpCode(200)
  @Action('codec.encode')
  @ApiOperation({ summary: 'Encrypt Temporal payloads (system key; audited)' })
  encode(
    @CurrentUser() user: AuthUser,
    @Headers('x-namespace') namespace: string | undefined,
    @Body() body: unknown,
  ): Promise<CodecBody> {
    return this.codec.encode(user, this.codec.checkNamespace(namespace), body);
  }
}
