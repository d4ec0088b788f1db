import { Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditRecorder } from './audit-recorder.service';
import { AuditService } from './audit.service';
import { RequestContextMiddleware } from './request-context';

/**
 * The audit chain in the API: the recorder every service writes with (global), the interceptor
 * that records reads, the request context, and the auditors' routes.
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [
    AuditRecorder,
    AuditService,
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AuditRecorder],
})
export class AuditModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(RequestContextMiddleware)
      .forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
