/**
 * The one SQL runner. Every hand-written statement goes through `runQuery`:
 * - values are real bind parameters (`?` placeholders in the text, `$n` on the wire), never text in the statement;
 * - it joins the request's transaction when one is open (`em.transactional()`, or `em.begin()` on the request's
 *   fork), otherwise it takes a pooled connection for just this statement;
 * - with LOG_LEVEL=verbose it logs each statement with its duration and row count, never its values;
 * - a heavy request's statement first takes a place in the pool's heavy lane (bulkhead.ts);
 * - a connection that can no longer be trusted is destroyed instead of going back to the pool: one whose statement
 *   the driver gave up on or whose client went away (the statement is also cancelled on the server, since closing
 *   the socket alone does not stop a running statement), and one that found its session read-only.
 *
 * Why not MikroORM's `em.execute()`: in MikroORM 6 it formats the values into the SQL text, which rules out
 * prepared statements and puts user values into the statement log. The connections come from the knex pool that
 * MikroORM 6 owns (`client.acquireConnection()` / `releaseConnection()`, the calls knex itself uses around every
 * query): this function is the only place that touches knex, so moving to MikroORM 7 (kysely, no knex) changes
 * this file alone.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/postgresql';
import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Query, QueryResultRow } from 'pg';
import { ClientClosedRequestError, isDriverTimeout, isReadOnlySession } from '../database-errors';
import { currentRequest, openTransaction } from '../unit-of-work';

interface PgConnection {
  query(query: Query): void;
  end(): Promise<void>;
  processID: number | null;
  secretKey: number | null;
  connectionParameters: { host: string; port: number };
  /** knex's mark for a connection its pool must destroy instead of handing out again. */
  __knex__disposed?: unknown;
}

interface PgCancelConnection {
  connect(port: number, host: string): void;
  cancel(processID: number, secretKey: number): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  once(event: string, listener: (...args: unknown[]) => void): void;
}

interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(c: PgConnection): Promise<void>;
  driver: { Connection: new (config: object) => PgCancelConnection };
}

/** Starts the mark of a connection the runner discarded on purpose (orm-options.ts logs those at debug). */
export const DISCARDED = 'discarded: ';

const textCache = new Map<string, { text: string; name: string }>();

/**
 * `?` placeholders (easy to compose from fragments) to PostgreSQL's `$1, $2, …`. The statement texts never contain
 * a literal `?`: JSONB's `?`-operators are written as functions (jsonb_exists_any) or as `@>`.
 */
function prepareText(sql: string): { text: string; name: string } {
  let entry = textCache.get(sql);
  if (!entry) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    entry = { text, name: `fr_${createHash('sha1').update(text).digest('hex').slice(0, 16)}` };
    if (textCache.size < 10_000) textCache.set(sql, entry);
  }
  return entry;
}

export interface QueryOptions {
  /**
   * Reuse a named prepared statement per connection (parse and plan once). Right for point queries by key; wrong
   * for filters, whose best plan depends on the values (see ARCHITECTURE.md's performance facts).
   */
  prepare?: boolean;
}

const statementLog = new Logger('SQL');

/** Runs one statement in the caller's unit of work and returns its rows. */
export async function runQuery<R extends QueryResultRow>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
  options: QueryOptions = {},
): Promise<R[]> {
  const { text, name } = prepareText(sql);
  const trx = openTransaction<Knex.Transaction>(em);
  const client = (trx ?? (em.getConnection() as unknown as { getKnex(): Knex }).getKnex()).client as KnexClient;
  const scope = currentRequest();
  const exchange = scope?.request && scope.response ? { req: scope.request, res: scope.response } : undefined;
  if (exchange && clientGone(exchange)) throw new ClientClosedRequestError();
  // A transaction already holds its connection; the lane limits connections, so only statements outside one wait.
  const leaveLane = scope?.lane && !trx ? await scope.lane.enter() : undefined;
  let connection: PgConnection | undefined;
  let abandoned = false;
  let unwatch: (() => void) | undefined;
  try {
    // A heavy request may have waited long in its lane; one whose client left meanwhile takes no connection.
    if (exchange && leaveLane && clientGone(exchange)) throw new ClientClosedRequestError();
    connection = await client.acquireConnection();
    if (exchange) {
      if (clientGone(exchange)) throw new ClientClosedRequestError();
      const busy = connection;
      unwatch = onSocketClose(exchange.req.socket, () => {
        if (exchange.res.writableFinished) return;
        abandoned = true;
        discard(client, busy, 'the client closed the request', true);
      });
    }
    // MikroORM's `debug` flag is on exactly when LOG_LEVEL=verbose (orm-options.ts).
    const started = em.config.get('debug') ? performance.now() : undefined;
    try {
      const rows = await submit<R>(connection, text, params, options.prepare ? name : undefined);
      if (started !== undefined) logStatement(text, performance.now() - started, rows.length, !!trx);
      return rows;
    } catch (err) {
      if (started !== undefined) logStatement(text, performance.now() - started, undefined, !!trx);
      if (abandoned) throw new ClientClosedRequestError();
      if (isDriverTimeout(err)) discard(client, connection, 'the driver timed out its statement', true);
      else if (isReadOnlySession(err)) discard(client, connection, 'its session is read-only', false);
      throw err;
    }
  } finally {
    unwatch?.();
    // Inside a transaction this is a no-op: knex releases the connection when the transaction ends. knex releases
    // synchronously and returns a settled promise: nothing to wait for.
    if (connection) void client.releaseConnection(connection);
    leaveLane?.();
  }
}

/**
 * Sends one statement on a connection. The Query is built from the text rather than from a config object, which pg
 * copies property by property on every call (about 2 µs, a measurable share of a get by id).
 */
function submit<R extends QueryResultRow>(
  connection: PgConnection,
  text: string,
  values: readonly unknown[],
  name: string | undefined,
): Promise<R[]> {
  return new Promise<R[]>((resolve, reject) => {
    const query = new Query<R>(text, values as unknown[], (err, result) => (err ? reject(err) : resolve(result.rows)));
    // pg reads the statement name from this field when it sends the query (its typings leave it out).
    if (name) (query as Query<R> & { name?: string }).name = name;
    connection.query(query);
  });
}

function clientGone({ req, res }: { req: IncomingMessage; res: ServerResponse }): boolean {
  return req.socket.destroyed && !res.writableFinished;
}

/** One 'close' listener per socket however many statements wait on it (pipelined requests share a socket). */
const socketWatchers = new WeakMap<Socket, Set<() => void>>();

function onSocketClose(socket: Socket, listener: () => void): () => void {
  let listeners = socketWatchers.get(socket);
  if (!listeners) {
    const created = new Set<() => void>();
    socketWatchers.set(socket, created);
    socket.once('close', () => {
      for (const l of [...created]) l();
    });
    listeners = created;
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Marks the connection for the pool to destroy (it validates connections as it hands them out). A connection
 * still running a statement is closed now, and the statement is cancelled: otherwise the server keeps running it
 * and holding its locks until it ends on its own.
 */
function discard(client: KnexClient, connection: PgConnection, reason: string, busy: boolean): void {
  if (connection.__knex__disposed) return;
  const mark = `${DISCARDED}${reason}`;
  connection.__knex__disposed = mark;
  if (!busy) return;
  cancelOnServer(client, connection);
  // knex's 'end' listener overwrites the mark with "Connection ended unexpectedly": put the reason back.
  connection
    .end()
    .catch(() => undefined)
    .finally(() => (connection.__knex__disposed = mark));
}

/**
 * PostgreSQL's CancelRequest, sent on a fresh socket as libpq's PQcancel does: the postmaster reads it before
 * any authentication or TLS, so no pooled connection is needed (the pool may be exhausted). pg's own
 * `Client.cancel` does the same, but through a deprecated getter.
 */
function cancelOnServer(client: KnexClient, connection: PgConnection): void {
  const { processID, secretKey } = connection;
  if (processID === null || secretKey === null) return;
  const { host, port } = connection.connectionParameters;
  const cancel = new client.driver.Connection({});
  cancel.on('error', () => undefined);
  cancel.once('connect', () => cancel.cancel(processID, secretKey));
  if (host.startsWith('/')) (cancel as unknown as { connect(path: string): void }).connect(`${host}/.s.PGSQL.${port}`);
  else cancel.connect(port, host);
}

function logStatement(text: string, ms: number, rows: number | undefined, inTransaction: boolean): void {
  const outcome = rows === undefined ? 'failed' : `${rows} row${rows === 1 ? '' : 's'}`;
  statementLog.verbose(
    `${text.replace(/\s+/g, ' ').trim()} [${ms.toFixed(2)} ms, ${outcome}${inTransaction ? ', in transaction' : ''}]`,
  );
}
