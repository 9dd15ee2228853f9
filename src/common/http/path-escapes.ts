import type { NextFunction, Request, Response } from 'express';

/** The bytes a path segment stands for: `%XX` escapes decoded, other (ASCII) characters as they are. */
function segmentBytes(segment: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    if (segment[i] === '%') {
      bytes.push(parseInt(segment.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(segment.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/**
 * Percent-escapes the way Prefect's server (uvicorn) reads them, so an odd path is an ordinary miss
 * (404), never a 400 or a 5xx: a `%` not followed by two hex digits is a literal `%`, and escapes that
 * are not UTF-8 decode to U+FFFD.
 */
export function normalizePathEscapes(req: Request, _res: Response, next: NextFunction): void {
  if (req.url.includes('%')) {
    const q = req.url.indexOf('?');
    let path = (q >= 0 ? req.url.slice(0, q) : req.url).replace(/%(?![0-9a-fA-F]{2})/g, '%25');
    if (!decodes(path)) {
      path = path
        .split('/')
        .map((segment) => (decodes(segment) ? segment : encodeURIComponent(segmentBytes(segment).toString('utf8'))))
        .join('/');
    }
    req.url = path + (q >= 0 ? req.url.slice(q) : '');
  }
  next();
}
