import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Paths the API answers itself: never the web application's, even when nothing matches. */
const API_PATHS = /^\/(api|health|metrics)(\/|$)/;

/**
 * Where `npm run build` puts the web application (dist/web): from the sources (apps/api/src, as
 * tests run them) or from the build (dist/apps/api/src). WEB_DIR overrides both.
 */
export function webAppDir(): string | undefined {
  const candidates = [
    process.env.WEB_DIR,
    resolve(__dirname, '../../../dist/web'),
    resolve(__dirname, '../../../web'),
  ].filter((d): d is string => !!d);
  return candidates.find((d) => existsSync(join(d, 'index.html')));
}

/**
 * Serves the single-page application at `/` on the API's origin, when it has been built: its
 * files, and index.html for any other GET outside /api, /health and /metrics (the app's own
 * routes, e.g. /requests/:id, on a reload). Without a build the API boots as before.
 */
export function serveWebApp(app: NestExpressApplication): string | undefined {
  const dir = webAppDir();
  if (!dir) return undefined;
  const index = join(dir, 'index.html');
  app.useStaticAssets(dir, {
    index: false,
    // Hashed file names under /assets never change; index.html always revalidates.
    setHeaders: (res, path) => {
      if (path.includes(`${join(dir, 'assets')}`))
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return dir;
}
