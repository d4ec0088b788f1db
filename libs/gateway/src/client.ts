import { SIGNATURE_HEADER, signBody } from './signature';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const DEFAULT_GATEWAY_TIMEOUT_MS = 10_000;

export interface PostSignedOptions {
  secret: string;
  idempotencyKey?: string;
  timeoutMs?: number;
  /** Aborts the request early, e.g. when the caller shuts down. */
  signal?: AbortSignal;
}

export interface SignedResponse {
  status: number;
  /** Parsed JSON when the answer is JSON, else the text (null when empty). */
  body: unknown;
}

/** The request never got an HTTP answer: refused connection, DNS, reset, timeout or abort. */
export class GatewayTransportError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    const detail = describeCause(cause);
    super(`POST ${url} failed without an HTTP answer: ${detail}`, { cause });
    this.name = 'GatewayTransportError';
  }
}

function describeCause(cause: unknown): string {
  // Duck-typed: fetch's DOMException may come from another realm (e.g. under jest), failing instanceof.
  const err = cause as { name?: unknown; message?: unknown; cause?: unknown } | null;
  if (err && typeof err === 'object') {
    if (err.name === 'TimeoutError') return 'timed out';
    if (err.name === 'AbortError') return 'aborted';
    const message = typeof err.message === 'string' ? err.message : String(cause);
    // undici wraps the socket error ("fetch failed") and keeps the useful part in `cause`.
    const inner = err.cause as { message?: unknown } | undefined;
    if (inner && typeof inner.message === 'string') return `${message} (${inner.message})`;
    return message;
  }
  return String(cause);
}

/**
 * POSTs `body` as JSON signed with the shared secret. The body is serialised once and the signature
 * covers exactly those bytes. HTTP error statuses are returned, not thrown: callers own retry policy.
 */
export async function postSigned(
  url: string,
  body: unknown,
  opts: PostSignedOptions,
): Promise<SignedResponse> {
  const raw = JSON.stringify(body);
  if (raw === undefined) throw new TypeError('postSigned: body is not JSON-serialisable');

  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    [SIGNATURE_HEADER]: signBody(raw, opts.secret),
  };
  if (opts.idempotencyKey !== undefined) headers[IDEMPOTENCY_HEADER] = opts.idempotencyKey;

  const timeout = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_GATEWAY_TIMEOUT_MS);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;

  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { method: 'POST', headers, body: raw, signal });
    text = await response.text();
  } catch (err) {
    throw new GatewayTransportError(url, err);
  }
  return { status: response.status, body: parseBody(text, response.headers.get('content-type')) };
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return null;
  if (contentType && /\bjson\b/i.test(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
