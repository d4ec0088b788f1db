import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoginDto } from '../../../../libs/domain/src/dto';
import type { AuthUser } from './actor';
import { AuthService, TokenResponse } from './auth.service';
import { Action, CurrentUser } from './decorators';

@ApiTags('identity')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('token')
  @HttpCode(200)
  @Action('auth.token')
  @ApiOperation({
    summary: 'Sign in with username and password; returns a short-lived JWT',
    description: 'Five failures in a row lock the account for 1 minute, doubling per failure.',
  })
  token(@Body() body: LoginDto): Promise<TokenResponse> {
    return this.auth.issueToken(body.username, body.password);
  }

  @Post('logout')
  @HttpCode(204)
  @Action('auth.logout')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: revokes every token issued to the caller so far' })
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.auth.logout(user.userId);
  }
}
