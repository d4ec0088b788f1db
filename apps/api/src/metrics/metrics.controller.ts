import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { AppConfig } from '../../../../libs/config/src';
import { APP_CONFIG } from '../../../../libs/config/src/config.module';
import { Action } from '../auth/decorators';
import { ProblemException } from '../common/problem';
import { MetricsService } from './metrics.service';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Prometheus text for the scraper. Open when METRICS_TOKEN is unset (scraped inside the cluster,
 * never routed by the ingress); otherwise only `Authorization: Bearer <METRICS_TOKEN>` reads it:
 * users' tokens do not, since counts by route and status say something about the caseload.
 */
@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('metrics')
  @Action('metrics.read')
  @ApiProduces('text/plain')
  @ApiBearerAuth()
  async read(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const expected = this.config.metricsToken;
    if (expected !== undefined) {
      const [scheme, token] = (authorization ?? '').split(' ');
      // Compared as digests: equal lengths for timingSafeEqual, no length leaked by timing.
      const ok =
        scheme?.toLowerCase() === 'bearer' &&
        !!token &&
        timingSafeEqual(digest(token), digest(expected));
      if (!ok) throw new ProblemException(401, 'GET /metrics needs the metrics bearer token');
    }
    res.setHeader('content-type', this.metrics.contentType);
    res.setHeader('cache-control', 'no-store');
    return this.metrics.text();
  }
}
