// The CLI's HTTP client: signs in once (or uses a given token) and turns every failure into
// one clear message with the exit code the CLI documents.

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** The HTTP status, when the API answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

const ERROR = 2;

interface Options {
  apiUrl: string;
  username?: string;
  password?: string;
  token?: string;
}

interface CallOptions {
  /** What a 404 is about ("trace request <id>"). */
  notFound?: string;
  /** Statuses answered with null instead of an error. */
  optional?: number[];
  /** A JSON body (actions). */
  body?: unknown;
}

function problemText(body: string): string {
  try {
    const p = JSON.parse(body) as {
      detail?: string;
      title?: string;
      errors?: { field: string; message: string }[];
    };
    const fields = p.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
    return [p.detail ?? p.title, fields].filter(Boolean).join(' - ') || body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}

export class ApiClient {
  private token?: string;
  private readonly base: string;

  constructor(private readonly opts: Options) {
    let url: URL;
    try {
      url = new URL(opts.apiUrl);
    } catch {
      throw new CliError(`--api-url is not a URL: ${opts.apiUrl}`, ERROR);
    }
    this.base = url.toString().replace(/\/+$/, '');
    this.token = opts.token;
  }

  private async send(method: string, path: string, body?: unknown, auth = true): Promise<Response> {
    const headers: Record<string, string> = {
      accept: 'application/json, text/csv;q=0.9, */*;q=0.1',
    };
    if (auth) headers.authorization = `Bearer ${await this.bearer()}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `cannot reach the API at ${this.base} (${cause?.code ?? cause?.message ?? String(err)}); ` +
          'is it running? (--api-url or SILVERTRACE_API_URL)',
        ERROR,
      );
    }
  }

  private async bearer(): Promise<string> {
    if (this.token) return this.token;
    const { username, password } = this.opts;
    if (!username || !password) {
      throw new CliError(
        'no credentials: give --username and --password (or SILVERTRACE_USERNAME and ' +
          'SILVERTRACE_PASSWORD), or --token (SILVERTRACE_TOKEN)',
        ERROR,
      );
    }
    const res = await this.send('POST', '/api/v1/auth/token', { username, password }, false);
    const text = await res.text();
    if (res.status !== 200) {
      throw new CliError(
        `sign-in refused for ${username} (${res.status}): ${problemText(text)}`,
        ERROR,
        res.status,
      );
    }
    this.token = (JSON.parse(text) as { access_token: string }).access_token;
    return this.token;
  }

  private async call(method: string, path: string, opts: CallOptions): Promise<string | null> {
    const res = await this.send(method, path, opts.body);
    const text = await res.text();
    if (res.ok) return text;
    if (opts.optional?.includes(res.status)) return null;
    const detail = problemText(text);
    switch (res.status) {
      case 401:
        throw new CliError(`the API refused the token (401): ${detail}`, ERROR, 401);
      case 403:
        throw new CliError(`not allowed (403): ${detail}`, ERROR, 403);
      case 404:
        throw new CliError(`not found: ${opts.notFound ?? path} (404)`, ERROR, 404);
      default:
        throw new CliError(
          `${method} ${path} failed (${res.status}): ${detail}`,
          ERROR,
          res.status,
        );
    }
  }

  async json<T>(
    method: string,
    path: string,
    opts: CallOptions & { optional: number[] },
  ): Promise<T | null>;
  async json<T>(method: string, path: string, opts?: CallOptions): Promise<T>;
  async json<T>(method: string, path: string, opts: CallOptions = {}): Promise<T | null> {
    const text = await this.call(method, path, opts);
    return text === null ? null : (JSON.parse(text) as T);
  }

  async text(method: string, path: string, opts: CallOptions = {}): Promise<string> {
    return (await this.call(method, path, opts)) ?? '';
  }
}
