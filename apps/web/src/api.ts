// The only way the web application talks to the server: the public HTTP API on the same origin.

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, as the API answers every error. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
  /** The message for one field (or, for a list, its first item's), if the API named it. */
  fieldError(field: string): string | undefined {
    const errors = this.problem.errors ?? [];
    return (
      errors.find((e) => e.field === field)?.message ??
      errors.find((e) => e.field.startsWith(`${field}[`))?.message
    );
  }
}

export interface User {
  id: string;
  username: string;
  roles: string[];
  country: string;
}

const TOKEN_KEY = 'silvertrace.token';
const USER_KEY = 'silvertrace.user';

/** The session lives in this tab only (sessionStorage): closing the tab signs out. */
export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  user(): User | null {
    const raw = sessionStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as User) : null;
  },
  save(token: string, user: User): void {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
  },
};

/** Called when the API says the token is no longer good (expired, revoked). */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse<T> {
  body: T;
  headers: Headers;
}

export async function apiRaw(
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      // The API's ETag is the content version, which a status change keeps: a revalidated
      // cached copy would show the old status. Always ask afresh.
      cache: 'no-store',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError({ status: 0, title: 'network' });
  }
  if (!res.ok) {
    let problem: Problem = { status: res.status, title: res.statusText };
    try {
      problem = { ...problem, ...((await res.json()) as Partial<Problem>), status: res.status };
    } catch {
      // not JSON: keep the status line
    }
    if (res.status === 401 && token) onUnauthorized();
    throw new ApiError(problem);
  }
  return res;
}

export async function apiFull<T>(
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const res = await apiRaw(method, path, opts);
  const text = await res.text();
  return { body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  return (await apiFull<T>(method, path, opts)).body;
}

/** A key that makes a retried create or response the same one (Idempotency-Key). */
export const newKey = (): string => crypto.randomUUID();

/** Builds a query string from the non-empty values. */
export function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
