import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Connection } from '@temporalio/client';
import { TEMPORAL_CONNECTION } from '../../../../libs/temporal/src';
import { Action } from '../auth/decorators';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(TEMPORAL_CONNECTION) private readonly temporal: Connection,
  ) {}

  /** The process is up and serving HTTP; says nothing about its dependencies. */
  @Get('live')
  @Action('health.live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to do work: PostgreSQL and Temporal both answer (503 naming the one that doesn't). */
  @Get('ready')
  @Action('health.ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    try {
      return await this.check();
    } catch (err) {
      // Terminus' own report (which dependency is down) is more useful here than a problem.
      if (err instanceof ServiceUnavailableException) {
        res.status(503);
        return err.getResponse();
      }
      throw err;
    }
  }

  private check() {
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 1500 }),
      async () => {
        const indicator = this.indicators.check('temporal');
        try {
          await this.temporal.withDeadline(Date.now() + 1500, () =>
            this.temporal.healthService.check({}),
          );
          return indicator.up();
        } catch (err) {
          return indicator.down({ message: err instanceof Error ? err.message : String(err) });
        }
      },
    ]);
  }
}
