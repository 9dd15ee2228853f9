/**
 * The floors' request handlers: the bench's routes with the same SQL and the same JSON as the app (the flow columns,
 * row rendering and page statement are imported from the app's repository, the filter SQL is in baseline-sql.ts).
 * They validate only what they must to stay correct for the bench bodies. Two servers put them on the wire:
 * baseline-server.ts (the raw floor, node:http) and framework-floor-server.ts (NestJS on Express, nothing else).
 *
 * Point queries use named prepared statements; filters and counts use unnamed ones, planned
 * for each call's values (see ARCHITECTURE.md, performance facts).
 *
 * Env: DATABASE_URL, DB_POOL_MAX (10), PREFECT_SERVER_API_DEFAULT_LIMIT (200).
 */
import { Pool, QueryConfig } from 'pg';
import {
  COUNT_ALL_FLOWS,
  deleteFlowsSql,
  firstByNameSql,
  FLOW_COLUMNS,
  flowPageSql,
  flowReads,
  GET_OR_CREATE_FLOW,
  toFlow,
} from '../src/flows/flows.repository';
import { flowWhere, Params, sortOf } from './baseline-sql';

export type Json = Record<string, unknown>;
type FlowRow = Parameters<typeof toFlow>[0];

export const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_MAX ?? 10),
  application_name: 'bench-baseline',
});
export const DEFAULT_LIMIT = Number(process.env.PREFECT_SERVER_API_DEFAULT_LIMIT ?? 200);
export const UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export class HttpError extends Error {
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

export async function createFlow(body: Json): Promise<[number, unknown]> {
  if (typeof body.name !== 'string') throw new HttpError(422, { detail: 'name must be a string' });
  const tags = JSON.stringify(body.tags ?? []);
  const labels = body.labels === null ? null : JSON.stringify(body.labels ?? {});
  const row = (
    await pool.query<FlowRow & { created_now: boolean }>(GET_OR_CREATE([body.name, tags, labels, body.name]))
  ).rows[0];
  if (!row) return createFlow(body);
  return [row.created_now ? 201 : 200, toFlow(row)];
}

export function limitOf(body: Json, fallback: number): number {
  const limit = body.limit ?? fallback;
  if (typeof limit !== 'number' || limit < 0 || limit > DEFAULT_LIMIT)
    throw new HttpError(422, { detail: `Invalid limit: ${limit}` });
  return limit;
}

export async function filterFlows(body: Json, limit: number, offset: number): Promise<unknown[]> {
  const p = new Params();
  const where = flowWhere(body, p);
  // The app's page statement (src/flows/flows.repository.ts flowPageSql); its `?` filled slot by slot, as the app does
  // (the filters' own values are $n already).
  const page = flowPageSql({
    where,
    sort: sortOf(body.sort),
    reads: flowReads(body),
  });
  const values: Record<string, number> = { n: limit + offset, limit, offset };
  const fills = page.slots.filter((slot) => slot in values).map((slot) => values[slot]);
  let i = 0;
  const sql = page.sql.replace(/\?/g, () => p.add(fills[i++]));
  return (await pool.query<FlowRow>(sql, p.values)).rows.map(toFlow);
}

const COUNT_ALL = named('flow_count_all', COUNT_ALL_FLOWS);

export async function countFlows(body: Json): Promise<number> {
  const p = new Params();
  const where = flowWhere(body, p);
  // As the app: no condition reads the trigger-kept count (src/flows/flows.repository.ts countMatching).
  const { rows } = await pool.query<{ count: string }>(
    where === 'TRUE' ? COUNT_ALL([]) : { text: `SELECT count(*) AS count FROM flow WHERE ${where}`, values: p.values },
  );
  return Number(rows[0].count);
}

export async function paginateFlows(body: Json): Promise<unknown> {
  const limit = limitOf(body, DEFAULT_LIMIT);
  const page = Number(body.page ?? 1);
  const results = await filterFlows(body, limit, (page - 1) * limit);
  const count = await countFlows(body);
  return { results, count, limit, pages: limit === 0 ? 0 : Math.floor((count + limit - 1) / limit), page };
}

/** Selects up to `limit` flows by name, then deletes their deployments and them in one transaction. */
export async function bulkDelete(body: Json): Promise<unknown> {
  const limit = Number(body.limit ?? 50);
  const p = new Params();
  const where = flowWhere(body, p, ['flows']);
  // The app's statement (src/flows/flows.repository.ts deleteMatching): select and delete in one.
  const sql = deleteFlowsSql(firstByNameSql(where)).replace('?', () => p.add(limit));
  const deleted = await pool.query<{ id: string }>(sql, p.values);
  return { deleted: deleted.rows.map((r) => r.id) };
}

/** The raw floor's router. */
export async function route(method: string, path: string, body: Json): Promise<[number, unknown]> {
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
    if (path.startsWith('/api/flows/name/'))
      return [200, await flowByName(decodeSegment(path.slice('/api/flows/name/'.length)))];
    const id = path.slice('/api/flows/'.length);
    if (path.startsWith('/api/flows/') && UUID_PATTERN.test(id)) return [200, await flowById(id)];
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

/** GET /api/flows/{id} (UUID already checked by the caller's routing) and GET /api/flows/name/{name}. */
export async function flowById(id: string): Promise<unknown> {
  const flow = await one(FLOW_BY_ID([id]));
  if (!flow) throw FLOW_NOT_FOUND;
  return toFlow(flow);
}

export async function flowByName(name: string): Promise<unknown> {
  const flow = await one(FLOW_BY_NAME([name]));
  if (!flow) throw FLOW_NOT_FOUND;
  return toFlow(flow);
}
