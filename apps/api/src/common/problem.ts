import { HttpException } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, the one error shape every route answers with. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  instance?: string;
  requestId?: string;
  /** The domain's refusal code (libs/domain/src/rules.ts RefusalCode), when the domain refused. */
  code?: string;
  /** Which rule refused, when one code covers several (e.g. the four-eyes rules). */
  rule?: string;
}

/** Members a problem may carry beyond RFC 9457's own. */
export type ProblemExtensions = Pick<ProblemDetails, 'code' | 'rule'>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const titleFor = (status: number): string => TITLES[status] ?? 'Error';

/** Throw this from anywhere in the API to answer with a specific problem. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    detail: string,
    errors?: FieldError[],
    type?: string,
    extensions?: ProblemExtensions,
  ) {
    const body: ProblemDetails = {
      type: type ?? `urn:silvertrace:problem:${titleFor(status).toLowerCase().replace(/ /g, '-')}`,
      title: titleFor(status),
      status,
      detail,
      ...(errors ? { errors } : {}),
      ...extensions,
    };
    super(body, status);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new ProblemException(400, detail, errors);
export const notFound = (what = 'resource') => new ProblemException(404, `${what} not found`);
export const conflict = (detail: string) => new ProblemException(409, detail);
export const forbidden = (detail: string) => new ProblemException(403, detail);
export const unavailable = (detail: string) => new ProblemException(503, detail);
