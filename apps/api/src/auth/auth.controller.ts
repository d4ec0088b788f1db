import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoginDto } from '../../../../libs/domain/src/dto';
import { AuthService, TokenResponse } from './auth.service';
import { Public } from './decorators';

@ApiTags('identity')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with username and password; returns a short-lived JWT' })
  token(@Body() body: LoginDto): Promise<TokenResponse> {
    return this.auth.issueToken(body.username, body.password);
  }
}
