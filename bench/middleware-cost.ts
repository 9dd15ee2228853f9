/**
 * `npm run bench:middleware -- --base DIR`: CPU cost per request of the per-request code that the libraries
 * replaced (request log line, security headers), this checkout against the build in DIR (dist/ of an older
 * checkout), run in-process on real node:http request/response objects with no network and no database.
 * End-to-end req/s on a shared 2-core machine swings by more than the few per cent asked about; a tight loop,
 * alternated A B A B and taken at its best round, does not. The figure to compare is the difference in µs against
 * the whole request's CPU cost (about 300 µs for get by id, bench/README.md).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { join, resolve } from 'node:path';
import type { RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import { pinoHttp } from 'pino-http';
import { createRootLogger } from '../src/logging/app-logger';
import { requestContext } from '../src/http/request-context';
import { securityHeaders } from '../src/http/security';

const ITERATIONS = Number(process.env.ITERATIONS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const discard = () => undefined;

/** µs of CPU per request through `handler` (a fresh request and response each time, answered and finished). */
function measure(handler: RequestHandler): number {
  const started = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) {
    const req = new IncomingMessage(new Socket());
    req.method = 'GET';
    req.url = '/api/flows/6f8ba5c4-8b07-4c39-9a4e-0d58e55bb0e5';
    Object.assign(req, { originalUrl: req.url, path: req.url });
    const res = new ServerResponse(req);
    handler(req as never, res as never, discard);
    res.statusCode = 200;
    res.emit('finish');
    res.emit('close');
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / ITERATIONS;
}

async function main(): Promise<void> {
  const baseDir = resolve(arg('base') ?? '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const old = (file: string) => require(join(baseDir, 'dist', 'src', file));
  const { AppLogger } = old('logging/app-logger.js');
  const oldRequestContext = old('http/request-context.js').requestContext;
  const oldSecurityHeaders = old('http/security.js').securityHeaders;

  const pieces: Record<string, [RequestHandler, RequestHandler]> = {
    'request log line': [
      oldRequestContext(new AppLogger('json', 'log', discard), true),
      requestContext(createRootLogger({ format: 'json', level: 'log', out: discard }), true),
    ],
    'security headers': [oldSecurityHeaders(), securityHeaders()],
    // What the request log would cost through pino-http, configured as quietly as it goes (not used: see
    // src/http/request-context.ts).
    'pino-http log line': [
      oldRequestContext(new AppLogger('json', 'log', discard), true),
      pinoHttp({
        logger: createRootLogger({ format: 'json', level: 'log', out: discard }),
        quietReqLogger: true,
        quietResLogger: true,
        wrapSerializers: false,
        serializers: { req: () => undefined, res: () => undefined },
        genReqId: () => randomUUID(),
        customSuccessMessage: () => 'request',
        customSuccessObject: (req, res) => ({ method: req.method, status: res.statusCode }),
      }) as unknown as RequestHandler,
    ],
  };
  const nothing: RequestHandler = (_req, _res, next) => next();
  const floor: number[] = [];
  const results: Record<string, [number[], number[]]> = {};
  for (const key of Object.keys(pieces)) results[key] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    floor.push(measure(nothing));
    for (const [key, [a, b]] of Object.entries(pieces)) {
      const first = round % 2 === 0;
      const ta = first ? measure(a) : 0;
      const tb = measure(b);
      results[key][0].push(first ? ta : measure(a));
      results[key][1].push(tb);
    }
  }
  const best = (xs: number[]) => Math.min(...xs);
  const f = best(floor);
  console.log(
    `${ITERATIONS} requests x ${ROUNDS} rounds, best round; request/response objects alone ${f.toFixed(2)} µs`,
  );
  for (const [key, [a, b]] of Object.entries(results)) {
    const da = best(a) - f;
    const db = best(b) - f;
    console.log(
      `${key.padEnd(18)} before ${da.toFixed(2)} µs   now ${db.toFixed(2)} µs   difference ${(db - da).toFixed(2)} µs` +
        ` (${(((db - da) / 300) * 100).toFixed(1)}% of a 300 µs get by id)`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
