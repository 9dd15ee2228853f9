/**
 * The raw baseline: node:http + pg, no framework, answering the bench's routes with the same SQL
 * and the same JSON as the app (the flow columns and row rendering are imported from the app's
 * repository, the filter SQL is in baseline-sql.ts). It validates only what it must to stay
 * correct for the bench bodies; it is the "how fast could this be" reference, not a product.
 *
 * Point queries use named prepared statements; filters and counts use unnamed ones, planned
 * for each call's values (see ARCHITECTURE.md, performance facts).
 *
 * Env: DATABASE_URL, PORT, HOST (127.0.0.1), DB_POOL_MAX (10), PREFECT_SERVER_API_DEFAULT_LIMIT (200).
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, QueryConfig } from 'pg';
import {
  COUNT_ALL_FLOWS,
  deleteFlowsSql,
  firstByNameSql,
  FLOW_COLUMNS,
  flowPageSql,
  GET_OR_CREATE_FLOW,
  toFlow,
} from '../src/flows/flows.repository';
import { flowWhere, Params, sortOf, UnsupportedFilter } from './baseline-sql';

type Json = Record<string, unknown>;
type FlowRow = Parameters<typeof toFlow>[0];

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_MAX ?? 10),
  application_name: 'bench-baseline',
});
const DEFAULT_LIMIT = Number(process.env.PREFECT_SERVER_API_DEFAULT_LIMIT ?? 200);
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(JSON.stringify(body));
  }
}
const FLOW_NOT_FOUND = new HttpError(404, { detail: 'Flow not found' });

const named =
  (name: string, text: string) =>
  (values: unknown[]): QueryConfig => ({ name, text, values });
let placeholder = 0;
// The app's get-or-create statement (src/flows/flows.repository.ts), with $n placeholders.
const GET_OR_CREATE = named(
  'flow_get_or_create',
  GET_OR_CREATE_FLOW.replace(/\?/g, () => `$${++placeholder}`),
);
const FLOW_BY_ID = named('flow_by_id', `SELECT ${FLOW_COLUMNS} FROM flow WHERE flow.id = $1`);
const FLOW_BY_NAME = named('flow_by_name', `SELECT ${FLOW_COLUMNS} FROM flow WHERE flow.name = $1`);

async function one(q: QueryConfig): Promise<FlowRow | undefined> {
  return (await pool.query<FlowRow>(q)).rows[0];
}

async function createFlow(body: Json): Promise<[number, unknown]> {
  if (typeof body.name !== 'string') throw new HttpError(422, { detail: 'name must be a string' });
  const tags = JSON.stringify(body.tags ?? []);
  const labels = body.labels === null ? null : JSON.stringify(body.labels ?? {});
  const row = (
    await pool.query<FlowRow & { created_now: boolean }>(GET_OR_CREATE([body.name, tags, labels, body.name]))
  ).rows[0];
  if (!row) return createFlow(body);
  return [row.created_now ? 201 : 200, toFlow(row)];
}

function limitOf(body: Json, fallback: number): number {
  const limit = body.limit ?? fallback;
  if (typeof limit !== 'number' || limit < 0 || limit > DEFAULT_LIMIT)
    throw new HttpError(422, { detail: `Invalid limit: ${limit}` });
  return limit;
}

async function filterFlows(body: Json, limit: number, offset: number): Promise<unknown[]> {
  const p = new Params();
  const where = flowWhere(body, p);
  // The app's page statement (src/flows/flows.repository.ts flowPageSql), its two `?` filled in order.
  const sql = flowPageSql(where, sortOf(body.sort))
    .replace('?', () => p.add(limit))
    .replace('?', () => p.add(offset));
  return (await pool.query<FlowRow>(sql, p.values)).rows.map(toFlow);
}

const COUNT_ALL = named('flow_count_all', COUNT_ALL_FLOWS);

async function countFlows(body: Json): Promise<number> {
  const p = new Params();
  const where = flowWhere(body, p);
  // As the app: no condition reads the trigger-kept count (src/flows/flows.repository.ts countMatching).
  const { rows } = await pool.query<{ count: string }>(
    where === 'TRUE' ? COUNT_ALL([]) : { text: `SELECT count(*) AS count FROM flow WHERE ${where}`, values: p.values },
  );
  return Number(rows[0].count);
}

async function paginateFlows(body: Json): Promise<unknown> {
  const limit = limitOf(body, DEFAULT_LIMIT);
  const page = Number(body.page ?? 1);
  const results = await filterFlows(body, limit, (page - 1) * limit);
  const count = await countFlows(body);
  return { results, count, limit, pages: limit === 0 ? 0 : Math.floor((count + limit - 1) / limit), page };
}

/** Selects up to `limit` flows by name, then deletes their deployments and them in one transaction. */
async function bulkDelete(body: Json): Promise<unknown> {
  const limit = Number(body.limit ?? 50);
  const p = new Params();
  const where = flowWhere(body, p, ['flows']);
  // The app's statement (src/flows/flows.repository.ts deleteMatching): select and delete in one.
  const sql = deleteFlowsSql(firstByNameSql(where)).replace('?', () => p.add(limit));
  const deleted = await pool.query<{ id: string }>(sql, p.values);
  return { deleted: deleted.rows.map((r) => r.id) };
}

async function route(method: string, path: string, body: Json): Promise<[number, unknown]> {
  if (method === 'POST') {
    switch (path) {
      case '/api/flows/':
        return createFlow(body);
      case '/api/flows/filter':
        return [200, await filterFlows(body, limitOf(body, DEFAULT_LIMIT), Number(body.offset ?? 0))];
      case '/api/flows/count':
        return [200, await countFlows(body)];
      case '/api/flows/paginate':
        return [200, await paginateFlows(body)];
      case '/api/flows/bulk_delete':
        return [200, await bulkDelete(body)];
    }
  } else if (method === 'GET') {
    if (path === '/api/health') return [200, true];
    if (path.startsWith('/api/flows/name/')) {
      const flow = await one(FLOW_BY_NAME([decodeSegment(path.slice('/api/flows/name/'.length))]));
      if (!flow) throw FLOW_NOT_FOUND;
      return [200, toFlow(flow)];
    }
    const id = path.slice('/api/flows/'.length);
    if (path.startsWith('/api/flows/') && UUID.test(id)) {
      const flow = await one(FLOW_BY_ID([id]));
      if (!flow) throw FLOW_NOT_FOUND;
      return [200, toFlow(flow)];
    }
  }
  throw new HttpError(404, { detail: 'Not Found' });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

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
