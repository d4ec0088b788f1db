import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { UserEntity } from '../../../../libs/persistence/src/entities';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { PolicyCheck } from './policy-check';
import { RateLimitGuard, throttlerOptions } from './rate-limit.guard';
import { LocalTokenVerifier, TokenVerifier } from './token-verifier';
import { UsersService } from './users.service';

@Module({
  imports: [
    DiscoveryModule,
    TypeOrmModule.forFeature([UserEntity]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // A prepared KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it
        // as a public key on every verify, which cost ~15% of the API's CPU in the list benchmark.
        secret: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')) as unknown as string,
        signOptions: { algorithm: 'HS256', issuer: 'silvertrace' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'silvertrace' },
      }),
    }),
    ThrottlerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: throttlerOptions }),
  ],
  controllers: [AuthController],
  providers: [
    UsersService,
    AuthService,
    PolicyCheck,
    // The one place to swap local tokens for an OpenID Connect provider's (docs/api.md, "OpenID Connect").
    { provide: TokenVerifier, useClass: LocalTokenVerifier },
    // In this order: the rate limit counts every request, refused ones included.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [UsersService, TokenVerifier],
})
export class AuthModule {}
