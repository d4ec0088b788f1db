import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { concatMap, from, type Observable } from 'rxjs';
import { ACTION } from '../auth/decorators';
import { auditRuleOf } from './audit-classification';
import { auditActor, AuditRecorder, isUuid } from './audit-recorder.service';
import type { AuditedRequest } from './request-context';

/**
 * Records every successful call of a `recorded` action (audit-classification.ts) before its
 * answer leaves: if the entry cannot be written, the caller gets an error, not the data.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly recorder: AuditRecorder,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action: unknown = this.reflector.get(ACTION, ctx.getHandler());
    const rule = typeof action === 'string' ? auditRuleOf(action) : undefined;
    if (!rule || rule.mode !== 'recorded' || ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<AuditedRequest>();
    return next
      .handle()
      .pipe(
        concatMap((data: unknown) =>
          from(this.write(req, action as string, data).then(() => data)),
        ),
      );
  }

  private async write(req: AuditedRequest, action: string, data: unknown): Promise<void> {
    const rule = auditRuleOf(action)!;
    const objectId = rule.object ? req.params?.[rule.object.param] : undefined;
    const resultRequestId =
      data && typeof data === 'object' ? (data as { requestId?: unknown }).requestId : undefined;
    const traceRequestId =
      rule.object?.isTraceRequest && isUuid(objectId)
        ? objectId
        : isUuid(resultRequestId)
          ? resultRequestId
          : null;
    const query = Object.keys(req.query ?? {}).length > 0 ? { query: req.query } : {};
    await this.recorder.record({
      ...auditActor(req.user, action),
      action,
      outcome: 'success',
      objectType: rule.object && objectId ? rule.object.type : null,
      objectId: typeof objectId === 'string' ? objectId : null,
      traceRequestId,
      details: { method: req.method, ...query, ...resultSummary(action, data) },
    });
  }
}

/** A little of what an audit read answered (its own result is an audit fact too). */
function resultSummary(action: string, data: unknown): Record<string, unknown> {
  if (!data || typeof data !== 'object') return {};
  if (action === 'audit.verify') {
    const v = data as { ok?: unknown; entries?: unknown; firstBrokenEntry?: unknown };
    return { ok: v.ok, entries: v.entries, firstBrokenEntry: v.firstBrokenEntry };
  }
  if (action === 'audit.entries') {
    return { returned: ((data as { items?: unknown[] }).items ?? []).length };
  }
  return {};
}
