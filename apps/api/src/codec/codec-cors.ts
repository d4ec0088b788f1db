import type { NextFunction, Request, Response } from 'express';

/**
 * CORS for the codec routes only, for the Temporal Web UI's origins (CODEC_CORS_ORIGINS): the UI
 * calls them from the browser with `Authorization` (its "pass access token" option) or with
 * cookies ("include cross-origin credentials"), and `X-Namespace`. Other origins get no CORS
 * headers, so the browser refuses them; preflights are answered here, before any auth.
 */
export function codecCors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (typeof origin === 'string' && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
        res.setHeader(
          'Access-Control-Allow-Headers',
          'Authorization, Content-Type, X-Namespace, X-Request-Id',
        );
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    } else if (req.method === 'OPTIONS') {
      res.status(403).end();
      return;
    }
    next();
  };
}
