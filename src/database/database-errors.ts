/**
 * Which database failures a client may retry (503) and which are the request's fault
 * (409/422). Codes are PostgreSQL SQLSTATEs; driver-level failures have no code.
 */
export type DatabaseFailure =
  { kind: 'conflict' } | { kind: 'retryable'; reason: string } | { kind: 'too_large' } | { kind: 'bad_value' };

const RETRYABLE_SQLSTATE_CLASSES = ['08', '53', '57', '58'];
// 25006: the session is read-only (default_transaction_read_only, or a standby after a failover): writes can
// succeed once the database is writable again, and the connection that saw it is discarded (sql-runner.ts).
// 72000: snapshot too old.
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '55P03', '25006', '72000']);
const RETRYABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const RETRYABLE_MESSAGES = [
  /timeout acquiring a connection/i,
  /connection terminated/i,
  /connection (?:is )?closed/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /server closed the connection/i,
  /query read timeout/i,
  // pg, on a connection the runner closed under a transaction (driver timeout, client gone): its ROLLBACK fails so.
  /not queryable/i,
  /terminating connection/i,
  /Connection refused/i,
];

function sqlState(err: Record<string, unknown>): string | undefined {
  for (const candidate of [err, err.cause, err.previous]) {
    if (candidate && typeof candidate === 'object') {
      const code = (candidate as Record<string, unknown>).code;
      if (typeof code === 'string') return code;
    }
  }
  return undefined;
}

export function classifyDatabaseError(error: unknown): DatabaseFailure | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const err = error as Record<string, unknown>;
  const code = sqlState(err);
  const message = String(err.message ?? '');
  if (code) {
    if (code === '23505' || code === '23503') return { kind: 'conflict' };
    // 54000 program_limit_exceeded: e.g. a name too long for its btree index entry.
    if (code === '54000') return { kind: 'too_large' };
    // 22xxx data exceptions: NUL bytes, untranslatable characters, out-of-range values.
    if (code.startsWith('22')) return { kind: 'bad_value' };
    if (code === '57014') return { kind: 'retryable', reason: 'statement timeout' };
    if (RETRYABLE_SQLSTATES.has(code) || RETRYABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2)))
      return { kind: 'retryable', reason: `database error ${code}` };
    if (RETRYABLE_NODE_CODES.has(code)) return { kind: 'retryable', reason: code };
  }
  const name = String(err.name ?? '');
  if (
    name === 'KnexTimeoutError' ||
    name === 'BulkheadFullError' ||
    name === 'ClientClosedRequestError' ||
    name === 'ConnectionException' ||
    RETRYABLE_MESSAGES.some((re) => re.test(message))
  )
    return { kind: 'retryable', reason: message.slice(0, 200) };
  return undefined;
}

/**
 * The client went away before its answer: its statement was cancelled. Nobody reads the response; it is
 * classified retryable so that it is never rendered as a bug (500 with a stack).
 */
export class ClientClosedRequestError extends Error {
  override readonly name = 'ClientClosedRequestError';
  constructor() {
    super('the client closed the request');
  }
}

/** pg's `query_timeout` fired: the server may still be running the statement on that connection. */
export function isDriverTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Query read timeout';
}

/** The session refuses writes; a new session may not (the database was made writable again). */
export function isReadOnlySession(error: unknown): boolean {
  return !!error && typeof error === 'object' && sqlState(error as Record<string, unknown>) === '25006';
}
