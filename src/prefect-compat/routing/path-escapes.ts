import type { NextFunction, Request, Response } from 'express';

/** Python's `urllib.parse.unquote`: `%XX` escapes decoded, the bytes read as UTF-8 (invalid ones become U+FFFD). */
function unquote(path: string): string {
  // Node's parser admits only ASCII in the request target, so each character is one byte.
  const bytes = path.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/**
 * Routes on the decoded path, as Prefect's server does: uvicorn percent-decodes the whole path before Starlette
 * matches it. So `%66ilter` is `filter`, an escaped `/` (`%2F`) separates segments (a name containing one is a
 * 404), a trailing `%2F` is a trailing slash (307), a `%` not followed by two hex digits is a literal `%`, and
 * escapes that are not UTF-8 decode to U+FFFD; an odd path is an ordinary miss, never a 400 or a 5xx. Express
 * then sees each decoded segment escaped once, canonically, and decodes the route parameters back.
 */
export function normalizePathEscapes(req: Request, _res: Response, next: NextFunction): void {
  const url = req.url;
  // Only origin-form targets ("/api/..."); the fragment, if a client sent one, is not part of the path.
  const end = url.search(/[?#]/);
  const path = end >= 0 ? url.slice(0, end) : url;
  if (url.startsWith('/') && path.includes('%')) {
    const rest = end >= 0 && url[end] === '?' ? url.slice(end).replace(/#.*$/s, '') : '';
    req.url = unquote(path).split('/').map(encodeURIComponent).join('/') + rest;
  }
  next();
}
