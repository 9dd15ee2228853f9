import type { NextFunction, Request, Response } from 'express';

/** Python's `urllib.parse.unquote`: `%XX` escapes decoded, the bytes read as UTF-8 (invalid ones become U+FFFD). */
function unquote(path: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < path.length; i++) {
    const escape = path[i] === '%' ? path.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(escape)) {
      bytes.push(parseInt(escape, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(path[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Routes on the decoded path, as Prefect's server does: uvicorn percent-decodes the whole path before Starlette
 * matches it. So `%66ilter` is `filter`, an escaped `/` (`%2F`) separates segments (a name containing one is a
 * 404), a trailing `%2F` is a trailing slash (307), a `%` not followed by two hex digits is a literal `%`, and
 * escapes that are not UTF-8 decode to U+FFFD; an odd path is an ordinary miss, never a 400 or a 5xx. Express
 * then sees each decoded segment escaped once, canonically, and decodes the route parameters back.
 */
export function normalizePathEscapes(req: Request, _res: Response, next: NextFunction): void {
  if (req.url.includes('%')) {
    const q = req.url.indexOf('?');
    const path = unquote(q >= 0 ? req.url.slice(0, q) : req.url);
    req.url = path.split('/').map(encodeURIComponent).join('/') + (q >= 0 ? req.url.slice(q) : '');
  }
  next();
}
