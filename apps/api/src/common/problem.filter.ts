import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProblemDetails, titleFor } from './problem';

/** Errors thrown by body-parser before Nest sees the request carry these. */
interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
}

// PostgreSQL unreachable, restarting or shutting down (node-postgres and server error codes):
// a 503 to retry, not a 500. Seen as 500s on reads while `npm run fault` restarted PostgreSQL.
const DB_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '08000',
  '08001',
  '08003',
  '08006',
]);
const DB_UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

export function isDatabaseUnavailable(exception: unknown): boolean {
  let cur = exception as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
  };
  for (let depth = 0; cur && typeof cur === 'object' && depth < 4; depth++) {
    if (typeof cur.code === 'string' && DB_UNAVAILABLE.has(cur.code)) return true;
    if (typeof cur.message === 'string' && DB_UNAVAILABLE_MESSAGE.test(cur.message)) return true;
    cur = (cur.driverError ?? cur.cause) as typeof cur;
  }
  return false;
}

/**
 * Turns every error into RFC 9457 problem+json. Anything unexpected becomes a bare 500 with no
 * internals; the cause is logged with the request id instead.
 */
/** Told of every problem before it is answered (the audit chain records refusals). */
export type ProblemObserver = (req: Request, problem: ProblemDetails) => Promise<void>;

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(private readonly observe?: ProblemObserver) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const problem = this.toProblem(exception, req);
    if (req?.id !== undefined) problem.requestId = String(req.id);
    if (this.observe && req) {
      await this.observe(req, problem).catch((err: unknown) =>
        this.logger.error(`problem observer failed: ${String(err)}`),
      );
    }
    if (res.headersSent) return;
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, req: Request): ProblemDetails {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null && 'type' in body && 'title' in body) {
        return { ...(body as ProblemDetails) };
      }
      const message =
        typeof body === 'string'
          ? body
          : typeof body === 'object' && body !== null && 'message' in body
            ? String((body as { message: unknown }).message)
            : exception.message;
      return this.generic(status, status === 404 ? `no route ${req.method} ${req.path}` : message);
    }
    const bp = exception as BodyParserError;
    if (bp && typeof bp === 'object' && typeof bp.type === 'string') {
      const status = bp.status ?? bp.statusCode ?? 400;
      if (bp.type === 'entity.too.large') return this.generic(413, 'request body is too large');
      if (bp.type === 'entity.parse.failed')
        return this.generic(400, 'request body is not valid JSON');
      if (status >= 400 && status < 500) return this.generic(status, 'request body was refused');
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${String((exception as Error)?.message)}`);
      return this.generic(503, 'the database is unavailable; retry shortly');
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return this.generic(500, 'an unexpected error occurred');
  }

  private generic(status: number, detail: string): ProblemDetails {
    return {
      type: `urn:silvertrace:problem:${titleFor(status).toLowerCase().replace(/ /g, '-')}`,
      title: titleFor(status),
      status,
      detail,
    };
  }
}
