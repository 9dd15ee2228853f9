/**
 * Which database failures a client may retry (503) and which are the request's fault
 * (409/422). Codes are PostgreSQL SQLSTATEs; driver-level failures have no code.
 */
export type DatabaseFailure =
  { kind: 'conflict' } | { kind: 'retryable'; reason: string } | { kind: 'too_large' } | { kind: 'bad_value' };

const RETRYABLE_SQLSTATE_CLASSES = ['08', '53', '57', '58'];
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '55P03']);
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
    name === 'ConnectionException' ||
    RETRYABLE_MESSAGES.some((re) => re.test(message))
  )
    return { kind: 'retryable', reason: message.slice(0, 200) };
  return undefined;
}
