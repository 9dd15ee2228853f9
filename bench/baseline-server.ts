/**
 * The raw floor: node:http + pg, no framework, answering the bench's routes (baseline-routes.ts) with the same SQL
 * and the same JSON as the app. It is the "how fast could this be" reference, not a product.
 *
 * Env: DATABASE_URL, PORT, HOST (127.0.0.1), DB_POOL_MAX (10), PREFECT_SERVER_API_DEFAULT_LIMIT (200).
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { UnsupportedFilter } from './baseline-sql';
import { HttpError, Json, pool, route } from './baseline-routes';

function send(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Json> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', reject);
    req.on('end', () => {
      if (!chunks.length) return resolve({});
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : {});
      } catch {
        reject(new HttpError(422, { detail: 'invalid JSON' }));
      }
    });
  });
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  readBody(req)
    .then((body) => route(req.method ?? 'GET', path, body))
    .then(([status, payload]) => send(res, status, payload))
    .catch((err: unknown) => {
      if (err instanceof HttpError) return send(res, err.status, err.body);
      if (err instanceof UnsupportedFilter) return send(res, 400, { detail: `baseline: ${err.message}` });
      console.error(err);
      send(res, 500, { detail: String(err) });
    });
});

server.listen(Number(process.env.PORT ?? 4300), process.env.HOST ?? '127.0.0.1');

const stop = () => {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
